"""``ubit hex build``: what a user gets in the hex, and the errors for what can't go in."""

from __future__ import annotations

import micropython_microbit_fs as mfs
import pytest
from uflash.lib import extract_script
from universal_hex import separate_uhex

from tests.ubitcli import assert_clean_error, run_ubit
from ubit.hexfile import read_hex

V1_ID, V2_ID = 0x9900, 0x9903
PROGRAM = "from microbit import *\n# é ünïcode\nprint('hello', 6 * 7)\n" * 40


def halves(hex_text: str) -> dict[int, str]:
    """Board id → that board's plain hex, split by the universal-hex library."""
    return {part.board_id: part.hex for part in separate_uhex(hex_text)}


def library_files(plain_hex: str) -> dict[str, bytes]:
    """Files as micropython-microbit-fs reads them."""
    return {f.name: f.content for f in mfs.get_files(plain_hex)}


def test_single_py_becomes_main_py_in_both_halves(tmp_path):
    src = tmp_path / "game.py"
    src.write_text(PROGRAM, encoding="utf-8")
    proc = run_ubit("hex", "build", src)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "game.hex"
    assert "for V1 and V2" in proc.stdout
    parts = halves(out.read_text())
    assert set(parts) == {V1_ID, V2_ID}
    for plain in parts.values():
        assert library_files(plain) == {"main.py": PROGRAM.encode()}
    # uflash3 reads a universal hex whole and finds main.py in the V2 filesystem.
    # (It looks for V1 files at 0x38C00 only; the V1 1.1.1 firmware's UICR, which
    # micropython-microbit-fs and ubit follow, puts the filesystem at 0x38800.)
    assert extract_script(out.read_text()) == ("main.py", PROGRAM)
    assert extract_script(parts[V2_ID]) == ("main.py", PROGRAM)


@pytest.mark.parametrize("target, label", [("v1", "V1"), ("v2", "V2")])
def test_single_target_hex(tmp_path, target, label):
    src = tmp_path / "main.py"
    src.write_text(PROGRAM)
    out = tmp_path / "out.hex"
    proc = run_ubit("hex", "build", src, "-o", out, "--target", target)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    contents = read_hex(text)
    assert not contents.universal
    assert [b.board.label for b in contents.boards] == [label]
    assert library_files(text) == {"main.py": PROGRAM.encode()}
    info = mfs.get_device_info(text)
    assert info.device_version.value == label


def test_several_files_with_binary_data(tmp_path):
    (tmp_path / "main.py").write_text("import helper\nhelper.go()\n")
    (tmp_path / "helper.py").write_text("def go():\n    print('go')\n")
    blob = bytes(range(256)) * 8
    (tmp_path / "data.bin").write_bytes(blob)
    out = tmp_path / "multi.hex"
    proc = run_ubit("hex", "build", tmp_path / "main.py", tmp_path / "helper.py",
                    tmp_path / "data.bin", "-o", out)
    assert proc.returncode == 0, proc.stderr
    for plain in halves(out.read_text()).values():
        assert library_files(plain) == {
            "main.py": b"import helper\nhelper.go()\n",
            "helper.py": b"def go():\n    print('go')\n",
            "data.bin": blob,
        }


def test_main_option_names_the_program(tmp_path):
    (tmp_path / "game.py").write_text("import lib\n")
    (tmp_path / "lib.py").write_text("x = 1\n")
    out = tmp_path / "g.hex"
    proc = run_ubit("hex", "build", tmp_path / "game.py", tmp_path / "lib.py",
                    "--main", "game.py", "-o", out)
    assert proc.returncode == 0, proc.stderr
    files = read_hex(out.read_text()).files()
    assert files == {"main.py": b"import lib\n", "lib.py": b"x = 1\n"}


