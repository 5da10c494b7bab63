"""Running programs on a virtual board from tests, as ``ubit run --headless`` does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ubit.sim.host.start import BoardOptions, start_board
from ubit.sim.shared import protocol


@dataclass
class Result:
    """What a run produced: serial output (CRLF as sent), how it ended, the board's messages."""

    output: str
    status: str
    error: str | None
    end_ms: int
    state: dict[str, Any] = field(default_factory=dict)  # each part's last state
    states: list[tuple[int, str, Any]] = field(default_factory=list)  # (ms, part, value)
    audio: list[dict[str, Any]] = field(default_factory=list)  # the audio events, in order
    messages: list[dict[str, Any]] = field(default_factory=list)  # every UI message

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
    messages: list[dict[str, Any]] = []
    options = BoardOptions(board=board, files=all_files, time_limit_ms=time_limit_ms,
                           inputs=tuple(inputs), seed=seed)
    with start_board(options, [messages.append]) as board_:
        chunks = []
        exit_message = None
        while exit_message is None:
            chunks.append(board_.read_serial(timeout=0.1))
            try:
                exit_message = board_.wait(timeout=0 if board_.running else timeout)
            except TimeoutError:
                continue
        chunks.append(board_.read_serial())
    states = [(m["t"], m["part"], m["value"]) for m in messages if m["kind"] == protocol.STATE]
    audio = [m["event"] for m in messages if m["kind"] == protocol.AUDIO]
    return Result(b"".join(chunks).decode("utf-8", "replace"), exit_message["status"],
                  exit_message["error"], exit_message["t"], dict(board_.state), states, audio,
                  messages)
