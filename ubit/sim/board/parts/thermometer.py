"""The thermometer: the processor's temperature in whole °C (§4 ``temperature()``).

Range and starting value are the official simulator's (−5…50 °C, 21 °C).
Host input: ``temperature`` (°C). Published: ``temperature`` → int.
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, range_input
from ubit.sim.shared.typenames import Any

TEMPERATURE = range_input("temperature", "Temperature", -5, 50, 21, "°C")
PART = PartSpec("thermometer", "Thermometer", state=("temperature",), inputs=(TEMPERATURE,))


class Thermometer(Part):
    """The temperature the board reads."""

    part_id = "temperature"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.value = int(TEMPERATURE.default)

    def set(self, value: float) -> None:
        """Host input: the temperature in °C (kept within the sensor's range)."""
        number = round(TEMPERATURE.clamp(float(value)))
        if number != self.value:
            self.value = number
            self.changed(number)

    def snapshot(self) -> dict[str, Any]:
        """``temperature`` in °C."""
        return {"temperature": self.value}


def of(board: Any) -> Thermometer:
    """The board's thermometer, wired to the host's input."""

    def make() -> Thermometer:
        part = Thermometer(board.publish)
        board.inputs.add(PART.id, TEMPERATURE, part.set)
        return part

    return board.part(PART.id, make)
