"""The UART: the USB serial port, unless a program moves it to edge pins (reference §18).

The serial port itself is the board's plumbing (``ubit.sim.board.serialport``); this
part is what a host shows about it: the baud rate and pins ``uart.init`` chose, and
what a program writes while the UART drives edge pins (it doesn't reach the USB port).

Published: ``uart`` → ``{"baudrate": int, "tx": pin or None, "rx": pin or None,
"data": base64 or None}`` (``data``: the last write to the edge pins).
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, b64
from ubit.sim.shared.typenames import Any

PART = PartSpec("uart", "UART", state=("uart",))
USB_BAUDRATE = 115200


class Uart(Part):
    """The UART's settings and its output on edge pins."""

    part_id = "uart"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.baudrate = USB_BAUDRATE
        self.tx: str | None = None  # None: the USB serial pins
        self.rx: str | None = None
        self.data: bytes | None = None

    def configure(self, baudrate: int, tx: str | None, rx: str | None) -> None:
        """``uart.init``: the baud rate and pins (None: the USB serial port's)."""
        self.baudrate, self.tx, self.rx, self.data = baudrate, tx, rx, None
        self.changed(self._state())

    def send(self, data: bytes) -> None:
        """A write while the UART drives edge pins."""
        self.data = data
        self.changed(self._state())

    def _state(self) -> dict[str, Any]:
        return {"baudrate": self.baudrate, "tx": self.tx, "rx": self.rx,
                "data": None if self.data is None else b64(self.data)}

    def snapshot(self) -> dict[str, Any]:
        """``uart``: baud rate, pins and the last write to edge pins."""
        return {"uart": self._state()}


def of(board: Any) -> Uart:
    """The board's UART."""
    return board.part(PART.id, lambda: Uart(board.publish))
