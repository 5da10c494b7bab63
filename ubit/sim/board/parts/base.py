"""What every part shares: a name, and a way to publish what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

Publish = Callable[[str, Any], None]  # (part id, new value)


def _ignore(part: str, value: Any) -> None:
    """A publisher for parts nobody watches."""


class Part:
    """A board part: state and rules, never rendering; changes go to ``publish``."""

    part_id = "part"

    def __init__(self, publish: Publish | None = None) -> None:
        self.publish = publish or _ignore

    def changed(self, value: Any, part_id: str | None = None) -> None:
        """Tell the host this part (or one of its inputs) now has ``value``."""
        self.publish(part_id or self.part_id, value)


# NamedTuples, not dataclasses: the board process imports these at every start, and
# dataclasses would add a few milliseconds to it.
class RangeSensor(NamedTuple):
    """A sensor a UI can draw as a slider: id, range, starting value and unit."""

    id: str
    min: float
    max: float
    initial: float
    unit: str

    def clamp(self, value: float) -> float:
        """``value`` limited to the sensor's range."""
        return min(self.max, max(self.min, value))


class EnumSensor(NamedTuple):
    """A sensor a UI can draw as a choice: id, choices and starting value."""

    id: str
    choices: tuple[str, ...]
    initial: str
