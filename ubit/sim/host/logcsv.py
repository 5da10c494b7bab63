"""Host side of the V2 data log: the CSV rebuilt from a board's published ``log`` values.

The board keeps its log (``ubit.sim.micropython.modules.log``) and publishes each change as
``{"lines": [new CSV lines], "erased": bool, "full": bool}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class LogRecorder:
    """Host side: rebuilds the log's CSV from published ``log`` values."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.full = False

    def apply(self, value: Mapping[str, Any]) -> None:
        """Take one published ``log`` value."""
        if value.get("erased"):
            self.lines.clear()
        self.lines.extend(value.get("lines", []))
        self.full = bool(value.get("full"))

    def csv(self) -> str:
        """The log as the CSV text the board holds (heading lines where columns changed)."""
        return "".join(line + "\n" for line in self.lines)
