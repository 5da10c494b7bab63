"""``microbit.display`` (reference §5): the LEDs, ``show`` and ``scroll`` animations, light level.

Argument rules and messages are the firmware's (``mp_arg_parse_all``): ``delay`` may be
given by position or keyword, ``wait``/``loop``/``clear``/``monospace`` only by keyword.
Animations run on the display part's driver (``ubit.sim.board.parts.display``), so their
timing is the device's: ``display.scroll('Hello')`` takes 27 frames of 150 ms, 4050 ms.
"""

from __future__ import annotations

from collections.abc import Iterator

from ubit.sim.board.board import Board
from ubit.sim.board.parts import display as display_part
from ubit.sim.board.parts import light as light_part
from ubit.sim.board.parts.display import (
    END,
    HALT,
    Display,
    FrameSource,
    Grid,
    blank_grid,
)
from ubit.sim.micropython import mperrors, pending
from ubit.sim.micropython.api.image import grid_of, image_for_char, is_image, native, to_int
from ubit.sim.micropython.boundary import api_class
from ubit.sim.micropython.mpfloat import format_float
from ubit.sim.shared import imagedata
from ubit.sim.shared.typenames import Any

SHOW_DELAY = 400
SCROLL_DELAY = 150

# (name, keyword-only, kind, default); kind: "obj" (required), "int" or "bool"
_SHOW_ARGS = (("image", False, "obj", None), ("delay", False, "int", SHOW_DELAY),
              ("clear", True, "bool", False), ("wait", True, "bool", True),
              ("loop", True, "bool", False))
_SCROLL_ARGS = (("text", False, "obj", None), ("delay", False, "int", SCROLL_DELAY),
                ("wait", True, "bool", True), ("monospace", True, "bool", False),
                ("loop", True, "bool", False))


