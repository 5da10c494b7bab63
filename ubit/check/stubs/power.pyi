"""Save battery: switch the micro:bit off or put it into deep sleep. (V2 only)"""

from typing import Any

def off() -> None:
    """Switch off; press the reset button on the back to start again."""

def deep_sleep(ms: int | None = None, wake_on: Any = None, run_every: bool = True) -> None:
    """Sleep for ``ms`` milliseconds or until a button or pin in ``wake_on`` wakes it."""
