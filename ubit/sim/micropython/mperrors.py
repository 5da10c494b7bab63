"""CPython exceptions told in MicroPython's words: type names and messages.

MicroPython has fewer exception types and words its messages differently
(reference §1.4 and §33, firmware-v1-observed.md "Differences from CPython");
each rule below rewrites one CPython 3.11 message, as measured on the V1
firmware under QEMU. V1 and V2 differ where noted. A few messages name things
CPython's message leaves out (the left operand of ``*``, a function's argument
count); those are recovered from the failing expression in the user's source.
"""

from __future__ import annotations

import ast
import builtins
import os
import types
from collections.abc import Callable
from itertools import islice

from ubit.sim.micropython import boundary
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import TYPE_CHECKING, Any

if TYPE_CHECKING:  # re only where a message is translated: not every board's start-up
    import re

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
    UnboundLocalError: "NameError",
}

_NATIVE = {obj for obj in vars(builtins).values()
           if isinstance(obj, type) and issubclass(obj, BaseException)}


def _kinds(*values: Any) -> list[type]:
    return [type(v) for v in values]


# CPython's built-in types under the names MicroPython gives them (py/obj*.c type names).
MP_TYPE_NAMES: dict[type, str] = {
    types.FunctionType: "function", types.BuiltinFunctionType: "function",
    types.MethodDescriptorType: "function", types.WrapperDescriptorType: "function",
    types.ClassMethodDescriptorType: "function", types.MethodType: "bound_method",
    types.MethodWrapperType: "bound_method", types.GeneratorType: "generator",
    types.CoroutineType: "generator",  # async def makes a generator (firmware-v2-observed 100)
    types.ModuleType: "module", type(...): "", type({}.keys()): "dict_view",
    type({}.values()): "dict_view", type({}.items()): "dict_view",
    map: "map", zip: "zip", enumerate: "enumerate", filter: "filter", reversed: "reversed",
    type(reversed([])): "reversed", staticmethod: "staticmethod", classmethod: "classmethod",
}
for _kind in _kinds(iter([]), iter(()), iter(""), iter("\xe9"), iter(b""), iter(bytearray()),
                    iter(set()), iter({}), iter({}.values()), iter({}.items()), iter(range(0)),
                    iter(range(1 << 70)), iter(lambda: 0, 0)):
    MP_TYPE_NAMES[_kind] = "iterator"
# The same, by CPython's name, for names inside CPython's messages.
_CPYTHON_NAMES = {kind.__name__: name for kind, name in MP_TYPE_NAMES.items()
                  if kind not in (map, zip, enumerate, filter, staticmethod, classmethod)}
_CPYTHON_NAMES["builtin_function_or_method"] = "function"
_CPYTHON_NAMES["method"] = "bound_method"

Rule = Callable[["re.Match[str]", BoardSpec, BaseException | None], str]


def class_name(cls: type) -> str:
    """The name MicroPython gives class ``cls`` (built-in or user-defined)."""
    name = MP_TYPE_NAMES.get(cls)
    if name is not None:
        return name
    if issubclass(cls, BaseException):
        for base in cls.__mro__:
            if base in _TYPE_FOR:
                return _TYPE_FOR[base]
            if base in _NATIVE or base is cls:
                return base.__name__
    return cls.__name__


def mp_type_name(obj: Any) -> str:
    """The type name MicroPython uses for ``obj`` in messages (``'int' object ...``)."""
    kind = type(obj)
    name = MP_TYPE_NAMES.get(kind)
    return name if name is not None else class_name(kind)


def _t(name: str) -> str:
    """A CPython type name from a message, as MicroPython names it."""
    return _CPYTHON_NAMES.get(name, name)


# ---------------------------------------------------------------------------------------
# The user's source, for the messages that need to look at the failing expression

_SOURCES: dict[str, list[str]] = {}


def remember_source(filename: str, text: str) -> None:
    """Keep ``text`` as the source of user file ``filename`` (for error messages)."""
    _SOURCES[filename] = text.splitlines()


def source_lines(filename: str) -> list[str] | None:
    """The lines of user file ``filename`` as last compiled, if known."""
    return _SOURCES.get(filename)


def _is_user(filename: str) -> bool:
    return os.sep not in filename and "/" not in filename and not filename.startswith("<frozen")


def failing_expression(exc: BaseException | None) -> tuple[ast.AST, types.FrameType] | None:
    """The expression (as an AST node) the innermost user frame was running, and the frame."""
    tb = exc.__traceback__ if exc is not None else None
    last = None
    while tb is not None:
        if _is_user(tb.tb_frame.f_code.co_filename):
            last = tb
        tb = tb.tb_next
    if last is None:
        return None
    code = last.tb_frame.f_code
    lines = _SOURCES.get(code.co_filename)
    try:
        line, end_line, col, end_col = next(islice(code.co_positions(), last.tb_lasti // 2,
                                                   None))
    except (StopIteration, ValueError):
        return None
    if not lines or None in (line, end_line, col, end_col) or end_line > len(lines):
        return None
    chunk = [text.encode() for text in lines[line - 1:end_line]]
    if len(chunk) == 1:
        chunk[0] = chunk[0][col:end_col]
    else:
        chunk[0], chunk[-1] = chunk[0][col:], chunk[-1][:end_col]
    text = b"\n".join(chunk).decode("utf-8", "replace")
    for source, mode in (("(" + text + "\n)", "eval"), (text.strip(), "exec")):
        try:
            tree = ast.parse(source, mode=mode)
        except SyntaxError:
            continue
        node = tree.body if mode == "eval" else (tree.body[0] if tree.body else None)
        if node is not None:
            return node, last.tb_frame
    return None


