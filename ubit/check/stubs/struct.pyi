"""Pack numbers into bytes and unpack them, e.g. for radio messages."""

from typing import Any

def calcsize(fmt: str, /) -> int:
    """The number of bytes the format ``fmt`` (e.g. ``'<hI'``) needs."""

def pack(fmt: str, /, *values: Any) -> bytes:
    """Pack ``values`` into bytes following the format ``fmt``."""

def pack_into(fmt: str, buffer: bytearray, offset: int, /, *values: Any) -> None:
    """Pack ``values`` into ``buffer`` starting at byte ``offset``."""

def unpack(fmt: str, data: bytes | bytearray, /) -> tuple[Any, ...]:
    """Unpack bytes into a tuple of values following the format ``fmt``."""

def unpack_from(fmt: str, data: bytes | bytearray, offset: int = 0, /) -> tuple[Any, ...]:
    """Unpack values from ``data`` starting at byte ``offset``."""
