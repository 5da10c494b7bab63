"""Images on the host side of a test: 5×5 brightness grids, drawn in text for beginners.

``Image.HEART`` and the other built-in images come from the same table the virtual
board draws with (``ubit.sim.shared.imagedata``), so a test's expectation and the board
can't disagree about what a heart looks like.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ubit.sim.shared import imagedata

Rows = tuple[tuple[int, ...], ...]
GAP = "    "  # between images drawn side by side


class Image:
    """A 5×5 picture of the display: brightness 0–9 per LED, top row first.

    ``Image("09090:99999:99999:09990:00900")`` as in MicroPython, or ``Image.HEART``;
    two images are equal when every LED is. ``str(image)`` draws it with ``#`` (lit),
    ``.`` (off) and digits for dimmer LEDs.
    """

    HEART: Image  # the built-in images are set below, from the board's own table

    def __init__(self, rows: str | Sequence[Sequence[int]], name: str | None = None) -> None:
        if isinstance(rows, str):
            parsed = imagedata.parse_rows(rows.strip().rstrip(":"))
        else:
            parsed = tuple(tuple(int(v) for v in row) for row in rows)
        if len(parsed) != 5 or any(len(row) != 5 for row in parsed):
            raise ValueError("an Image has 5 rows of 5 LEDs, e.g. Image('09090:99999:99999:"
                             "09990:00900')")
        self.rows: Rows = parsed
        self.name = name

    @classmethod
    def of_char(cls, char: str) -> Image:
        """The font's picture of one character, as ``display.show(char)`` draws it."""
        return cls(imagedata.glyph_rows(ord(char[:1] or "?")), f"the character {char!r}")

    @property
    def lit(self) -> tuple[tuple[bool, ...], ...]:
        """Which LEDs are on."""
        return tuple(tuple(v > 0 for v in row) for row in self.rows)

    @property
    def blank(self) -> bool:
        """Whether every LED is off."""
        return not any(any(row) for row in self.rows)

    def describe(self) -> str:
        """How a message names it: ``Image.HEART``, or "this picture"."""
        return self.name or "this picture"

    def drawing(self) -> list[str]:
        """Five lines of text: ``#`` lit, ``.`` off, a digit for a dimmer LED."""
        return ["".join("." if v == 0 else "#" if v == 9 else str(v) for v in row)
                for row in self.rows]

    def __str__(self) -> str:
        return "\n".join(self.drawing())

    def __repr__(self) -> str:
        if self.name and self.name.startswith("Image."):
            return self.name
        return "Image('" + ":".join("".join(map(str, row)) for row in self.rows) + "')"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Image):
            return self.rows == other.rows
        if isinstance(other, (list, tuple)):
            try:
                return self.rows == Image(other).rows
            except (ValueError, TypeError):
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows)


def side_by_side(images: Iterable[tuple[str, Image]]) -> str:
    """Images drawn next to each other, each under its title (a beginner compares them)."""
    pairs = list(images)
    width = max([5, *(len(title) for title, _ in pairs)])
    lines = [GAP.join(title.ljust(width) for title, _ in pairs).rstrip()]
    for y in range(5):
        lines.append(GAP.join(image.drawing()[y].ljust(width) for _, image in pairs).rstrip())
    return "\n".join(lines)


def as_image(value: Any) -> Image:
    """An ``Image``, an image string or 5 rows of numbers, as an ``Image``."""
    return value if isinstance(value, Image) else Image(value)


for _name, _rows in imagedata.BUILTIN_IMAGES:
    setattr(Image, _name, Image(_rows, f"Image.{_name}"))
Image.ALL_CLOCKS = tuple(getattr(Image, n) for n in imagedata.ALL_CLOCKS)  # type: ignore[attr-defined]
Image.ALL_ARROWS = tuple(getattr(Image, n) for n in imagedata.ALL_ARROWS)  # type: ignore[attr-defined]
