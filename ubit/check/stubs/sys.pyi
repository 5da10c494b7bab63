"""Facts about MicroPython on the micro:bit, and a way to stop the program."""

from typing import Any, NoReturn

version: str
"""The Python language version MicroPython follows, e.g. ``'3.4.0'``."""
version_info: tuple[int, int, int]
"""The Python language version as numbers, e.g. ``(3, 4, 0)``."""
implementation: Any
"""The name (``'micropython'``) and version of MicroPython."""
platform: str
"""The platform's name: ``'microbit'``."""
byteorder: str
"""The order of bytes in numbers: ``'little'``."""
maxsize: int
"""The largest whole number a list index can be. (V2 only)"""
argv: list[str]
"""The program's arguments: always empty on the micro:bit. (V2 only)"""
path: list[str]
"""Where ``import`` looks for modules. (V2 only)"""
modules: dict[str, Any]
"""The modules imported from files so far. (V2 only)"""

def exit(retval: object = 0, /) -> NoReturn:
    """Stop the program (raises SystemExit)."""

def print_exception(exc: BaseException, /) -> None:
    """Print an error and where it happened, like an uncaught error does."""
