"""The light sensor (the LED matrix read backwards): a level 0–255, set by the host.

``display.read_light_level()`` reads it (reference §5). The starting level, 127,
is the official simulator's (``RangeSensor("lightLevel", 0, 255, 127)``).
"""

from __future__ import annotations

from typing import Any

from ubit.sim.board.parts.base import Part, Publish, RangeSensor

LIGHT = RangeSensor("light", 0, 255, 127, "level")


class LightSensor(Part):
    """How bright it is around the board, as the LEDs measure it."""

    part_id = LIGHT.id

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.level = int(LIGHT.initial)

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


def light_part(board: Any) -> LightSensor:
    """The light sensor of ``device``, taking host input as ``light`` from when it is made."""

    def make() -> LightSensor:
        sensor = LightSensor(board.publish)
        board.register_input(LIGHT.id, sensor.set)
        return sensor

    return board.part(LIGHT.id, make)
