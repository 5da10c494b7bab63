"""``antigravity`` (reference §32): the xkcd 353 comic on serial, then lift-off on the LEDs.

As the firmware's ``modantigravity``: the micro version of the comic is
printed (the text below is its output, decoded from the firmware's
run-length string), then five times, 200 ms apart, every lit LED moves up one
row if the LED above it is dark, each pass covering one row fewer.
"""

from __future__ import annotations

from typing import Any

from ubit.sim.board.board import Device
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modules.love import display_of

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


def fly(device: Device) -> None:
    """Print the comic and float the lit LEDs up."""
    device.serial.write_text("\n".join(COMIC) + "\n")
    display = display_of(device)
    for iteration in range(5):
        device.clock.sleep_ms(INTERVAL_MS)
        for row in range(1, 5 - iteration):
            for col in range(5):
                value = display.get_pixel(col, row)
                if value and not display.get_pixel(col, row - 1):
                    display.set_pixel(col, row, 0)
                    display.set_pixel(col, row - 1, value)


def create(device: Device) -> dict[str, Any]:
    """The names of ``antigravity`` on ``device`` (flying, as importing it does)."""

    def __init__() -> None:  # noqa: N807 - the firmware's module initialiser
        """Fly."""
        fly(device)

    fly(device)
    return {"__name__": "antigravity", "__init__": api(__init__)}
