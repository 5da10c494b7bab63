"""``love`` (reference §32): a beating heart on the display, on import and ``badaboom()``.

As the firmware's ``modlove``: 8 beats of the heart fading up through
brightness 0, 1, 2, 4, 6, 7, 9 and back down, 25 ms a frame, with a 500 ms
pause before every second beat, then the display is cleared (4.3 s in all).
The frames go straight to the display part, as the firmware's C code draws
on the LEDs without the ``display`` object.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

HEART = ("09090", "99999", "99999", "09990", "00900")
LEVELS = (0, 1, 2, 4, 6, 7, 9)  # the heart dimmed by 0, 1/9, 2/9, 4/9, 6/9, 7/9, 1
FRAME_MS = 25
BEATS = 8


def display_of(board: Board) -> Any:
    """The board's display part (made if the program hasn't used the display yet)."""
    from ubit.sim.board.parts import display  # only the easter eggs need it here

    return display.of(board)


def heart(level: int) -> list[list[int]]:
    """The heart at brightness ``level``."""
    return [[level if c == "9" else 0 for c in row] for row in HEART]


def beat(board: Board, frame_ms: int = FRAME_MS) -> None:
    """The whole animation, in board time."""
    display = display_of(board)
    display.stop()  # drawing directly, as the firmware does, ends any animation
    for iteration in range(BEATS):
        if iteration and iteration % 2 == 0:
            board.clock.sleep_ms(20 * frame_ms)  # the pause between double beats
        for level in LEVELS + LEVELS[::-1]:
            display.show(heart(level))
            board.clock.sleep_ms(frame_ms)
    display.blank()


def create(board: Board) -> dict[str, Any]:
    """The names of ``love`` on ``device`` (animating, as importing it does)."""

    def badaboom() -> None:
        """Hear my soul speak: the beating heart again."""
        beat(board)

    beat(board)
    return {"__name__": "love", "__init__": api(badaboom), "badaboom": api(badaboom)}
