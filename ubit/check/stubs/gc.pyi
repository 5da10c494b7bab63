"""Control the garbage collector, which frees memory you no longer use."""

def collect() -> None:
    """Free the memory of everything no longer used, now."""

def disable() -> None:
    """Stop freeing memory automatically."""

def enable() -> None:
    """Free memory automatically again (the default)."""

def isenabled() -> bool:
    """Whether memory is freed automatically."""

def mem_alloc() -> int:
    """How much memory is in use, in bytes."""

def mem_free() -> int:
    """How much memory is free, in bytes."""

def threshold(amount: int | None = None, /) -> int | None:
    """Get or set how many bytes may be allocated before memory is freed automatically."""
