"""What MicroPython does differently from CPython in sorting and classes, and what V1 lacks.

MicroPython's list sort is an unstable quicksort (``py/objlist.c``); the V1
firmware (1.9.2) lacks many special methods, attributes and step slices.
"""

from __future__ import annotations

import builtins
import functools
import sys
import types
from collections.abc import Callable
from opcode import opmap

from ubit.sim.micropython import introspection, mperrors
from ubit.sim.micropython.f32 import board_float
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.builtin_types import PROBED, dir_tables, type_members
from ubit.sim.shared.typenames import Any

_real_str = builtins.str

# ---------------------------------------------------------------------------------------
# Sorting: MicroPython's quicksort is not stable (py/objlist.c)


def _quicksort(items: list, head: int, tail: int, key: Any, less: bool) -> None:
    """``mp_quicksort``, comparison for comparison (``key`` called as often as there)."""
    while head < tail:
        h, t = head - 1, tail
        pivot = items[tail] if key is None else key(items[tail])
        while True:
            h += 1
            while h < t and ((items[h] if key is None else key(items[h])) < pivot) is less:
                h += 1
            t -= 1
            while h < t and (pivot < (items[t] if key is None else key(items[t]))) is less:
                t -= 1
            if h >= t:
                break
            items[h], items[t] = items[t], items[h]
        items[h], items[tail] = items[tail], items[h]
        if t - head < tail - h - 1:
            _quicksort(items, head, t, key, less)
            head = h + 1
        else:
            _quicksort(items, h + 1, tail, key, less)
            tail = t


_PLAIN = frozenset({int, str, bytes})


def sort_list(items: list, key: Any = None, reverse: Any = False) -> None:
    """Sort ``items`` in place into the order the firmware's sort leaves them in.

    Without ties that is the one sorted order, which CPython's sort finds faster;
    with ties that can be told apart, the firmware's quicksort decides.
    """
    if key is not None and not callable(key):
        raise TypeError(f"'{mperrors.mp_type_name(key)}' object is not callable")
    count = len(items)
    if count < 2:
        return
    keys = items if key is None else [key(x) for x in items]
    kinds = set(map(type, keys))
    if len(kinds) == 1 and kinds <= _PLAIN and (key is None or len(set(keys)) == count):
        # plain ints or strs: equal items can't be told apart, and distinct keys can't tie,
        # so CPython's sort leaves the firmware's order (test_fastpaths.py)
        if key is None:
            items.sort(reverse=bool(reverse))
        else:
            order = sorted(range(count), key=keys.__getitem__, reverse=bool(reverse))
            items[:] = list(map(items.__getitem__, order))
        return
    try:
        order = sorted(range(count), key=keys.__getitem__, reverse=bool(reverse))
        tied = False
        for a, b in zip(order, order[1:], strict=False):
            ka, kb = keys[a], keys[b]
            if not (ka < kb or kb < ka):
                x, y = items[a], items[b]
                if not (type(x) is type(y) and type(x) in (int, str, bytes) and x == y):
                    tied = True  # equal keys, different items: where they end up shows
                    break
    except TypeError:
        tied = True  # incomparable: the firmware's sort raises, part way through
    if tied:
        _quicksort(items, 0, count - 1, key, not reverse)
    else:
        items[:] = [items[i] for i in order]


# ---------------------------------------------------------------------------------------
# What the V1 firmware lacks: special methods, attributes, step slices

# Operators MicroPython 1.9 dispatches to user classes (py/objtype.c without
# MICROPY_PY_ALL_SPECIAL_METHODS); the rest of CPython's operator methods don't
# work as operators on the V1 (calling them by name still works there).
_V1_OPERATOR_METHODS = frozenset({
    "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
    "__mod__", "__rmod__", "__pow__", "__rpow__", "__and__", "__rand__", "__or__", "__ror__",
    "__xor__", "__rxor__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__",
    "__matmul__", "__rmatmul__", "__divmod__", "__rdivmod__", "__radd__", "__rsub__",
    "__neg__", "__pos__", "__invert__", "__abs__", "__ne__", "__imul__", "__itruediv__",
    "__iadd__", "__isub__",
    "__ifloordiv__", "__imod__", "__ipow__", "__iand__", "__ior__", "__ixor__", "__ilshift__",
    "__irshift__", "__imatmul__",
})


_UNARY_METHODS = frozenset({"__neg__", "__pos__", "__invert__"})
# Operator methods that keep working when called by name: only their operator is refused.
_BY_NAME_OK = _V1_OPERATOR_METHODS - {"__ne__", "__abs__"}


