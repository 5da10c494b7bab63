"""Built-in objects that differ on the firmware, changed only where the construct appears.

Like ``mpsemantics``, each difference is a compile-time rewrite of the one construct
(called from ``compiler.MicroPythonPass``) into a call of a board builtin that takes
CPython's path whenever the answer is the same, so everyday code pays nothing:

- slice assignment and deletion (``L[a:b] = v``, ``del L[::2]``): a list takes only a
  list or tuple and only step 1; a bytearray none at all (firmware-v2-observed 046);
- ``round(x, n)`` on V2: an int with digits is NotImplementedError, ``n`` must be an
  int (``mp_builtin_round`` in 1.18 py/modbuiltins.c; probe 007);
- ``bytearray(iterable)``: values wrap to a byte (probe 053), and so does
  ``append`` (probe 120) where the receiver is known to be a bytearray: a
  ``bytearray(...)`` call or a name (or attribute) the program assigns one, so a list's
  ``append`` costs nothing more; an item store ``b[i] = v`` wraps too (any int, big ones
  included: ``mp_binary_set_val_array`` keeps the low byte; the V1 firmware under QEMU
  stores 257 as 1 and 2**40 + 5 as 5), in programs that name a bytearray or memoryview
  (the store's target may be any expression, so all their item stores are checked);
- ``enumerate(x, start=1)`` on V1 counts from 0: 1.9.2 is built without
  ``MICROPY_CPYTHON_COMPAT``, whose ``enumerate_make_new`` ignores keywords
  (py/objenumerate.c; the firmware under QEMU prints 0 first);
- keyword arguments to a built-in function that takes none (``int('101', base=2)``,
  ``round(x, ndigits=1)``, ``sum(xs, start=1)``): ``mp_arg_check_num`` refuses them all
  (1.9.2 and 1.18 py/argcheck.c; the V1 firmware under QEMU), where CPython takes some;
- ``set.union``/``intersection``/... take exactly one argument (probe 035);
- ``str.encode(encoding)``: the encoding is ignored, UTF-8 always (probe 041);
- a class with no ``__init__`` anywhere takes any arguments (``mp_obj_instance_make_new``
  calls ``__init__`` only if one is found; probes 052, 112).

Facts are from the firmware sources (MicroPython 1.9.2 and 1.18: ``py/objlist.c``,
``py/objarray.c``, ``py/objset.c``, ``py/objstr.c``, ``py/objtype.c``) and the
recordings in ``firmware-v2-observed``.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from ubit.sim.micropython import mperrors
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.builtin_types import NO_KEYWORDS
from ubit.sim.shared.typenames import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ubit.sim.micropython.mprepr import Printer

# compiler.MicroPythonPass, which calls the rewrites (not imported: it imports this module)
MicroPythonPass = Any

_real_str, _real_int = builtins.str, builtins.int

# Set methods that take exactly one argument on both releases (MP_DEFINE_CONST_FUN_OBJ_2 in
# py/objset.c); CPython's take any number.
_ONE_ARG_SET_METHODS = frozenset({"union", "intersection", "intersection_update",
                                  "symmetric_difference", "symmetric_difference_update",
                                  "isdisjoint", "issubset", "issuperset"})

_ITEM_DISPLAYS = (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp)
# Each helper → the construct it stands for (the cost model charges that instead).
REWRITTEN = {"__mp_slicetarget__": "operator", "__mp_bytetarget__": "target",
             "__mp_round2__": "call",
             "__mp_bytearray__": "call", "__mp_setmethod__": "method",
             "__mp_encode__": "method", "__mp_errno__": "operator",
             "__mp_attrtarget__": "operator", "__mp_append__": "method",
             "__mp_enumerate__": "call", "__mp_nokeywords__": "call"}
_BYTEARRAY_CALLS = frozenset({"bytearray", "__mp_bytearray__"})


# ---------------------------------------------------------------------------------------
# Compile-time rewrites (called from compiler.MicroPythonPass)


def subscript(p: MicroPythonPass, node: ast.Subscript) -> None:
    """``x[a:b] = v`` / ``del x[a:b]``: the target goes through ``__mp_slicetarget__``;
    ``x[i] = v`` (or ``x[i] += v``) through ``__mp_bytetarget__`` where ``x`` may hold bytes."""
    if isinstance(node.ctx, ast.Load):
        return
    if isinstance(node.slice, ast.Slice):
        node.value = p.helper("__mp_slicetarget__", node.value, node.value)
    elif type(node.ctx) is ast.Store and _names_byte_buffers(p) and \
            type(node.value) not in _NOT_BYTES:
        node.value = p.helper("__mp_bytetarget__", node.value, node.value)


# receivers of an item store that are never a bytearray or memoryview
_NOT_BYTES = (ast.List, ast.Dict, ast.ListComp, ast.DictComp, ast.Constant)


def _names_byte_buffers(p: MicroPythonPass) -> bool:
    """Whether the program's text names a bytearray or memoryview (found once)."""
    found = p.__dict__.get("_mp_byte_buffers")
    if found is None:
        found = p.__dict__["_mp_byte_buffers"] = any(
            "bytearray" in line or "memoryview" in line for line in p.lines)
    return found


