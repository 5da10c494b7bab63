"""A real micro:bit V2's data log: MY_DATA.HTM read as CSV, and ``ubit log get``.

There is no board on this machine, so the drive is a folder laid out as DAPLink shows
one (MICROBIT.HTM, DETAILS.TXT, MY_DATA.HTM), found through UBIT_MOUNT_ROOTS as a
mounted drive is, and MY_DATA.HTM is built here to the format CODAL's MicroBitLog
writes (see ubit/device/datalog.py for where each fact comes from).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_flash import V1_DETAILS, V2_DETAILS, make_drive, no_roots
from tests.ubitcli import assert_clean_error, run_ubit
from ubit.device.datalog import (
    NoDataLogError,
    NotADataLogError,
    csv_from_my_data,
    find_my_data,
    read_my_data,
)

# The storage area as DAPLink 0255+ shows it: 0x1F000 bytes, the HTML page in the
# first 2 KB, the metadata after it, 2 KB of metadata region, a 4 KB journal, the data.
SIZE = 0x1F000
HEADER = 2048
META = HEADER
JOURNAL = META + 2048
DATA = JOURNAL + 4096
LOG_END = SIZE - 4
PAGE = 4096

LOGGED = (b"Time (seconds),temp,light\n0.00,20,0\n0.10,21,10\n0.20,22,20\n"
          b"Time (seconds),temp,light,sound\n0.30,30,5,7\n0.40,0,0,0.0\n")


def my_data(csv: bytes = LOGGED, *, full: bool = False, stale: bytes = b"",
            header: int = HEADER, version: bytes = b"UBIT_LOG_FS_V_002\n") -> bytes:
    """The bytes of a MY_DATA.HTM holding ``csv``; ``stale``: old rows left past the
    first data page, as after an erase (only that page is erased)."""
    meta_at, data, log_end = header, header + 2048 + 4096, SIZE - 4
    storage = bytearray(b"\xff" * SIZE)
    page = b"<!doctype html><meta charset=utf-8><title>micro:bit data log</title>"
    storage[:header] = page.ljust(header - len(b"<!--FS_START"), b" ") + b"<!--FS_START"
    meta = (version + f"0x{log_end:08X}\0".encode() + f"0x{data:08X}\0".encode() + b"0256\0")
    storage[meta_at:meta_at + len(meta)] = meta
    headings = csv.split(b"\n")[0] + b"\n" if csv else b""  # CODAL keeps them here too
    storage[meta_at + len(meta):meta_at + len(meta) + len(headings)] = headings
    storage[meta_at + 2048:meta_at + 2048 + 8] = b"00000000"  # the journal: 0 bytes so far
    storage[data:data + len(csv)] = csv
    if stale:
        storage[data + PAGE:data + PAGE + len(stale)] = stale
    storage[log_end:log_end + 4] = b"\0\0\0\0"  # the FULL indicator, cleared
    if full:
        storage[log_end + 1:log_end + 4] = b"FUL"
    return bytes(storage)


# ---- the format ------------------------------------------------------------------------------

def test_the_heading_and_rows_come_back_as_the_board_wrote_them() -> None:
    simple = b"x,y\n1,2\n3,4\n-5,6.5\n"
    assert csv_from_my_data(my_data(simple)) == simple.decode()
    log = read_my_data(my_data(simple))
    assert log.lines == 4 and not log.full


def test_columns_added_later_keep_both_heading_lines() -> None:
    assert csv_from_my_data(my_data(LOGGED)) == LOGGED.decode()


def test_text_that_is_not_ascii_is_kept() -> None:
    text = "name,°C\nAïsha,21\n".encode()
    assert csv_from_my_data(my_data(text)) == text.decode()


def test_an_erased_log_reads_empty_whatever_old_rows_are_left_in_flash() -> None:
    # an erase wipes only the first data page: the old rows after it must not come back
    assert csv_from_my_data(my_data(b"", stale=b"9,9\n" * 500)) == ""


def test_a_log_erased_and_written_again_shows_only_the_new_rows() -> None:
    assert csv_from_my_data(my_data(b"a\n1\n", stale=b"9,9\n" * 500)) == "a\n1\n"


def test_a_full_log_says_so_and_keeps_every_row() -> None:
    rows = b"n\n" + b"".join(b"%d\n" % i for i in range(20_000))
    rows = rows[:LOG_END - DATA]
    rows = rows[:rows.rfind(b"\n") + 1]
    log = read_my_data(my_data(rows, full=True))
    assert log.full and log.csv == rows.decode()
    assert not read_my_data(my_data(rows)).full


def test_a_log_filling_its_space_to_the_last_byte_ends_at_the_log_end() -> None:
    rows = (b"n\n" + b"7\n" * LOG_END)[:LOG_END - DATA]
    assert read_my_data(my_data(rows, full=True)).csv == rows.decode()


def test_only_the_version_preamble_is_checked_as_codal_does() -> None:
    assert csv_from_my_data(my_data(version=b"UBIT_LOG_FS_V_003\n")) == LOGGED.decode()


def test_a_longer_html_page_moves_nothing_but_the_addresses() -> None:
    assert csv_from_my_data(my_data(header=3072)) == LOGGED.decode()


def test_a_blank_or_invalidated_storage_is_an_empty_log() -> None:
    assert csv_from_my_data(b"\xff" * SIZE) == ""
    invalidated = bytearray(my_data())
    invalidated[META:META + 45] = bytes(45)  # MicroBitLog::invalidate zeroes the metadata
    assert csv_from_my_data(bytes(invalidated)) == ""


@pytest.mark.parametrize("garbage", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"<html><body>my own page</body></html>\n",
    b"<!--FS_START" + b"hello, not a log" + b"\xff" * 100,
])
def test_a_file_that_is_not_a_data_log_is_refused_with_one_clear_line(garbage: bytes) -> None:
    with pytest.raises(NotADataLogError) as caught:
        csv_from_my_data(garbage)
    message = str(caught.value)
    assert "not a micro:bit data log" in message and "\n" not in message


def test_damaged_addresses_are_refused_not_read_out_of_place() -> None:
    damaged = bytearray(my_data())
    damaged[META + 29:META + 39] = b"0x00000010"  # dataStart inside the HTML page
    with pytest.raises(NotADataLogError, match="damaged"):
        csv_from_my_data(bytes(damaged))


# ---- finding MY_DATA.HTM ---------------------------------------------------------------------

def drive_with_log(root: Path, name: str = "MICROBIT", data: bytes | None = None,
                   details: str = V2_DETAILS, file_name: str = "MY_DATA.HTM") -> Path:
    folder = make_drive(root / name, details)
    if data is not None:
        (folder / file_name).write_bytes(data)
    return folder


def test_my_data_is_found_on_the_one_drive_plugged_in(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = drive_with_log(tmp_path / "mnt", data=my_data(), file_name="my_data.htm")
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", str(tmp_path / "mnt"))
    drive, path = find_my_data()
    assert drive.path == folder and drive.board_label == "V2"
    assert path == folder / "my_data.htm"  # any case the drive shows the name in


def test_a_v1_drive_has_no_data_log(tmp_path: Path) -> None:
    folder = drive_with_log(tmp_path, details=V1_DETAILS)
    with pytest.raises(NoDataLogError, match="V1"):
        find_my_data(folder)


# ---- ubit log get ----------------------------------------------------------------------------

def roots(path: Path) -> dict[str, str]:
    return {"UBIT_MOUNT_ROOTS": str(path)}


def test_log_get_prints_the_csv_of_the_drive_found(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", data=my_data())
    proc = run_ubit("log", "get", env=roots(tmp_path / "mnt"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == LOGGED.decode()


def test_log_get_saves_the_csv_in_a_file(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", data=my_data(full=True))
    out = tmp_path / "data.csv"
    proc = run_ubit("log", "get", "-o", out, env=roots(tmp_path / "mnt"))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == LOGGED
    assert proc.stdout == ""
    assert "7 lines" in proc.stderr and "data.csv" in proc.stderr and "full" in proc.stderr


def test_log_get_reads_what_a_program_logged_as_ubit_run_saves_it(tmp_path: Path) -> None:
    """The CSV a real board keeps is the one the virtual board keeps: the same text."""
    program = tmp_path / "logger.py"
    program.write_text(
        "import log\nlog.set_labels('a', 'b', timestamp=log.MILLISECONDS)\n"
        "for i in range(4):\n    log.add(a=i, b=i * i)\n"
        "log.add(a=9, b=9, c='late')\n")
    sim_csv = tmp_path / "sim.csv"
    proc = run_ubit("run", program, "--headless", "--time", "2", "--log-csv", sim_csv)
    assert proc.returncode == 0, proc.stderr
    drive_with_log(tmp_path / "mnt", data=my_data(sim_csv.read_bytes()))
    got = run_ubit("log", "get", env=roots(tmp_path / "mnt"))
    assert got.returncode == 0, got.stderr
    assert got.stdout == sim_csv.read_text() and "late" in got.stdout


def test_log_get_with_no_drive_says_how_to_plug_one_in(tmp_path: Path) -> None:
    line = assert_clean_error(run_ubit("log", "get", env=no_roots(tmp_path)), "log get")
    assert "no micro:bit drive found" in line and "--drive" in line


def test_log_get_with_several_drives_asks_for_one_and_drive_chooses(tmp_path: Path) -> None:
    one = drive_with_log(tmp_path / "mnt", "MICROBIT", data=my_data(b"a\n1\n"))
    drive_with_log(tmp_path / "mnt", "MICROBIT1", data=my_data(b"b\n2\n"))
    line = assert_clean_error(run_ubit("log", "get", env=roots(tmp_path / "mnt")), "log get")
    assert "found 2 micro:bit drives" in line and "--drive" in line
    chosen = run_ubit("log", "get", "--drive", one, env=roots(tmp_path / "mnt"))
    assert chosen.returncode == 0 and chosen.stdout == "a\n1\n"


def test_log_get_on_a_v1_says_it_has_no_data_log(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", details=V1_DETAILS)
    line = assert_clean_error(run_ubit("log", "get", env=roots(tmp_path / "mnt")), "log get")
    assert "V1" in line and "V2" in line


def test_log_get_without_my_data_says_nothing_was_logged(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt")
    line = assert_clean_error(run_ubit("log", "get", env=roots(tmp_path / "mnt")), "log get")
    assert "no MY_DATA.HTM" in line and "log.add()" in line


def test_log_get_of_an_empty_log_says_so_and_writes_no_file(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", data=my_data(b"", stale=b"1,2\n" * 10))
    out = tmp_path / "out.csv"
    line = assert_clean_error(run_ubit("log", "get", "-o", out, env=roots(tmp_path / "mnt")),
                              "log get")
    assert "empty" in line
    assert not out.exists()


def test_log_get_of_garbage_keeps_the_old_output_file_whole(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", data=b"<html>something else</html>\n" * 100)
    out = tmp_path / "keep" / "data.csv"
    out.parent.mkdir()
    out.write_bytes(b"old,data\n1,2\n")
    line = assert_clean_error(run_ubit("log", "get", "-o", out, env=roots(tmp_path / "mnt")),
                              "log get")
    assert "MY_DATA.HTM" in line and "not a micro:bit data log" in line
    assert out.read_bytes() == b"old,data\n1,2\n"
    assert os.listdir(out.parent) == ["data.csv"]  # no temporary file left behind


def test_log_get_into_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    drive_with_log(tmp_path / "mnt", data=my_data())
    out = tmp_path / "nowhere" / "data.csv"
    assert_clean_error(run_ubit("log", "get", "-o", out, env=roots(tmp_path / "mnt")),
                       "log get")
    assert not (tmp_path / "nowhere").exists()


def test_log_get_drive_that_is_not_a_folder(tmp_path: Path) -> None:
    line = assert_clean_error(run_ubit("log", "get", "--drive", tmp_path / "absent",
                                       env=no_roots(tmp_path)), "log get")
    assert "no such folder" in line


def test_log_get_help_has_examples() -> None:
    proc = run_ubit("log", "get", "--help")
    assert proc.returncode == 0
    assert "examples:" in proc.stdout and "ubit log get -o data.csv" in proc.stdout
