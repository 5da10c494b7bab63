"""``os`` (reference §28.3): the flat filesystem's names and sizes, and ``uname()``.

V1 has ``listdir remove size uname`` (firmware-v1-observed.md ``dir(os)``);
V2 adds ``stat`` and ``ilistdir``. ``listdir`` takes no argument on both.
"""

from __future__ import annotations

from collections.abc import Iterator

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.files import filesystem, not_found, str_arg
from ubit.sim.micropython.boundary import api_class, c_function
from ubit.sim.shared.typenames import Any

S_IFREG = 0x8000  # every entry is a regular file
UNAME_FIELDS = ("sysname", "nodename", "release", "version", "machine")


@api_class
class AttrTuple(tuple):
    """``os.uname()``'s result: a tuple with named fields that prints as ``(sysname='…', …)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "(" + ", ".join(f"{k}={v!r}" for k, v in zip(UNAME_FIELDS, self, strict=True)) + ")"

    def __getattr__(self, name: str) -> Any:
        if name in UNAME_FIELDS:
            return self[UNAME_FIELDS.index(name)]
        raise AttributeError(f"'tuple' object has no attribute '{name}'")


AttrTuple.__name__ = AttrTuple.__qualname__ = "tuple"  # MicroPython's attrtuple is a tuple


def create(board: Board) -> dict[str, Any]:
    """The names of ``os`` on ``device``."""
    spec = board.spec
    fs = filesystem(board)

    def found(name: Any) -> str:
        board.clock.poll()
        text = str_arg(name)
        if not fs.exists(text):
            raise not_found(spec)
        return text

    def listdir() -> list[str]:
        """The names of every file."""
        board.clock.poll()
        return fs.listdir()

    def remove(name: Any) -> None:
        """Delete a file."""
        fs.remove(found(name))

    def size(name: Any) -> int:
        """A file's size in bytes."""
        return fs.size(found(name))

    def uname() -> AttrTuple:
        """The board's system, firmware release and version, and machine."""
        return AttrTuple(spec.uname)

    def stat(name: Any) -> tuple[int, ...]:
        """A 10-tuple whose only news is the mode (a file) and the size."""
        return (S_IFREG, 0, 0, 0, 0, 0, fs.size(found(name)), 0, 0, 0)

    def ilistdir() -> Iterator[tuple[str, int, int]]:
        """(name, type, inode) for every file."""
        board.clock.poll()
        return iter([(name, S_IFREG, 0) for name in fs.listdir()])

    functions = [listdir, remove, size, uname]
    if spec.os_stat:
        functions += [stat, ilistdir]
    for fn in functions:  # argument errors then name the function as MicroPython would
        fn.__qualname__ = fn.__name__
    return {fn.__name__: c_function(fn) for fn in functions}
