"""Bad input to `ubit hex extract` and `ubit hex info`: one clear error line, nothing written."""

from __future__ import annotations

import os
import shutil
import sys

import micropython_microbit_fs as mfs
import pytest

from tests.ubitcli import assert_clean_error, run_ubit

GOOD = mfs.add_files(mfs.get_bundled_hex(2).content, [mfs.File.from_text("main.py", "x=1\n")])


def corrupt_checksum(text: str) -> str:
    lines = text.splitlines()
    line = lines[100]
    last = int(line[-2:], 16)
    lines[100] = line[:-2] + f"{(last + 1) & 0xFF:02X}"
    return "\n".join(lines) + "\n"


def truncate_record(text: str) -> str:
    lines = text.splitlines()
    lines[200] = lines[200][:21]  # cut in the middle of the data field
    return "\n".join(lines) + "\n"


CASES = {
    "empty": (b"", "empty"),
    "not_hex_text": (b"Dear diary,\nthe micro:bit is great.\n", "not Intel HEX"),
    "bad_checksum": (corrupt_checksum(GOOD).encode(), "line 101: bad checksum"),
    "truncated_record": (truncate_record(GOOD).encode(), "line 201: record is truncated"),
    "cut_short": (GOOD[: len(GOOD) // 2].rsplit("\n", 1)[0].encode() + b"\n",
                  "without an end-of-file record"),
    "not_micropython": (b":10000000000102030405060708090A0B0C0D0E0F78\n:00000001FF\n",
                        "no MicroPython"),
    "binary": (bytes(range(256)) * 100, "binary file"),
}


@pytest.mark.parametrize("command", ["extract", "info"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_hex_files(tmp_path, command, case):
    data, expected = CASES[case]
    src = tmp_path / "input.hex"
    src.write_bytes(data)
    out = tmp_path / "out"
    args = ["hex", command, src] + (["-o", out] if command == "extract" else [])
    line = assert_clean_error(run_ubit(*args), f"hex {command}")
    assert expected in line
    assert str(src) in line  # the error names the file
    assert not out.exists()


def test_huge_file_is_refused_without_reading_it(tmp_path):
    src = tmp_path / "huge.hex"
    with open(src, "wb") as f:
        f.truncate(20 * 1024 * 1024)
    line = assert_clean_error(run_ubit("hex", "extract", src, "-o", tmp_path / "o"),
                              "hex extract")
    assert "too big" in line and "20,971,520 bytes" in line
    assert not (tmp_path / "o").exists()


def test_directory(tmp_path):
    line = assert_clean_error(run_ubit("hex", "info", tmp_path), "hex info")
    assert "is a folder" in line


def test_missing_file(tmp_path):
    line = assert_clean_error(run_ubit("hex", "info", tmp_path / "nope.hex"), "hex info")
    assert "no such file" in line


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file(tmp_path):
    src = tmp_path / "secret.hex"
    src.write_text(GOOD)
    src.chmod(0)
    if os.geteuid() == 0:
        # root reads anything: drop the capabilities that let it ignore permissions
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to drop privileges")
        proc = run_ubit("hex", "info", src,
                        wrapper=["setpriv", "--inh-caps=-all", "--bounding-set=-all"])
    else:
        proc = run_ubit("hex", "info", src)
    assert "permission denied" in assert_clean_error(proc, "hex info")


def test_usage_errors_exit_2():
    proc = run_ubit("hex", "build")
    assert_clean_error(proc, "hex build", code=2)
    proc = run_ubit("hex", "build", "x.py", "--target", "v3")
    assert "invalid choice" in assert_clean_error(proc, "hex build", code=2)
    proc = run_ubit("nonsense")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_every_command_help_shows_an_example():
    for args in (["--help"], ["hex", "--help"], ["hex", "build", "--help"],
                 ["hex", "extract", "--help"], ["hex", "info", "--help"], ["flash", "--help"],
                 ["run", "--help"], ["sim", "--help"], ["repl", "--help"], ["fs", "--help"],
                 ["fs", "put", "--help"], ["exec", "--help"], ["devices", "--help"]):
        proc = run_ubit(*args)
        assert proc.returncode == 0
        assert "examples:" in proc.stdout and "ubit " in proc.stdout.split("examples:")[1]
