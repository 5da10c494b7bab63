"""``repr`` and ``str`` of values as MicroPython shows them.

Reference §33 and firmware-v1-observed.md: reprs of functions, classes, iterators,
exceptions and non-ASCII strings, and single-precision floats inside containers.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable

from ubit.sim.micropython import mperrors
from ubit.sim.micropython.mpfloat import float32, float_to_int, format_float, is_boxed, stored_float
from ubit.sim.micropython.mpformat import (
    ADD_PERCENT,
    CENTER,
    LEFT,
    OCTAL_LETTER,
    PAD_AFTER_SIGN,
    SHOW_COMMA,
    SHOW_PREFIX,
    SHOW_SIGN,
    SPACE_SIGN,
    display_width,
    fmt_int,
    fmt_number,
    is_integral,
    pad_field,
    read_int,
)
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

_real_repr = builtins.repr
_real_str = builtins.str
_real_int = builtins.int

# ---------------------------------------------------------------------------------------
# repr and str


_CO_GENERATOR = 0x20
# The __str__/__repr__ of built-in exception classes (KeyError has its own): not user code.
_NATIVE_EXCEPTIONS = [c for c in vars(builtins).values()
                      if isinstance(c, type) and issubclass(c, BaseException)]
_EXCEPTION_STRS = frozenset(c.__str__ for c in _NATIVE_EXCEPTIONS)
_EXCEPTION_REPRS = frozenset(c.__repr__ for c in _NATIVE_EXCEPTIONS)
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
                   types.WrapperDescriptorType, types.ClassMethodDescriptorType)
_BOUND_TYPES = (types.MethodType, types.MethodWrapperType)


def fake_address(obj: Any) -> str:
    """A V1-heap-like address for ``obj`` (8 hex digits), stable while it lives."""
    return f"{0x20000000 + (id(obj) >> 4) % 0x270 * 16:08x}"


class Printer:
    """``repr``/``str`` of values as MicroPython shows them on one board."""

    def __init__(self, board: BoardSpec | int, v1: bool | None = None) -> None:
        """Values as ``board`` shows them. Given only the digits its floats print with, the
        board printing that many: 6 is the V1, whose functions print as ``<function>``
        (``v1`` says so explicitly)."""
        if isinstance(board, BoardSpec):
            self.digits, self.boxed = board.float_digits, board.floats_in_word
            self.function_names = board.function_names
            self.errno_names = board.errno_names  # OSError(2) prints [Errno 2] ENOENT (V2)
        else:
            self.digits, self.boxed = board, is_boxed(board)
            self.function_names = not (self.boxed if v1 is None else v1)
            self.errno_names = False
        self._floats: dict[float, str] = {}
        self._repr_for: dict[type, Callable[[Any], str]] = {
            float: self.float_repr, list: self._list, tuple: self._tuple, dict: self._dict,
            set: self._set, frozenset: self._frozenset, str: str_repr, bytes: _real_repr,
            bytearray: _real_repr, range: _real_repr,
            type({}.keys()): self._view, type({}.values()): self._view,
            type({}.items()): self._view,
            memoryview: lambda obj: "<memoryview>",  # firmware-v2-observed 045
            property: lambda obj: "<property>",  # no print slot: ``<%q>`` (probe 108)
        }
        for kind, name in mperrors.MP_TYPE_NAMES.items():
            if name in ("iterator", "map", "zip", "enumerate", "filter", "reversed",
                        "staticmethod", "classmethod"):
                self._repr_for.setdefault(kind, lambda obj, text=f"<{name}>": text)

    def register(self, dict_type: type, set_type: type) -> None:
        """Print the board's own dict and set types (hashorder.py) as dicts and sets."""
        self._repr_for[dict_type] = self._dict
        self._repr_for[set_type] = self._set
        for kind in getattr(dict_type, "others", ()):
            self._repr_for[kind] = self._frozenset
        for view in getattr(dict_type, "views", ()):
            self._repr_for[view] = self._view

    # floats ---------------------------------------------------------------------------

    def float_repr(self, x: float) -> str:
        """MicroPython's repr (and str) of float ``x``."""
        text = self._floats.get(x)
        if text is None:
            text = format_float(x, self.digits, self.boxed)
            if x:  # not zeros: 0.0 and -0.0 are one key but print differently
                if len(self._floats) > 4096:  # a bounded cache: formatting costs ~12 µs
                    self._floats.clear()
                self._floats[x] = text
        return text

    def stored(self, x: float) -> float:
        """The value the board's float object holds for ``x``."""
        return stored_float(x, self.boxed)

    # repr -------------------------------------------------------------------------------

    def repr(self, obj: Any) -> str:
        """MicroPython's repr of ``obj``."""
        kind = type(obj)
        if kind is int or kind is bool or obj is None:
            return _real_repr(obj)
        if kind is str:  # str_repr, inline: the commonest repr after ints'
            shown = ascii(obj)
            return shown if "\\ud" not in shown else _raw_repr(obj)
        handler = self._repr_for.get(kind)
        if handler is not None:
            return handler(obj)
        return self._repr_other(obj, kind)

    def _list(self, obj: list) -> str:
        return "[" + ", ".join(map(self.repr, obj)) + "]"

    def _tuple(self, obj: tuple) -> str:
        if len(obj) == 1:
            return "(" + self.repr(obj[0]) + ",)"
        return "(" + ", ".join(map(self.repr, obj)) + ")"

    def _dict(self, obj: dict) -> str:
        r = self.repr
        return "{" + ", ".join(f"{r(k)}: {r(v)}" for k, v in obj.items()) + "}"

    def _set(self, obj: set) -> str:
        return "{" + ", ".join(map(self.repr, obj)) + "}" if obj else "set()"

    def _frozenset(self, obj: frozenset) -> str:
        return "frozenset({" + ", ".join(map(self.repr, obj)) + "})" if obj else "frozenset()"

    def _view(self, obj: Any) -> str:
        name = type(obj).__name__  # dict_keys, dict_values, dict_items: as the firmware
        return f"{name}([" + ", ".join(map(self.repr, obj)) + "])"

    def _repr_other(self, obj: Any, kind: type) -> str:
        if isinstance(obj, BaseException) and kind.__repr__ in _EXCEPTION_REPRS:
            return mperrors.type_name(obj) + self._tuple(obj.args)
        if isinstance(obj, type):
            return f"<class '{self.class_name(obj)}'>"
        if isinstance(obj, types.FunctionType):
            if obj.__code__.co_flags & _CO_GENERATOR:
                return "<generator>"
            if self.function_names and "/" not in obj.__code__.co_filename:  # user functions
                return f"<function {obj.__name__} at 0x{fake_address(obj)}>"
            return "<function>"
        if isinstance(obj, types.BuiltinFunctionType):
            owner = getattr(obj, "__self__", None)
            return "<function>" if owner is None or isinstance(owner, types.ModuleType) \
                else "<bound_method>"
        if isinstance(obj, _FUNCTION_TYPES):
            return "<function>"
        if isinstance(obj, _BOUND_TYPES):
            return "<bound_method>"
        if isinstance(obj, types.GeneratorType):
            return f"<generator object '{obj.__name__}' at {fake_address(obj)}>"
        if isinstance(obj, types.ModuleType):
            return f"<module '{obj.__name__}'>"
        if kind is object:
            return "<object>"
        if kind.__repr__ is object.__repr__:
            return f"<{self.class_name(kind)} object at {fake_address(obj)}>"
        for base in kind.__mro__[1:-1]:  # subclasses of list, dict, ... print as their base
            handler = self._repr_for.get(base)
            if handler is not None and kind.__repr__ is base.__repr__:
                return handler(obj)
        return self._own_text(kind.__repr__(obj))

    @staticmethod
    def class_name(cls: type) -> str:
        """The name MicroPython gives class ``cls``."""
        return mperrors.class_name(cls)

    # str ------------------------------------------------------------------------------

    def str(self, obj: Any) -> str:
        """MicroPython's str of ``obj``."""
        kind = type(obj)
        if kind is str:
            return obj
        if kind is int:
            return int.__repr__(obj)
        if kind is float:
            return self.float_repr(obj)
        if kind is bool or obj is None:
            return _real_str(obj)
        if kind in self._repr_for:
            return self._repr_for[kind](obj)
        if isinstance(obj, BaseException) and kind.__str__ in _EXCEPTION_STRS:
            return self.exception_str(obj)
        if kind.__str__ is not object.__str__ and not isinstance(obj, type):
            if isinstance(obj, str):
                return _real_str(obj)  # a str subclass: its text
            return self._own_text(kind.__str__(obj))
        return self.repr(obj)

    def _own_text(self, result: Any) -> str:
        """What a class's own ``__str__`` or ``__repr__`` returned, as printed: the firmware
        prints any object it returns as str() would (``instance_print`` in py/objtype.c),
        where CPython refuses anything but a str."""
        return result if type(result) is str else self.str(result)

    def exception_str(self, exc: BaseException) -> str:
        """str() of an exception: '' / the single argument / the tuple of arguments."""
        args = exc.args
        if isinstance(exc, OSError) and args and type(args[0]) is int and len(args) < 3 and \
                self.errno_names and mperrors.is_native(exc):  # (OSError(2, 'x') is CPython's
            # FileNotFoundError: the firmware's OSError)
            text = _errno_text(args[0])  # V2's "[Errno 2] ENOENT" (mp_obj_exception_print)
            if text is not None:
                return text + (": " + self.str(args[1]) if len(args) > 1 else "")
        if not args:
            return ""
        if len(args) == 1:
            return self.str(args[0])
        return self._tuple(args)

    # the % operator -----------------------------------------------------------------------

    def percent(self, pattern: str, values: Any) -> str:
        """``pattern % values`` as ``str_modulo_format`` does it."""
        if type(values) is tuple:
            args: tuple = values
            mapping = None
        else:
            args = (values,)
            mapping = values if isinstance(values, dict) else None
        out: list[str] = []
        i, n, arg_i, top = 0, len(args), 0, len(pattern)
        while i < top:
            c = pattern[i]
            if c != "%":
                j = pattern.find("%", i)
                j = top if j < 0 else j
                out.append(pattern[i:j])
                i = j
                continue
            i += 1
            if i >= top:
                raise ValueError("incomplete format")
            if pattern[i] == "%":
                out.append("%")
                i += 1
                continue
            arg: Any = _MISSING
            if pattern[i] == "(":
                if mapping is None:
                    raise TypeError("format requires a dict")
                arg_i = 1
                end = pattern.find(")", i)
                if end < 0:
                    raise ValueError("incomplete format key")
                arg = mapping[pattern[i + 1:end]]
                i = end + 1
            flags, fill, alt = 0, " ", 0
            while i < top:
                c = pattern[i]
                if c == "-":
                    flags |= LEFT
                elif c == "+":
                    flags |= SHOW_SIGN
                elif c == " ":
                    flags |= SPACE_SIGN
                elif c == "#":
                    alt = SHOW_PREFIX
                elif c == "0":
                    flags |= PAD_AFTER_SIGN
                    fill = "0"
                else:
                    break
                i += 1
            width = 0
            if i < top:
                if pattern[i] == "*":
                    if arg_i >= n:
                        raise TypeError("not enough arguments for format string")
                    width = self.to_machine_int(args[arg_i])
                    arg_i += 1
                    i += 1
                else:
                    width, i = read_int(pattern, i)
            prec = -1
            if i < top and pattern[i] == ".":
                i += 1
                if i < top:
                    if pattern[i] == "*":
                        if arg_i >= n:
                            raise TypeError("not enough arguments for format string")
                        prec = self.to_machine_int(args[arg_i])
                        arg_i += 1
                        i += 1
                    else:
                        prec, i = read_int(pattern, i)
            if i >= top:
                raise ValueError("incomplete format")
            if arg is _MISSING:
                if arg_i >= n:
                    raise TypeError("not enough arguments for format string")
                arg = args[arg_i]
                arg_i += 1
            out.append(self._percent_one(pattern, i, arg, flags, fill, alt, width, prec))
            i += 1
        if arg_i != n:
            raise TypeError("not all arguments converted during string formatting")
        return "".join(out)

    def _percent_one(self, pattern: str, i: int, arg: Any, flags: int, fill: str, alt: int,
                     width: int, prec: int) -> str:
        code = pattern[i]
        if code == "c":
            if isinstance(arg, _real_str):
                if len(arg) != 1:
                    raise TypeError("%c requires int or char")
                return pad_field(arg, flags, " ", width)
            if is_integral(arg):
                return pad_field(_lone_byte(self.to_machine_int(arg) & 0xFF), flags, " ",
                                 width)
            raise TypeError("integer required")
        if code in "diu":
            if type(arg) is float or isinstance(arg, float):
                arg = float_to_int(arg, self.boxed)
            return fmt_int(self.to_int(arg), 10, False, flags, fill, width, prec)
        if code in "eEfFgG":
            return fmt_number(self.to_float(arg), code, flags, fill, width, prec)
        if code == "o":
            if alt:
                flags |= SHOW_PREFIX | OCTAL_LETTER
            return fmt_int(self.to_int(arg), 8, False, flags, fill, width, prec)
        if code in "xX":
            return fmt_int(self.to_int(arg), 16, code == "X", flags | alt, fill, width, prec)
        if code in "rs":
            text = self.repr(arg) if code == "r" else self.str(arg)
            if 0 <= prec < display_width(text):
                text = text.encode("utf-8", "surrogateescape")[:prec].decode("utf-8", "replace")
            return pad_field(text, flags, " ", width)
        raise ValueError(f"unsupported format character '{code}' (0x{ord(code):x}) "
                         f"at index {i}")

    # str.format ---------------------------------------------------------------------------

    def format(self, pattern: str, args: tuple, kwargs: dict[str, Any]) -> str:
        """``pattern.format(*args, **kwargs)`` as ``mp_obj_str_format_helper`` does it."""
        return self._format(pattern, args, kwargs, [0])

    def _format(self, pattern: str, args: tuple, kwargs: dict[str, Any],
                arg_i: list[int]) -> str:
        out: list[str] = []
        i, top = 0, len(pattern)
        while i < top:
            c = pattern[i]
            if c == "}":
                i += 1
                if i < top and pattern[i] == "}":
                    out.append("}")
                    i += 1
                    continue
                raise ValueError("single '}' encountered in format string")
            if c != "{":
                j = i
                while j < top and pattern[j] not in "{}":
                    j += 1
                out.append(pattern[i:j])
                i = j
                continue
            i += 1
            if i < top and pattern[i] == "{":
                out.append("{")
                i += 1
                continue
            field_start = i
            while i < top and pattern[i] not in "}!:":
                i += 1
            field = pattern[field_start:i]
            conversion = ""
            if i < top and pattern[i] == "!":
                i += 1
                if i < top and pattern[i] in "rs":
                    conversion = pattern[i]
                    i += 1
                else:
                    raise ValueError("bad conversion specifier")
            spec: str | None = None
            if i < top and pattern[i] == ":":
                i += 1
                if i < top and pattern[i] != "}":
                    spec_start, nest = i, 1
                    while i < top:
                        if pattern[i] == "{":
                            nest += 1
                        elif pattern[i] == "}":
                            nest -= 1
                            if nest == 0:
                                break
                        i += 1
                    spec = pattern[spec_start:i]
            if i >= top:
                raise ValueError("unmatched '{' in format")
            if pattern[i] != "}":
                raise ValueError("expected ':' after format specifier")
            i += 1
            arg = self._format_arg(field, args, kwargs, arg_i)
            if spec is None and not conversion:
                conversion = "s"
            if conversion:
                arg = self.repr(arg) if conversion == "r" else self.str(arg)
            out.append(self._format_one(arg, spec, args, kwargs, arg_i))
        return "".join(out)

    @staticmethod
    def _format_arg(field: str, args: tuple, kwargs: dict[str, Any], arg_i: list[int]) -> Any:
        if field:
            if "0" <= field[0] <= "9":
                if arg_i[0] > 0:
                    raise ValueError("can't switch from automatic field numbering to "
                                     "manual field specification")
                index, end = read_int(field, 0)
                if index >= len(args):
                    raise IndexError("tuple index out of range")
                arg, arg_i[0] = args[index], -1
            else:
                end = 0
                while end < len(field) and field[end] not in ".[":
                    end += 1
                key = field[:end]
                if key not in kwargs:
                    raise KeyError(key)
                arg = kwargs[key]
            if end < len(field):
                raise NotImplementedError("attributes not supported yet")
            return arg
        if arg_i[0] < 0:
            raise ValueError("can't switch from manual field specification to automatic "
                             "field numbering")
        if arg_i[0] >= len(args):
            raise IndexError("tuple index out of range")
        arg_i[0] += 1
        return args[arg_i[0] - 1]

    def _format_one(self, arg: Any, spec: str | None, args: tuple, kwargs: dict[str, Any],
                    arg_i: list[int]) -> str:
        fill = align = kind = ""
        width = prec = -1
        flags = 0
        if spec is not None:
            s = self._format(spec, args, kwargs, arg_i) + "\0"  # nested {} first
            i = 0
            if s[0] in "<>=^":
                align, i = s[0], 1
            elif s[0] != "\0" and s[1] in "<>=^":
                fill, align, i = s[0], s[1], 2
            if s[i] in "+- ":
                flags |= {"+": SHOW_SIGN, " ": SPACE_SIGN, "-": 0}[s[i]]
                i += 1
            if s[i] == "#":
                flags |= SHOW_PREFIX
                i += 1
            if s[i] == "0":
                align = align or "="
                fill = fill or "0"
            if "0" <= s[i] <= "9":
                width, i = read_int(s, i)
            if s[i] == ",":
                flags |= SHOW_COMMA
                i += 1
            if s[i] == ".":
                prec, i = read_int(s, i + 1)
            if s[i] in "bcdeEfFgGnosxX%":
                kind = s[i]
                i += 1
            if s[i] != "\0":
                raise ValueError("invalid format specifier")
        numeric = is_integral(arg) or type(arg) is float or isinstance(arg, float)
        align = align or (">" if numeric else "<")
        fill = fill or " "
        if flags & (SHOW_SIGN | SPACE_SIGN):
            if kind == "s":
                raise ValueError("sign not allowed in string format specifier")
            if kind == "c":
                raise ValueError("sign not allowed with integer format specifier 'c'")
        flags |= {"<": LEFT, "=": PAD_AFTER_SIGN, "^": CENTER}.get(align, 0)
        if is_integral(arg):
            value = _real_int(arg)
            if kind == "b":
                return fmt_int(value, 2, False, flags, fill, width, 0)
            if kind == "c":
                return pad_field(chr(value & 0xFF), flags, fill, width)
            if kind in ("", "n", "d"):
                return fmt_int(value, 10, False, flags, fill, width, 0)
            if kind == "o":
                if flags & SHOW_PREFIX:
                    flags |= OCTAL_LETTER
                return fmt_int(value, 8, False, flags, fill, width, 0)
            if kind in "xX":
                return fmt_int(value, 16, kind == "X", flags, fill, width, 0)
            if kind not in "eEfFgG%":
                raise ValueError(f"unknown format code '{kind}' for object of type "
                                 f"'{mperrors.mp_type_name(arg)}'")
        if numeric:
            kind = "g" if kind in ("", "n") else kind
            if kind == "%":
                value = float32(self.to_float(arg) * 100.0)
                return fmt_number(value, "f", flags | ADD_PERCENT, fill, width, prec)
            if kind in "eEfFgG":
                return fmt_number(self.to_float(arg), kind, flags, fill, width, prec)
            raise ValueError(f"unknown format code '{kind}' for object of type 'float'")
        if align == "=":
            raise ValueError("'=' alignment not allowed in string format specifier")
        if kind not in ("", "s"):
            raise ValueError(f"unknown format code '{kind}' for object of type 'str'")
        if not isinstance(arg, _real_str):
            raise TypeError(f"can't convert '{mperrors.mp_type_name(arg)}' object to str "
                            "implicitly")
        if 0 <= prec < display_width(arg):
            arg = arg.encode("utf-8", "surrogateescape")[:prec].decode("utf-8", "replace")
        return pad_field(arg, flags, fill, width)

    # conversions ------------------------------------------------------------------------

    def to_int(self, value: Any) -> int:
        """``mp_obj_get_int``: ints and bools only."""
        if is_integral(value):
            return _real_int(value)
        raise TypeError(f"can't convert {mperrors.mp_type_name(value)} to int")

    def to_machine_int(self, value: Any) -> int:
        """``mp_obj_get_int`` where C wants a machine word: big ints overflow."""
        number = self.to_int(value)
        if not -(1 << 31) <= number < 1 << 31:
            raise OverflowError("overflow converting long int to machine word")
        return number

    def to_float(self, value: Any) -> float:
        """``mp_obj_get_float``: the float32 value of an int, bool or float."""
        if type(value) is float or isinstance(value, float):
            return self.stored(value)
        if is_integral(value):
            return float32(_real_int(value))
        raise TypeError(f"can't convert {mperrors.mp_type_name(value)} to float")


