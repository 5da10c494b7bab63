"""Ask MicroPython about its memory and change how it runs."""

from typing import Any, Callable, TypeVar

_T = TypeVar("_T")

def const(expr: _T) -> _T:
    """Mark a number as a constant, to save memory: ``X = const(5)``."""

def opt_level(level: int | None = None, /) -> int | None:
    """Get or set how much the compiler optimises (0-3)."""

def mem_info(verbose: int | None = None, /) -> None:
    """Print how much memory is used and free."""

def qstr_info(verbose: int | None = None, /) -> None:
    """Print how many strings MicroPython keeps for names."""

def stack_use() -> int:
    """How much of the stack is used, in bytes."""

def heap_lock() -> None:
    """Forbid memory allocation (it raises MemoryError) until ``heap_unlock``."""

def heap_unlock() -> None:
    """Allow memory allocation again."""

def kbd_intr(chr: int) -> None:
    """Choose the character that stops the program (3 is Ctrl-C; -1 for none)."""

def schedule(func: Callable[[Any], object], arg: Any) -> None:
    """Run ``func(arg)`` soon, outside an interrupt. (V2 only)"""
