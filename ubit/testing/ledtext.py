"""Reading text back from the display's frames, with the board's own font.

A test sees what a pupil sees: LEDs. ``display.scroll`` shifts the picture one column
left every ``delay`` ms and brings in the next column of the text (each glyph's lit
columns, then one blank column; reference §5.2); ``display.show`` of a string shows
each character whole, one after another. This module turns a history of frames back
into those texts:

* **scrolls** — consecutive frames where each is the one before moved left by one
  column; the delay is the time between two such frames, so any ``delay`` is read.
  While the display is blank (spaces, the gap between two scrolls) no frame changes:
  the number of blank columns is worked out from the time that passed. The columns are
  then split into glyphs (a glyph's columns followed by a blank one). Three blank
  columns more than the usual one are a space; four are the end of one scroll and the
  start of the next (``scroll("Hi"); scroll("Yo")`` reads as two texts).
* **shows** — a frame that is exactly a glyph of the font, standing alone, is that
  character; characters shown one after another, with no other picture between, are
  one text (``show(7); sleep(500); show("AB")`` reads as ``"7AB"``).

What can't be seen can't be read: spaces at the start or end of a scroll, and a
character shown twice in a row with ``show`` (the LEDs don't change); more than two
spaces in a row, or ``monospace=True``, may split a text in two. ``O`` and ``0`` are
the same picture: they read as ``0`` next to a digit or in a word of digits (``"10"``,
``"0.5"``, a lone ``"0"``), else as ``O``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ubit.sim.shared import imagedata

Column = tuple[bool, ...]
Frame = tuple[int, tuple[Column, ...]]  # (ms, the five columns, left first)
BLANK: Column = (False,) * 5
SPACE_COLUMNS = 3  # a space: its two blank columns and the blank after it
NEXT_SCROLL_COLUMNS = 4  # the blank columns a scroll ends with (the text leaves the display)
GLYPH_COLUMNS = 5
NEW_TEXT = "\0"  # a token: one text ends and the next begins (no character is drawn as it)


def columns_of(rows: Sequence[Sequence[int]]) -> tuple[Column, ...]:
    """A 5×5 grid (rows) as its five columns of lit/unlit LEDs, left first."""
    return tuple(tuple(rows[y][x] > 0 for y in range(5)) for x in range(5))


@cache
def glyph_table() -> tuple[dict[tuple[Column, ...], str], dict[tuple[Column, ...], str]]:
    """The font as scrolled (lit columns → char) and as shown (whole glyph → char)."""
    scrolled: dict[tuple[Column, ...], str] = {}
    shown: dict[tuple[Column, ...], str] = {}
    for code in range(imagedata.FIRST_CHAR + 1, imagedata.LAST_CHAR + 1):  # not space
        cols = columns_of(imagedata.glyph_rows(code))
        shown.setdefault(cols, chr(code))
        # as the firmware scrolls it after the first character: column 0 only when lit,
        # then up to the last lit column among 2..4 (ubit.sim.micropython.api.display)
        last = 4 if any(cols[4]) else 3 if any(cols[3]) else 2
        first = 0 if any(cols[0]) else 1
        scrolled.setdefault(cols[first:last + 1], chr(code))
    # O and 0 are one picture: read as O, then as 0 among digits (``_zero_or_o``)
    o_shape = columns_of(imagedata.glyph_rows(ord("O")))
    shown[o_shape] = scrolled[o_shape[:4]] = "O"
    return scrolled, shown


def read_texts(frames: Sequence[Frame]) -> list[str]:
    """Every text the frames scrolled or showed, in order."""
    texts: list[str] = []
    shown = ""  # characters shown one by one, gathered into one text
    for run in scroll_runs(frames):
        if len(run) == 1:
            char = glyph_table()[1].get(run[0][1])
            if char is not None:
                shown += char
                continue
        if shown:
            texts.append(_zero_or_o(shown))
            shown = ""
        if len(run) > 1:
            texts.extend(decode_strip(strip_of(run)))
    if shown:
        texts.append(_zero_or_o(shown))
    return [text for text in texts if text]


def scroll_runs(frames: Sequence[Frame]) -> list[list[tuple[int, tuple[Column, ...], int]]]:
    """The frames cut into runs of one scroll each: (ms, columns, shifts since the last)."""
    runs: list[list[tuple[int, tuple[Column, ...], int]]] = []
    delay: int | None = None
    for t, cols in frames:
        if runs:
            prev_t, prev, _ = runs[-1][-1]
            shifts = _shifts(prev, cols, t - prev_t, delay)
            if shifts:
                if prev == (BLANK,) * 5:
                    delay = None  # a new scroll may start here, with a delay of its own
                elif delay is None:
                    delay = t - prev_t
                runs[-1].append((t, cols, shifts))
                continue
        runs.append([(t, cols, 0)])
        delay = None
    return runs


def _shifts(prev: tuple[Column, ...], cols: tuple[Column, ...], gap: int,
            delay: int | None) -> int:
    """How many columns ``cols`` is ``prev`` moved on by, as a scroll (0: it isn't)."""
    prev_blank = prev == (BLANK,) * 5
    if not prev_blank:
        # a visible picture changes at every shift: only a one-column move continues it
        return 1 if cols[:4] == prev[1:] and (delay is None or gap == delay) else 0
    if delay is None:
        # a scroll starting: its first frame has four blank columns and its first column
        return 1 if cols[:4] == (BLANK,) * 4 else 0
    if gap % delay:
        return 0
    shifts = gap // delay
    keep = max(0, 5 - shifts)  # the columns still showing the blank before
    return shifts if all(c == BLANK for c in cols[:keep]) else 0


def strip_of(run: Sequence[tuple[int, tuple[Column, ...], int]]) -> list[Column]:
    """The columns that passed across the display during one scroll, first first."""
    strip: dict[int, Column] = {}
    position = 0
    for _, cols, shifts in run:
        position += shifts
        for x, col in enumerate(cols):
            strip[position - 4 + x] = col
    low, high = min(strip), max(strip)
    return [strip.get(i, BLANK) for i in range(low, high + 1)]


def decode_strip(strip: Sequence[Column]) -> list[str]:
    """The texts in a strip of scrolled columns (see the module's rules for spaces)."""
    scrolled = glyph_table()[0]
    lengths = sorted({len(key) for key in scrolled}, reverse=True)
    n = len(strip)
    memo: dict[int, list[str] | None] = {}

    def parse(i: int) -> list[str] | None:
        """Tokens from ``i``: characters, spaces, "" and ``NEW_TEXT``; None if not text."""
        if i >= n:
            return []
        if i in memo:
            return memo[i]
        result: list[str] | None = None
        if strip[i] == BLANK:
            j = i
            while j < n and strip[j] == BLANK:
                j += 1
            rest = parse(j)
            if rest is not None:
                result = [_gap(j - i, i == 0 or j == n), *rest]
        else:
            for length in lengths:
                key = tuple(strip[i:i + length])
                char = scrolled.get(key) if len(key) == length else None
                if char is None or (i + length < n and strip[i + length] != BLANK):
                    continue
                rest = parse(i + length)
                if rest is not None:
                    result = [char, *rest]
                    break
            if result is None and n - i <= GLYPH_COLUMNS:
                result = []  # a character still coming onto the display: not read yet
        memo[i] = result
        return result

    tokens = parse(0)
    if tokens is None:  # not text (a picture moving): nothing to read
        return []
    texts, current = [], ""
    for token in tokens:
        if token == NEW_TEXT:
            texts.append(current)
            current = ""
        else:
            current += token
    texts.append(current)
    return [_zero_or_o(text) for text in texts if text]


def _zero_or_o(text: str) -> str:
    """The font draws ``O`` and ``0`` alike: among digits (or alone) it is a zero."""
    words = []
    for word in text.split(" "):
        if "O" in word and all(c in "O0123456789.-+:" for c in word):
            word = word.replace("O", "0")  # a number: "10", "0.5", a lone "0"
        chars = list(word)
        for i, c in enumerate(chars):
            if c == "O" and any(n.isdigit() for n in word[max(0, i - 1):i + 2]):
                chars[i] = "0"
        words.append("".join(chars))
    return " ".join(words)


def _gap(blanks: int, at_edge: bool) -> str:
    """What ``blanks`` blank columns between glyphs mean: nothing, spaces or a new text."""
    if at_edge:
        return ""
    extra = blanks - 1  # one blank column follows every glyph
    if extra < SPACE_COLUMNS:
        return ""
    if extra == NEXT_SCROLL_COLUMNS or extra % SPACE_COLUMNS or extra > 2 * SPACE_COLUMNS:
        return NEW_TEXT
    return " " * (extra // SPACE_COLUMNS)
