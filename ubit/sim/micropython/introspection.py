"""``dir()`` as the firmware answers it: no simulator internals, the firmware's dunders and order.

The board's native types (``Image``, ``Sound``, ``SoundEffect``, ``NeoPixel``…) are Python
classes here, with helpers such as ``Image._dim``; CPython's ``dir`` would show those and
CPython's dunders (``__weakref__``, ``__init_subclass__``…). MicroPython 1.18's ``dir(obj)``
(``py/modbuiltins.c``) instead probes every interned name with a load: a native type shows
its locals (the methods and constants) and ``__class__``; a type also ``__name__``,
``__bases__`` and ``__dict__`` (firmware-v2-observed 148, 159, 160, 165). The names come in
qstr order: the dunders (hoisted to the front of the pool by ``makeqstrdata.py``), then the
rest, each sorted (137). MicroPython 1.9.2 lists a module's or type's dict in table order:
for a module, the order of its globals table (137). ``dir()`` without an argument lists the
caller's globals (``locals()`` is the module's dict on both) in hash-table order (the V1
corpus program 181).
"""

from __future__ import annotations

import builtins
import functools
import sys
import types
from collections.abc import Callable

from ubit.sim.micropython import dirtables, hashorder
from ubit.sim.shared import builtin_types
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# Names starting with one underscore that the firmware's own types do have.
FIRMWARE_PRIVATE = frozenset({"_from_string"})  # audio.SoundEffect (159)
# What the probing of 1.18 finds on any type object besides its locals.
_TYPE_DUNDERS = ("__bases__", "__class__", "__dict__", "__name__")
_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by Python code, not CPython's C
# Names of user globals the firmware's module dict doesn't hold.
_NOT_GLOBALS = frozenset({"__builtins__"})
# A module's globals dict starts with one slot (``mp_obj_dict_init(&dict_main, 1)``).
_GLOBALS_ALLOC = 1


def is_native(cls: type) -> bool:
    """Whether ``cls`` is one of the board's own types (made by the emulation, not the user)."""
    if not cls.__flags__ & _HEAP_TYPE:
        return False  # CPython's C types: the probed table handles those it must
    module = cls.__dict__.get("__module__", "")
    return module == "builtins" or (isinstance(module, str) and module.startswith("ubit."))


def _plain(obj: Any) -> Any:
    """A board number (the emulation's subclass of float or int) as the built-in it stands
    for, which the firmware's tables describe."""
    kind = type(obj)
    if kind is type and obj.__flags__ & _HEAP_TYPE and is_native(obj):
        for plain in (float, int):
            if issubclass(obj, plain):
                return plain
    if kind is not float and kind is not int and kind.__flags__ & _HEAP_TYPE:
        if isinstance(obj, float):
            return float(obj)
        if isinstance(obj, int) and not isinstance(obj, bool):
            return int(obj)
    return obj


def _internals(cls: type) -> set[str]:
    """The emulation's helpers (``_dim``…) that ``cls`` and its bases define."""
    hidden: set[str] = set()
    for klass in cls.__mro__:
        if is_native(klass):
            hidden.update(name for name in vars(klass)
                          if name.startswith("_") and not name.startswith("__")
                          and name not in FIRMWARE_PRIVATE)
    return hidden


def qstr_order(names: list[str]) -> list[str]:
    """1.18's order: the dunders first, then the others, each sorted."""
    dunders = sorted(n for n in names if n.startswith("__"))
    return dunders + sorted(n for n in names if not n.startswith("__"))


