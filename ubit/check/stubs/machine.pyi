"""Low-level access to the micro:bit's processor."""

from typing import Any

from microbit import _MicroBitDigitalPin

def unique_id() -> bytes:
    """A number unique to this micro:bit, as 8 bytes."""

def reset() -> None:
    """Restart the micro:bit, running your program from the beginning."""

def freq() -> int:
    """The processor's speed in hertz (Hz): 64000000 on V2, 16000000 on V1."""

def disable_irq() -> int:
    """Stop interrupts; gives a value to pass to ``enable_irq`` later."""

def enable_irq(state: int) -> None:
    """Allow interrupts again, with the value ``disable_irq`` gave."""

def time_pulse_us(pin: _MicroBitDigitalPin, pulse_level: int, timeout_us: int = 1000000,
                  /) -> int:
    """How long a pulse on ``pin`` lasts, in microseconds (µs); -1 or -2 on a timeout."""

mem8: Any
"""Read and write memory one byte at a time: ``machine.mem8[address]``."""
mem16: Any
"""Read and write memory two bytes at a time: ``machine.mem16[address]``."""
mem32: Any
"""Read and write memory four bytes at a time: ``machine.mem32[address]``."""
