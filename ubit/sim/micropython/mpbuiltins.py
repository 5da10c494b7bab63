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

from ubit.sim.board.board import Board
from ubit.sim.micropython import f32, hashorder, introspection, mperrors, stackmodel, tracebacks
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mpfloat import float32, float_to_int, nearbyint
from ubit.sim.micropython.mpobjects import accepting_arguments, bytes_format
from ubit.sim.micropython.mpobjects import install as install_objects
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.micropython.v1quirks import (
    attribute_error,
    board_dir,
    make_attribute_check,
    make_build_class,
    sort_list,
)
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

try:  # built from _sortnative.c by pip/make
    from ubit.sim.micropython._sortnative import one_type
except ImportError:  # no C compiler where this was installed: sort_list decides alone
    one_type = None  # type: ignore[assignment]

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
    real_str, float_type = _real_str, float_of(spec)
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


def make_print_options(spec: BoardSpec) -> Callable[[Any, Any, dict[str, Any]], tuple[str, str]]:
    """How print() reads its ``sep`` and ``end`` keywords (firmware-v2-observed 166).

    Both releases take their str data (``mp_obj_str_get_data``); 1.9.2 reads None as the
    default and ignores other keywords, 1.18 parses them (mp_arg_parse_all): None is no
    str there and an unknown keyword is refused.
    """
    strict = mperrors.words_1_18(spec)

    def text(value: Any, default: str) -> str:
        if type(value) is _real_str:
            return value
        if value is None and not strict:
            return default
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        raise TypeError(f"can't convert '{mperrors.mp_type_name(value)}' object to str "
                        "implicitly")

    def options(sep: Any, end: Any, kw: dict[str, Any]) -> tuple[str, str]:
        # neither firmware is built with MICROPY_PY_IO (v2.1.2 mpconfigport.h), so print
        # has no file: 1.18 refuses the keyword, 1.9.2 ignores it and prints to serial
        # (the V1 firmware under QEMU leaves the file empty) (py/modbuiltins.c)
        if strict and kw:
            raise TypeError("extra keyword arguments given")
        return text(sep, " "), text(end, "\n")

    return options


def make_bin(spec: BoardSpec) -> Callable[[Any], str]:
    """bin(): the firmware formats with ``'{:#b}'`` (1.9.2 and 1.18 modbuiltins.c), so a
    non-integer is a ValueError of format() (firmware-v2-observed 103: ``bin('a')``)."""
    real_bin = builtins.bin

    def mp_bin(value: Any) -> str:
        """bin(x): x in binary, ``0b...``."""
        if not isinstance(value, _real_int):
            raise ValueError(f"unknown format code 'b' for object of type "
                             f"'{mperrors.mp_type_name(value)}'")
        return real_bin(value)

    return mp_bin


# The exception types the firmware's builtins hold (firmware-v2-observed 057, 101); 1.18 adds
# StopAsyncIteration with async def. CPython's others (RecursionError, FileNotFoundError,
# Warning...) aren't names on the board.
_FIRMWARE_EXCEPTIONS = frozenset({
    "BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError",
    "EOFError", "GeneratorExit", "ImportError", "IndentationError", "IndexError", "KeyError",
    "KeyboardInterrupt", "LookupError", "MemoryError", "NameError", "NotImplementedError",
    "OSError", "OverflowError", "RuntimeError", "StopIteration", "SyntaxError", "SystemExit",
    "TypeError", "UnicodeError", "ValueError", "ZeroDivisionError"})


def drop_cpython_exceptions(names: dict[str, Any], spec: BoardSpec) -> None:
    """Take the exception types the firmware lacks out of the builtins ``names``."""
    keep = _FIRMWARE_EXCEPTIONS if spec.grammar_1_9 else \
        _FIRMWARE_EXCEPTIONS | {"StopAsyncIteration"}
    for name, value in list(names.items()):
        if isinstance(value, type) and issubclass(value, BaseException) and name not in keep:
            del names[name]


def float_of(spec: BoardSpec) -> type:
    """The builtin ``float`` of boards like ``spec``: single precision unless switched off."""
    return f32.board_float(spec.floats_in_word) if f32.enabled() else float


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


CO_OPTIMIZED = 0x1  # a code object's flag: a function's fast locals (inspect.CO_OPTIMIZED)


# What CPython's builtins module holds about itself; the firmware's names none of it
# (``print(__doc__)`` is a NameError on the V1 firmware under QEMU)
_HOST_MODULE_NAMES = ("__doc__", "__loader__", "__spec__", "__package__")