def board_listing(spec: BoardSpec, base: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    """``dir(obj)`` of the board, from ``base`` (v1quirks' listing of CPython-made types)."""
    v2 = spec.dir_probes
    builtin_tables = builtin_types.dir_tables(v2)

    def native_names(cls: type, names: list[str], extra: tuple[str, ...]) -> list[str]:
        hidden = _internals(cls)
        kept = [n for n in names if not n.startswith("__") and n not in hidden]
        if v2:
            return [*kept, *extra]
        # 1.9.2 lists the type's own table, not a base's: a tuple's count is not attrtuple's
        own = {n for k in cls.__mro__ if k.__flags__ & _HEAP_TYPE for n in vars(k)}
        return [n for n in kept if n in own]

    def in_order(cls: type, names: list[str]) -> list[str]:
        if v2:
            return qstr_order(names)
        return dirtables.in_table_order(dirtables.TYPE_RANKS.get(cls.__name__), names)

    user_listing = _user_listing(spec)

    def listing(obj: Any) -> list[str]:
        obj = _plain(obj)
        if isinstance(obj, types.ModuleType):
            names = [n for n in base(obj) if n not in _NOT_GLOBALS]
            if v2:
                return qstr_order(names)
            present = set(names)
            names = [n for n in vars(obj) if n in present]  # 1.9.2: the globals table's order
            return dirtables.in_table_order(dirtables.MODULE_RANKS.get(obj.__name__), names)
        if isinstance(obj, type):
            if is_native(obj):
                if _stands_for_builtin(obj, builtin_tables):
                    return base(getattr(builtins, obj.__name__))  # the board's dict, set...
                names = dir(obj)
                if not v2 and "__dir__" in vars(obj):
                    try:  # the board's own __dir__ lists (AudioFrame, array...) don't use self
                        names = list(obj.__dir__(None))  # type: ignore[arg-type]
                    except Exception:  # noqa: BLE001 - one that does: all the type's names
                        names = dir(obj)
                return in_order(obj, native_names(obj, names, _TYPE_DUNDERS))
            return user_listing(obj) if not v2 and obj.__flags__ & _HEAP_TYPE else base(obj)
        cls = type(obj)
        if is_native(cls):
            if _stands_for_builtin(cls, builtin_tables):
                return base(getattr(builtins, cls.__name__)())  # the board's dict, set...
            own = "__dir__" in {n for k in cls.__mro__ if is_native(k) for n in vars(k)}
            if own and not v2:  # the firmware's names, as the type's own __dir__ lists them
                return in_order(cls, [n for n in cls.__dir__(obj) if n not in _internals(cls)])
            names = list(cls.__dir__(obj)) if own else dir(obj)
            return in_order(cls, native_names(cls, names, ("__class__",)))
        if not v2 and cls.__flags__ & _HEAP_TYPE:
            return user_listing(obj)
        return base(obj)

    return listing


def _stands_for_builtin(cls: type, tables: dict[str, Any]) -> bool:
    """Whether the board's ``cls`` is its plain dict, set, frozenset… (not a type of its own
    made on one, as sys.implementation's attrtuple on tuple)."""
    name = cls.__name__
    if name not in tables or cls.__module__ != "builtins":
        return False
    real = getattr(builtins, name, None)
    for klass in cls.__mro__:
        if klass is real:
            return True
        if klass.__name__ != name:
            return False
    return False


def _emulation_made(value: Any) -> bool:
    """Whether a class dict entry was put there by the emulation, not the user's class body
    (a stand-in ``__init__``, a refused operator's stub)."""
    user = getattr(value, "_mp_user", None)
    if user is not None:
        return not user
    return callable(value) and str(getattr(value, "__module__", "")).startswith("ubit.")


# What CPython keeps in a class's dict that the firmware's class dict doesn't hold.
_NOT_IN_CLASS_DICT = frozenset({"__module__", "__qualname__", "__dict__", "__weakref__",
                                "__doc__"})


def _user_listing(spec: BoardSpec) -> Callable[[Any], list[str]]:
    """V1's ``dir()`` of a user's class or instance: the class's own dict, then the
    instance's members, each a hash table listed slot by slot (1.9.2 ``py/modbuiltins.c``:
    no bases; the V1 firmware under QEMU). The class dict gets ``__module__`` and
    ``__qualname__`` first (1.9.2 ``py/compile.c`` compiles a class body so), then the body's
    names; both tables start empty (``mp_obj_new_dict(0)``, ``mp_map_init(.., 0)``)."""
    hasher = hashorder.Hasher(spec)
    ordered = hashorder.enabled()

    def slots(names: list[str]) -> list[str]:
        if not ordered:
            return names
        table = hashorder.Table(hasher, 0)
        for name in names:
            table.add(name)
        return list(table.ordered())

    def listing(obj: Any) -> list[str]:
        cls = obj if isinstance(obj, type) else type(obj)
        own = [name for name, value in vars(cls).items()
               if name not in _NOT_IN_CLASS_DICT and not _emulation_made(value)]
        names = slots(["__module__", "__qualname__", *own])
        members = getattr(obj, "__dict__", None) if obj is not cls else None
        if type(members) is dict:
            names += slots([n for n in members if type(n) is str])
        return names

    return listing


def globals_listing(spec: BoardSpec) -> Callable[[dict[str, Any]], list[str]]:
    """``dir()``: the names of a globals dict in the firmware's slot order."""
    hasher = hashorder.Hasher(spec)
    ordered = hashorder.enabled()

    def listing(namespace: dict[str, Any]) -> list[str]:
        names = [n for n in namespace if n not in _NOT_GLOBALS and n[:5] != "__mp_"]
        if not ordered:
            return names
        table = hashorder.Table(hasher, _GLOBALS_ALLOC)
        for name in names:
            table.add(name)
        return list(table.ordered())

    return listing


# Attributes some objects lack on the board besides those v1quirks knows: a closure's
# ``__name__`` (both; firmware-v2-observed 114), ``__doc__`` (no docstrings are kept: 106)
# and ``__iter__`` of the built-in types (their iterator is a C slot: 019).
# memoryview has no methods nor attributes on the board (169).
_MEMORYVIEW_NAMES = frozenset({
    "tobytes", "tolist", "release", "cast", "nbytes", "readonly", "itemsize", "ndim", "shape",
    "strides", "suboffsets", "c_contiguous", "f_contiguous", "contiguous", "toreadonly"})
# Operator methods called by name: the firmware's int, float, str and bytes have none (their
# operators are C slots; firmware-v2-observed 051: ``1 .__add__('a')`` is an AttributeError).
_OPERATOR_DUNDERS = frozenset({
    "__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__pow__",
    "__neg__", "__abs__", "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__",
    "__radd__", "__rsub__", "__rmul__", "__and__", "__or__", "__xor__", "__lshift__",
    "__rshift__", "__invert__", "__len__", "__getitem__", "__contains__"})
# Comparison methods by name: the firmware's objects have only those their class (or a
# user base) defines; ``object`` has none, a class defining ``__lt__`` alone has no
# ``__gt__`` (its operator is refused: userclasses), and a built-in type's are C slots.
# The V1 firmware under QEMU: ``A().__gt__`` and ``[].__lt__`` are AttributeErrors.
_COMPARISONS = frozenset({"__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"})
MAYBE_MISSING = frozenset({"__name__", "__doc__", "__iter__", "to_bytes", "from_bytes"}) | \
    _MEMORYVIEW_NAMES | _OPERATOR_DUNDERS
INT_BYTES = frozenset({"to_bytes", "from_bytes"})


def is_closure(obj: Any) -> bool:
    """Whether ``obj`` is a user function that captures variables (a firmware closure)."""
    return isinstance(obj, types.FunctionType) and obj.__closure__ is not None


def closure_error(obj: Any, name: str) -> AttributeError | None:
    """The firmware's error for a closure's missing attribute (its type is ``closure``)."""
    if is_closure(obj):
        return AttributeError(f"'closure' object has no attribute '{name}'")
    return None


def attribute_check(spec: BoardSpec, base: Callable[[Any, str], bool]
                    ) -> Callable[[Any, str], bool]:
    """``base`` (v1quirks' check of ``obj.name``) and the names in ``MAYBE_MISSING``."""
    docs = spec.full_attributes  # V1's check already hides __doc__

    def lacks(obj: Any, name: str) -> bool:
        if base(_plain(obj), name):
            return True
        if name == "__name__":
            return is_closure(obj)
        if name == "__doc__":
            return docs
        if name in _MEMORYVIEW_NAMES:
            return type(obj) is memoryview
        if name == "__iter__":
            kind = type(obj)
            return kind is not type and (not kind.__flags__ & _HEAP_TYPE or is_native(kind))
        if name in _COMPARISONS:
            return not _defines(obj if isinstance(obj, type) else type(obj), name)
        return False

    return lacks


def _defines(cls: type, name: str) -> bool:
    """Whether a user class on ``cls``'s line defines the method ``name`` itself (not a
    built-in's slot, nor the stand-in userclasses puts where the firmware has none)."""
    for klass in cls.__mro__:
        found = vars(klass).get(name)
        if found is not None:
            return bool(klass.__flags__ & _HEAP_TYPE) and not is_native(klass) and \
                not getattr(found, "_mp_refused", False)
    return False


def slots_ignored(build_class: Callable[..., Any]) -> Callable[..., Any]:
    """``__build_class__`` that keeps ``__slots__`` as a plain class attribute: MicroPython
    doesn't implement slots, so instances still take any attribute (firmware-v2-observed 109)."""

    def build(*args: Any, **kwargs: Any) -> Any:
        cls = build_class(*args, **kwargs)
        if isinstance(cls, type) and "__slots__" in vars(cls):
            return _without_slots(cls)
        return cls

    return build


def _without_slots(cls: type) -> type:
    """``cls`` made again from its namespace with ``__slots__`` left out (then set back)."""
    namespace = dict(vars(cls))
    slots = namespace.pop("__slots__")
    names = [slots] if isinstance(slots, str) else list(slots)
    for name in [*names, "__dict__", "__weakref__"]:
        if isinstance(namespace.get(name), (types.MemberDescriptorType,
                                             types.GetSetDescriptorType)):
            del namespace[name]
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    type.__setattr__(made, "__slots__", slots)
    for value in namespace.values():  # zero-argument super() looks in the __class__ cell
        function = getattr(value, "__func__", value)
        code = getattr(function, "__code__", None)
        if code is not None and "__class__" in code.co_freevars:
            function.__closure__[code.co_freevars.index("__class__")].cell_contents = made
    return made


def int_bytes_method(obj: Any, name: str) -> Any:
    """``int.to_bytes``/``int.from_bytes`` as MicroPython's (``py/objint.c``): any byteorder
    but ``'little'`` is big-endian, the third argument (signed) is taken and ignored, the
    bytes wrap, and from_bytes reads any buffer (a str too; firmware-v2-observed 122)."""
    if name == "to_bytes" and isinstance(obj, int) and not isinstance(obj, type):
        return functools.partial(_to_bytes, int(obj))
    if name == "from_bytes" and obj is int:
        return _from_bytes
    return getattr(obj, name)


def _little(byteorder: Any) -> bool:
    return isinstance(byteorder, str) and byteorder == "little"


def _to_bytes(value: int, *args: Any) -> bytes:
    if not 2 <= len(args) <= 3:
        raise TypeError(f"function takes {3 if len(args) < 2 else 4} positional arguments "
                        f"but {len(args) + 1} were given")
    length = args[0]
    if not isinstance(length, int):
        raise TypeError(f"can't convert {type(length).__name__} to int")
    if length < 0:
        raise ValueError("negative count")  # CPython's words; unprobed
    data = (value % (1 << (8 * length))).to_bytes(length, "little") if length else b""
    return data if _little(args[1]) else data[::-1]


def _from_bytes(*args: Any) -> int:
    if not 2 <= len(args) <= 3:
        raise TypeError(f"function takes {3 if len(args) < 2 else 4} positional arguments "
                        f"but {len(args) + 1} were given")
    data = args[0]
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        raw = bytes(memoryview(data))
    except TypeError:
        raise TypeError("object with buffer protocol required") from None
    return int.from_bytes(raw, "little" if _little(args[1]) else "big")


def caller_globals(depth: int) -> dict[str, Any]:
    """The globals of the frame ``depth`` levels above the caller."""
    return sys._getframe(depth + 1).f_globals
