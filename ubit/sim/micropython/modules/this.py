"""``this`` (reference §32): the Zen of MicroPython on first import, and ``authors()``.

Both texts are the firmware's output, verbatim from ``modthis.c`` (identical on
V1 and V2). The importer makes a module once per board, so the poem prints on
the first import only, as the firmware's ``__init__`` does.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

ZEN = """\
The Zen of MicroPython, by Nicholas H. Tollervey

Code,
Hack it,
Less is more,
Keep it simple,
Small is beautiful,

Be brave! Break things! Learn and have fun!
Express yourself with MicroPython.

Happy hacking! :-)
"""

AUTHORS = """\
MicroPython on the micro:bit is brought to you by:
Damien P. George, Mark Shannon, Radomir Dopieralski, Matthew Else,
Carol Willing, Tom Viner, Alan Jackson, Nick Coghlan, Joseph Haig,
Alex Chan, Andrea Grandi, Paul Egan, Piotr Kasprzyk, Andrew Mulholland,
Matt Wheeler, Joe Glancy, Abbie Brooks and Nicholas H. Tollervey.
"""


def create(board: Board) -> dict[str, Any]:
    """The names of ``this`` on ``device`` (printing the poem, as importing it does)."""

    def __init__() -> None:  # noqa: N807 - the firmware's module initialiser
        """Print the Zen of MicroPython."""
        board.serial.write_text(ZEN)
        board.clock.poll()

    def authors() -> None:
        """Print who made MicroPython on the micro:bit."""
        board.serial.write_text(AUTHORS)
        board.clock.poll()

    __init__()
    return {"__name__": "this", "__init__": api(__init__), "authors": api(authors)}