# Attributes of exceptions that differ: ``e.errno`` (V2 args[0] of any exception, V1 none)
# and ``e.args = ...`` (no attribute of a built-in exception can be set).
ATTRIBUTES = frozenset({"errno", "args"})


def attribute(p: MicroPythonPass, node: ast.Attribute) -> ast.expr | None:
    """``e.errno`` → ``__mp_errno__(e)``; ``e.args = v`` stores through a checking proxy."""
    if isinstance(node.ctx, ast.Load):
        if node.attr == "errno":
            return p.helper("__mp_errno__", node, node.value)
    elif node.attr == "args":
        node.value = p.helper("__mp_attrtarget__", node.value, node.value)
    return None


def call(p: MicroPythonPass, node: ast.Call) -> None:
    """Rewrite ``node`` in place if it is a call whose result differs on the firmware."""
    func, args = node.func, node.args
    if node.keywords and type(func) is ast.Name:
        if func.id in NO_KEYWORDS:
            node.func = p.name("__mp_nokeywords__", func)
            node.args = [func, ast.copy_location(ast.Constant(func.id), func), *args]
        elif func.id == "enumerate" and p.grammar_1_9:
            node.func, node.args = p.name("__mp_enumerate__", func), [func, *args]
        return
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        return
    if isinstance(func, ast.Attribute) and isinstance(func.ctx, ast.Load):
        method = func.attr
        if method in p.missing:  # the board may lack it (V1 str.encode): checked there
            return
        if method == "append" and len(args) == 1 and _bytearray_receiver(p, func.value):
            node.func, node.args = p.name("__mp_append__", func), [func.value, *args]
        elif method in _ONE_ARG_SET_METHODS and len(args) != 1:
            node.func = p.name("__mp_setmethod__", func)
            node.args = [func.value, ast.copy_location(ast.Constant(method), func), *args]
        elif method == "encode" and args:
            node.func, node.args = p.name("__mp_encode__", func), [func.value, *args]
    elif isinstance(func, ast.Name):
        name = func.id
        if name == "round" and len(args) == 2 and not p.grammar_1_9:
            node.func, node.args = p.name("__mp_round2__", func), [func, *args]
        elif name == "bytearray" and len(args) == 1 and isinstance(args[0], _ITEM_DISPLAYS):
            # (a display's items: bytearray(n) of a size stays the heap model's, heapmodel.py)
            node.func, node.args = p.name("__mp_bytearray__", func), [func, *args]


def _is_bytearray_call(node: ast.AST) -> bool:
    return type(node) is ast.Call and type(node.func) is ast.Name and \
        node.func.id in _BYTEARRAY_CALLS


def _bytearray_receiver(p: MicroPythonPass, node: ast.expr) -> bool:
    """Whether ``node`` (an ``append``'s receiver) may be a bytearray: a ``bytearray()``
    call, or a name or attribute the program assigns one somewhere."""
    if _is_bytearray_call(node):
        return True
    kind = type(node)
    if kind is not ast.Name and kind is not ast.Attribute:
        return False
    names = p.__dict__.get("_mp_bytearray_names")
    if names is None:  # once per program: the names bytearray() calls are assigned to
        names = p.__dict__["_mp_bytearray_names"] = set()
        if any("bytearray" in line for line in p.lines):
            for found in ast.walk(p.tree):
                if type(found) is ast.Assign and _is_bytearray_call(found.value):
                    for target in found.targets:
                        if type(target) is ast.Name:
                            names.add(target.id)
                        elif type(target) is ast.Attribute:
                            names.add(target.attr)
    return (node.id if kind is ast.Name else node.attr) in names  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# The helpers, on the board


