"""Work with the files stored on the micro:bit."""

from typing import Iterator

def listdir() -> list[str]:
    """The names of all the files on the micro:bit."""

def remove(filename: str) -> None:
    """Delete the file called ``filename``."""

def size(filename: str) -> int:
    """The size of the file ``filename`` in bytes."""

def stat(filename: str) -> tuple[int, int, int, int, int, int, int, int, int, int]:
    """Facts about a file; its size in bytes is item 6. (V2 only)"""

def ilistdir() -> Iterator[tuple[str, int, int]]:
    """Each file as ``(name, type, inode)``, one at a time. (V2 only)"""

def uname() -> tuple[str, str, str, str, str]:
    """The micro:bit's system name, release and version of MicroPython, and machine."""
