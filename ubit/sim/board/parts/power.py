"""V2 power: whether the board is on, in deep sleep or off (``power`` module, reference §24).

Published: ``power`` → "on", "deep_sleep" or "off".
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

PART = PartSpec("power", "Power", state=("power",))
ON, DEEP_SLEEP, OFF = "on", "deep_sleep", "off"


class Power(Part):
    """The board's power state."""

    part_id = "power"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.state = ON

    def set(self, state: str) -> None:
        """The program put the board in ``state`` (ON, DEEP_SLEEP or OFF)."""
        if state != self.state:
            self.state = state
            self.changed(state)

    def snapshot(self) -> dict[str, Any]:
        """``power``: on, deep_sleep or off."""
        return {"power": self.state}


def of(board: Any) -> Power:
    """The board's power state."""
    return board.part(PART.id, lambda: Power(board.publish))