class _ListSlices:
    """A list as the target of a slice assignment or deletion (``list_subscr``)."""

    __slots__ = ("_list", "_spec")

    def __init__(self, target: list, spec: BoardSpec) -> None:
        self._list, self._spec = target, spec

    def __setitem__(self, index: slice, value: Any) -> None:
        kind = type(value)
        if kind is not list and kind is not tuple:  # mp_obj_get_array, before the step
            raise TypeError(f"object '{mperrors.mp_type_name(value)}' {self._spec.is_not} "
                            "a tuple or list")
        if index.step is not None and index.step != 1:
            raise _step_error(self._spec)
        self._list[index] = value

    def __delitem__(self, index: slice) -> None:
        if index.step is not None and index.step != 1:
            raise _step_error(self._spec)
        del self._list[index]


class _ArraySlices:
    """A bytearray or memoryview as the target of a slice assignment: the firmware is
    built without ``MICROPY_PY_ARRAY_SLICE_ASSIGN`` (``array_subscr``)."""

    __slots__ = ("_name", "_spec")

    def __init__(self, name: str, spec: BoardSpec) -> None:
        self._name, self._spec = name, spec

    def __setitem__(self, index: slice, value: Any) -> None:
        if index.step is not None and index.step != 1 and self._spec.str_codecs:
            # 1.18 checks the step first (1.9.2 refuses any slice store)
            raise NotImplementedError("only slices with step=1 (aka None) are supported")
        raise TypeError(f"'{self._name}' object {self._spec.does_not} support item "
                        "assignment")

    def __delitem__(self, index: slice) -> None:
        raise TypeError(f"'{self._name}' object {self._spec.does_not} support item deletion")


def _step_error(spec: BoardSpec) -> NotImplementedError:
    """``mp_raise_NotImplementedError``: 1.9.2 passes "" (probe 046), 1.18 NULL."""
    return NotImplementedError("") if spec.builtins_1_9 else NotImplementedError()


def _slice_target(spec: BoardSpec) -> Callable[[Any], Any]:
    def slice_target(obj: Any) -> Any:
        kind = type(obj)
        if kind is list:
            return _ListSlices(obj, spec)
        if kind is bytearray or kind is memoryview:
            return _ArraySlices(kind.__name__, spec)
        return obj

    return slice_target


def _round2(board_round: Any) -> Callable[[Any, Any, Any], Any]:
    def round2(callee: Any, number: Any, digits: Any) -> Any:
        """``round(number, digits)`` as 1.18 does it (V2: the compiler calls this there)."""
        if callee is board_round:
            kind = type(number)
            if kind is _real_int:  # an int (not a bool): no MICROPY_PY_BUILTINS_ROUND_INT
                raise NotImplementedError()
            if digits is None:  # mp_obj_get_int(None)
                raise TypeError("can't convert NoneType to int")
        return callee(number, digits)

    return round2


def _make_bytearray(callee: Any, source: Any) -> Any:
    """``bytearray(source)``: an iterable's ints are stored as bytes, wrapping (the V1 and
    V2 store them with ``mp_binary_set_val_array``, which keeps the low 8 bits)."""
    try:
        return callee(source)
    except ValueError:
        if callee is not bytearray or isinstance(source, (_real_str, bytes, bytearray)):
            raise
        items = list(source)
        if not all(type(i) is _real_int or type(i) is bool for i in items):
            raise
        return bytearray(i & 0xFF for i in items)


def _append(target: Any, value: Any) -> Any:
    """``target.append(value)``: a bytearray keeps the low 8 bits of an int, a big one's
    too (``array_append`` stores it with ``mp_binary_set_val_array``; probe 120)."""
    if type(target) is bytearray and type(value) is _real_int and not 0 <= value <= 255:
        value &= 0xFF
    return target.append(value)


