"""The light sensor (the LED matrix read backwards): a level 0–255, set by the host.

``display.read_light_level()`` reads it (reference §5). The starting level, 127,
is the official simulator's (``RangeSensor("lightLevel", 0, 255, 127)``).
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, range_input
from ubit.sim.shared.typenames import Any

LIGHT = range_input("light", "Light level", 0, 255, 127, nudge=16)
PART = PartSpec("light", "Light sensor", state=("light",), inputs=(LIGHT,))


class LightSensor(Part):
    """How bright it is around the board, as the LEDs measure it."""

    part_id = "light"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.level = int(LIGHT.default)

    def set(self, value: Any) -> None:
        """Host input: a new level (clamped to 0–255; anything not a number is ignored)."""
        try:
            level = round(LIGHT.clamp(float(value)))
        except (TypeError, ValueError, OverflowError):
            return
        self.level = level
        self.changed(level)

    def read(self) -> int:
        """The current level."""
        return self.level

    def snapshot(self) -> dict[str, Any]:
        """``light``: the level 0-255."""
        return {"light": self.level}


def of(board: Any) -> LightSensor:
    """The board's light sensor, wired to the host's input."""

    def make() -> LightSensor:
        sensor = LightSensor(board.publish)
        board.inputs.add(PART.id, LIGHT, sensor.set)
        return sensor

    return board.part(PART.id, make)