def test_several_files_without_main_is_an_error(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    proc = run_ubit("hex", "build", tmp_path / "a.py", tmp_path / "b.py",
                    "-o", tmp_path / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "main.py" in line and "--main" in line
    assert not (tmp_path / "x.hex").exists()


def test_duplicate_names_are_refused(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "main.py").write_text("import util\n")
    (tmp_path / "one" / "util.py").write_text("a = 1\n")
    (tmp_path / "two" / "util.py").write_text("a = 2\n")
    proc = run_ubit("hex", "build", tmp_path / "main.py", tmp_path / "one" / "util.py",
                    tmp_path / "two" / "util.py", "-o", tmp_path / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "util.py" in line and "twice" in line
    assert not (tmp_path / "x.hex").exists()


def test_file_name_too_long(tmp_path):
    (tmp_path / "main.py").write_text("pass\n")
    long_name = tmp_path / ("n" * 118 + ".py")  # 121 bytes
    long_name.write_text("x = 1\n")
    proc = run_ubit("hex", "build", tmp_path / "main.py", long_name, "-o", tmp_path / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "121 bytes" in line and "120" in line


def test_longest_allowed_name_fits(tmp_path):
    (tmp_path / "main.py").write_text("pass\n")
    name = tmp_path / ("n" * 117 + ".py")  # exactly 120 bytes
    name.write_text("x = 1\n")
    out = tmp_path / "x.hex"
    proc = run_ubit("hex", "build", tmp_path / "main.py", name, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert name.name in read_hex(out.read_text()).files()


# V2's filesystem has 160 chunks of 126 data bytes; main.py's header takes 2 + 7 bytes
# and the format one end byte: 160 * 126 - 10 = 20150 bytes of content at most.
V2_MAX_MAIN = 160 * 126 - 10


def test_largest_file_that_fits_v2(tmp_path):
    src = tmp_path / "main.py"
    src.write_text("#" * (V2_MAX_MAIN - 1) + "\n")
    out = tmp_path / "big.hex"
    proc = run_ubit("hex", "build", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert len(library_files(halves(out.read_text())[V2_ID])["main.py"]) == V2_MAX_MAIN


@pytest.mark.parametrize("extra", [1, 5000])
def test_too_big_says_by_how_much(tmp_path, extra):
    src = tmp_path / "main.py"
    src.write_text("#" * (V2_MAX_MAIN + extra - 1) + "\n")
    out = tmp_path / "big.hex"
    out.write_text("previous build\n")
    proc = run_ubit("hex", "build", src, "-o", out)
    line = assert_clean_error(proc, "hex build")
    unit = "byte " if extra == 1 else "bytes"
    assert f"too big for the V2 filesystem by {extra:,} {unit}" in line
    assert out.read_text() == "previous build\n"  # an earlier output is left as it was


def test_v1_target_has_the_bigger_filesystem(tmp_path):
    src = tmp_path / "main.py"
    src.write_text("#" * (V2_MAX_MAIN + 1000) + "\n")
    proc = run_ubit("hex", "build", src, "--target", "v1", "-o", tmp_path / "v1.hex")
    assert proc.returncode == 0, proc.stderr


def test_py_file_that_is_not_utf8(tmp_path):
    src = tmp_path / "main.py"
    src.write_bytes(b"print('ok')\nprint('caf\xe9')\n")
    proc = run_ubit("hex", "build", src, "-o", tmp_path / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "main.py" in line and "line 2" in line and "UTF-8" in line
    assert not (tmp_path / "x.hex").exists()


def test_missing_source_file(tmp_path):
    proc = run_ubit("hex", "build", tmp_path / "nope.py", "-o", tmp_path / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "nope.py" in line and "no such file" in line


def test_output_folder_missing(tmp_path):
    src = tmp_path / "main.py"
    src.write_text("pass\n")
    proc = run_ubit("hex", "build", src, "-o", tmp_path / "no" / "such" / "x.hex")
    line = assert_clean_error(proc, "hex build")
    assert "does not exist" in line


def test_no_temporary_files_left_behind(tmp_path):
    src = tmp_path / "main.py"
    src.write_text("pass\n")
    run_ubit("hex", "build", src, "-o", tmp_path / "ok.hex")
    (tmp_path / "big.py").write_text("#" * 30000)
    run_ubit("hex", "build", tmp_path / "big.py", "-o", tmp_path / "bad.hex")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.py", "main.py", "ok.hex"]


def test_cold_cache_gives_the_same_hex(tmp_path):
    src = tmp_path / "main.py"
    src.write_text(PROGRAM)
    warm = run_ubit("hex", "build", src, "-o", tmp_path / "warm.hex")
    cold = run_ubit("hex", "build", src, "-o", tmp_path / "cold.hex",
                    env={"UBIT_CACHE_DIR": str(tmp_path / "cache")})
    assert warm.returncode == cold.returncode == 0
    assert (tmp_path / "cache").is_dir() and any((tmp_path / "cache").iterdir())
    assert (tmp_path / "warm.hex").read_text() == (tmp_path / "cold.hex").read_text()


def test_unwritable_cache_still_builds(tmp_path):
    src = tmp_path / "main.py"
    src.write_text("pass\n")
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    proc = run_ubit("hex", "build", src, "-o", tmp_path / "x.hex",
                    env={"UBIT_CACHE_DIR": str(blocker / "sub")})
    assert proc.returncode == 0, proc.stderr
    assert read_hex((tmp_path / "x.hex").read_text()).files() == {"main.py": b"pass\n"}


def test_custom_runtime(tmp_path):
    from ubit.hexfile import V1, bundled_runtime_path

    runtime = tmp_path / "runtime.hex"
    runtime.write_text(bundled_runtime_path(V1).read_text())
    src = tmp_path / "main.py"
    src.write_text("print(1)\n")
    out = tmp_path / "x.hex"
    proc = run_ubit("hex", "build", src, "--target", "v1", "--runtime", runtime, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert library_files(out.read_text()) == {"main.py": b"print(1)\n"}
    wrong = run_ubit("hex", "build", src, "--target", "v2", "--runtime", runtime,
                     "-o", tmp_path / "y.hex")
    assert "V1 runtime" in assert_clean_error(wrong, "hex build")
    used = run_ubit("hex", "build", src, "--target", "v1", "--runtime", out,
                    "-o", tmp_path / "z.hex")
    assert "already holds files" in assert_clean_error(used, "hex build")
