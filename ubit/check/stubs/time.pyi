"""Wait and measure time, in seconds, milliseconds or microseconds."""

def sleep(seconds: float) -> None:
    """Wait for ``seconds`` seconds (s): ``sleep(0.5)`` waits half a second."""

def sleep_ms(ms: int) -> None:
    """Wait for ``ms`` milliseconds (ms)."""

def sleep_us(us: int) -> None:
    """Wait for ``us`` microseconds (µs)."""

def ticks_ms() -> int:
    """A millisecond counter (ms); compare two readings with ``ticks_diff``."""

def ticks_us() -> int:
    """A microsecond counter (µs); compare two readings with ``ticks_diff``."""

def ticks_add(ticks: int, delta: int) -> int:
    """The counter value ``delta`` ticks after ``ticks``."""

def ticks_diff(ticks1: int, ticks2: int) -> int:
    """How many ticks ``ticks1`` is after ``ticks2`` (negative if before)."""
