"""Bad input to every command: one clear error line, a non-zero exit, and nothing damaged.

Each test runs the real ``ubit`` command and checks what a user sees: the exit code,
the one ``ubit: <command>: ...`` line, and the files around it unchanged.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.errors import printable
from ubit.hexfile import SourceFile, build_single
from ubit.hexfile.targets import V1, V2
from ubit.runtimes import bundled_runtime

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files (FIFOs, /dev)")
PROGRAM = "print('the program ran')\n"


def crafted_hex(path: Path, *names: str, board=V2) -> Path:
    """A hex holding main.py and a file under each of ``names``, checks bypassed as a hostile
    or foreign tool would."""
    files = [SourceFile("main.py", b"x = 1\n")] + [SourceFile(n, b"evil\n") for n in names]
    path.write_text(build_single(files, bundled_runtime(board)))
    return path


def tree(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under ``folder``: its kind and contents (a link's target), to compare."""
    found: dict[str, tuple[int, bytes | str | None]] = {}
    for entry in sorted(folder.rglob("*")):
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            content: bytes | str | None = os.readlink(entry)
        elif stat.S_ISREG(mode):
            content = entry.read_bytes()
        else:
            content = None
        found[str(entry.relative_to(folder))] = (stat.S_IFMT(mode), content)
    return found


def run_ubit_bytes(*args: str | os.PathLike[str], cwd: Path | None = None
                   ) -> subprocess.CompletedProcess[bytes]:
    """``run_ubit`` with stdout as bytes: for output that isn't UTF-8."""
    env = {k: v for k, v in os.environ.items() if k != "UBIT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "ubit", *map(str, args)], cwd=cwd or ROOT,
                          env=env, capture_output=True, timeout=60)


# 1. hex extract of names that would be paths ---------------------------------------------

UNSAFE_NAMES = {"dotdot": "../evil.py", "backslash": "..\\evil.py", "nul": "a\x00b.py",
                "dot": ".", "dotdot_only": "..", "nested": "sub/../../evil.py"}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("case", sorted(UNSAFE_NAMES))
def test_extract_refuses_names_that_are_paths(tmp_path, case, force):
    name = UNSAFE_NAMES[case]
    work = tmp_path / "work"
    work.mkdir()
    hex_path = crafted_hex(tmp_path / "crafted.hex", name)
    before = tree(tmp_path)
    proc = run_ubit("hex", "extract", hex_path, "-o", work / "out", *(["--force"] if force
                                                                       else []))
    line = assert_clean_error(proc, "hex extract")
    assert f"holds a file named '{printable(name)}'" in line and "nothing was written" in line
    assert tree(tmp_path) == before  # no file anywhere, not even main.py


def test_extract_refuses_an_absolute_name(tmp_path):
    target = tmp_path / "outside.py"
    hex_path = crafted_hex(tmp_path / "crafted.hex", str(target))
    line = assert_clean_error(run_ubit("hex", "extract", hex_path, "-o", tmp_path / "out",
                                       "--force"), "hex extract")
    assert str(target) in line and "would be a path" in line
    assert not target.exists() and not (tmp_path / "out").exists()


# 2. outputs that are links, devices or FIFOs ------------------------------------------------

@pytest.fixture
def special(tmp_path):
    """Make a symlink, FIFO or device node at a path; checks it is still that afterwards."""
    made: list[tuple[Path, int]] = []

    def make(kind: str, path: Path) -> Path:
        if kind == "symlink":
            (tmp_path / "precious.txt").write_text("keep me\n")
            path.symlink_to(tmp_path / "precious.txt")
        elif kind == "fifo":
            os.mkfifo(path)
        elif os.geteuid() == 0:  # a null-like device node of our own, safe to lose
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        else:  # without root /dev can't be changed, so the real one is safe to name
            path = Path("/dev/full")
        made.append((path, stat.S_IFMT(path.lstat().st_mode)))
        return path

    yield make
    for path, kind in made:
        assert stat.S_IFMT(path.lstat().st_mode) == kind, f"{path} was replaced"
    if (tmp_path / "precious.txt").exists():
        assert (tmp_path / "precious.txt").read_text() == "keep me\n"


KIND_WORDS = {"symlink": "is a symbolic link", "fifo": "is a FIFO", "device": "is a device"}