def _operator_stub(name: str, method: Callable[..., Any] | None) -> Callable[..., Any]:
    """A V1 operator method: refused as an operator, the user's method when called by name."""

    def stub(self: Any, *args: Any) -> Any:
        frame = sys._getframe(1)
        if frame.f_code.co_code[frame.f_lasti] in _OPERATOR_OPCODES:
            raise _operator_error(name, self, args)
        if method is None:
            raise AttributeError(f"'{mperrors.mp_type_name(self)}' object has no attribute "
                                 f"'{name}'")
        return method(self, *args)

    stub.__name__ = stub.__qualname__ = name
    stub._mp_user = method is not None  # type: ignore[attr-defined] - dir() lists the user's
    return stub


def _operator_error(name: str, obj: Any, args: tuple) -> TypeError:
    if name in _UNARY_METHODS:
        return TypeError(f"unsupported type for : '{mperrors.mp_type_name(obj)}'")
    left, right = mperrors.mp_type_name(obj), mperrors.mp_type_name(args[0] if args else None)
    op = {"__radd__": "__add__", "__rsub__": "__sub__"}.get(name, "")
    if name.startswith("__r") and name != "__rshift__":
        left, right = right, left
    return TypeError(f"unsupported types for {op}: '{left}', '{right}'")


_OPERATOR_OPCODES = frozenset(opmap[name] for name in (
    "BINARY_OP", "UNARY_NEGATIVE", "UNARY_POSITIVE", "UNARY_INVERT"))


def make_build_class(spec: BoardSpec) -> Callable[..., Any]:
    """``__build_class__``; on V1 user classes lose the operators the firmware ignores."""
    real = builtins.__build_class__
    refuse_keywords = spec.builtins_1_9  # no metaclass= on MicroPython 1.9
    few_operators = not spec.all_special_methods

    def build_class(func: Any, name: str, *bases: Any, **kwargs: Any) -> Any:
        if refuse_keywords and kwargs:
            raise TypeError(f"function {spec.does_not} take keyword arguments")
        cls = real(func, name, *bases, **kwargs)
        if few_operators and isinstance(cls, type):
            own = vars(cls)
            for method in _V1_OPERATOR_METHODS.intersection(own):
                if method in _BY_NAME_OK:
                    type.__setattr__(cls, method, _operator_stub(method, own[method]))
                else:
                    type.__delattr__(cls, method)
            for method, inplace in (("__add__", "__iadd__"), ("__sub__", "__isub__")):
                if method in own or inplace in own:  # += has no name on the V1: never works
                    type.__setattr__(cls, inplace, _operator_stub(inplace, own.get(inplace)))
        return cls

    return build_class


# Methods and attributes CPython's str, bytes, bytearray, int and float have that the
# firmware's lack, on both releases (the table, ubit/sim/shared/builtin_types.py): the
# compiler rewrites ``x.name`` for these names so the board can refuse them. Names some
# board type has (``count``, ``pop``…) stay plain attribute accesses, for speed: only
# hasattr, getattr and dir hide them where the table says a type lacks them.
_CPYTHON_PUBLIC = frozenset(
    name for kind in (_real_str, bytes, bytearray, int, float) for name in dir(kind)
    if not name.startswith("_"))
# Introspection attributes MicroPython 1.9 doesn't have (modules keep theirs).
_V1_MISSING_DUNDERS = frozenset({"__name__", "__class__", "__dict__", "__bases__", "__mro__",
                                 "__doc__"})
# Neither release chains exceptions (firmware-v2-observed 059, corpus 176) or keeps a
# class's MRO (firmware-v2-observed 107): these exist on no exception and no class.
_EXCEPTION_MISSING = frozenset({"__cause__", "__context__", "__traceback__",
                                "__suppress_context__", "with_traceback"})
_CLASS_MISSING = frozenset({"__mro__", "mro"})
# What dir() shows of a probed type (firmware-v2-observed 038, 039): 1.18 probes every name.
_TYPE_DUNDERS = ("__bases__", "__class__", "__dict__", "__name__")


@functools.cache  # once per board: every run (and reset) asks again
def _probed_members(spec: BoardSpec) -> dict[type, frozenset[str]]:
    """Probed built-in type → the names it has on the board (public ones and dunders)."""
    table = type_members(spec.str_codecs)
    members = {getattr(builtins, name): table[name] for name in PROBED}
    members[board_float(spec.floats_in_word)] = members[float]  # the board's float (f32.py)
    return members


