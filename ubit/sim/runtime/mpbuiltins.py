"""The builtins user code sees: MicroPython's set, printing as the firmware prints.

Floats are single precision on the micro:bit and print with 7 (V2) or 6 (V1)
significant digits (reference §33); ``print``, ``repr`` and ``str`` here format
them so, also inside lists, tuples, dicts and sets.
"""

from __future__ import annotations

import builtins
import struct
from typing import Any

from ubit.sim.runtime.boundary import api
from ubit.sim.runtime.device import Device

_real_repr = builtins.repr
_real_str = builtins.str
_pack_f, _unpack_f = struct.Struct("<f").pack, struct.Struct("<f").unpack


def float32(x: float) -> float:
    """``x`` rounded to single precision (inf when it overflows, as the firmware's float)."""
    try:
        return _unpack_f(_pack_f(x))[0]
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def format_float(x: float, digits: int) -> str:
    """MicroPython's float repr: %g with ``digits`` significant digits, ``.0`` if integral."""
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    text = f"{float32(x):.{digits}g}"
    if "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text


class Printer:
    """``repr``/``str`` of values as MicroPython shows them on one board."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def repr(self, obj: Any) -> str:
        """MicroPython's repr of ``obj``."""
        kind = type(obj)
        if kind is float:
            return format_float(obj, self.digits)
        if kind is list:
            return "[" + ", ".join(self.repr(x) for x in obj) + "]"
        if kind is tuple:
            inner = ", ".join(self.repr(x) for x in obj)
            return f"({inner},)" if len(obj) == 1 else f"({inner})"
        if kind is dict:
            return "{" + ", ".join(f"{self.repr(k)}: {self.repr(v)}" for k, v in obj.items()) + "}"
        if kind is set:
            return "{" + ", ".join(self.repr(x) for x in obj) + "}" if obj else "set()"
        return _real_repr(obj)

    def str(self, obj: Any) -> str:
        """MicroPython's str of ``obj``."""
        if type(obj) is float:
            return format_float(obj, self.digits)
        if type(obj) in (list, tuple, dict, set):
            return self.repr(obj)
        return _real_str(obj)


def make_builtins(device: Device, importer: Any) -> dict[str, Any]:
    """A builtins dict for user code on ``device``."""
    spec = device.spec
    printer = Printer(spec.float_digits)
    names = dict(vars(builtins))
    for name in spec.missing_builtins:
        names.pop(name, None)

    def mp_print(*args: Any, sep: str | None = " ", end: str | None = "\n", **kw: Any) -> None:
        """print() to the board's serial port."""
        text = (" " if sep is None else sep).join(map(printer.str, args))
        text += "\n" if end is None else end
        if "file" in kw:
            kw["file"].write(text)
            return
        device.serial.write_text(text)
        device.clock.poll()

    def mp_input(prompt: Any = "") -> str:
        """input(): read a line from the serial port, echoing it as the REPL does."""
        if prompt:
            device.serial.write_text(printer.str(prompt))
        line = bytearray()
        while True:
            data = device.serial.read(1)
            if not data:
                raise EOFError()
            if data in (b"\r", b"\n"):
                device.serial.write(b"\r\n")
                return line.decode("utf-8", "replace")
            if data in (b"\x7f", b"\x08"):
                if line:
                    line.pop()
                    device.serial.write(b"\x08 \x08")
                continue
            line += data
            device.serial.write(data)

    names.update(
        __import__=api(importer),
        print=api(mp_print),
        input=api(mp_input),
        repr=api(printer.repr),
    )
    from ubit.sim.runtime.api.files import install as install_open

    install_open(names, device)  # the board's own open(): its flash, never the host's files
    return names