@posix_only
@pytest.mark.parametrize("kind", sorted(KIND_WORDS))
def test_hex_build_never_replaces_a_special_output(tmp_path, special, kind):
    (tmp_path / "main.py").write_text(PROGRAM)
    out = special(kind, tmp_path / "out.hex")
    line = assert_clean_error(run_ubit("hex", "build", tmp_path / "main.py", "-o", out),
                              "hex build")
    assert KIND_WORDS[kind] in line and str(out) in line
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@posix_only
@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_hex_extract_force_never_replaces_a_special_file(tmp_path, special, kind):
    hex_path = crafted_hex(tmp_path / "game.hex", "data.txt")
    out = tmp_path / "out"
    out.mkdir()
    special(kind, out / "main.py")
    before = tree(out)
    line = assert_clean_error(run_ubit("hex", "extract", hex_path, "-o", out, "--force"),
                              "hex extract")
    assert KIND_WORDS[kind] in line and "main.py" in line
    assert tree(out) == before  # data.txt wasn't written either: all checked first


@posix_only
@pytest.mark.parametrize("option", ["--audio", "--log-csv"])
@pytest.mark.parametrize("kind", sorted(KIND_WORDS))
def test_run_recordings_never_replace_a_special_file(tmp_path, special, kind, option):
    (tmp_path / "main.py").write_text(PROGRAM)
    out = special(kind, tmp_path / "record.out")
    proc = run_ubit("run", tmp_path / "main.py", "--headless", option, out)
    line = assert_clean_error(proc, "run")
    assert KIND_WORDS[kind] in line
    assert proc.stdout == ""  # refused before the run, not after it


# 3. reading devices, FIFOs and huge files ---------------------------------------------------

READERS = {
    "run": lambda p: ("run", p, "--headless"),
    "hex build": lambda p: ("hex", "build", p, "-o", Path(p).parent / "never.hex"),
    "hex info": lambda p: ("hex", "info", p),
    "run --inputs": lambda p: ("run", ROOT / "examples" / "hello.py", "--headless",
                               "--inputs", p),
}


@posix_only
@pytest.mark.parametrize("command", sorted(READERS))
@pytest.mark.parametrize("source", ["dev_zero", "fifo", "huge"])
def test_reading_is_bounded_and_never_hangs(tmp_path, command, source):
    if source == "dev_zero":
        path, words = Path("/dev/zero"), "is a device, not a regular file"
    elif source == "fifo":
        path, words = tmp_path / "prog.py", "is a FIFO (named pipe), not a regular file"
        os.mkfifo(path)  # nobody writes: a plain open() would block for ever
    else:
        path, words = tmp_path / "prog.py", "too big"
        with open(path, "wb") as f:
            f.truncate(200 * 1024 * 1024)
    label = command.split(" --")[0]
    line = assert_clean_error(run_ubit(*READERS[command](path), timeout=30), label)
    assert words in line and str(path) in line
    assert not (tmp_path / "never.hex").exists()


# 4. --time and input scripts ----------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e400"])
def test_run_time_must_be_a_positive_finite_number(tmp_path, value):
    (tmp_path / "main.py").write_text(PROGRAM)
    proc = run_ubit("run", tmp_path / "main.py", "--headless", "--time", value)
    assert "--time" in assert_clean_error(proc, "run", code=2)
    assert proc.stdout == ""


SCRIPT_LINES = {
    "nan time": ("nan press A", "is not a time"),
    "inf time": ("inf press A", "is not a time"),
    "negative time": ("-5 press A", "is not a time"),
    "overflowing time": ("1e400 press A", "is not a time"),
    "unknown gesture": ("100 gesture explode", "'explode' is not a gesture"),
    "unknown part": ("100 set nosuchpart 3", "no input 'nosuchpart'"),
    "trailing words": ("100 press A now", "'now' after 'press A'"),
    "infinite value": ("100 set temperature inf", "'inf' is not a finite number"),
    "nan value": ("100 set light nan", "'nan' is not a finite number"),
}


@pytest.mark.parametrize("case", sorted(SCRIPT_LINES))
def test_bad_script_lines_stop_the_run_before_it_starts(tmp_path, case):
    text, words = SCRIPT_LINES[case]
    (tmp_path / "main.py").write_text(PROGRAM)
    script = tmp_path / "taps.txt"
    script.write_text(f"# taps\n{text}\n")
    proc = run_ubit("run", tmp_path / "main.py", "--headless", "--inputs", script)
    line = assert_clean_error(proc, "run", code=2)
    assert f"{script}: line 2: " in line and words in line
    assert proc.stdout == ""  # the program never ran


