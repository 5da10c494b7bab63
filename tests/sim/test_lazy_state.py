"""The host decodes a board's state lines only when someone looks (issue 17).

A program that redraws the display all the time sends its host a state line every
refresh; ``ubit run --headless`` shows none of them, so its host keeps them as they came
and decodes a part's last one only when ``state`` is read. A listener (the live view,
the editor, marking) still gets every message, from whenever it subscribes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from ubit.sim.host.handle import VirtualBoard
from ubit.sim.host.start import BoardOptions, start_board
from ubit.sim.shared import protocol

HEART = [[0, 9, 0, 9, 0], [9, 9, 9, 9, 9], [9, 9, 9, 9, 9], [0, 9, 9, 9, 0], [0, 0, 9, 0, 0]]
HAPPY = [[0, 0, 0, 0, 0], [0, 9, 0, 9, 0], [0, 0, 0, 0, 0], [9, 0, 0, 0, 9], [0, 9, 9, 9, 0]]

# ~200 display refreshes, each a different frame, then the heart
BUSY = """from microbit import *
for i in range(20000):
    display.set_pixel(i % 5, (i // 5) % 5, i % 10)
display.show(Image.HEART)
sleep(20)
"""


@pytest.fixture
def state_decodes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every state line the host decodes, as it decodes it (the protocol's own decoder)."""
    decoded: list[bytes] = []
    real: Callable[[bytes], Any] = protocol.decode

    def counting(line: bytes) -> Any:
        message = real(line)
        if message["kind"] == protocol.STATE:
            decoded.append(line)
        return message

    monkeypatch.setattr(protocol, "decode", counting)
    return decoded


def run_to_end(board: VirtualBoard) -> dict[str, Any]:
    """Wait for the board's program to end; its exit message."""
    while not board.serial_ended:
        board.read_serial(timeout=0.1)
    return board.wait(timeout=10)


def test_nobody_listening_nothing_is_decoded_until_state_is_read(
        state_decodes: list[bytes]) -> None:
    with start_board(BoardOptions(files={"main.py": BUSY.encode()})) as board:
        assert run_to_end(board)["status"] == "ok"
        assert state_decodes == []  # ~200 display lines came, none decoded
        assert board.state["display"] == HEART  # the last frame, decoded now
        assert len(state_decodes) <= 3  # one line per part that changed, at most
        assert board.state["display"] == HEART  # and once only
        assert len(state_decodes) <= 3


def test_a_listener_that_subscribes_late_sees_the_state_so_far_then_every_frame(
        state_decodes: list[bytes]) -> None:
    program = """from microbit import *
display.show(Image.HEART)
sleep(100)
print('shown')
input()
for n in range(10):
    display.show(n)
    sleep(50)
display.show(Image.HAPPY)
sleep(50)
"""
    with start_board(BoardOptions(files={"main.py": program.encode()})) as board:
        assert board.read_serial(timeout=10) == b"shown\r\n"
        deadline = time.monotonic() + 10
        while board.state["display"] != HEART:  # its state line may trail the serial output
            assert time.monotonic() < deadline, board.state["display"]
            time.sleep(0.01)
        frames: list[Any] = []
        board.listen(lambda message: frames.append(message["value"])
                     if message["kind"] == protocol.STATE and message["part"] == "display"
                     else None)
        board.write_serial(b"\r")
        assert run_to_end(board)["status"] == "ok"
        assert board.state["display"] == HAPPY
    digits = [frame for frame in frames if frame not in (HEART, HAPPY)]
    assert len(digits) == len({repr(frame) for frame in digits}) == 10, frames
    assert frames[-1] == HAPPY
    assert len(state_decodes) >= len(frames)  # every frame the listener saw was decoded


def test_a_listener_from_the_start_gets_every_frame() -> None:
    frames: list[Any] = []

    def listener(message: dict[str, Any]) -> None:
        if message["kind"] == protocol.STATE and message["part"] == "display":
            frames.append(message["value"])

    program = "from microbit import *\nfor n in range(10):\n    display.show(n)\n" \
              "    sleep(50)\n"
    with start_board(BoardOptions(files={"main.py": program.encode()}), [listener]) as board:
        assert run_to_end(board)["status"] == "ok"
        assert frames[-1] == board.state["display"]
    assert len(frames) == len({repr(frame) for frame in frames}) == 10, frames
