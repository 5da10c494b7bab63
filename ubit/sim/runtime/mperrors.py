"""CPython exceptions told in MicroPython's words: type names and messages.

MicroPython has fewer exception types and words its messages differently
(reference §1.4 and §33, firmware-v1-observed.md "Differences from CPython").
Each rule rewrites one CPython message; V1 and V2 differ where noted.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable

from ubit.sim.boards import BoardSpec

# CPython types MicroPython doesn't have, and the type it raises instead.
_TYPE_FOR = {
    RecursionError: "RuntimeError",
    FileNotFoundError: "OSError",
    PermissionError: "OSError",
    IsADirectoryError: "OSError",
    FileExistsError: "OSError",
    ModuleNotFoundError: "ImportError",
    UnicodeDecodeError: "UnicodeError",
    UnicodeEncodeError: "UnicodeError",
    TabError: "IndentationError",
}

_NATIVE = {obj for obj in vars(builtins).values()
           if isinstance(obj, type) and issubclass(obj, BaseException)}

Rule = Callable[[re.Match[str], BoardSpec], str]


def _name_error(m: re.Match[str], spec: BoardSpec) -> str:
    return f"name '{m[1]}' {spec.name_error} defined"


def _isnt(word: str) -> Rule:
    def rule(m: re.Match[str], spec: BoardSpec) -> str:
        return f"{m[1]} {'isn' + chr(39) + 't' if spec.name == 'v2' else 'is not'} {word}"
    return rule


_OPS = {"+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__", "//": "__floordiv__",
        "%": "__mod__", "**": "__pow__", "<<": "__lshift__", ">>": "__rshift__", "&": "__and__",
        "|": "__or__", "^": "__xor__", "<": "__lt__", ">": "__gt__", "<=": "__le__",
        ">=": "__ge__", "@": "__matmul__"}


def _binop(m: re.Match[str], spec: BoardSpec) -> str:
    op = m[1].strip()
    if op.endswith("="):  # augmented assignment: "+=" reports as __iadd__ on MicroPython
        op = op[:-1]
    return f"unsupported types for {_OPS.get(op, op)}: {m[2]}, {m[3]}"


RULES: list[tuple[re.Pattern[str], Rule]] = [
    (re.compile(r"^name '(\w+)' is not defined$"), _name_error),
    (re.compile(r"^cannot access local variable '\w+' where it is not associated with a value$"),
     lambda m, s: "local variable referenced before assignment"),
    (re.compile(r"^local variable '\w+' referenced before assignment$"),
     lambda m, s: "local variable referenced before assignment"),
    (re.compile(r"^unsupported operand type\(s\) for (.+?): ('\w+') and ('\w+')$"), _binop),
    (re.compile(r"^'(<|>|<=|>=)' not supported between instances of ('\w+') and ('\w+')$"),
     _binop),
    (re.compile(r"^can only concatenate str \(not \"(\w+)\"\) to str$"),
     lambda m, s: f"can't convert '{m[1]}' object to str implicitly"),
    (re.compile(r"^can't multiply sequence by non-int of type '(\w+)'$"),
     lambda m, s: f"unsupported types for __mul__: 'str', '{m[1]}'"),
    (re.compile(r"^('\w+' object) is not callable$"), _isnt("callable")),
    (re.compile(r"^('\w+' object) is not iterable$"), _isnt("iterable")),
    (re.compile(r"^('\w+' object) is not subscriptable$"), _isnt("subscriptable")),
    (re.compile(r"^invalid literal for int\(\) with base (\d+): .*$"),
     lambda m, s: f"invalid syntax for integer with base {m[1]}"),
    (re.compile(r"^could not convert string to float: .*$"),
     lambda m, s: "invalid syntax for number"),
    (re.compile(r"^(float )?division by zero$|^integer (division|modulo) by zero$"
                r"|^float (modulo|floor division)( by zero)?$"),
     lambda m, s: "divide by zero"),
    (re.compile(r"^list\.(remove|index)\(x\): x not in list$|^tuple\.index\(x\): x not in tuple$"),
     lambda m, s: "object not in sequence"),
    (re.compile(r"^maximum recursion depth exceeded.*$"),
     lambda m, s: "maximum recursion depth exceeded"),
    (re.compile(r"^(\w+)\(\) takes (\d+) positional arguments? but (\d+) (?:was|were) given$"),
     lambda m, s: f"function takes {m[2]} positional arguments but {m[3]} were given"),
    (re.compile(r"^(\w+)\(\) missing (\d+) required positional arguments?: .*$"),
     lambda m, s: "function missing required positional argument"),
    (re.compile(r"^pop from empty list$"), lambda m, s: "pop from empty list"),
    (re.compile(r"^string index out of range$"), lambda m, s: "string index out of range"),
    (re.compile(r"^tuple index out of range$"), lambda m, s: "tuple index out of range"),
    (re.compile(r"^math domain error$"), lambda m, s: "math domain error"),
]


def type_name(exc: BaseException) -> str:
    """The name MicroPython gives the exception's type."""
    for cls in type(exc).__mro__:
        if cls in _TYPE_FOR:
            return _TYPE_FOR[cls]
        if cls in _NATIVE or cls is type(exc):
            return cls.__name__
    return type(exc).__name__


def is_native(exc: BaseException) -> bool:
    """Whether the exception is one of the built-in types (not a user-defined class)."""
    return type(exc) in _NATIVE


def translate(text: str, spec: BoardSpec) -> str:
    """A CPython message in MicroPython's wording (unchanged when no rule matches)."""
    for pattern, rule in RULES:
        m = pattern.match(text)
        if m:
            return rule(m, spec)
    return text


def message(exc: BaseException, spec: BoardSpec, first_arg_only: bool = False) -> str:
    """The part after ``Type: `` MicroPython prints for ``exc``."""
    if isinstance(exc, IndentationError):
        return translate(exc.msg or "unexpected indent", spec)
    if isinstance(exc, SyntaxError):  # MicroPython's parser says little more than this
        return "invalid syntax"
    args = exc.args
    if isinstance(exc, OSError) and exc.errno is not None and not first_arg_only:
        return str(exc.errno) if spec.name == "v1" else f"[Errno {exc.errno}] {_errno_name(exc)}"
    if not args:
        return ""
    if len(args) == 1 or first_arg_only:
        arg = args[0]
        if isinstance(exc, KeyError):
            return repr(arg) if spec.name == "v2" else str(arg)
        return translate(arg, spec) if isinstance(arg, str) else str(arg)
    return repr(args)


def _errno_name(exc: OSError) -> str:
    import errno

    return errno.errorcode.get(exc.errno or 0, str(exc.errno))
