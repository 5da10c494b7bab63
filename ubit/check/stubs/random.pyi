"""Random numbers and choices, e.g. ``random.randint(1, 6)`` for a dice."""

from typing import Sequence, TypeVar

_T = TypeVar("_T")

def getrandbits(n: int) -> int:
    """A random number with ``n`` bits (V2: 0-32; V1: 1-30)."""

def seed(n: int) -> None:
    """Start the random numbers from ``n``, so they repeat the same way each time."""

def randint(a: int, b: int) -> int:
    """A random whole number from ``a`` to ``b``, both included."""

def randrange(start: int, stop: int | None = None, step: int = 1) -> int:
    """A random number from ``range(start, stop, step)`` (or ``range(start)``)."""

def choice(seq: Sequence[_T]) -> _T:
    """A random item from a list, tuple or string."""

def random() -> float:
    """A random number from 0.0 up to (not including) 1.0."""

def uniform(a: float, b: float) -> float:
    """A random number between ``a`` and ``b``, with decimals."""
