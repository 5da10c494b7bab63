"""What the LEDs show when a program fails: the error scroll (reference §1.3) and panic (§1.6).

The boot calls ``show_error`` and ``show_panic``; it imports this module only
when a program fails, so a board that runs cleanly never loads the display code.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.clock import TimeUp
from ubit.sim.board.parts import display as display_part
from ubit.sim.board.parts.display import Grid, blank_grid
from ubit.sim.micropython.api.display import glyph_grid, scroll_text
from ubit.sim.micropython.api.image import MicroBitImage, grid_of
from ubit.sim.shared import imagedata

SAD_MS = 1000  # §1.3: V2 shows Image.SAD this long before the scroll

# §1.6 / microbit-dal: each of the 4 characters (face, hundreds, tens, units) is strobed
# 500 times by a busy loop of 2000 turns; at 16 MHz that is roughly 0.6 s (an estimate:
# it isn't measured, and §34 says V2's timing isn't known). A character equal to the one
# before it starts with a tenth of that time blank, so "999" reads as three nines.
PANIC_CHAR_MS = 600
PANIC_GAP_MS = PANIC_CHAR_MS // 10


def show_error(board: Board, text: str) -> None:
    """After an uncaught error: V2 shows a sad face for 1 s, then both scroll ``text`` once."""
    part = display_part.of(board)
    try:
        if board.spec.sad_face_on_error:
            part.show(grid_of(MicroBitImage.SAD))  # a background animation isn't stopped
            board.clock.sleep_ms(SAD_MS)
        scroll_text(part, text)
    except Exception:  # the firmware ignores errors raised while it shows one
        part.stop()


def panic_frames(code: int) -> list[tuple[Grid, int]]:
    """One cycle of the panic display: (what the LEDs show, for how many ms)."""
    if not 0 <= code <= 999:  # §1.6: codes outside 0-999 show as 0
        code = 0
    face = [list(row) for row in imagedata.parse_rows(imagedata.PANIC_FACE)]
    digits = [glyph_grid(ord(d)) for d in f"{code:03d}"]
    frames: list[tuple[Grid, int]] = [(face, PANIC_CHAR_MS)]
    previous = ""
    for digit, grid in zip(f"{code:03d}", digits, strict=True):
        if digit == previous:
            frames += [(blank_grid(), PANIC_GAP_MS), (grid, PANIC_CHAR_MS - PANIC_GAP_MS)]
        else:
            frames.append((grid, PANIC_CHAR_MS))
        previous = digit
    return frames


def show_panic(board: Board, code: int) -> None:
    """``panic(n)``: cycle the sad face and the code until the run's time limit.

    Without a time limit one cycle is shown and the face stays, so a headless run
    still ends (the board itself would cycle until reset).
    """
    part = display_part.of(board)
    part.stop()
    part.turn_on()  # panic drives the LED matrix directly
    frames = panic_frames(code)
    try:
        while True:
            for grid, ms in frames:
                part.show(grid)
                board.clock.sleep_ms(ms)
            if board.clock.limit_us is None:
                part.show(frames[0][0])
                return
    except (TimeUp, KeyboardInterrupt):  # nothing stops a panic but the end of the run
        return