def parse_args(table: tuple[tuple[str, bool, str, Any], ...], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> list[Any]:
    """The arguments as ``mp_arg_parse_all`` reads them, with its errors."""
    values: list[Any] = []
    used = 0
    for i, (name, kw_only, kind, default) in enumerate(table):
        if i < len(args):
            if kw_only:
                raise TypeError("extra positional arguments given")
            value = args[i]
        elif name in kwargs:
            value = kwargs[name]
            used += 1
        elif kind == "obj":
            raise TypeError(f"'{name}' argument required")
        else:
            values.append(default)
            continue
        values.append(to_int(value) if kind == "int" else bool(value) if kind == "bool"
                      else value)
    if len(args) > len(table):
        raise TypeError("extra positional arguments given")
    if used < len(kwargs):
        raise TypeError("extra keyword arguments given")
    return values


def glyph_grid(code: int) -> Grid:
    """The font's glyph for byte ``code`` as a display grid."""
    return [list(row) for row in imagedata.glyph_rows(code)]


# -- scroll (§5.2) ---------------------------------------------------------------------------
def _lit(rows: tuple[tuple[int, ...], ...], column: int) -> bool:
    return any(row[column] for row in rows)


def scroll_columns(data: bytes, monospace: bool) -> Iterator[tuple[int, ...]]:
    """The columns a scroll shifts in from the right, one per frame: Σ(cols+1)+4 of them."""
    blank = (0,) * 5
    if not data:  # an empty text still scrolls 5 blank columns
        yield from (blank,) * 5
        return
    for i, code in enumerate(data):
        rows = imagedata.glyph_rows(code)
        if monospace:
            first, last = 0, 4
        else:
            # up to the last lit column among 2..4; column 0 is skipped when blank (not 1st)
            last = 4 if _lit(rows, 4) else 3 if _lit(rows, 3) else 2
            first = 1 if i and not _lit(rows, 0) else 0
        for column in range(first, last + 1):
            yield tuple(row[column] for row in rows)
        yield blank
    yield from (blank,) * 4  # so the text leaves the display completely


def scroll_frames(data: bytes, monospace: bool, loop: bool) -> Iterator[Grid]:
    """The frames of a scroll; with ``loop`` it restarts from a blank display forever."""
    while True:
        grid = blank_grid()
        for column in scroll_columns(data, monospace):
            for y in range(5):
                grid[y] = grid[y][1:] + [column[y]]
            yield [list(row) for row in grid]
        if not loop:
            return


def scroll_source(data: bytes, monospace: bool = False, loop: bool = False) -> FrameSource:
    """A frame source scrolling the bytes ``data`` (outside ASCII 32–126 drawn as '?')."""
    frames = scroll_frames(data, monospace, loop)
    if loop:
        return lambda: next(frames, END)
    # a known number of frames: a board waiting for the scroll knows when it ends
    return display_part.CountedFrames(frames, sum(1 for _ in scroll_columns(data, monospace)))


def scroll_text(part: Display, text: str, delay: int = SCROLL_DELAY) -> None:
    """Scroll ``text`` once and wait (the error display's scroll)."""
    part.animate(scroll_source(text.encode("utf-8", "surrogatepass")), delay, False, True)


# -- show (§5.1) -----------------------------------------------------------------------------
def _frame_of(item: Any) -> Any:
    """What the driver does with one item: an Image or a 1-char str is drawn."""
    if is_image(item):
        return grid_of(item)
    if isinstance(item, str):
        data = item.encode("utf-8", "surrogatepass")
        return glyph_grid(data[0]) if len(data) == 1 else HALT  # a longer str stops silently
    return TypeError("not an image")


def sequence_source(items: Any, loop: bool, board: Board) -> FrameSource:
    """Frames from a sequence (looping by index, as the firmware's repeat iterator does)."""
    if loop:
        index = -1

        def next_item() -> Any:
            nonlocal index
            index += 1
            if index >= len(items):
                index = 0
            return items[index]
    else:
        try:
            iterator = iter(items)
        except TypeError as exc:
            raise TypeError(mperrors.translate(str(exc), board.spec)) from None

        def next_item() -> Any:
            return next(iterator, END)

    def source() -> Any:
        item = next_item()
        return END if item is END else _frame_of(item)

    return source


def _number_text(value: Any, board: Board) -> Any:
    """Numbers are shown and scrolled as their ``str()`` (floats as the firmware prints them;
    a bool as ``True``/``False``: ``mp_obj_is_integer`` counts bools, 1.9.2 and 1.18 py/obj.h,
    and the V1 firmware under QEMU shows ``display.show(True)`` as text)."""
    if isinstance(value, float):
        return format_float(value, board.spec.float_digits, board.spec.floats_in_word)
    if isinstance(value, int):
        return str(value)
    return value


@api_class
class MicroBitDisplay:
    """The 5×5 LED display (reference §5)."""

    __slots__ = ("_board", "_part")
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, board: Board) -> None:
        self._board = board
        self._part = display_part.of(board)

    def __dir__(self) -> list[str]:
        """The names the firmware lists (not the simulator's internals)."""
        return [name for name in dir(MicroBitDisplay) if not name.startswith("_")]

    def __repr__(self) -> str:
        """``<MicroBitDisplay>``, as a native object without its own print prints."""
        return "<MicroBitDisplay>"

    def _enter(self) -> Display:
        """A call into the board: time moves, background errors surface."""
        self._board.clock.poll()
        self._part.raise_pending()
        return self._part

    def _xy(self, x: Any, y: Any) -> tuple[int, int]:
        x, y = to_int(x), to_int(y)
        if not (0 <= x < 5 and 0 <= y < 5):
            raise ValueError("index out of bounds")
        return x, y

    @native(3)
    def get_pixel(self, x: Any, y: Any) -> int:
        """Brightness 0–9 of the LED at column ``x``, row ``y``."""
        part = self._enter()
        return part.get_pixel(*self._xy(x, y))

    @native(4, 4)
    def set_pixel(self, x: Any, y: Any, value: Any) -> None:
        """Set the LED at column ``x``, row ``y`` to brightness ``value`` (0–9)."""
        part = self._enter()
        x, y = self._xy(x, y)
        value = to_int(value)
        if not 0 <= value <= 9:
            raise ValueError("brightness out of bounds")
        part.set_pixel(x, y, value)

    @native(1)
    def clear(self) -> None:
        """Blank the display (V1 also stops an animation; V2 v2.1.2 doesn't)."""
        part = self._enter()
        if self._board.spec.display_clear_stops:
            part.clear_at_tick()
        else:
            part.blank()

    def show(self, *args: Any, **kwargs: Any) -> None:
        """``show(image, delay=400, *, clear=False, wait=True, loop=False)`` (§5.1)."""
        image, delay, clear, wait, loop = parse_args(_SHOW_ARGS, args, kwargs)
        part = self._enter()
        part.stop()
        image = _number_text(image, self._board)
        if isinstance(image, str):
            data = image.encode("utf-8", "surrogatepass")
            if not data:
                return
            if len(data) == 1 and not clear and not loop:
                part.show(glyph_grid(data[0]))
                return
            image = [image_for_char(code) for code in data]
        elif is_image(image):
            if not clear and not loop:
                part.show(grid_of(image))
                return
            image = (image,)
        part.animate(sequence_source(image, loop, self._board), delay, clear, False, loop)
        if wait:
            try:
                part.wait()
            except Exception as error:  # a later frame's, met by the ticker
                if self._board.spec.builtins_1_9:  # 1.9.2's wait raises it
                    raise
                # 1.18's wait_for_event returns as the failing tick stops the animation;
                # the VM raises the scheduled exception at its next jump (pending.py)
                pending.raise_at_next_jump(error)

    def scroll(self, *args: Any, **kwargs: Any) -> None:
        """``scroll(text, delay=150, *, wait=True, monospace=False, loop=False)`` (§5.2)."""
        text, delay, wait, monospace, loop = parse_args(_SCROLL_ARGS, args, kwargs)
        part = self._enter()
        text = _number_text(text, self._board)
        if isinstance(text, str):
            data = text.encode("utf-8", "surrogatepass")
        elif isinstance(text, bytes):
            data = text
        else:
            raise TypeError(f"can't convert '{type(text).__name__}' object to str implicitly")
        part.animate(scroll_source(data, monospace, loop), delay, False, wait, loop)

    def _pins(self) -> Any:
        from ubit.sim.board.parts import pins  # the pins area owns pin modes (§8.3)

        return pins.of(self._board)

    @native(1)
    def on(self) -> None:
        """Turn the display on, taking its pins back (V1: a paused animation resumes)."""
        part = self._enter()
        pins = self._pins()
        for number in self._board.spec.display_pins:
            pins.acquire(number, "display")  # ValueError if a pin is in a locked mode
        part.turn_on()

    @native(1)
    def off(self) -> None:
        """Turn the display off and free its pins (V1: animations pause meanwhile)."""
        part = self._enter()
        part.turn_off()
        pins = self._pins()
        for number in self._board.spec.display_pins:
            pins.release(number, "display")

    @native(1)
    def is_on(self) -> bool:
        """Whether the display is on."""
        return self._enter().is_on

    @native(1)
    def read_light_level(self) -> int:
        """The light level 0–255 the LEDs measure (host input ``light``)."""
        self._enter()
        return light_part.of(self._board).read()


MicroBitDisplay.__module__ = "builtins"  # prints as <class 'MicroBitDisplay'>


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``display`` (and make the light sensor take host input)."""
    light_part.of(board)
    ns["display"] = MicroBitDisplay(board)