class _ByteStore:
    """A bytearray (or a memoryview of bytes) as the target of an item store: an int is
    stored as its low 8 bits (``array_subscr`` → ``mp_binary_set_val_array``)."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getitem__(self, index: Any) -> Any:  # the load of ``b[i] += v``
        return self._target[index]

    def __setitem__(self, index: Any, value: Any) -> None:
        if type(value) is _real_int and not 0 <= value <= 255:
            value &= 0xFF
        self._target[index] = value


def _byte_target(obj: Any) -> Any:
    kind = type(obj)
    if kind is bytearray or (kind is memoryview and obj.format == "B"):
        return _ByteStore(obj)
    return obj


def _enumerate_1_9(callee: Any, *args: Any, **keywords: Any) -> Any:
    """``enumerate(...)`` with keywords on V1: they are evaluated and ignored (without any
    positional argument, 1.9.2 enumerates the first keyword's name: its ``args[0]``)."""
    if callee is not enumerate:
        return callee(*args, **keywords)
    if not args and keywords:
        args = (next(iter(keywords)),)
    return enumerate(*args[:2])


def _refusing_keywords(names: dict[str, Any], spec: BoardSpec) -> Callable[..., Any]:
    def no_keywords(callee: Any, name: str, *args: Any, **keywords: Any) -> Any:
        """``name(*args, **keywords)``: the board's own built-in refuses the keywords."""
        if callee is names.get(name):
            raise TypeError(f"function {spec.does_not} take keyword arguments")
        return callee(*args, **keywords)

    return no_keywords


def _set_method(target: Any, method: str, *args: Any) -> Any:
    """``s.method(*args)`` for a one-argument set method called with another count."""
    if isinstance(target, (set, frozenset)):
        raise TypeError(f"function takes 2 positional arguments but {len(args) + 1} were "
                        "given")
    return getattr(target, method)(*args)


def _encode(target: Any, *args: Any) -> Any:
    """``s.encode(encoding[, errors])``: ``str_encode`` is ``bytes(s)``, encoding ignored."""
    if type(target) is _real_str and len(args) <= 2:
        return target.encode("utf-8", "surrogateescape")
    return target.encode(*args)


def bytes_format(printer: Printer, target: bytes) -> Callable[..., bytes]:
    """``b'...'.format``: the firmware's bytes share str's ``format`` (``mp_obj_str_format``
    makes an object of the pattern's type; firmware-v2-observed 039)."""

    def format(*args: Any, **kwargs: Any) -> bytes:  # noqa: A001 - the method's name
        pattern = target.decode("utf-8", "surrogateescape")
        return printer.format(pattern, args, kwargs).encode("utf-8", "surrogateescape")

    return format


def _accept_any(self: Any, *args: Any, **kwargs: Any) -> None:
    """A class without ``__init__``: the firmware ignores the constructor's arguments."""


_accept_any.__name__ = _accept_any.__qualname__ = "__init__"


def accepting_arguments(build_class: Callable[..., Any]) -> Callable[..., Any]:
    """``__build_class__`` whose classes with neither ``__init__`` nor ``__new__`` of
    their own (nor a base's) take any constructor arguments, as on the firmware."""

    def build(*args: Any, **kwargs: Any) -> Any:
        cls = build_class(*args, **kwargs)
        if isinstance(cls, type) and cls.__init__ is object.__init__ and \
                cls.__new__ is object.__new__:
            type.__setattr__(cls, "__init__", _accept_any)
        return cls

    return build


def _errno(spec: BoardSpec) -> Callable[[Any], Any]:
    def errno(obj: Any) -> Any:
        """``obj.errno``: 1.18 reads any built-in exception's first argument (an alias of
        ``.value``, py/objexcept.c); 1.9.2 has no such attribute (probe 056)."""
        if isinstance(obj, BaseException) and mperrors.is_native(obj):
            if not spec.full_attributes:
                raise AttributeError(f"'{mperrors.mp_type_name(obj)}' object has no "
                                     "attribute 'errno'")
            return obj.args[0] if obj.args else None
        return obj.errno

    return errno


class _ReadOnly:
    """A built-in exception as the target of an attribute store: it takes none."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"'{object.__getattribute__(self, '_name')}' object has no "
                             f"attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)


def _attribute_target(obj: Any) -> Any:
    if isinstance(obj, BaseException) and mperrors.is_native(obj):
        return _ReadOnly(mperrors.mp_type_name(obj))
    return obj


def install(names: dict[str, Any], spec: BoardSpec) -> None:
    """Put the helpers into the builtins ``names``."""
    names.update(__mp_slicetarget__=_slice_target(spec), __mp_bytetarget__=_byte_target,
                 __mp_round2__=_round2(names.get("round")),
                 __mp_bytearray__=_make_bytearray, __mp_setmethod__=_set_method,
                 __mp_append__=_append, __mp_enumerate__=_enumerate_1_9,
                 __mp_nokeywords__=_refusing_keywords(names, spec),
                 __mp_encode__=_encode, __mp_errno__=_errno(spec),
                 __mp_attrtarget__=_attribute_target)
