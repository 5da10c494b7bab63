"""The builtins user code sees: MicroPython's set, printing and formatting as the firmware does.

Floats are single precision on the micro:bit (V1 also drops the 2 lowest mantissa
bits to fit an object word) and the firmware formats them with its own routine
(``py/formatfloat.c``), which differs from C's printf in the last digits and in
rounding; it is ported here operation for operation in float32, as are the
``%`` operator and ``str.format`` (``py/objstr.c``) and float literal parsing
(``py/parsenum.c``). ``print``, ``repr`` and ``str(x)`` give MicroPython's text
while ``str`` stays CPython's type (reference §33, firmware-v1-observed.md).
"""

from __future__ import annotations

import builtins
import math
import sys
import types
from collections.abc import Callable
from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.micropython import hashorder, mperrors, stackmodel
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mpfloat import float32, float_to_int, nearbyint
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.micropython.v1quirks import (
    attribute_error,
    board_dir,
    make_attribute_check,
    make_build_class,
    sort_list,
)
from ubit.sim.shared.boards import BoardSpec

_real_str = builtins.str
_real_int = builtins.int
_INF = math.inf

# ---------------------------------------------------------------------------------------
# str() and int() calls in user code


def make_str_call(printer: Printer, spec: BoardSpec) -> Callable[[Any, Any], Any]:
    """The helper the executor compiles ``str(x)`` calls into.

    ``str`` stays CPython's type (``type(x) is str`` holds); a call gives the
    firmware's text: ``str(1/3)`` is ``0.333333``. Strings, ints and floats printed
    before take C calls only (``str(x)`` may sit in a program's innermost loop).
    With the stack model (V1), str() checks the stack as ``mp_obj_print_helper`` does
    and charges its frames while a ``__str__`` runs.
    """
    floats = printer._floats
    real_str, float_type = _real_str, float
    stacked = stackmodel.enabled(spec)
    stack, top, spend = stackmodel.STACK, stackmodel.limit(spec), stackmodel.STR

    @api
    def convert(callee: Any, value: Any) -> Any:
        if callee is not real_str:
            return callee(value)
        if not stacked:
            return printer.str(value)
        before = stackmodel.check(spend, top)
        try:
            return printer.str(value)
        finally:
            stack[0] = before

    def str_call(callee: Any, value: Any, _type: Any = type) -> Any:
        """``callee(value)`` where the source says ``str(value)``."""
        if callee is real_str:
            if stacked and stack[0] + spend > top:
                raise stackmodel.overflow(trim=False)
            kind = _type(value)
            if kind in PLAIN_STR_TYPES:
                return real_str(value)
            if kind is float_type:
                text = floats.get(value)
                if text is not None:
                    return text
        return convert(callee, value)

    return str_call


# Types whose str() text is the same on the firmware as in CPython (exact types only:
# a subclass may define its own __str__, which the firmware would not call the same way).
PLAIN_STR_TYPES = frozenset({str, int, bool, type(None)})


def make_str_slow(str_call: Callable[[Any, Any], Any]) -> Callable[[Any], Any]:
    """What ``str(x)`` of a name calls when ``x`` isn't of a plain type (compiler.py)."""
    real_str = _real_str

    def str_slow(value: Any) -> Any:
        return str_call(real_str, value)

    return str_slow


# ---------------------------------------------------------------------------------------
# The builtins