def _failing_line(exc: BaseException) -> str:
    """The source line the innermost user frame of ``exc`` was running ('' if unknown)."""
    tb, last = exc.__traceback__, None
    while tb is not None:
        if _is_user(tb.tb_frame.f_code.co_filename):
            last = tb
        tb = tb.tb_next
    if last is None:
        return ""
    lines = _SOURCES.get(last.tb_frame.f_code.co_filename) or []
    return lines[last.tb_lineno - 1] if 0 < last.tb_lineno <= len(lines) else ""


def value_of(node: ast.AST, frame: types.FrameType) -> Any:
    """The value of a simple expression (a constant, name or a.b) in ``frame``, else None."""
    value = _value_of(node, frame)
    return None if value is _UNKNOWN else value


def _value_of(node: ast.AST, frame: types.FrameType) -> Any:
    """The value of a simple expression (a name or a.b) in ``frame``, else ``_UNKNOWN``."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Attribute):
        base = _value_of(node.value, frame)
        if base is not _UNKNOWN and isinstance(base, (type, types.ModuleType)):
            return getattr(base, node.attr, _UNKNOWN)
    return _UNKNOWN


_UNKNOWN = object()
_CO_VARARGS = 0x04
_DISPLAYS = {ast.List: "list", ast.ListComp: "list", ast.Tuple: "tuple", ast.Dict: "dict",
             ast.DictComp: "dict", ast.Set: "set", ast.SetComp: "set", ast.JoinedStr: "str",
             ast.GeneratorExp: "generator", ast.Lambda: "function"}


def _type_of(node: ast.AST, frame: types.FrameType) -> str | None:
    """MicroPython's type name of a simple expression's value, if it can be told."""
    kind = _DISPLAYS.get(type(node))
    if kind is not None:
        return kind
    value = _value_of(node, frame)
    return None if value is _UNKNOWN else mp_type_name(value)


def _operands(exc: BaseException | None) -> tuple[ast.AST, ast.AST, types.FrameType] | None:
    found = failing_expression(exc)
    if found is None:
        return None
    node, frame = found
    if isinstance(node, ast.BinOp):
        return node.left, node.right, frame
    if isinstance(node, ast.AugAssign):
        return node.target, node.value, frame
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:
        return node.left, node.comparators[0], frame
    return None


def _left_type(exc: BaseException | None, default: str) -> str:
    found = _operands(exc)
    return (_type_of(found[0], found[2]) if found else None) or default


# ---------------------------------------------------------------------------------------
# The rules

# The operators' method names; the firmware names only some in messages (BoardSpec.named_ops:
# mp_binary_op_method_name without MICROPY_PY_ALL_SPECIAL_METHODS), the others print as ""
# (firmware-v2-observed 027, 051: ``'a' * 'b'``, ``1.5 & 1``, ``-'a'`` on both releases).
_OP_NAMES = {"+": "__add__", "-": "__sub__", "<": "__lt__", ">": "__gt__", "<=": "__le__",
             ">=": "__ge__", "+=": "__iadd__", "-=": "__isub__", "in": "__contains__"}


def _op_name(op: str, spec: BoardSpec) -> str:
    op = op.split(" ")[0]  # "** or pow()"
    return _OP_NAMES.get(op, "") if op in spec.named_ops else ""


# Types mp_obj_get_float converts (V1's float operators take any of them on the right).
_FLOATABLE = frozenset({"int", "float", "bool"})


def _binop(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    op, left, right = m[1], _t(m[2]), _t(m[3])
    if spec.converts_right_operand and left == "float" and right not in _FLOATABLE:
        return f"can't convert {right} to float"  # 1.9.2 mp_obj_float_binary_op converts it
    if left == "str" and right != "str" and op.split(" ")[0] not in "*%":
        # mp_obj_str_binary_op on both releases: bad_implicit_conversion of the right
        # operand (firmware-v2-observed 028, 051: 'a' < 1, divmod('a', 1), max(1, 'a'))
        return f"can't convert '{right}' object to str implicitly"
    return f"unsupported types for {_op_name(op, spec)}: '{left}', '{right}'"


def _compare(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    return _binop(m, spec, exc)


def _multiply(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    left = _left_type(exc, "str")
    return f"unsupported types for : '{left}', '{_t(m[1])}'"  # no name (probe 051)


def _isnt(word: str) -> Rule:
    def rule(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
        return f"'{_t(m[1])}' object {spec.is_not} {word}"
    return rule


def _contains(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    found = _operands(exc)
    left = _type_of(found[0], found[2]) if found else None
    right = _t(m[1])
    if left is not None and left != "str":  # int in int: the container has no __contains__
        return f"unsupported types for {_op_name('in', spec)}: '{left}', '{right}'"
    return f"'{right}' object {spec.is_not} iterable"


def _missing_args(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``f() missing 1 required positional argument``: V1 counts the arguments given."""
    missing = int(m[2])
    found = failing_expression(exc)
    call = found[0] if found is not None and isinstance(found[0], ast.Call) else None
    if call is not None and not any(isinstance(a, ast.Starred) for a in call.args):
        if isinstance(call.func, ast.Lambda) and not call.keywords:
            required = len(call.func.args.args) - len(call.func.args.defaults)
            if required - len(call.args) == missing:
                return f"function takes {required} positional arguments but {len(call.args)} " \
                       "were given"
        fn = _value_of(call.func, found[1])  # type: ignore[index]
        bound = 0
        if fn is _UNKNOWN and isinstance(call.func, ast.Attribute):
            owner = _value_of(call.func.value, found[1])  # type: ignore[index]
            if owner is not _UNKNOWN:
                fn, bound = _method_of(type(owner), call.func.attr)
        if fn is _UNKNOWN:  # o.m() with o not a name, table[k](): by its qualified name
            fn, bound = _by_qualname(m[1], found[1])  # type: ignore[index]
        if isinstance(fn, type):  # a class called: its __init__, with self given
            fn, bound = _method_of(fn, "__init__")
        if fn is _UNKNOWN:
            return f"function missing {missing} required positional arguments"
        fn = boundary.original(fn)  # a builtin of the board: the function behind it
        code = getattr(fn, "__code__", None)
        if code is not None:
            # a bound method (K.classmethod, o.method as a value): the firmware counts its
            # self as given (firmware-v2-observed 110)
            native = not _is_user(code.co_filename)
            own = 1 if isinstance(fn, types.MethodType) else 0
            required = code.co_argcount - len(getattr(fn, "__defaults__", None) or ())
            given = len(call.args) + bound + own
            if native:  # a board builtin made of a bound method: its self isn't the user's
                required, given = required - own, given - own
            if native and (required != code.co_argcount - own or code.co_flags & _CO_VARARGS):
                return f"function missing {missing} required positional arguments"
            if call.keywords and not native:
                return _missing_by_position(code, required, given, call) or \
                    f"function missing {missing} required positional arguments"
            if required - given == missing:
                return f"function takes {required} positional arguments but {given} were given"
    return f"function missing {missing} required positional arguments"


