"""``log`` (V2 data logging, reference §23): the API over the board's data log.

The log itself, with CODAL's rules for columns, timestamps and capacity, is the part
``ubit.sim.board.parts.log``; this module checks arguments as the firmware does and
turns values into the text the log stores.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import log as log_part
from ubit.sim.board.parts.log import DAYS, HOURS, MILLISECONDS, MINUTES, NONE, SECONDS
from ubit.sim.micropython.api.files import ENOSPC, os_error
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mpfloat import format_float
from ubit.sim.shared.typenames import Any


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    kind = type(value).__name__
    raise TypeError(f"can't convert '{kind}' object to str implicitly")


def create(board: Board) -> dict[str, Any]:
    """The names of ``log`` on ``device`` (importing it sets timestamps to SECONDS)."""
    spec = board.spec
    log = log_part.of(board)
    log.set_timestamp(SECONDS)  # the module's __init__ on import

    def value_text(value: Any) -> str:
        if isinstance(value, float):
            return format_float(value, spec.float_digits, spec.floats_in_word)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return _text(value)

    def check(ok: bool) -> None:
        if not ok:
            raise os_error(spec, ENOSPC)

    def set_labels(*labels: Any, **kwargs: Any) -> None:
        """Name the columns (a heading line); ``timestamp=`` a unit or None (keyword only)."""
        board.clock.poll()
        unit = kwargs.pop("timestamp", SECONDS)
        if kwargs:
            raise TypeError("extra keyword arguments given")
        if unit is None:
            log.set_timestamp(NONE)
        elif isinstance(unit, int):
            log.set_timestamp(int(unit))
        else:
            raise TypeError(f"can't convert {type(unit).__name__} to int")
        if labels:
            check(log.add_row([(_text(label), "") for label in labels]))

    def add(*args: Any, **kwargs: Any) -> None:
        """Log a row from a dict or keyword arguments (new labels add columns)."""
        board.clock.poll()
        if len(args) > 1:
            raise ValueError("too many arguments")
        if args and not isinstance(args[0], dict):
            raise ValueError("expecting a dict")
        row = args[0] if args else kwargs  # with a dict, keyword arguments are ignored
        check(log.add_row([(_text(k), value_text(v)) for k, v in row.items()]))

    def delete(*args: Any, **kwargs: Any) -> None:
        """Erase the log (``full=True`` erases every page; the result is the same)."""
        board.clock.poll()
        if len(args) > 1:
            raise TypeError("extra positional arguments given")
        if set(kwargs) - {"full"} or (args and kwargs):
            raise TypeError("extra keyword arguments given")
        log.erase()

    def set_mirroring(serial: Any) -> None:
        """Also print every logged line on the serial port."""
        log.mirroring = bool(serial)

    functions = (set_labels, add, delete, set_mirroring)
    for fn in functions:  # argument errors then name the function as MicroPython would
        fn.__qualname__ = fn.__name__
    names: dict[str, Any] = {fn.__name__: api(fn) for fn in functions}
    names.update(MILLISECONDS=MILLISECONDS, SECONDS=SECONDS, MINUTES=MINUTES, HOURS=HOURS,
                 DAYS=DAYS)
    return names
