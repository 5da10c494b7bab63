"""``ubit run``'s start-up (issue 17): the board process spawned ahead, before the host's own
imports; nothing on the way that the run doesn't use; the same output, exit codes and
errors as ever; nothing left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ubit.sim.board import sandbox as confinement

ROOT = Path(__file__).resolve().parent.parent
UBIT = [sys.executable, "-m", "ubit"]

# Modules a headless `ubit run` has no use for: the editor's server, the checker, device
# tools, marking and their third-party libraries.
NOT_FOR_RUN = ("ubit.editor", "ubit.check", "ubit.device", "ubit.testing", "ubit.hexfile.build",
               "jedi", "starlette", "uvicorn", "serial", "parso")


# Standard modules that cost a start-up milliseconds and that neither `ubit run`'s host
# nor a board process needs for a program that runs without error (issue 17): typing
# (with re and contextlib behind it), pathlib (urllib, ipaddress), subprocess and signal
# (their enums), dis, pkgutil, inspect; json (the protocol calls its C half), random (made
# when a program first draws), queue, copy.
HEAVY = ("typing", "pathlib", "subprocess", "signal", "dis", "pkgutil", "inspect", "urllib",
         "dataclasses", "tempfile", "shutil", "json", "random", "queue", "copy")
# More that a board process needs only for a program with an error (the host's argparse
# imports re): re (a message to translate, a regex of the compiler's), the lenient parser
# (a source CPython refuses) and the tokenizer (where a syntax error is).
BOARD_HEAVY = (*HEAVY, "re", "tokenize", "ubit.sim.micropython.lenientparse")


def python(code: str, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python (so imports start from nothing)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, **options)  # type: ignore[call-overload]


def test_run_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    program = tmp_path / "hello.py"
    program.write_text("print('hello')\n")
    proc = python("""
        import sys
        from ubit.cli.main import main
        code = main(["run", "--headless", sys.argv[1]])
        print(code, *sorted(sys.modules), file=sys.stderr)
        """, str(program))
    assert proc.stdout == "hello\n"
    code, *modules = proc.stderr.split()
    assert code == "0"
    loaded = [name for name in modules if name.startswith(NOT_FOR_RUN)]
    assert loaded == []
    assert [name for name in modules if name in HEAVY] == []


def test_the_board_is_spawned_before_the_host_imports_the_rest(tmp_path: Path) -> None:
    """The board process starts before argparse, the CLI and the handle are imported, and
    it is the one that runs the program."""
    program = tmp_path / "hello.py"
    program.write_text("print('hello')\n")
    proc = python("""
        import sys
        from ubit.sim.host import spawner
        from ubit.cli.main import main

        seen = {}
        spawn_ahead, take_ahead = spawner.spawn_ahead, spawner.take_ahead

        def spy():
            seen["heavy"] = [m for m in ("argparse", "socket", "subprocess", "json",
                                         "ubit.cli.run", "ubit.sim.host.handle")
                             if m in sys.modules]
            return spawn_ahead()

        def took():
            early = take_ahead()
            seen.setdefault("took", type(early[0]).__name__ if early else None)
            return early

        spawner.spawn_ahead, spawner.take_ahead = spy, took
        code = main(["run", "--headless", sys.argv[1]])
        print(code, seen, file=sys.stderr)
        """, str(program))
    assert proc.stdout == "hello\n"
    assert proc.stderr.strip() == "0 {'heavy': [], 'took': 'EarlyProcess'}"


def test_a_usage_error_reads_as_ever_and_leaves_no_board(tmp_path: Path) -> None:
    program = tmp_path / "hello.py"
    program.write_text("print('hello')\n")
    proc = python("""
        import os, sys, threading
        from ubit.cli.main import main
        code = main(["run", "--bogus", sys.argv[1]])
        children = open(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/children").read()
        print(code, repr(children), file=sys.stderr)
        """, str(program))
    lines = proc.stderr.splitlines()
    assert lines[-1] == "2 ''"  # the board spawned ahead was ended and reaped
    assert lines[-2] == "ubit: unrecognized arguments: --bogus (see 'ubit --help')"


@pytest.mark.parametrize(("text", "code", "out"), [
    ("print('hello')\n", 0, "hello\n"),
    ("print('a')\n1/0\n", 1, "a\nTraceback (most recent call last):\n"),
    ("import sys\nsys.exit(5)\n", 0, ""),
])
def test_output_and_exit_codes_through_the_quick_exit(tmp_path: Path, text: str, code: int,
                                                      out: str) -> None:
    program = tmp_path / "main.py"
    program.write_text(text)
    proc = subprocess.run([*UBIT, "run", "--headless", str(program)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == code
    assert proc.stdout.startswith(out)
    assert proc.stderr == ""


def test_a_missing_program_is_refused_as_ever(tmp_path: Path) -> None:
    proc = subprocess.run([*UBIT, "run", "--headless", str(tmp_path / "nope.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ubit: run: ") and "nope.py" in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_board_spawned_ahead_inherits_no_descriptor_but_its_own() -> None:
    """A descriptor the host inherited open (from a shell, a test runner) doesn't reach the
    board, as with Popen's close_fds; its working folder and environment are the empty ones."""
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    pipe = os.readlink(f"/proc/self/fd/{write_end}")
    try:
        proc = python("""
            import json, os, sys
            os.environ["SECRET"] = "x"
            from ubit.sim.host import spawner
            assert spawner.spawn_ahead()
            pid = spawner._early[0].pid
            links = []
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    links.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
                except OSError:
                    pass
            cwd = os.readlink(f"/proc/{pid}/cwd")
            env = open(f"/proc/{pid}/environ", "rb").read().decode()
            spawner.discard_ahead()
            print(json.dumps([links, cwd, env]), file=sys.stderr)
            """, pass_fds=(write_end,))
    finally:
        os.close(read_end)
        os.close(write_end)
    from ubit.sim.host.spawner import empty_folder

    links, cwd, env = json.loads(proc.stderr)
    assert pipe not in links
    assert sum(link.startswith("socket:") for link in links) == 2  # serial and control
    assert (cwd, env) == (empty_folder(), "")


def board_modules(program: str, sandbox: bool = False) -> tuple[str, list[str]]:
    """Run ``program`` in a process started as a board process is (``-S -P -E``, no
    environment), after the preparations a board makes while it waits for ``start``:
    its serial output and every module it has imported by the end."""
    from ubit.sim.host.start import BoardOptions
    from ubit.sim.shared import protocol

    config = BoardOptions(files={"main.py": program.encode()}, sandbox=sandbox).config()
    start = protocol.encode({"kind": protocol.START, "config": config})
    code = f"""
        import os, sys, _socket
        sys.path.insert(0, {str(ROOT)!r})
        serial, serial_host = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)
        control, control_host = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)
        control_host.sendall({start!r})
        sys.argv = ["board", str(serial.fileno()), str(control.fileno())]
        from ubit.sim.micropython import warmup
        for step in warmup.steps():
            step()
        from ubit.sim.micropython.firmware import main
        main(sys.argv)
        print(repr(serial_host.recv(4096).decode()))
        print(*sorted(sys.modules))
        sys.stdout.flush()
        os._exit(0)
        """
    proc = subprocess.run([sys.executable, "-S", "-P", "-E", "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60, env={}, cwd="/")
    output, modules = proc.stdout.splitlines()
    return output, modules.split()


@pytest.mark.parametrize("program", [
    "print('hello')\n",
    "from microbit import *\ndisplay.scroll('hi')\nprint(button_a.is_pressed(), "
    "accelerometer.get_x(), Image.HEART)\n",
])
def test_a_board_process_imports_none_of_the_heavy_modules(program: str) -> None:
    """Every module a board imports is start-up that every `ubit run` waits for."""
    output, modules = board_modules(program)
    assert output.startswith(("'hello", "\"False 0 Image("))
    assert [name for name in modules if name in BOARD_HEAVY] == []


@pytest.mark.skipif(not confinement.native(), reason="_confinenative isn't built here")
def test_a_confined_board_makes_its_system_calls_without_ctypes() -> None:
    """ctypes' import and its libraries cost a board milliseconds of its start-up."""
    output, modules = board_modules("print('hello')\n", sandbox=True)
    assert output.startswith("'hello") and "ctypes" not in modules


def test_the_microbit_module_lists_every_api_area() -> None:
    """``microbit`` is assembled from a written-out list of the API package's modules (no
    pkgutil at run time): a module added to the package must be added to the list."""
    import pkgutil

    from ubit.sim.micropython import api
    from ubit.sim.micropython.modules.microbit import AREAS

    assert list(AREAS) == sorted(info.name for info in pkgutil.iter_modules(api.__path__))


@pytest.mark.parametrize("spelled", ["{d}//./hello.py", "{d}/hello.py/", "./{r}/hello.py"])
def test_a_program_path_is_read_and_shown_as_pathlib_would(tmp_path: Path, spelled: str) -> None:
    """`ubit run` reads its program without pathlib, yet any spelling of a path that worked
    still works, and errors name the path as before (``a//./b`` as ``a/b``)."""
    from ubit.fileio import as_path, path_name

    for text in ("", ".", "./", "/", "//", "///", "a//b/./c/", "//a//b", "..", "x/./",
                 "/./.", "é/ü.py", ".hex", "dir/.hidden"):
        assert (as_path(text), path_name(text)) == (str(Path(text)), Path(text).name), text
    (tmp_path / "hello.py").write_text("print('hello')\n")
    where = spelled.format(d=tmp_path, r=os.path.relpath(tmp_path, ROOT))
    proc = subprocess.run([*UBIT, "run", "--headless", where], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "hello\n", "")
    missing = where.replace("hello.py", "nope.py")
    proc = subprocess.run([*UBIT, "run", "--headless", missing], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == f"ubit: run: {Path(missing)}: no such file\n"
