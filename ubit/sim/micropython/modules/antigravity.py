"""``antigravity`` (reference §32): the xkcd 353 comic on serial, then lift-off on the LEDs.

As the firmware's ``modantigravity``: the micro version of the comic is
printed (the text below is its output, decoded from the firmware's
run-length string), then five times, 200 ms apart, every lit LED moves up one
row if the LED above it is dark, each pass covering one row fewer.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modules.love import display_of
from ubit.sim.shared.typenames import Any

COMIC = (
    r"+-xkcd.com/353---------------------------------------------------+",
    r"|                                                                |",
    r"|                                                    \0/         |",
    r"|                                                  /   \         |",
    r"|        You're flying!                  MicroPython!  /|        |",
    r"|            How?                                      \ \       |",
    r"|            /                                                   |",
    r"|          0                                                     |",
    r"|         /|\                                                    |",
    r"|          |                                                     |",
    r"|-----____/_\______________________________----------------------|",
    r"|                                                                |",
    r"+----------------------------------------------------------------+",
)
INTERVAL_MS = 200


def fly(board: Board) -> None:
    """Print the comic and float the lit LEDs up."""
    board.serial.write_text("\n".join(COMIC) + "\n")
    display = display_of(board)
    for iteration in range(5):
        board.clock.sleep_ms(INTERVAL_MS)
        for row in range(1, 5 - iteration):
            for col in range(5):
                value = display.get_pixel(col, row)
                if value and not display.get_pixel(col, row - 1):
                    display.set_pixel(col, row, 0)
                    display.set_pixel(col, row - 1, value)


def create(board: Board) -> dict[str, Any]:
    """The names of ``antigravity`` on ``device`` (flying, as importing it does)."""

    def __init__() -> None:  # noqa: N807 - the firmware's module initialiser
        """Fly."""
        fly(board)

    fly(board)
    return {"__name__": "antigravity", "__init__": api(__init__)}
