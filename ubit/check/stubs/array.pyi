"""Compact lists of numbers of one type, e.g. ``array('b', [1, 2, 3])``."""

from typing import Iterable

class array:
    """A list of numbers of one type, stored compactly: ``'b'`` bytes, ``'f'`` floats…"""

    def __init__(self, typecode: str, iterable: Iterable[int | float] = ..., /) -> None:
        """Make an array of the type ``typecode`` from the numbers in ``iterable``."""
    def append(self, value: int | float, /) -> None:
        """Add ``value`` at the end."""
    def extend(self, iterable: Iterable[int | float], /) -> None:
        """Add every number of ``iterable`` at the end."""
    def decode(self, encoding: str = "utf-8", /) -> str:
        """The array's bytes read as text. (V2 only)"""
    def __len__(self) -> int:
        """The number of items."""
    def __getitem__(self, index: int) -> int | float:
        """The item at ``index``."""
    def __setitem__(self, index: int, value: int | float) -> None:
        """Set the item at ``index``."""