def missing_attributes(spec: BoardSpec) -> frozenset[str]:
    """Attribute names that may not exist on the board (checked per object)."""
    table = type_members(spec.str_codecs)
    names = (_CPYTHON_PUBLIC - frozenset().union(*table.values())) | _EXCEPTION_MISSING | \
        _CLASS_MISSING
    if not spec.full_attributes:
        names = names | _V1_MISSING_DUNDERS
    return names


def make_attribute_check(spec: BoardSpec) -> Callable[[Any, str], bool]:
    """A function telling whether ``obj.name`` exists on the board (for CPython it does)."""
    probed = _probed_members(spec)
    # the dunders a probed type's instances (and the types) still have: 1.18 has __class__
    # and a type's __name__…; 1.9.2 none (firmware-v2-observed 038, 176)
    kept = frozenset({"__class__"}) if spec.full_attributes else frozenset()
    kept_by_types = frozenset(_TYPE_DUNDERS) if spec.full_attributes else frozenset()
    lean = not spec.full_attributes  # V1 lacks the dunders below on everything

    def lacks(obj: Any, name: str) -> bool:
        # identity and type lookups only: a user's __eq__ must not run here
        members = probed.get(type(obj))
        if members is not None:
            return name not in members and name not in kept
        if type(obj) is type:
            members = probed.get(obj)
            if members is not None:
                return name not in members and name not in kept_by_types
        if lean and name in _V1_MISSING_DUNDERS:
            return not isinstance(obj, types.ModuleType)
        if name in _EXCEPTION_MISSING:
            return isinstance(obj, BaseException)
        if name in _CLASS_MISSING:
            return isinstance(obj, type)
        return False

    return lacks


@functools.cache  # once per board: every run (and reset) asks again
def board_dir(spec: BoardSpec) -> Callable[[Any], list[str]]:
    """``dir(obj)`` as the board lists it for objects of CPython's own types and modules.

    1.9.2 lists the locals table of the object's type (or of the type itself), in table
    order, and nothing else: ``[]`` for a function, None, a range (``py/modbuiltins.c``; the V1
    firmware under QEMU). 1.18 probes every name: the table, ``__class__`` (and a type's
    ``__name__``…), an iterator's ``__next__`` (``py/runtime.c`` mp_load_method_maybe), in
    qstr order; modules get ``__class__`` (firmware-v2-observed 127, 143).
    """
    v2 = spec.dir_probes
    tables = {_c_type(name): names for name, names in dir_tables(v2).items()}
    tables[board_float(spec.floats_in_word)] = tables[float]  # the board's float (f32.py)
    type_extra = _TYPE_DUNDERS if v2 else ()

    def listing(obj: Any) -> list[str]:
        if isinstance(obj, types.ModuleType):
            names = dir(obj)
            if v2 and "__class__" not in names:
                names = sorted([*names, "__class__"])
            return names
        kind = type(obj)
        if kind.__flags__ & _HEAP_TYPE and kind is not board_float(spec.floats_in_word):
            return dir(obj)  # a user's class or instance (V2)
        if isinstance(obj, type):
            names = _c_names(obj, tables, v2)
            return introspection.qstr_order([*type_extra, *names]) if v2 else list(names)
        names = _c_names(kind, tables, v2)
        if not v2:
            return list(names)
        extra = ["__class__"]
        if hasattr(kind, "__next__"):
            extra.append("__next__")
        if isinstance(obj, BaseException):
            extra.append("args")
        return introspection.qstr_order([*extra, *names])

    return listing


_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by Python code


def _c_type(name: str) -> Any:
    """The CPython type a firmware type of this name stands for."""
    return types.GeneratorType if name == "generator" else getattr(builtins, name)


def _c_names(kind: type, tables: dict[Any, tuple[str, ...]], v2: bool) -> tuple[str, ...]:
    """The locals table of one of CPython's types (the firmware's) or its nearest base's
    (1.18 looks names up along the bases; 1.9.2 has no table on an exception but
    BaseException)."""
    names = tables.get(kind)
    if names is None and v2 and issubclass(kind, BaseException):
        names = tables[BaseException]
    return names or ()


def attribute_error(printer: Printer, obj: Any, name: str) -> AttributeError:
    """The AttributeError the firmware raises for ``obj.name``."""
    if isinstance(obj, type):
        return AttributeError(f"type object '{printer.class_name(obj)}' has no attribute "
                              f"'{name}'")
    return AttributeError(f"'{mperrors.mp_type_name(obj)}' object has no attribute '{name}'")