# 5. recordings' paths checked before the run ------------------------------------------------

@pytest.mark.parametrize("option", ["--audio", "--log-csv"])
@pytest.mark.parametrize("case", ["no folder", "a folder", "under a file"])
def test_recording_paths_are_checked_before_the_run(tmp_path, option, case):
    (tmp_path / "main.py").write_text(PROGRAM)
    out = {"no folder": tmp_path / "missing" / "x.out", "a folder": tmp_path,
           "under a file": tmp_path / "main.py" / "x.out"}[case]
    proc = run_ubit("run", tmp_path / "main.py", "--headless", "--time", "1", option, out)
    line = assert_clean_error(proc, "run")
    assert {"no folder": "does not exist", "a folder": "is a folder",
            "under a file": "is not a folder"}[case] in line
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.py"]


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_recording_into_a_read_only_folder_is_refused_first(tmp_path):
    (tmp_path / "main.py").write_text(PROGRAM)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = run_ubit("run", tmp_path / "main.py", "--headless", "--log-csv",
                        locked / "data.csv")
    finally:
        locked.chmod(0o755)
    assert "permission denied" in assert_clean_error(proc, "run")
    assert proc.stdout == ""


def test_both_recordings_saved_atomically(tmp_path):
    (tmp_path / "main.py").write_text("import log, music\nlog.add(a=1)\n"
                                      "music.play(['c4:1'])\n")
    proc = run_ubit("run", tmp_path / "main.py", "--headless", "--audio", tmp_path / "a.wav",
                    "--log-csv", tmp_path / "d.csv")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.wav").read_bytes()[:4] == b"RIFF"
    assert (tmp_path / "d.csv").read_text().splitlines()[0] == "Time (seconds),a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.wav", "d.csv", "main.py"]


# 6. programs that aren't UTF-8: what the firmware does ------------------------------------

# Recorded from the official V1 firmware under QEMU (ubit.device.qemu.run_hex, CRLF as
# "\n"): its lexer keeps the bytes, so the string prints its raw byte and a stray byte
# outside a string is a name. test_invalid_utf8_matches_the_firmware re-records them.
NOT_UTF8 = {
    "in_a_string": (b"print('\xff')\n", b"\xff\n"),
    "alone": (b"\xff\n", b"Traceback (most recent call last):\n  File \"__main__\", line 1, "
              b"in <module>\nNameError: name '\xff' is not defined\n"),
    "in_a_name": (b"x\xff = 3\nprint(x\xff)\n", b"3\n"),
    "after_output": (b"print(1)\n\xff\n", b"1\nTraceback (most recent call last):\n  File "
                     b"\"__main__\", line 2, in <module>\nNameError: name '\xff' is not "
                     b"defined\n"),
}


@pytest.mark.parametrize("case", sorted(NOT_UTF8))
def test_invalid_utf8_program_runs_as_on_the_firmware(tmp_path, case):
    source, expected = NOT_UTF8[case]
    (tmp_path / "bad.py").write_bytes(source)
    proc = run_ubit_bytes("run", tmp_path / "bad.py", "--headless", "--board", "v1")
    assert proc.stdout == expected, proc.stderr
    assert b"UnicodeError" not in proc.stdout + proc.stderr
    assert proc.returncode == (1 if b"Traceback" in expected else 0)


def test_invalid_utf8_on_v2_names_the_byte_in_its_words(tmp_path):
    (tmp_path / "bad.py").write_bytes(b"\xff\n")
    proc = run_ubit_bytes("run", tmp_path / "bad.py", "--headless")
    assert proc.stdout.endswith(b"NameError: name '\xff' isn't defined\n"), proc.stdout
    assert proc.returncode == 1


def test_hex_build_still_names_the_line_that_is_not_utf8(tmp_path):
    (tmp_path / "bad.py").write_bytes(b"print(1)\nprint('\xff')\n")
    line = assert_clean_error(run_ubit("hex", "build", tmp_path / "bad.py"), "hex build")
    assert "line 2 is not UTF-8 text" in line
    assert not (tmp_path / "bad.hex").exists()


