"""Several virtual boards run together, sharing one radio space.

Headless (virtual time) they share one clock as well, through the radio space's
shared-time rounds, so a multi-board run is deterministic: the same programs and
inputs give the same output, in the same order, every time. In real time each board
runs at wall-clock speed and the space passes packets on as they come.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ubit.sim.host.handle import VirtualBoard
from ubit.sim.host.radiospace import Output, RadioSpace
from ubit.sim.shared import protocol as events
from ubit.sim.shared import rf


@dataclass
class BoardPlan:
    """What one board of a fleet runs, and where it stands."""

    files: Mapping[str, bytes]
    label: str = ""
    board: str = "v2"
    inputs: Iterable[tuple[float, str, Any]] = ()
    position: rf.Position | None = None
    on_state: Callable[[str, Any, int], None] | None = None


class Fleet:
    """Boards started together in one radio space."""

    def __init__(self, plans: Sequence[BoardPlan], virtual: bool = True,
                 time_limit_ms: float | None = None, seed: int | None = None,
                 on_output: Output | None = None, ether: Any = None) -> None:
        self.space = RadioSpace(shared_time=virtual, on_output=on_output, ether=ether)
        self.boards: list[VirtualBoard] = []
        for index, plan in enumerate(plans):
            board = VirtualBoard(plan.files, board=plan.board, virtual=virtual,
                                 time_limit_ms=time_limit_ms, inputs=plan.inputs,
                                 seed=None if seed is None else seed + index,
                                 on_state=plan.on_state)
            self.space.join(board, plan.label, plan.position)
            self.boards.append(board)

    def start(self) -> Fleet:
        """Start every board."""
        for board in self.boards:
            board.start()
        return self

    @property
    def running(self) -> bool:
        """Whether any board still runs."""
        return any(board.running for board in self.boards)

    def wait(self, timeout: float | None = None) -> list[events.Message]:
        """Wait for every program to end; their exit messages, in board order."""
        return [board.wait(timeout) for board in self.boards]

    def interrupt(self) -> None:
        """Ctrl-C on every board."""
        for board in self.boards:
            board.interrupt()

    def close(self) -> None:
        """Stop every board and release it."""
        for board in self.boards:
            board.close()
        if self.space.ether is not None:
            self.space.ether.close()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def labels_for(names: Sequence[str]) -> list[str]:
    """Distinct labels for boards named after their programs (``recv.py``, ``recv.py#2``)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return labels
