"""NeoPixel strips on the pins: the colours last clocked out to each (reference §20).

The ``neopixel`` module and V2's ``ws2812_write`` send GRB(W) bytes down a pin; the
board keeps, per pin, the colours as RGB(W) lists in strip order.

Published: ``neopixel`` → ``{pin name: [[r, g, b(, w)], …]}`` for every pin written so far.
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

PART = PartSpec("neopixel", "NeoPixels", state=("neopixel",))


class NeoPixels(Part):
    """What the NeoPixels on each pin show."""

    part_id = "neopixel"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.strips: dict[str, list[list[int]]] = {}

    def write(self, pin: str, data: bytes, bpp: int = 3) -> None:
        """GRB(W) bytes (``bpp`` per pixel) arrived on ``pin``: its pixels now show them."""
        bpp = max(1, bpp)
        order = (1, 0, 2, 3)[:bpp] if bpp in (3, 4) else tuple(range(bpp))
        self.strips[pin] = [[data[i + k] for k in order]
                            for i in range(0, len(data) - bpp + 1, bpp)]
        self.changed(self._state())

    def _state(self) -> dict[str, list[list[int]]]:
        return {pin: [pixel[:] for pixel in pixels] for pin, pixels in self.strips.items()}

    def snapshot(self) -> dict[str, Any]:
        """``neopixel``: the colours on each pin written so far."""
        return {"neopixel": self._state()}


def of(board: Any) -> NeoPixels:
    """The board's NeoPixel outputs."""
    return board.part(PART.id, lambda: NeoPixels(board.publish))
