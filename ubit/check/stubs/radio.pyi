"""Send and receive short messages between micro:bits by radio."""

RATE_1MBIT: int
"""Send at 1 million bits per second (the default), for ``config(data_rate=...)``."""
RATE_2MBIT: int
"""Send at 2 million bits per second: faster, shorter range."""
RATE_250KBIT: int
"""Send at 250 thousand bits per second: slower, longer range. (V1 only)"""

def on() -> None:
    """Turn the radio on (it is on after ``import radio``)."""

def off() -> None:
    """Turn the radio off to save power."""

def config(*, length: int = 32, queue: int = 3, channel: int = 7, power: int = 6,
           address: int = 0x75626974, group: int = 0, data_rate: int = 0) -> None:
    """Change settings: only micro:bits on the same ``channel`` (0-83) and ``group``
    (0-255) hear each other; ``length`` is the longest message in bytes (up to 251),
    ``power`` 0-7."""

def reset() -> None:
    """Put every setting back to its default."""

def send(message: str) -> None:
    """Send a text message to the other micro:bits (up to 29 letters by default)."""

def receive() -> str | None:
    """The oldest text message received, or None if there is none."""

def send_bytes(message: bytes | bytearray) -> None:
    """Send bytes to the other micro:bits."""

def receive_bytes() -> bytes | None:
    """The oldest message received, as bytes, or None if there is none."""

def receive_bytes_into(buffer: bytearray) -> int | None:
    """Copy the oldest message into ``buffer``; gives its length, or None if none."""

def receive_full() -> tuple[bytes, int, int] | None:
    """The oldest message as ``(bytes, signal strength in dBm, time in µs)``, or None."""