_MISSING = object()


def _lone_byte(byte: int) -> str:
    """``'%c' % n`` puts the single byte ``n & 0xff`` into the str (``str_modulo_format``);
    past 0x7f that byte isn't UTF-8, and the firmware reads it back as ``utf8_get_char``
    decodes a lead byte with no continuation: its marker bits dropped (0xff reads as 0)."""
    return chr(byte) if byte < 0x80 else chr(_lead_bits(byte))


def _lead_bits(byte: int) -> int:
    """What ``utf8_get_char`` keeps of a non-ASCII lead byte: its leading 1 bits dropped."""
    value, mask = byte & 0x7F, 0x40
    while value & mask:
        value &= ~mask
        mask >>= 1
    return value


def str_repr(text: str) -> str:
    """MicroPython's repr of a str: CPython's ``ascii`` but for raw bytes, kept as
    surrogate escapes (the V1's unchecked ``str(b, enc)``), shown as the firmware reads
    them back."""
    shown = ascii(text)
    return shown if "\\ud" not in shown else _raw_repr(text)


def _raw_repr(text: str) -> str:
    """``uni_print_quoted`` (py/objstrunicode.c) of ``text``'s bytes, UTF-8 or not."""
    data = bytearray()
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a raw byte (surrogateescape)
            data.append(code - 0xDC00)
        else:
            data += char.encode("utf-8", "surrogatepass")
    quote = '"' if b"'" in data and b'"' not in data else "'"
    out = [quote]
    i, end = 0, len(data)
    while i < end:
        # utf8_get_char: a lead byte's bits, then every continuation byte after it;
        # utf8_next_char skips those continuations after an ASCII byte too
        code = data[i]
        i += 1
        if code >= 0x80:
            code = _lead_bits(code)
            while i < end and data[i] & 0xC0 == 0x80:
                code = ((code << 6) | (data[i] & 0x3F)) & 0xFFFFFFFF
                i += 1
        else:
            while i < end and data[i] & 0xC0 == 0x80:
                i += 1
        if code == ord(quote) or code == 0x5C:
            out.append("\\" + chr(code))
        elif 32 <= code <= 126:
            out.append(chr(code))
        else:
            out.append(_ESCAPES.get(code) or (f"\\x{code:02x}" if code < 0x100 else
                                              f"\\u{code:04x}" if code < 0x10000 else
                                              f"\\U{code:08x}"))
    out.append(quote)
    return "".join(out)


_ESCAPES = {10: "\\n", 13: "\\r", 9: "\\t"}


def _errno_text(code: int) -> str | None:
    """``[Errno 2] ENOENT`` for an errno the V2's uerrno table names (else None)."""
    from ubit.sim.micropython.api.files import V2_ERRNO_NAMES  # only when one is printed

    name = V2_ERRNO_NAMES.get(code)
    return None if name is None else f"[Errno {code}] {name}"