def _missing_by_position(code: types.CodeType, required: int, given: int,
                         call: ast.Call) -> str | None:
    """A user function called with keywords but without all its required positional
    arguments: the firmware names the last one missing by its index, self counted
    (``mp_setup_code_state`` scans them from the end; 1.9.2 and 1.18 py/bc.c)."""
    named = {keyword.arg for keyword in call.keywords}
    if None in named:  # **mapping: which names it held is not known here
        return None
    missing = [index for index in range(given, required)
               if code.co_varnames[index] not in named]
    if not missing:
        return None
    return f"function missing required positional argument #{missing[-1]}"


def _unexpected_keyword(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """A keyword the function doesn't have: a user's function names it; one of the board's
    C-function stand-ins (positional-only parameters) takes no keywords at all."""
    found = failing_expression(exc)
    if found is not None and isinstance(found[0], ast.Call):
        fn = boundary.original(_value_of(found[0].func, found[1]))
        code = getattr(fn, "__code__", None)
        if code is not None and code.co_posonlyargcount and not _is_user(code.co_filename):
            return f"function {spec.does_not} take keyword arguments"
    return f"unexpected keyword argument '{m[2]}'"


def _by_qualname(qualname: str, frame: types.FrameType) -> tuple[Any, int]:
    """The function named like ``f`` or ``Class.method`` in ``frame``'s globals and how
    many arguments its call is given before the source's (its self), else ``_UNKNOWN``."""
    parts = qualname.split(".")
    if "<locals>" in parts:
        return _UNKNOWN, 0
    value: Any = frame.f_globals.get(parts[0], _UNKNOWN)
    if len(parts) == 1:
        return (value, 0) if getattr(value, "__qualname__", None) == qualname else (_UNKNOWN, 0)
    for part in parts[1:-1]:
        value = getattr(value, part, _UNKNOWN) if value is not _UNKNOWN else _UNKNOWN
    return _method_of(value, parts[-1]) if isinstance(value, type) else (_UNKNOWN, 0)


def _method_of(cls: type, name: str) -> tuple[Any, int]:
    """``cls``'s function ``name`` as a call through an instance meets it, and how many
    arguments that call gives it first (1: self or cls; 0: a staticmethod's)."""
    for klass in cls.__mro__:
        raw = vars(klass).get(name)
        if raw is not None:
            if isinstance(raw, staticmethod):
                return raw.__func__, 0
            if isinstance(raw, classmethod):
                return raw.__func__, 1
            return (raw, 1) if isinstance(raw, types.FunctionType) else (_UNKNOWN, 0)
    return _UNKNOWN, 0


def _method_count(m: re.Match[str], takes: int) -> str:
    bound = "." in m[1]  # list.append(): the firmware counts self
    return f"function takes {takes + bound} positional arguments but {int(m[2]) + bound} " \
           "were given"


def _division(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    return spec.division_error


def _fixed(text: str) -> Rule:
    return lambda m, spec, exc: text


def words_1_18(spec: BoardSpec) -> bool:
    """Whether the board's MicroPython core is 1.18 (V2), whose messages were reworded."""
    return spec.implementation_version >= (1, 18, 0)


def _by_release(v1: str, v2: str) -> Rule:
    """A message worded one way by MicroPython 1.9.2 (V1) and another by 1.18 (V2)."""
    return lambda m, spec, exc: v2 if words_1_18(spec) else v1


def _failing_call(exc: BaseException | None) -> tuple[ast.Call, types.FrameType] | None:
    """The call the innermost user frame was making, if the failing expression is one."""
    found = failing_expression(exc)
    if found is not None and isinstance(found[0], ast.Call):
        return found[0], found[1]
    return None


def _positional_count(exc: BaseException | None) -> int | None:
    """How many positional arguments the failing call passed (None if unknown)."""
    found = _failing_call(exc)
    if found is None or any(isinstance(a, ast.Starred) for a in found[0].args):
        return None
    return len(found[0].args)


def _first_arg_type(exc: BaseException | None, default: str) -> str:
    """MicroPython's type name of the failing call's first argument."""
    found = _failing_call(exc)
    if found is None or not found[0].args:
        return default
    return _type_of(found[0].args[0], found[1]) or default


def _needs_str(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``'abc'.strip(1)``: the firmware asks the argument for its str data (objstr.c)."""
    return f"can't convert '{_first_arg_type(exc, 'int')}' object to str implicitly"


def _takes_no_arguments(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``object(1)``: object's constructor takes no arguments (firmware-v2-observed 052)."""
    given = _positional_count(exc)
    if m[1] == "object" and given is not None:
        return f"function takes 0 positional arguments but {given} were given"
    return m[0]


def _map_arity(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    given = _positional_count(exc)
    return f"function missing {2 - given if given is not None else 1} required positional " \
           "arguments"


def _type_arity(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    if _positional_count(exc) == 0:
        return "function missing 1 required positional arguments"
    return "type takes 1 or 3 arguments"


def _slice_index(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``L[1.5:]``: mp_obj_get_int of the first bound that isn't an int (objslice.c)."""
    found = failing_expression(exc)
    kind = "float"
    if found is not None and isinstance(found[0], ast.Subscript) and \
            isinstance(found[0].slice, ast.Slice):
        piece = found[0].slice
        for bound in (piece.lower, piece.upper, piece.step):
            name = _type_of(bound, found[1]) if bound is not None else None
            if name not in (None, "int", "bool", "NoneType"):
                kind = name
                break
    return f"can't convert {kind} to int"


def _expected_count(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``divmod expected 2 arguments``; a method's (``insert``) count includes its self."""
    bound = not isinstance(getattr(builtins, m[1], None), types.BuiltinFunctionType)
    return f"function takes {int(m[2]) + bound} positional arguments but {int(m[3]) + bound} " \
           "were given"


def _keyword_not_str(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """``f(**{1: 2})``: V1 takes the key as an empty name, V2 asks for its str data."""
    if not words_1_18(spec):
        return "unexpected keyword argument ''"
    found = _failing_call(exc)
    kind = "int"
    for keyword in found[0].keywords if found is not None else ():
        if keyword.arg is None and isinstance(keyword.value, ast.Dict):
            kinds = [_type_of(k, found[1]) for k in keyword.value.keys  # type: ignore[index]
                     if k is not None]
            kind = next((k for k in kinds if k not in (None, "str")), kind)
    return f"can't convert '{kind}' object to str implicitly"


def _no_context_manager(m: re.Match[str], spec: BoardSpec, exc: BaseException | None) -> str:
    """A ``with`` on an object without ``__exit__``/``__enter__``: the firmware looks up
    ``__exit__`` first and reports the missing attribute (firmware-v2-observed 112, 170)."""
    missing = "__exit__"
    if not m[2]:  # __enter__ missing: CPython doesn't say whether __exit__ is there
        found = failing_expression(exc)
        cls = found[1].f_globals.get(m[1]) if found is not None else None
        if isinstance(cls, type) and hasattr(cls, "__exit__"):
            missing = "__enter__"
    return f"'{_t(m[1])}' object has no attribute '{missing}'"


def not_source_text(obj: Any, spec: BoardSpec) -> TypeError:
    """``eval(5)``: 1.18 asks for a buffer, 1.9.2 for str data (firmware-v2-observed 167)."""
    if words_1_18(spec):
        return TypeError("object with buffer protocol required")
    return TypeError(f"can't convert '{mp_type_name(obj)}' object to str implicitly")


# Messages of TypeErrors the firmware raises as another type: pattern -> its type's name.
# (mp_load_method's AttributeError: firmware-v2-observed 052 ``f(**5)``, 112, 170.)
_RETYPED = (
    (r"^'\w+' object does not support the context manager protocol", "AttributeError"),
    (r"argument after \*\* must be a mapping, not \w+$", "AttributeError"),
)


def _retyped_name(exc: BaseException) -> str | None:
    """The firmware's exception type for a CPython TypeError it raises as another, if so."""
    if type(exc) is TypeError and len(exc.args) == 1 and isinstance(exc.args[0], str):
        import re

        for pattern, name in _RETYPED:
            if re.search(pattern, exc.args[0]):  # re caches the compiled patterns
                return name
    return None


RULE_TEXTS: list[tuple[str, Rule]] = [
    (r"^name '(\w+)' is not defined$",
     lambda m, s, e: f"name '{m[1]}' {s.is_not} defined"),
    (r"^cannot access local variable '\w+' where it is not associated with a value$",
     _fixed("local variable referenced before assignment")),
    (r"^local variable '\w+' referenced before assignment$",
     _fixed("local variable referenced before assignment")),
    (r"^unsupported operand type\(s\) for (.+?): '(\w+)' and '(\w+)'$", _binop),
    (r"^'(<|>|<=|>=)' not supported between instances of '(\w+)' and '(\w+)'$", _compare),
    (r"^can only concatenate str \(not \"(\w+)\"\) to str$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^can only concatenate (list|tuple|bytearray) \(not \"(\w+)\"\) to \1$",
     lambda m, s, e: f"unsupported types for __add__: '{m[1]}', '{_t(m[2])}'"),
    (r"^can't multiply sequence by non-int of type '(\w+)'$", _multiply),
    (r"^'(\w+)' object is not callable$", _isnt("callable")),
    (r"^'(\w+)' object is not iterable$", _isnt("iterable")),
    (r"^cannot unpack non-iterable (\w+) object$", _isnt("iterable")),
    (r"^'(\w+)' object is not subscriptable$", _isnt("subscriptable")),
    # runtime.c mp_obj_subscr: 1.9.2 "does not", 1.18 "doesn't" (firmware-v2-observed 046)
    (r"^'(\w+)' object (?:does not|doesn't) support item (assignment|deletion)$",
     lambda m, s, e: f"'{_t(m[1])}' object {s.does_not} support item {m[2]}"),
    (r"^'(\w+)' object is not an iterator$", _isnt("an iterator")),
    (r"^argument of type '(\w+)' is not iterable$", _contains),
    (r"^'in <string>' requires string as left operand, not (\w+)$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^(list|tuple) indices must be integers or slices, not (\w+)$",
     lambda m, s, e: f"{m[1]} indices must be integers, not {_t(m[2])}"),
    (r"^string indices must be integers, not '(\w+)'$",
     lambda m, s, e: f"string indices must be integers, not {_t(m[1])}"),
    (r"^invalid literal for int\(\) with base (\d+): .*$",
     lambda m, s, e: f"invalid syntax for integer with base {m[1]}"),
    (r"^could not convert string to float: .*$", _fixed("invalid syntax for number")),
    (r"^int\(\) base must be >= 2 and <= 36, or 0$", _fixed("int() arg 2 must be >= 2 and <= 36")),
    (r"^int\(\) argument must be a string, a bytes-like object or a (?:real )?number, "
     r"not '(\w+)'$", lambda m, s, e: f"can't convert {_t(m[1])} to int"),
    (r"^float\(\) argument must be a string or a (?:real )?number, not '(\w+)'$",
     lambda m, s, e: f"can't convert {_t(m[1])} to float"),
    (r"^'(\w+)' object cannot be interpreted as an integer$",
     lambda m, s, e: f"can't convert {_t(m[1])} to int"),
    (r"^bad operand type for abs\(\): '(\w+)'$",  # 1.18: MP_UNARY_OP_ABS, no name (051)
     lambda m, s, e: f"unsupported type for : '{_t(m[1])}'" if words_1_18(s)
     else f"can't convert {_t(m[1])} to int"),
    (r"^bad operand type for unary (.): '(\w+)'$",
     lambda m, s, e: f"unsupported type for : '{_t(m[2])}'"),  # no name (probe 051)
    (r"^type (\w+) doesn't define __round__ method$",
     lambda m, s, e: f"can't convert {_t(m[1])} to float"),
    (r"^cannot convert float NaN to integer$", _fixed("can't convert NaN to int")),
    (r"^cannot convert float infinity to integer$", _fixed("can't convert inf to int")),
    (r"^(?:float )?division by zero$|^integer (?:division or modulo|division|modulo) by zero$"
     r"|^float (?:modulo|floor division|divmod\(\))(?: by zero)?$"
     r"|^0\.0 cannot be raised to a negative power$", _division),
    (r"^list\.remove\(x\): x not in list$|^.* is not in list$"
     r"|^tuple\.index\(x\): x not in tuple$", _fixed("object not in sequence")),
    (r"^maximum recursion depth exceeded.*$", _fixed("maximum recursion depth exceeded")),
    (r"^(\S+)\(\) takes (\d+) positional arguments? but (\d+) (?:was|were) given$",
     lambda m, s, e: f"function takes {m[2]} positional arguments but {m[3]} were given"),
    (r"^(\S+)\(\) takes from \d+ to (\d+) positional arguments but (\d+) were given$",
     lambda m, s, e: f"function takes {m[2]} positional arguments but {m[3]} were given"),
    (r"^(\S+)\(\) missing (\d+) required positional arguments?: .*$", _missing_args),
    (r"^(\S+)\(\) missing \d+ required keyword-only arguments?: .*$",
     _fixed("function missing keyword-only argument")),
    (r"^(\S+)\(\) got an unexpected keyword argument '(\w+)'$", _unexpected_keyword),
    (r"^(\S+)\(\) got multiple values for argument '(\w+)'$",
     lambda m, s, e: f"function got multiple values for argument '{m[2]}'"),
    (r"^(\S+)\(\) takes exactly one argument \((\d+) given\)$",
     lambda m, s, e: _method_count(m, 1)),
    (r"^(\S+)\(\) takes no arguments \((\d+) given\)$", lambda m, s, e: _method_count(m, 0)),
    # 1.18 and 1.9.2 iter() takes one argument (no sentinel form)
    (r"^iter expected at least 1 argument, got 0$",
     _fixed("function takes 1 positional arguments but 0 were given")),
    (r"^(\S+) expected at least (\d+) arguments?, got (\d+)$",
     lambda m, s, e: f"function missing {int(m[2]) - int(m[3])} required positional arguments"),
    (r"^(\S+) expected at most (\d+) arguments?, got (\d+)$",
     lambda m, s, e: f"function expected at most {m[2]} arguments, got {m[3]}"),
    (r"^(\S+)\(\) takes at most (\d+) arguments? \((\d+) given\)$",
     lambda m, s, e: f"function expected at most {m[2]} arguments, got {m[3]}"),
    (r"^(\w+) expected (\d+) arguments?, got (\d+)$", _expected_count),
    (r"^(\S+)\(\) takes exactly (\d+) arguments? \((\d+) given\)$",
     lambda m, s, e: f"function takes {m[2]} positional arguments but {m[3]} were given"),
    (r"^super\(\): no arguments$",
     _fixed("function takes 2 positional arguments but 0 were given")),
    (r"^pop index out of range$|^list assignment index out of range$",
     _fixed("list index out of range")),
    # firmware-v2-observed 018, 047 (both firmwares): CPython's bytes says just "index"
    (r"^range object index out of range$", _fixed("range index out of range")),
    # firmware-v2-observed 049 (both): setting a built-in's method is "no attribute"
    (r"^'(\w+)' object attribute '(\w+)' is read-only$",
     lambda m, s, e: f"'{_t(m[1])}' object has no attribute '{m[2]}'"),
    # firmware-v2-observed 054: V2 "complex divide by zero" (V1 has no complex numbers)
    (r"^complex division by zero$", lambda m, s, e: f"complex {s.division_error}"),
    (r"^index out of range$", _fixed("bytes index out of range")),
    (r"^module '\w+' has no attribute '(\w+)'$",
     lambda m, s, e: f"'module' object has no attribute '{m[1]}'"),
    # bytes() and memoryview() of what they can't take (firmware-v2-observed 120, 169)
    (r"^string argument without an encoding$", _fixed("wrong number of arguments")),
    (r"^cannot convert '(\w+)' object to bytes$", _isnt("iterable")),
    (r"^subsection not found$", _fixed("substring not found")),
    (r"^memoryview: a bytes-like object is required, not '\w+'$",
     _fixed("object with buffer protocol required")),
    # V1 (1.9.2 objset.c check_set): a mutating method of a frozenset
    (r"^'frozenset' object has no attribute '(?:add|clear|discard|pop|remove|update|"
     r"difference_update|intersection_update|symmetric_difference_update)'$",
     lambda m, s, e: m[0] if words_1_18(s) else "'frozenset' has no such attribute"),
    (r"^'(\w+)' object has no attribute '(\w+)'$",
     lambda m, s, e: f"'{_t(m[1])}' object has no attribute '{m[2]}'"),
    (r"^unhashable type: '(\w+)'$",
     lambda m, s, e: f"unsupported type for __hash__: '{_t(m[1])}'"),
    (r"^ord\(\) expected string of length 1, but (\w+) found$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^(?:max|min)\(\) arg is an empty sequence$", _fixed("arg is an empty sequence")),
    (r"^not enough values to unpack \(expected (?:at least )?\d+, got (\d+)\)$",
     lambda m, s, e: f"need more than {m[1]} values to unpack"),
    (r"^bytes must be in range\(0, 256\)$", _fixed("bytes value out of range")),
    (r"^range\(\) arg 3 must not be zero$", _fixed("zero step")),
    (r"^sequence item \d+: expected str instance, \w+ found$",
     _fixed("join expects a list of str/bytes objects consistent with self object")),
    # str.replace of a non-str (py/objstr.c str_replace: bad_implicit_conversion, both)
    (r"^replace\(\) argument \d must be str, not (\w+)$",  # CPython names None "None"
     lambda m, s, e: f"can't convert '{_t(m[1].replace('None', 'NoneType'))}' object to "
                     "str implicitly"),
    (r"^must be str(?: or None)?, not (\w+)$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^isinstance\(\) arg 2 must be a type.*$",
     _fixed("issubclass() arg 2 must be a class or a tuple of classes")),
    (r"^object of type '(\w+)' has no len\(\)$",
     lambda m, s, e: f"object of type '{_t(m[1])}' has no len()"),
    (r"^cannot convert dictionary update sequence element #\d+ to a sequence$",
     _fixed("'int' object is not iterable")),
    (r"^cannot import name '(\w+)' from .*$",
     lambda m, s, e: f"{s.cannot} import name {m[1]}"),
    # %-formatting (mprepr raises CPython's words): 1.18 reworded them (firmware-v2-observed 011)
    (r"^not enough arguments for format string$",
     _by_release("not enough arguments for format string", "format string needs more arguments")),
    (r"^not all arguments converted during string formatting$",
     _by_release("not all arguments converted during string formatting",
                 "format string didn't convert all arguments")),
    (r"^%c requires int or char$", _by_release("%c requires int or char", "%c needs int or char")),
    (r"^format requires a dict$", _by_release("format requires a dict", "format needs a dict")),
    # argument errors of built-ins (firmware-v2-observed 041, 052, 103, 125, 168)
    (r"^\w+\(\) takes at least (\d+) (?:positional )?arguments? \((\d+) given\)$",
     lambda m, s, e: f"function missing {int(m[1]) - int(m[2])} required positional arguments"),
    (r"^\w+\(\) missing required argument '\w+' \(pos \d+\)$",
     _fixed("function missing 1 required positional arguments")),
    (r"^(?:starts|ends)with first arg must be str or a tuple of str, not (\w+)$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^[lr]?strip arg must be None or str$", _needs_str),
    (r"^attribute name must be string, not '(\w+)'$",
     lambda m, s, e: f"can't convert '{_t(m[1])}' object to str implicitly"),
    (r"^map\(\) must have at least two arguments\.$", _map_arity),
    (r"^enumerate\(\) missing required argument 'iterable'$",
     _by_release("'int' object is not iterable", "'iterable' argument required")),
    (r"^type\(\) takes 1 or 3 arguments$", _type_arity),
    (r"^(\w+)\(\) takes no arguments$", _takes_no_arguments),
    # the board's C-function stand-ins with positional-only parameters (random.randint...;
    # a user's function can't have them: the compiler refuses the /)
    (r"^\S+\(\) got some positional-only arguments passed as keyword arguments: .*$",
     lambda m, s, e: f"function {s.does_not} take keyword arguments"),
    (r"^\S+\(\) argument after \* must be an iterable, not (\w+)$",
     lambda m, s, e: f"'{_t(m[1])}' object {s.is_not} iterable"),
    (r"^\S+\(\) argument after \*\* must be a mapping, not (\w+)$",
     lambda m, s, e: f"'{_t(m[1])}' object has no attribute 'keys'"),
    (r"^keywords must be strings$", _keyword_not_str),
    (r"^'(\w+)' object does not support the context manager protocol( \(missed __exit__ "
     r"method\))?$", _no_context_manager),
    # slices, dict(), properties, machine words (firmware-v2-observed 036, 044, 055, 108)
    (r"^slice step cannot be zero$", lambda m, s, e: f"slice step {s.cannot} be zero"),
    (r"^slice indices must be integers or None or have an __index__ method$", _slice_index),
    (r"^dictionary update sequence element #\d+ has length \d+; 2 is required$",
     _fixed("dict update sequence has wrong length")),
    (r"^property '(\w+)' of '(\w+)' object has no (?:setter|deleter)$",
     lambda m, s, e: f"'{m[2]}' object has no attribute '{m[1]}'"),
    (r"^cannot fit 'int' into an index-sized integer$|^Python int too large to convert to C "
     r"(?:int|long|ssize_t)$", _fixed("overflow converting long int to machine word")),
]
RULES: list[tuple[re.Pattern[str], Rule]] = []  # compiled on first use: 5 ms at start-up


def type_name(exc: BaseException) -> str:
    """The name MicroPython gives the exception's type."""
    return _retyped_name(exc) or class_name(type(exc))


def as_firmware_raises(exc: BaseException, spec: BoardSpec) -> BaseException:
    """``exc``, or a new exception of the type the firmware raises in its place
    (``UnboundLocalError`` is a NameError, a ``with`` on a non-context-manager an
    AttributeError), with the firmware's message and ``exc``'s traceback."""
    name = type_name(exc)
    kind = getattr(builtins, name, None)
    if not is_native(exc) or type(exc) is kind or not isinstance(kind, type) or \
            not issubclass(kind, BaseException):
        return exc
    if isinstance(exc, OSError) and exc.errno is not None:
        replacement = kind(exc.errno)  # the firmware's OSError carries only the errno
    elif isinstance(exc, UnicodeError):
        replacement = kind()  # a bare UnicodeError on 1.18 (firmware-v2-observed 118, 119)
    else:
        replacement = kind(*((message(exc, spec),) if exc.args else ()))
    return replacement.with_traceback(exc.__traceback__)


def is_native(exc: BaseException) -> bool:
    """Whether the exception is one of the built-in types (not a user-defined class)."""
    return type(exc) in _NATIVE


# Rules that look at the failing expression: their results can't be cached by message.
_CONTEXT_RULES = {_multiply, _contains, _missing_args, _unexpected_keyword, _needs_str,
                  _takes_no_arguments,
                  _map_arity, _type_arity, _slice_index, _keyword_not_str, _no_context_manager}
_translated: dict[tuple[str, BoardSpec], str] = {}


def translate(text: str, spec: BoardSpec, exc: BaseException | None = None) -> str:
    """A CPython message in MicroPython's wording (unchanged when no rule matches)."""
    key = (text, spec)
    cached = _translated.get(key)
    if cached is not None:
        return cached
    result, cacheable = text, True
    if not RULES:
        import re

        RULES.extend((re.compile(pattern), rule) for pattern, rule in RULE_TEXTS)
    for pattern, rule in RULES:
        m = pattern.match(text)
        if m:
            result, cacheable = rule(m, spec, exc), rule not in _CONTEXT_RULES
            break
    if cacheable:
        if len(_translated) > 512:
            _translated.clear()
        _translated[key] = result
    return result


# How the board prints values inside messages (set by mpbuiltins to its Printer).
text_of: Callable[[Any], str] = str
repr_of: Callable[[Any], str] = repr


def native_args(exc: BaseException, spec: BoardSpec | None = None) -> tuple:
    """The arguments the firmware gives a built-in exception CPython raised.

    ``set.remove`` raises a bare KeyError on the V1 (1.9.2 py/objset.c); 1.18 gives the
    key (firmware-v2-observed 035, 048).
    """
    if type(exc) is KeyError and exc.args and ".remove(" in _failing_line(exc) and \
            (spec is None or not words_1_18(spec)):
        found = failing_expression(exc)
        if found is not None and isinstance(found[0], ast.Call) and \
                isinstance(found[0].func, ast.Attribute) and found[0].func.attr == "remove" and \
                _is_set(found[0].func.value, found[1]):
            return ()
    return exc.args


def _is_set(node: ast.AST, frame: types.FrameType) -> bool:
    """Whether a simple expression (a name, a set display, ``set(...)``) is a set."""
    if isinstance(node, (ast.Set, ast.SetComp)):
        return True
    if isinstance(node, ast.Call):
        kind = _value_of(node.func, frame)
        return isinstance(kind, type) and issubclass(kind, (set, frozenset))
    return isinstance(_value_of(node, frame), (set, frozenset))


def message_of(exc: BaseException, spec: BoardSpec) -> str:
    """The single string argument of a native exception, in the firmware's words."""
    return translate(exc.args[0], spec, exc)


def message(exc: BaseException, spec: BoardSpec, first_arg_only: bool = False) -> str:
    """The part after ``Type: `` MicroPython prints for ``exc``."""
    mp_message = getattr(exc, "mp_message", None)
    if mp_message is not None:
        return mp_message
    if isinstance(exc, IndentationError):
        return translate(exc.msg or "unexpected indent", spec)
    if isinstance(exc, SyntaxError):  # MicroPython's parser says little more than this
        return "invalid syntax"
    args = native_args(exc, spec) if isinstance(exc, KeyError) else exc.args
    if isinstance(exc, OSError) and not first_arg_only and args and type(args[0]) is int and \
            is_native(exc):
        return text_of(exc)  # OSError(2, 'x'): V2 [Errno 2] ENOENT: x, V1 (2, 'x') (056)
    if isinstance(exc, OSError) and exc.errno is not None and not first_arg_only:
        return f"[Errno {exc.errno}] {_errno_name(exc)}" if spec.errno_names else str(exc.errno)
    if not args:
        return ""
    if len(args) == 1 or first_arg_only:
        arg = args[0]
        if isinstance(exc, KeyError):
            return text_of(arg)  # the bare key on both (firmware-v2-observed 063)
        if isinstance(arg, str):
            return translate(arg, spec, exc) if is_native(exc) else arg
        return text_of(arg)
    return repr_of(args)


def _errno_name(exc: OSError) -> str:
    if exc.strerror and exc.strerror.startswith("E"):
        return exc.strerror
    import errno

    return errno.errorcode.get(exc.errno or 0, str(exc.errno))
