"""Every sensor a board offers the host, as data a UI can draw controls from.

Each part module describes its own sensors in ``SENSORS``; this module gathers
them for one board spec from the parts that board has (``spec.parts``), so it
needs no running board. Per board: V1 has no microphone, and its gesture
choices lack ``2g`` (§9).
"""

from __future__ import annotations

import importlib
import importlib.util

from ubit.sim.board.parts.base import EnumSensor, RangeSensor
from ubit.sim.shared.boards import BoardSpec, board_spec

Sensor = RangeSensor | EnumSensor
_PACKAGE = "ubit.sim.board.parts"


def part_sensors(part: str) -> tuple[Sensor, ...]:
    """The ``SENSORS`` of part module ``part`` (none if it has no module yet).

    A module without ``SENSORS`` contributes the sensors it defines at top level.
    """
    name = f"{_PACKAGE}.{part}"
    if importlib.util.find_spec(name) is None:
        return ()
    module = importlib.import_module(name)
    if hasattr(module, "SENSORS"):
        return tuple(module.SENSORS)
    return tuple(value for value in vars(module).values()
                 if isinstance(value, (RangeSensor, EnumSensor)))


def for_board(spec: BoardSpec | str) -> tuple[Sensor, ...]:
    """The sensors of a board ("v1", "v2" or its spec), in the order of its parts."""
    if isinstance(spec, str):
        spec = board_spec(spec)
    found: list[Sensor] = []
    for part in spec.parts:
        for sensor in part_sensors(part):
            if sensor.id == "gesture" and isinstance(sensor, EnumSensor):
                choices = tuple(c for c in sensor.choices if c == "none" or c in spec.gestures)
                sensor = sensor._replace(choices=choices)
            found.append(sensor)
    return tuple(found)


def by_id(spec: BoardSpec | str) -> dict[str, Sensor]:
    """The board's sensors keyed by id."""
    return {sensor.id: sensor for sensor in for_board(spec)}