def make_builtins(board: Board, importer: Any) -> dict[str, Any]:
    """A builtins dict for user code on ``device``."""
    spec = board.spec
    printer = Printer(spec)
    stacked = stackmodel.enabled(spec)
    stack, top = stackmodel.STACK, stackmodel.limit(spec)
    names = dict(vars(builtins))
    for name in spec.missing_builtins:
        names.pop(name, None)
    sys.set_int_max_str_digits(0)  # MicroPython prints ints of any length
    mperrors.text_of, mperrors.repr_of = printer.str, printer.repr  # values in messages
    to_text = printer.str
    write_text, poll = board.serial.write_text, board.clock.poll

    def mp_print(*args: Any, sep: Any = " ", end: Any = "\n", **kw: Any) -> None:
        """print() to the board's serial port."""
        if stacked:  # mp_obj_print_helper checks the stack, and __str__ runs above it
            before = stackmodel.check(stackmodel.PRINT, top)
            try:
                print_text(args, sep, end, kw)
            finally:
                stack[0] = before
            return
        print_text(args, sep, end, kw)

    def print_text(args: tuple, sep: Any, end: Any, kw: dict[str, Any]) -> None:
        if sep is None:
            sep = " "
        if len(args) == 1:
            text = to_text(args[0])
        else:
            text = sep.join(map(to_text, args))
        text += "\n" if end is None else end
        if "file" in kw:
            kw["file"].write(text)
            return
        write_text(text)
        poll()

    def mp_input(prompt: Any = "") -> str:
        """input(): read a line from the serial port, echoing it as the REPL does."""
        if prompt:
            board.serial.write_text(printer.str(prompt))
        line = bytearray()
        while True:
            data = board.serial.read(1)
            if not data:
                raise EOFError()
            if data in (b"\r", b"\n"):
                board.serial.write(b"\r\n")
                return line.decode("utf-8", "replace")
            if data in (b"\x7f", b"\x08"):
                if line:
                    line.pop()
                    board.serial.write(b"\x08 \x08")
                continue
            line += data
            board.serial.write(data)

    lacks = make_attribute_check(spec)
    str_call = make_str_call(printer, spec)

    def mp_getattr(obj: Any, name: Any, *default: Any) -> Any:
        """getattr(), without what the firmware lacks."""
        if len(default) > 1:
            raise TypeError(f"function expected at most 3 arguments, got {2 + len(default)}")
        if type(name) is _real_str and lacks(obj, name):
            if default:
                return default[0]
            raise attribute_error(printer, obj, name)
        return getattr(obj, name, *default)

    def mp_hasattr(obj: Any, name: Any) -> bool:
        """hasattr(), without what the firmware lacks."""
        if type(name) is _real_str and lacks(obj, name):
            return False
        return hasattr(obj, name)

    listing = board_dir(spec)

    def mp_dir(*args: Any) -> list[str]:
        """dir(): the board's names for built-in types and modules."""
        if len(args) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(args)}")
        if not args:  # the caller's names: this, api's wrapper, the user's frame
            return sorted(name for name in sys._getframe(2).f_locals
                          if name != stackmodel.SAVED)  # the stack model's own local
        return listing(args[0])

    def get_attribute(obj: Any, name: str) -> Any:
        """``obj.name`` for a name the firmware may lack (rewritten by the executor)."""
        if lacks(obj, name):
            raise attribute_error(printer, obj, name)
        return getattr(obj, name)

    def get_slice(obj: Any, start: Any, stop: Any, step: Any) -> Any:
        """``obj[start:stop:step]``: only lists take a step (firmware-v2-observed 045)."""
        if step is not None and step != 1 and isinstance(obj, (_real_str, bytes, bytearray,
                                                               tuple)):
            raise NotImplementedError("only slices with step=1 (aka None) are supported")
        return obj[start:stop:step]

    def percent(pattern: Any, values: Any) -> Any:
        """``pattern % values`` for a literal pattern."""
        return printer.percent(pattern, values)

    def str_format(target: Any, *args: Any, **kwargs: Any) -> Any:
        """``target.format(...)``: MicroPython's formatting for a str."""
        if type(target) is _real_str:
            return printer.format(target, args, kwargs)
        return target.format(*args, **kwargs)

    def caught(exc: Any) -> None:
        """An exception caught by ``except ... as``: its message in the firmware's words."""
        stackmodel.tidy(exc)
        args = getattr(exc, "args", None)
        if type(exc) is KeyError:
            exc.args = mperrors.native_args(exc)
            return
        if args and len(args) == 1 and type(args[0]) is _real_str and mperrors.is_native(exc):
            try:
                text = mperrors.message_of(exc, spec)
            except Exception:  # noqa: BLE001 - a message we can't reword stays CPython's
                return
            if text != args[0]:
                exc.args = (text,)

    def sort_options(kwargs: dict[str, Any]) -> tuple[Any, Any]:
        if not set(kwargs) <= {"key", "reverse"}:
            raise TypeError("extra keyword arguments given")  # mp_arg_parse_all's words
        return kwargs.get("key"), kwargs.get("reverse", False)

    def mp_sorted(*args: Any, **kwargs: Any) -> list:
        """sorted(): the firmware's (unstable) order; the key is keyword-only."""
        if len(args) != 1:
            if len(args) > 1:
                raise TypeError("must use keyword argument for key function")
            raise TypeError("function missing 1 required positional arguments")
        key, reverse = sort_options(kwargs)
        items = list(args[0])
        sort_stacked(items, key, reverse)
        return items

    def sort_stacked(items: list, key: Any, reverse: Any) -> None:
        """``sort_list``; with the stack model, mp_quicksort's check and frames."""
        if not stacked:
            sort_list(items, key, reverse)
            return
        before = stackmodel.check(stackmodel.SORT, top)
        try:
            sort_list(items, key, reverse)
        finally:
            stack[0] = before

    def list_sort(target: Any, *args: Any, **kwargs: Any) -> Any:
        """``target.sort(...)``: the firmware's order for a list."""
        if type(target) is not list:
            return target.sort(*args, **kwargs)
        if args:
            raise TypeError("extra positional arguments given")
        key, reverse = sort_options(kwargs)
        sort_stacked(target, key, reverse)
        return None

    def mp_round(number: Any, *digits: Any) -> Any:
        """round() as the V1 does it: float32 steps, ints unchanged."""
        if len(digits) > 1:
            raise TypeError(f"function expected at most 2 arguments, got {1 + len(digits)}")
        if type(number) is int or (isinstance(number, int) and type(number) is not bool):
            return number
        value = printer.to_float(number)
        if not digits:
            return float_to_int(nearbyint(value), False)
        places = printer.to_machine_int(digits[0])
        mult = float32(10.0 ** places) if -46 < places < 39 else (0.0 if places < 0 else _INF)
        rounded = nearbyint(float32(value * mult))
        return printer.stored(rounded / mult) if mult else math.nan

    def mp_hash(value: Any) -> int:
        """hash(): str and bytes hash as V1 qstrs do (djb2, one byte)."""
        if type(value) in (_real_str, bytes):
            data = value.encode("utf-8", "surrogateescape") if type(value) is _real_str \
                else value
            h = 5381
            for byte in data:
                h = (h * 33) ^ byte
            return (h & 0xFF) or 1
        return hash(value)

    def mp_next(*args: Any) -> Any:
        """next(): no default on either firmware (firmware-v2-observed 105)."""
        if len(args) != 1:
            raise TypeError(f"function takes 1 positional arguments but {len(args)} were given")
        return next(args[0])

    def mp_pow(base: Any, exp: Any, *mod: Any) -> Any:
        """pow(): no 3-argument form on either firmware (firmware-v2-observed 023)."""
        if mod:
            raise NotImplementedError("3-arg pow() not supported")
        return base ** exp

    def mp_slice(*args: Any) -> Any:
        """slice() can't be called on either firmware (firmware-v2-observed 018)."""
        raise TypeError(f"{spec.cannot} create 'slice' instances")

    def mp_eval(source: Any, globals_: Any = None, locals_: Any = None) -> Any:
        """eval() of text compiled as the board compiles it."""
        return _run_text(eval, source, "eval", globals_, locals_)

    def mp_exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
        """exec() of text compiled as the board compiles it."""
        _run_text(exec, source, "exec", globals_, locals_)

    def _run_text(run: Callable[..., Any], source: Any, mode: str, globals_: Any,
                  locals_: Any) -> Any:
        from ubit.sim.micropython import compiler

        if globals_ is None:
            frame = sys._getframe(3)  # the user's frame: this, mp_eval/exec, api's wrapper
            globals_ = frame.f_globals
            if locals_ is None:
                locals_ = frame.f_locals
        elif isinstance(globals_, dict) and "__builtins__" not in globals_:
            globals_["__builtins__"] = names  # the board's builtins, not the host's
        if isinstance(source, (_real_str, bytes)):
            source = compiler.compile_user(source, "<string>", spec, mode)
        elif not isinstance(source, types.CodeType):
            raise TypeError(f"can't convert '{mperrors.mp_type_name(source)}' object to str "
                            "implicitly")
        return run(source, globals_, locals_)

    names.update(
        __import__=api(importer),
        __build_class__=make_build_class(spec),
        print=api(mp_print),
        input=api(mp_input),
        repr=api(printer.repr),
        getattr=api(mp_getattr),
        hasattr=api(mp_hasattr),
        dir=api(mp_dir),
        eval=api(mp_eval),
        exec=api(mp_exec),
        __mp_getattr__=api(get_attribute),
        __mp_getslice__=api(get_slice),
        __mp_percent__=api(percent),
        __mp_format__=api(str_format),
        __mp_caught__=api(caught),
        __mp_sort__=api(list_sort),
        __mp_str__=str_call,
        __mp_strslow__=make_str_slow(str_call),
        __mp_strtypes__=PLAIN_STR_TYPES,
        __mp_realstr__=_real_str,
        __mp_type__=type,
        sorted=api(mp_sorted),
    )
    names.update(next=api(mp_next), pow=api(mp_pow), slice=api(mp_slice))
    if hashorder.enabled():  # dict and set iterate in the firmware's slot order
        kinds = hashorder.make_types(spec)
        names.update(kinds)
        printer.register(kinds["dict"], kinds["set"])
    if spec.builtins_1_9:
        names.update(round=api(mp_round), hash=api(mp_hash))
    from ubit.sim.micropython.api.files import install as install_open

    install_open(names, board)  # the board's own open(): its flash, never the host's files
    from ubit.sim.micropython.helptext import make_help

    names["help"] = make_help(board)  # the firmware's help(), help('modules'), help(obj)
    from ubit.sim.micropython.asm.runtime import install as install_asm

    install_asm(names, board)  # what @micropython.asm_thumb functions call (compiler.py)
    from ubit.sim.micropython.heapmodel import install as install_heap

    install_heap(names, board)  # the checks of big allocations (heapmodel, compiler.py)
    return names
