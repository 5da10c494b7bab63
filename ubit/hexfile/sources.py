"""A program's files as they go on the board: their names (which becomes main.py) and checks.

Light on purpose: sending files over serial needs these rules without the hex libraries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ubit.errors import BuildError, FileNameError, printable
from ubit.hexfile.fslayout import MAX_NAME as MAX_FILENAME_LENGTH

MAIN = "main.py"


@dataclass(frozen=True)
class SourceFile:
    """A file to put on the board: its name there, and its bytes."""

    name: str
    data: bytes


def utf8_problem(data: bytes) -> str | None:
    """Where ``data`` stops being UTF-8 text ("line 3"), or None if it is valid."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"line {line}"
    return None


def assign_names(files: Sequence[SourceFile], main: str | None = None) -> list[SourceFile]:
    """Decide which file becomes ``main.py`` and check names and text encodings.

    A single ``.py`` file becomes ``main.py``; with several files, ``main.py`` must be
    among them or ``main`` must name one, which is then stored as ``main.py``.
    """
    if not files:
        raise BuildError("no files to build from")
    if main is not None:
        chosen = [f for f in files if f.name == main]
        if not chosen:
            names = ", ".join(f.name for f in files)
            raise BuildError(f"--main {main}: not among the files given ({names})")
        if main != MAIN and any(f.name == MAIN for f in files):
            raise BuildError(f"--main {main} and a file named {MAIN} were both given; keep one")
        files = [SourceFile(MAIN, f.data) if f.name == main else f for f in files]
    elif len(files) == 1 and files[0].name.endswith(".py"):
        files = [SourceFile(MAIN, files[0].data)]
    elif not any(f.name == MAIN for f in files):
        names = ", ".join(f.name for f in files)
        raise BuildError(f"none of the files ({names}) is {MAIN}; name the program "
                         "to run with --main NAME")
    seen: set[str] = set()
    for f in files:
        check_name(f.name)
        if f.name in seen:
            raise FileNameError(f"{f.name}: given twice; file names on the micro:bit must differ")
        seen.add(f.name)
        if f.name.endswith(".py"):
            where = utf8_problem(f.data)
            if where:
                raise BuildError(f"{f.name}: {where} is not UTF-8 text; save it as UTF-8")
    return list(files)


def check_name(name: str) -> None:
    """Reject names the micro:bit's flat filesystem can't store."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:  # a host name with bytes that aren't UTF-8 (surrogateescape)
        raise FileNameError(f"{printable(name)}: the file name is not UTF-8 text; rename the "
                            "file") from None
    if not encoded:
        raise FileNameError("a file has an empty name")
    if len(encoded) > MAX_FILENAME_LENGTH:
        raise FileNameError(f"{name[:40]}…: file name is {len(encoded)} bytes long; "
                            f"the micro:bit allows at most {MAX_FILENAME_LENGTH}")
    if "/" in name or "\\" in name:
        raise FileNameError(f"{name}: the micro:bit filesystem has no folders; "
                            "use a plain file name")