@pytest.mark.qemu
@pytest.mark.parametrize("case", sorted(NOT_UTF8))
def test_invalid_utf8_matches_the_firmware(case):
    from ubit.device.qemu import BANNER, PROMPT, QemuBoard, find_qemu

    if find_qemu() is None:
        pytest.skip("qemu-system-arm is not installed")
    source, expected = NOT_UTF8[case]
    with QemuBoard(build_single([SourceFile("main.py", source)], bundled_runtime(V1))) as board:
        raw = board.read_until(PROMPT, 60)
    assert raw[:raw.rfind(BANNER)].removeprefix(b"\x00").replace(b"\r\n", b"\n") == expected


# 7. names that aren't UTF-8, folders that can't be made ---------------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_hex_build_of_a_file_name_that_is_not_utf8(tmp_path):
    (tmp_path / "main.py").write_text(PROGRAM)
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/data\xff.txt"))
    odd.write_text("data\n")
    line = assert_clean_error(run_ubit("hex", "build", tmp_path / "main.py", odd, "-o",
                                       tmp_path / "out.hex"), "hex build")
    assert "data\\xff.txt: the file name is not UTF-8 text" in line
    assert not (tmp_path / "out.hex").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_hex_extract_into_proc(tmp_path):
    hex_path = crafted_hex(tmp_path / "game.hex")
    line = assert_clean_error(run_ubit("hex", "extract", hex_path, "-o", "/proc/x"),
                              "hex extract")
    assert "/proc/x: can't create the folder" in line


# 8. names that would drive the terminal --------------------------------------------------------

HOSTILE = "\x1b[2J\x1b]0;pwned\x07red\r.py"


def test_printable_escapes_controls_and_stray_bytes():
    assert printable(HOSTILE) == "\\x1b[2J\\x1b]0;pwned\\x07red\\x0d.py"
    assert printable("bad\udcffname") == "bad\\xffname"
    assert printable("\u202egnp.exe") == "\\u202egnp.exe"
    assert printable("café 漢字 ok.py") == "café 漢字 ok.py"


def test_hex_info_and_extract_escape_names(tmp_path):
    hex_path = crafted_hex(tmp_path / "game.hex", HOSTILE)
    for args in (("hex", "info", hex_path), ("hex", "extract", hex_path, "-o", tmp_path / "o"),
                 ("hex", "extract", hex_path, "--stdout")):
        proc = run_ubit(*args)
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
        assert "\\x1b[2J\\x1b]0;pwned\\x07red\\x0d.py" in proc.stdout
    assert (tmp_path / "o" / HOSTILE).read_bytes() == b"evil\n"  # the file keeps its name


def test_errors_escape_names(tmp_path):
    hex_path = crafted_hex(tmp_path / "game.hex", "\x1b[2J/x")
    line = assert_clean_error(run_ubit("hex", "extract", hex_path, "-o", tmp_path / "o"),
                              "hex extract")
    assert "\x1b" not in line and "'\\x1b[2J/x'" in line