def make_builtins(board: Board, importer: Any) -> dict[str, Any]:
    """A builtins dict for user code on ``device``."""
    spec = board.spec
    printer = Printer(spec)
    stacked = stackmodel.enabled(spec)
    stack, top = stackmodel.STACK, stackmodel.limit(spec)
    names = dict(vars(builtins))
    for name in spec.missing_builtins:
        names.pop(name, None)
    for name in _HOST_MODULE_NAMES:  # CPython's builtins module's: `__doc__` would find them
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

    print_options = make_print_options(spec)

    def print_text(args: tuple, sep: Any, end: Any, kw: dict[str, Any]) -> None:
        if kw or type(sep) is not _real_str or type(end) is not _real_str:
            sep, end = print_options(sep, end, kw)
        if len(args) == 1:
            text = to_text(args[0])
        else:
            parts: list[str] = []
            try:
                for arg in args:
                    parts.append(to_text(arg))
            except BaseException:
                # the firmware prints each argument (and the separator before the next) as
                # it goes: what came before a failing __str__ is out (mp_builtin_print)
                if parts:
                    write_text(sep.join(parts) + sep)
                raise
            text = sep.join(parts)
        text += end
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

    lacks = introspection.attribute_check(spec, make_attribute_check(spec))

    def missing(obj: Any, name: str) -> AttributeError:
        return introspection.closure_error(obj, name) or attribute_error(printer, obj, name)
    str_call = make_str_call(printer, spec)

    def mp_getattr(obj: Any, name: Any, *default: Any) -> Any:
        """getattr(), without what the firmware lacks."""
        if len(default) > 1:
            raise TypeError(f"function expected at most 3 arguments, got {2 + len(default)}")
        if type(name) is _real_str and lacks(obj, name):
            if default:
                return default[0]
            raise missing(obj, name)
        if type(obj) is bytes and name == "format":
            return bytes_format(printer, obj)  # bytes have format() on the board (039)
        return getattr(obj, name, *default)

    def mp_hasattr(obj: Any, name: Any) -> bool:
        """hasattr(), without what the firmware lacks."""
        if type(name) is _real_str and lacks(obj, name):
            return False
        if type(obj) is bytes and name == "format":
            return True
        return hasattr(obj, name)

    listing = introspection.board_listing(spec, board_dir(spec))
    globals_listing = introspection.globals_listing(spec)

    def mp_dir(*args: Any) -> list[str]:
        """dir(): the board's names for built-in types and modules."""
        if len(args) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(args)}")
        if not args:  # the caller's globals (the firmware's locals()): this, api, the user
            return globals_listing(introspection.caller_globals(2))
        return listing(args[0])

    def mp_iter(*args: Any, **kwargs: Any) -> Any:
        """iter(obj): the firmware has no iter(callable, sentinel) (firmware-v2-observed 174)."""
        if kwargs:
            raise TypeError("function doesn't take keyword arguments")
        if len(args) != 1:
            raise TypeError(f"function takes 1 positional arguments but {len(args)} were given")
        return iter(args[0])

    def mp_locals() -> dict[str, Any]:
        """locals(): the module's globals, in a function too (firmware-v2-observed 117);
        a copy without the emulation's ``__builtins__``, in the firmware's order."""
        found = introspection.caller_globals(2)
        return {name: found[name] for name in globals_listing(found)}

    def get_attribute(obj: Any, name: str) -> Any:
        """``obj.name`` for a name the firmware may lack (rewritten by the executor)."""
        if lacks(obj, name):
            raise missing(obj, name)
        if name in introspection.INT_BYTES:
            return introspection.int_bytes_method(obj, name)
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
        if type(target) is bytes:
            return bytes_format(printer, target)(*args, **kwargs)
        return target.format(*args, **kwargs)

    def caught(exc: Any) -> Any:
        """An exception caught by ``except ... as``: its message in the firmware's words, or
        (returned) the exception of another type the firmware raises in its place."""
        stackmodel.tidy(exc)
        replacement = retyped(exc)  # judged by CPython's message, before it is reworded
        if replacement is not exc:
            return replacement
        args = getattr(exc, "args", None)
        if type(exc) is KeyError:
            exc.args = mperrors.native_args(exc, spec)
            return exc
        if args and len(args) == 1 and type(args[0]) is _real_str and mperrors.is_native(exc):
            try:
                text = mperrors.message_of(exc, spec)
            except Exception:  # noqa: BLE001 - a message we can't reword stays CPython's
                return exc
            if text != args[0]:
                exc.args = (text,)
        return exc

    def retyped(exc: Any) -> Any:
        """``exc`` as the type the firmware raises (UnboundLocalError is a NameError...)."""
        try:
            return mperrors.as_firmware_raises(exc, spec)
        except Exception:  # noqa: BLE001 - an exception we can't retype stays CPython's
            return exc

    def sort_options(kwargs: dict[str, Any]) -> tuple[Any, Any]:
        if not kwargs:  # the commonest call: no set made
            return None, False
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
        """``sort_list``; with the stack model, mp_quicksort's check and frames (as
        ``stackmodel.check``, written out: a sort may sit in a program's inner loop). A list
        of plain ints (or strs, bytes) is sorted by CPython's sort, the firmware's order
        for them, where ``one_type`` (C) tells it in one pass."""
        plain = False
        if key is None and one_type is not None:
            kind = one_type(items)  # by identity: a user's metaclass may define ==
            plain = kind is int or kind is str or kind is bytes
        if not stacked:
            if plain:
                items.sort(reverse=bool(reverse))
            else:
                sort_list(items, key, reverse)
            return
        before = stack[0]
        spend = stackmodel.SORT
        if before + spend > top:
            raise stackmodel.overflow(trim=False)
        stack[0] = before + spend
        try:
            if plain:
                items.sort(reverse=bool(reverse))
            else:
                sort_list(items, key, reverse)
        finally:
            stack[0] = before

    def list_sort(target: Any, *args: Any, **kwargs: Any) -> Any:
        """``target.sort(...)``: the firmware's order for a list."""
        if type(target) is not list:
            return target.sort(*args, **kwargs)
        if args:
            raise TypeError("extra positional arguments given")
        if kwargs:
            sort_stacked(target, *sort_options(kwargs))
        else:
            sort_stacked(target, None, False)
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
        return f32.new(rounded / mult if mult else math.nan, printer.boxed)

    def mp_hash(value: Any) -> int:
        """hash(): str and bytes hash as V1 qstrs do (djb2, one byte)."""
        if type(value) in (_real_str, bytes):
            data = value.encode("utf-8", "surrogateescape") if type(value) is _real_str \
                else value
            h = 5381
            for byte in data:
                h = (h * 33) ^ byte
            return (h & 0xFF) or 1
        return hashorder.firmware_hash(value)

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
        from ubit.sim.micropython import compiler, executor

        board_builtins = names
        if globals_ is None:
            frame = sys._getframe(3)  # the user's frame: this, mp_eval/exec, api's wrapper
            globals_, board_builtins = frame.f_globals, frame.f_builtins
            # not a function's: MicroPython's functions have no locals dict, so there exec
            # and eval see (and define into) the module's globals (mp_locals_get); a class
            # body's namespace is its locals
            if locals_ is None and not frame.f_code.co_flags & CO_OPTIMIZED:
                locals_ = frame.f_locals
        if isinstance(source, (_real_str, bytes)):
            source = compiler.compile_user(source, tracebacks.EXEC_FILE, spec, mode)
        elif not isinstance(source, types.CodeType):
            raise mperrors.not_source_text(source, spec)
        with stackmodel.module_frame(spec, "EXEC"):  # mp_parse_compile_execute's C stack
            if run is exec and isinstance(globals_, dict) and not source.co_freevars and \
                    (locals_ is None or isinstance(locals_, dict)):
                # the board's builtins, not the host's, and none left in globals_ (117)
                executor.run_in(source, globals_, board_builtins, locals_)
                return None
            # eval() (for its value) and what CPython refuses in its own words: the builtins
            # are in globals_ while it runs
            added = isinstance(globals_, dict) and "__builtins__" not in globals_
            if added:
                globals_["__builtins__"] = board_builtins
            try:
                return run(source, globals_, locals_)
            finally:
                if added:
                    globals_.pop("__builtins__", None)

    names.update(
        __import__=api(importer),
        __build_class__=accepting_arguments(introspection.slots_ignored(
            make_build_class(spec))),
        print=api(mp_print),
        input=api(mp_input),
        repr=api(printer.repr),
        getattr=api(mp_getattr),
        hasattr=api(mp_hasattr),
        dir=api(mp_dir),
        locals=api(mp_locals),
        iter=api(mp_iter),
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
    names.update(bin=api(make_bin(spec)))
    from ubit.sim.micropython.userclasses import wrap_build_class

    # comparisons without reflection, __exit__ seeing the firmware's exception (userclasses)
    # api: its wrappers' frames aren't the user's (a V1 counting frames, UBIT_STACK_MODEL=0,
    # would otherwise refuse a class statement at the top level)
    names["__build_class__"] = api(wrap_build_class(names["__build_class__"], caught))
    drop_cpython_exceptions(names, spec)
    if hashorder.enabled():  # dict and set iterate in the firmware's slot order
        kinds = hashorder.make_types(spec)
        names.update(kinds)
        printer.register(kinds["dict"], kinds["set"])
    if spec.builtins_1_9:
        names.update(round=api(mp_round), hash=api(mp_hash))
    from ubit.sim.micropython.mpsemantics import install as install_semantics

    install_semantics(names, spec, printer)  # str case, int(text), views, super, hash
    install_objects(names, spec)  # slice stores, round(x, n), bytearray([...]), set methods
    from ubit.sim.micropython.api.files import install as install_open

    install_open(names, board)  # the board's own open(): its flash, never the host's files
    from ubit.sim.micropython.helptext import make_help

    names["help"] = make_help(board)  # the firmware's help(), help('modules'), help(obj)
    from ubit.sim.micropython.asm.runtime import install as install_asm

    install_asm(names, board)  # what @micropython.asm_thumb functions call (compiler.py)
    from ubit.sim.micropython.heapmodel import install as install_heap

    install_heap(names, board)  # the checks of big allocations (heapmodel, compiler.py)
    from ubit.sim.micropython.callforms import install as install_calls

    install_calls(names, spec)  # what the call-form rewrites call (callforms.py)
    f32.install(names, printer, spec)  # float: the board's single-precision floats
    return names
