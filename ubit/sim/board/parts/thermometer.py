"""The thermometer: the processor's temperature in whole °C (§4 ``temperature()``).

Range and starting value are the official simulator's (−5…50 °C, 21 °C).
Host input: ``temperature`` (°C). Published: ``temperature`` → int.
"""

from __future__ import annotations

from typing import Any

from ubit.sim.board.parts.base import Part, Publish, RangeSensor

SENSORS = (RangeSensor("temperature", -5, 50, 21, "°C"),)


class Thermometer(Part):
    """The temperature the board reads."""

    part_id = "temperature"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.value = int(SENSORS[0].initial)

    def set(self, value: float) -> None:
        """Host input: the temperature in °C (kept within the sensor's range)."""
        number = round(SENSORS[0].clamp(float(value)))
        if number != self.value:
            self.value = number
            self.changed(number)


def of(board: Any) -> Thermometer:
    """The board's thermometer, made (and wired to the host's input) on first use."""

    def make() -> Thermometer:
        part = Thermometer(board.publish)
        board.register_input("temperature", part.set)
        return part

    return board.part("thermometer", make)
