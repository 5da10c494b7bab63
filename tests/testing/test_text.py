"""Reading scrolled and shown text back from the LEDs, on V1 and V2, at any delay."""

from __future__ import annotations

import pytest

from ubit.testing import start
from ubit.testing.ledtext import glyph_table

PROGRAM = """from microbit import *
display.scroll(21)
display.scroll("Hello, World!")
display.scroll("x=3.5 (ok?)", delay=60)
display.scroll("Yes no", delay=220)
sleep(300)
display.show(7)
sleep(500)
display.show("AB")
display.clear()
display.show(Image.HEART)
sleep(100)
display.scroll("#+-*/<>[]{}~@$%&'_|;:", delay=40)
"""


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_scrolled_and_shown_texts_are_read_back(version: str) -> None:
    with start(PROGRAM, board=version) as board:
        board.run()
        assert board.status == "ok"
        assert board.texts() == ["21", "Hello, World!", "x=3.5 (ok?)", "Yes no", "7AB",
                                 "#+-*/<>[]{}~@$%&'_|;:"]  # shown characters in a row: one
        assert board.scrolled_text().startswith("21Hello, World!")


def test_text_read_while_the_scroll_goes_on() -> None:
    with start("from microbit import *\ndisplay.scroll('42', wait=False)\nsleep(10000)\n") \
            as board:
        board.run(150 * 3)  # the 4 is half across the display: not read yet
        assert board.scrolled_text() == ""
        board.run(150 * 3)  # all of it has come in
        assert board.scrolled_text() == "4"
        board.run(3000)
        assert board.scrolled_text() == "42"


def test_every_character_scrolls_differently() -> None:
    # what makes reading possible: no two glyphs scroll by as the same columns, but
    # for O and 0, which the font draws alike (the reader tells them apart by context)
    scrolled, shown = glyph_table()
    assert len(scrolled) == len(shown) == 126 - 32 - 1
    assert "O" in scrolled.values()


def test_all_printable_characters_read_back() -> None:
    text = "".join(chr(c) for c in range(33, 127))
    with start(f"from microbit import *\ndisplay.scroll({text!r}, delay=10)\n") as board:
        board.run()
        assert board.scrolled_text() == text


def test_zero_among_digits_and_o_among_letters() -> None:
    with start("from microbit import *\ndisplay.scroll('10 OK 0.5')\ndisplay.show(0)\n") \
            as board:
        board.run()
        assert board.texts() == ["10 OK 0.5", "0"]
