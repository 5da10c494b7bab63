"""Host side of the V2 data log: the CSV rebuilt from a board's published ``log`` values.

The board keeps its log (``ubit.sim.board.parts.log``) and publishes each change as
``{"lines": [new CSV lines], "erased": bool, "full": bool}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ubit.sim.shared.protocol import READY, RESET, STATE, Message
from ubit.sim.shared.typenames import Any


def merge_log_values(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """One published ``log`` value saying what ``earlier`` then ``later`` said.

    A ``log`` value carries only the lines added since the last one (docs/board-protocol.md),
    so a host that sends a part's latest state only (the editor's ``Outbox``) must join
    them instead, or rows are lost: ``erased`` in ``later`` drops ``earlier``'s lines.
    """
    if later.get("erased"):
        return dict(later)
    return {"lines": [*earlier.get("lines", []), *later.get("lines", [])],
            "erased": bool(earlier.get("erased")), "full": bool(later.get("full"))}


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

    def listener(self, message: Message) -> None:
        """A board listener (``VirtualBoard.listen``): takes the ``log`` changes."""
        if message["kind"] == STATE and message["part"] == "log":
            self.apply(message["value"])
        elif message["kind"] in (READY, RESET):  # the log as the board holds it now
            log = message["state"].get("log")
            if log is not None:
                self.apply(log)

    def csv(self) -> str:
        """The log as the CSV text the board holds (heading lines where columns changed)."""
        return "".join(line + "\n" for line in self.lines)