@posix_only
def test_fs_ls_and_get_escape_names_from_the_board(tmp_path):
    board_files = tmp_path / "board"
    board_files.mkdir()
    (board_files / "main.py").write_text("x = 1\n")
    (board_files / HOSTILE).write_text("listed\n")
    gettable = "\x1b[2Jx\x07.txt"  # the raw REPL can't be asked for a name with CR or LF
    (board_files / gettable).write_text("from the board\n")
    sim = subprocess.Popen([sys.executable, "-m", "ubit", "sim", board_files], cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = sim.stdout.readline()
        assert " on /dev/" in first, sim.stderr.read() if sim.poll() else first
        port = first.split(" on ", 1)[1].strip()
        proc = run_ubit("fs", "ls", "--port", port)
        assert proc.returncode == 0, proc.stderr
        assert "\\x1b[2J\\x1b]0;pwned\\x07red\\x0d.py" in proc.stdout.splitlines()
        proc = run_ubit("fs", "get", gettable, "-o", tmp_path / "got.txt", "--port", port)
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout + proc.stderr
        assert proc.stdout.startswith("\\x1b[2Jx\\x07.txt: 15 bytes written to ")
        (tmp_path / "link.txt").symlink_to(tmp_path / "got.txt")
        line = assert_clean_error(run_ubit("fs", "get", "main.py", "-o", tmp_path / "link.txt",
                                           "--port", port), "fs get")
        assert "is a symbolic link" in line
        assert (tmp_path / "got.txt").read_text() == "from the board\n"
    finally:
        sim.terminate()
        sim.wait(timeout=10)


@posix_only
def test_fs_get_into_a_folder_refuses_a_board_name_that_is_a_path(tmp_path):
    sim = subprocess.Popen([sys.executable, "-m", "ubit", "sim"], cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = sim.stdout.readline()
        port = first.split(" on ", 1)[1].strip()
        made = run_ubit("exec", "open('../evil.txt', 'w').write('x')", "--port", port)
        assert made.returncode == 0, made.stderr
        out = tmp_path / "out"
        out.mkdir()
        line = assert_clean_error(run_ubit("fs", "get", "../evil.txt", "-o", out, "--port",
                                           port), "fs get", code=2)
        assert "../evil.txt: a name with / or \\ would be a path" in line
        assert sorted(p.name for p in tmp_path.rglob("*")) == ["out"]  # nothing written
    finally:
        sim.terminate()
        sim.wait(timeout=10)


# 9. programs too big for the board ----------------------------------------------------------

@pytest.mark.parametrize("board", ["v1", "v2"])
def test_run_refuses_a_program_too_big_as_hex_build_does(tmp_path, board):
    big = tmp_path / "big.py"
    big.write_text("# a comment to fill the filesystem\n" * 1000)  # 36 KB: fits neither
    built = assert_clean_error(run_ubit("hex", "build", big, "--target", board), "hex build")
    proc = run_ubit("run", big, "--headless", "--board", board)
    ran = assert_clean_error(proc, "run")
    assert ran == f"ubit: run: {big}: " + built.removeprefix("ubit: hex build: ")
    assert "too big for the" in ran and proc.stdout == ""


def test_run_takes_a_program_that_fits_v1_but_not_v2(tmp_path):
    program = tmp_path / "mid.py"
    program.write_text("# padding " * 2400 + "\nprint('fits')\n")  # 24 KB: V1 only
    assert run_ubit("run", program, "--headless", "--board", "v1").stdout == "fits\n"
    assert "V2 filesystem" in assert_clean_error(run_ubit("run", program, "--headless"), "run")


# 10. no doubled prefixes or warnings ----------------------------------------------------------

@pytest.mark.parametrize("args", [("nonsense",), ("--bogus",)])
def test_top_level_usage_errors_have_one_prefix(args):
    proc = run_ubit(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ubit: ") and "ubit: ubit" not in lines[0]


def test_a_warning_repeated_by_the_board_is_printed_once(tmp_path):
    (tmp_path / "main.py").write_text("for i in range(3):\n    with open('a/b', 'w') as f:\n"
                                      "        f.write(str(i))\nprint('done')\n")
    proc = run_ubit("run", tmp_path / "main.py", "--headless", "--fs", tmp_path / "board")
    assert (proc.returncode, proc.stdout) == (0, "done\n"), proc.stderr
    assert proc.stderr.count("ubit: run: warning: ") == 1 and "'a/b': not saved" in proc.stderr
    assert list((tmp_path / "board").iterdir()) == []


def test_a_program_nested_past_pythons_parser_is_no_internal_error(tmp_path):
    # 3000 terms in one sum: CPython's parser recurses too deep; the V1 firmware runs out
    # of heap parsing it ("MemoryError: ", QEMU). check and run answer, with no traceback
    program = tmp_path / "deep.py"
    program.write_text("x = 1\ny = " + " + ".join(["x"] * 3000) + "\nprint(y)\n")
    checked = run_ubit("check", program)
    assert checked.returncode == 0 and "internal error" not in checked.stderr
    assert "Traceback" not in checked.stderr and "nests too deeply" in checked.stderr
    # 800 unary minuses parse in CPython but overflow recursive walkers (pyflakes, the
    # V1 compile estimate): check says it judged the file with the compilers only
    unary = tmp_path / "unary" / "main.py"
    unary.parent.mkdir()
    unary.write_text("x = 1\ny = " + "-" * 800 + "x\nprint(y)\n"
                     + "".join(f"z{i} = {i}\n" for i in range(100)))
    (unary.parent / "helper.py").write_text("x = 1\n")
    checked = run_ubit("check", unary.parent)
    assert checked.returncode == 0 and "internal error" not in checked.stderr, checked.stderr
    assert "nests too deeply" in checked.stderr
    ran = run_ubit("run", "--headless", "--board", "v1", program)
    assert "internal error" not in ran.stderr and "Traceback" not in ran.stderr
    assert ran.stdout.endswith("Error: maximum recursion depth exceeded\n") or \
        ran.stdout == "MemoryError: \n", ran.stdout
