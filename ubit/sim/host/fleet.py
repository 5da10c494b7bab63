"""Several virtual boards run together, sharing one radio space.

Headless (virtual time) they share one clock as well, through the radio space's
shared-time rounds, so a multi-board run is deterministic: the same programs and
inputs give the same output, in the same order, every time. In real time each board
runs at wall-clock speed and the space passes packets on as they come (and, with
``radio_space``, to and from the boards of other ubit commands on this machine).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ubit.sim.host.ether import open_ether
from ubit.sim.host.handle import Listener, VirtualBoard
from ubit.sim.host.radiospace import Output, RadioSpace
from ubit.sim.host.start import BoardOptions, spawn_boards, start_board
from ubit.sim.shared.protocol import Message


class Fleet:
    """Boards started together in one radio space (each as its ``BoardOptions`` say)."""

    def __init__(self, options: Sequence[BoardOptions], on_output: Output | None = None,
                 listeners: Sequence[Sequence[Listener]] = (),
                 warn: Callable[[str], None] | None = None) -> None:
        self.options = list(options)
        self.listeners = list(listeners)
        self.warn = warn
        virtual = all(each.clock == "virtual" for each in self.options)
        space_name = next((each.radio_space for each in self.options if each.radio_space), None)
        self.space = RadioSpace(shared_time=virtual, on_output=on_output,
                                ether=None if virtual else open_ether(space_name, warn))
        self.boards: list[VirtualBoard] = []

    def start(self) -> Fleet:
        """Start every board (their processes first, all together)."""
        processes = spawn_boards(len(self.options))
        try:
            with self.space.gathering():  # shared time: all join before any runs ahead
                for index, each in enumerate(self.options):
                    listeners = self.listeners[index] if index < len(self.listeners) else ()
                    self.boards.append(start_board(each, listeners, space=self.space,
                                                   warn=self.warn, board=processes[index]))
        finally:
            for unused in processes[len(self.boards):]:  # a board refused to start
                unused.close()
        return self

    @property
    def running(self) -> bool:
        """Whether any board still runs."""
        return any(board.running for board in self.boards)

    def wait(self, timeout: float | None = None) -> list[Message]:
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

