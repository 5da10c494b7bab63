"""Running programs on a virtual board from tests, as ``ubit run --headless`` does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ubit.sim.host.handle import VirtualBoard


@dataclass
class Result:
    """What a run produced: serial output (CRLF as sent), how it ended, last part states."""

    output: str
    status: str
    error: str | None
    end_ms: int
    state: dict[str, Any] = field(default_factory=dict)
    states: list[tuple[int, str, Any]] = field(default_factory=list)  # (ms, part, value)

    @property
    def text(self) -> str:
        """The output with the firmware's CRLF turned into plain newlines."""
        return self.output.replace("\r\n", "\n")


def run_program(source: str, board: str = "v2", files: Mapping[str, bytes] | None = None,
                inputs: Iterable[tuple[float, str, Any]] = (), time_limit_ms: float | None = None,
                timeout: float = 30, seed: int | None = 1) -> Result:
    """Run ``source`` as main.py on a fresh virtual board in virtual time."""
    all_files = dict(files or {})
    all_files["main.py"] = source.encode()
    states: list[tuple[int, str, Any]] = []
    board_ = VirtualBoard(all_files, board=board, virtual=True, time_limit_ms=time_limit_ms,
                          inputs=inputs, seed=seed,
                          on_state=lambda part, value, t: states.append((t, part, value)))
    with board_:
        chunks = []
        exit_message = None
        while exit_message is None:
            chunks.append(board_.read_serial(timeout=0.1))
            try:
                exit_message = board_.wait(timeout=0 if board_.running else timeout)
            except TimeoutError:
                continue
        chunks.append(board_.read_serial())
    return Result(b"".join(chunks).decode("utf-8", "replace"), exit_message["status"],
                  exit_message["error"], exit_message["t"], dict(board_.state), states)
