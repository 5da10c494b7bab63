"""Dicts and sets that iterate, print and pop in MicroPython's hash-table order.

MicroPython's dicts and sets (``py/map.c``) are open-addressing tables: a key goes to
slot ``hash % alloc`` or the next free one (linear probing); a deleted key leaves a
sentinel unless the next slot is empty; a table grows only when completely full, to the
next size of a fixed list, re-inserting the keys in slot order. Iteration walks the
slots, so order follows the hashes (djb2 of the bytes, one byte of it on the V1 and two
on the V2; small ints hash to themselves), the table size (a literal ``{...}`` starts
with exactly as many slots as it has items) and what was inserted first.

User code keeps CPython's dicts and sets for speed (lookups and stores are C calls);
the board's ``dict`` and ``set`` are subclasses that build a shadow of the firmware's
table only when the order is observed. A dict's CPython order is its insertion order,
so the shadow catches up by inserting the keys it hasn't seen yet; deletions go through
the shadow as they happen, which keeps it exact. Sets aren't ordered in CPython, so
their insertions are logged (``add``, ``update``, construction). Dicts and sets made
by C code the board doesn't see (``globals()``, ...) keep CPython's order.
``UBIT_HASH_ORDER=0`` turns this off (insertion order, plain types).

Where ``_hashnative`` was built (``_hashnative.c``, by pip/make), the types' bases are its
C ones: ``set.add``/``update`` log in C (a Python ``add`` cost a frame per call: most of a
dict-heavy loop's extra time), and deletions reach the dict's shadow from C (a Python
``__delitem__`` sent every ``d[k] = v`` through CPython's slow generic slot). The order is
the same either way; ``UBIT_HASH_NATIVE=0`` uses the Python code.

On the V1 (MicroPython 1.9.2) comparing a float with anything but a number, a str or None
converts the other side to float (py/obj.c mp_obj_equal, py/objfloat.c
mp_obj_float_binary_op): a probe passing a float key on its way to a tuple's slot raises
``TypeError: can't convert tuple to float`` (firmware-v2-observed 032). A table the board
builds when the firmware builds its own compares keys so (``Table.add_compared``) and
raises then too: a dict or set display with a float literal among its keys (the compiler
flags it; the display's items are all evaluated first, the firmware stops at the failing
one) and ``frozenset()`` of floats. Tables caught up later (stores, ``set.add``, ``set()``)
don't: the firmware would have raised at a store long before, and checking each store
would slow every dict.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from itertools import islice, repeat
from math import isfinite, isnan
from types import MethodType, ModuleType

from ubit.sim.micropython import astwalk
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

try:  # built from _hashnative.c by pip/make; imported here, before the board is confined
    from ubit.sim.micropython import _hashnative
except ImportError:  # no C compiler where ubit was installed: the Python methods
    _hashnative = None  # type: ignore[assignment]

NATIVE_ENV = "UBIT_HASH_NATIVE"

# py/map.c hash_allocation_sizes (the same in MicroPython 1.9.2 and 1.18)
_SIZES = (0, 2, 4, 6, 8, 10, 12, 17, 23, 29, 37, 47, 59, 73, 97, 127, 167, 223, 293, 389,
          521, 691, 919, 1223, 1627, 2161, 3229, 4831, 7243, 10861, 16273, 24407, 36607,
          54907)
# The names the compiler's rewrite calls (builtins of user code)
NEW_DICT, DICT_TYPE, NEW_SET, KWARGS = "__mp_dict__", "__mp_dicttype__", "__mp_set__", \
    "__mp_kwargs__"
_EMPTY = object()  # not None: None is a key like any other
_DELETED = object()


def enabled() -> bool:
    """Whether dicts and sets follow the firmware's order (``UBIT_HASH_ORDER=0``: no)."""
    return os.environ.get("UBIT_HASH_ORDER", "1") != "0"


def native() -> bool:
    """Whether the board's dict and set take ``_hashnative``'s C bases (built, and not
    switched off by ``UBIT_HASH_NATIVE=0``)."""
    return _hashnative is not None and \
        os.environ.get(NATIVE_ENV, "1") not in ("0", "off", "no", "false")


def _grown(alloc: int) -> int:
    for size in _SIZES:
        if size > alloc:
            return size
    return (alloc + 1 + (alloc + 1) // 2) | 1


def _small_int(value: int) -> int:
    """``value`` through ``MP_OBJ_NEW_SMALL_INT``: 31 bits, sign-extended (machine word)."""
    value &= 0x7FFFFFFF
    return value - 0x80000000 if value & 0x40000000 else value


def _truncated(value: float) -> int:
    """A float's hash: its integer part as a small int, 0 for inf and nan."""
    # (math, not value != value: the V1's nan equals itself, as the firmware's object)
    return _small_int(int(value)) if isfinite(value) else 0


def _saturated(value: float) -> int:
    """The V1's float hash: ``(mp_int_t)val`` by libgcc's ``__aeabi_f2iz``, which clamps
    to the int32 range and gives nan as 0x7fffffff (QEMU: hash(1e30) and hash(nan) are -1,
    hash(-inf) 0), then made a small int."""
    if isnan(value) or value >= 2147483648.0:
        return _small_int(0x7FFFFFFF)
    if value <= -2147483648.0:
        return _small_int(-0x80000000)
    return _small_int(int(value))


def v1_equal(slot: Any, key: Any) -> bool:
    """``mp_obj_equal(slot, key)`` of MicroPython 1.9.2 where it differs from CPython's:
    a float against a non-number raises (the tuples holding them too)."""
    if slot is key:
        return True
    if slot is None or key is None:
        return False
    if isinstance(slot, float):
        kind = type(key)
        if kind is str or kind is int or kind is bool or isinstance(key, float):
            return bool(slot == key)
        from ubit.sim.micropython.mperrors import mp_type_name  # only when it raises

        raise TypeError(f"can't convert {mp_type_name(key)} to float")
    if type(slot) is tuple and type(key) is tuple:  # mp_seq_cmp_objs: up to a difference
        if len(slot) != len(key):
            return False
        for a, b in zip(slot, key, strict=True):
            if not v1_equal(a, b):
                return False
        return True
    return bool(slot == key)


# Built-in types whose MicroPython type has no ``unary_op`` answering MP_UNARY_OP_HASH, so
# hash() raises "unsupported type for __hash__" (1.9.2 and 1.18 py/runtime.c mp_unary_op;
# py/objobject.c, objrange.c, objmodule.c, objboundmeth.c, objexcept.c define none; the V1
# firmware under QEMU: hash(object()), hash(range(3)), hash(math), hash(ValueError())).
# CPython hashes them all; only hash() checks (every dict store would pay otherwise).
_NO_HASH = {object: "object", range: "range", ModuleType: "module", MethodType: "bound_method"}


def firmware_hash(value: Any) -> int:
    """hash() of a value the board's own cases didn't take: CPython's, or the firmware's
    TypeError for a built-in type without a hash (a built-in exception's too, not a user
    subclass's: ``instance_unary_op`` hashes those by address)."""
    kind = type(value)
    name = _NO_HASH.get(kind)
    if name is None and issubclass(kind, BaseException) and kind.__module__ == "builtins":
        name = kind.__name__
    if name is not None:
        raise TypeError(f"unsupported type for __hash__: '{name}'")
    return hash(value)


class Hasher:
    """``mp_unary_op(MP_UNARY_OP_HASH)`` of one firmware, as a signed small int."""

    def __init__(self, spec: BoardSpec) -> None:
        """The hashes of ``spec``'s firmware (constants measured: firmware-v2-observed 123)."""
        v1 = spec.builtins_1_9
        self.mask = 0xFF if v1 else 0xFFFF  # MICROPY_QSTR_BYTES_IN_HASH: 1 on V1, 2 on V2
        self.none = 176400 if v1 else 6  # the address (V1) or immediate value (V2) of None
        self.tuple = 180616 if v1 else 30072  # address of the empty tuple: tuples start there
        self.frozenset = 167852 if v1 else 28660
        # (mp_int_t)val: the V1's soft-float conversion saturates, NaN as the largest
        self.float_hash = _saturated if v1 else _truncated

    def __call__(self, key: Any) -> int:
        """The firmware's hash of ``key``."""
        kind = type(key)
        if kind is str:
            return self.bytes_hash(key.encode("utf-8", "surrogateescape"))
        if kind is int or kind is bool:
            return _small_int(key)
        if kind is bytes:
            return self.bytes_hash(key)
        if kind is float or isinstance(key, float):  # the board's float too (f32.py)
            return self.float_hash(key)  # (mp_int_t)val: no high-quality float hash
        if key is None:
            return self.none
        if kind is tuple:
            return _small_int(self.tuple + sum(map(self, key)))
        if isinstance(key, frozenset):
            return _small_int(self.frozenset + sum(map(self, key)))
        if isinstance(key, str):
            return self.bytes_hash(str.encode(key, "utf-8", "surrogateescape"))
        if isinstance(key, int):
            return _small_int(int(key))
        return _small_int(hash(key))  # addresses on the firmware: no order to match

    def bytes_hash(self, data: bytes) -> int:
        """``qstr_compute_hash``: djb2, masked, never 0."""
        h = 5381
        for byte in data:
            h = (h * 33) ^ byte
        return (h & self.mask) or 1


class Table:
    """The slots of one firmware dict or set (``mp_map_t``/``mp_set_t``): keys only."""

    __slots__ = ("alloc", "slots", "hashes", "used", "hasher", "keys", "order", "same")

    def __init__(self, hasher: Callable[[Any], int], alloc: int = 0) -> None:
        """An empty table of ``alloc`` slots."""
        self.hasher = hasher
        self.alloc = alloc
        self.slots: list[Any] = [_EMPTY] * alloc
        self.hashes: list[int] = [0] * alloc
        self.used = 0
        self.keys: dict[Any, int] = {}  # key -> slot
        self.order: list[Any] | None = None
        self.same = False  # whether ``order`` is the dict's insertion order

    def clone(self) -> Table:
        """A copy of the layout (``dict.copy``/``set.copy`` copy the firmware's table)."""
        other = Table(self.hasher)
        other.alloc, other.used = self.alloc, self.used
        other.slots, other.hashes, other.keys = self.slots[:], self.hashes[:], dict(self.keys)
        return other

    def add(self, key: Any) -> None:
        """Insert a key the table doesn't hold, as ``MP_MAP_LOOKUP_ADD_IF_NOT_FOUND``."""
        if key in self.keys:
            return
        self.order = None
        self._place(key, self.hasher(key) & 0xFFFFFFFF)

    def add_compared(self, key: Any) -> None:
        """``add``, comparing ``key`` with each key its chain passes as the V1 compares
        them (``v1_equal``, which may raise): for a table built when the firmware builds
        its own."""
        if key in self.keys:
            return
        self.order = None
        self._place_compared(key, self.hasher(key) & 0xFFFFFFFF)

    def _place(self, key: Any, h: int) -> None:
        if self.alloc == 0:
            self._rehash()
        slots = self.slots
        alloc = self.alloc
        pos = start = h % alloc
        avail = -1
        while True:
            slot = slots[pos]
            if slot is _EMPTY:
                if avail < 0:
                    avail = pos
                break
            if slot is _DELETED and avail < 0:
                avail = pos
            pos = (pos + 1) % alloc
            if pos == start:
                if avail >= 0:
                    break
                self._rehash()
                slots, alloc = self.slots, self.alloc
                pos = start = h % alloc
        slots[avail] = key
        self.hashes[avail] = h
        self.keys[key] = avail
        self.used += 1

    def _place_compared(self, key: Any, h: int) -> None:
        """``_place``, comparing ``key`` with each key it passes as the V1 does (which may
        raise): the firmware walks the chain to an empty slot, or round a table with no
        free slot, which it then grows (comparing as it re-inserts) and walks again."""
        if self.alloc == 0:
            self._rehash()
        if not self._compare_chain(key, h):
            self._rehash(compared=True)
            self._compare_chain(key, h)
        self._place(key, h)

    def _compare_chain(self, key: Any, h: int) -> bool:
        """Compare ``key`` with the keys of its chain; whether the chain has room."""
        slots, alloc = self.slots, self.alloc
        pos = start = h % alloc
        room = False
        while True:
            slot = slots[pos]
            if slot is _EMPTY:
                return True
            if slot is _DELETED:
                room = True
            else:
                v1_equal(slot, key)
            pos = (pos + 1) % alloc
            if pos == start:
                return room

    def _rehash(self, compared: bool = False) -> None:
        old = [(k, h) for k, h in zip(self.slots, self.hashes, strict=True)
               if k is not _EMPTY and k is not _DELETED]
        self.alloc = _grown(self.alloc)
        self.slots = [_EMPTY] * self.alloc
        self.hashes = [0] * self.alloc
        self.used = 0
        self.keys = {}
        place = self._place_compared if compared else self._place
        for key, h in old:
            place(key, h)

    def remove(self, key: Any, sentinel: bool = False) -> None:
        """Delete ``key``: a sentinel stays unless the next slot is empty (or ``sentinel``)."""
        pos = self.keys.pop(key, None)
        if pos is None:
            return
        self.order = None
        self.used -= 1
        after = self.slots[(pos + 1) % self.alloc]
        self.slots[pos] = _DELETED if sentinel or after is not _EMPTY else _EMPTY

    def ordered(self) -> list[Any]:
        """The keys in slot order."""
        order = self.order
        if order is None:
            order = self.order = [k for k in self.slots if k is not _EMPTY and k is not _DELETED]
            self.same = False
        return order


class _Mapped(type):
    """Metaclass: the board's ``dict``/``set`` also claim the plain CPython ones."""

    # with a leading underscore: dir() of the board's types shows only the firmware's names
    _base: type

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._base)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._base)


class _View:
    """A dict view that iterates in the firmware's order (no set operators: neither has)."""

    __slots__ = ("_dict",)

    def __init__(self, mapping: dict) -> None:
        self._dict = mapping

    def __len__(self) -> int:
        return len(self._dict)


class _Indexed:
    """A dict as the firmware's reversed() sees it: a length and a subscript."""

    __slots__ = ("_dict",)

    def __init__(self, mapping: dict) -> None:
        self._dict = mapping

    def __len__(self) -> int:
        return len(self._dict)

    def __getitem__(self, index: int) -> Any:
        return self._dict[index]


def make_types(spec: BoardSpec) -> dict[str, Any]:
    """The board's ``dict`` and ``set`` types and the helpers the compiler calls, by name."""
    hasher = Hasher(spec)
    compares = spec.builtins_1_9  # the V1's float == x raises (v1_equal); the V2's doesn't
    real_pop, real_del, real_clear = dict.pop, dict.__delitem__, dict.clear
    real_keys, real_values, real_items = dict.keys, dict.values, dict.items
    fast = native()
    dict_base: type = _hashnative.DictBase if fast else dict
    set_base: type = _hashnative.SetBase if fast else set

    class dict_keys(_View):  # noqa: N801 - the firmware's names, printed by repr
        """``d.keys()`` in the firmware's order."""

        __slots__ = ()

        def __iter__(self) -> Any:
            return iter(self._dict._ordered())

        def __contains__(self, key: Any) -> bool:
            return key in self._dict

    class dict_values(_View):  # noqa: N801
        """``d.values()`` in the firmware's order."""

        __slots__ = ()

        def __iter__(self) -> Any:
            mapping = self._dict
            return map(mapping.__getitem__, mapping._ordered())

        def __contains__(self, value: Any) -> bool:
            return value in real_values(self._dict)

    class dict_items(_View):  # noqa: N801
        """``d.items()`` in the firmware's order."""

        __slots__ = ()

        def __iter__(self) -> Any:
            mapping = self._dict
            keys = mapping._ordered()
            return zip(keys, map(mapping.__getitem__, keys), strict=True)

        def __contains__(self, item: Any) -> bool:
            return item in real_items(self._dict)

    class MPDict(dict_base, metaclass=_Mapped):  # type: ignore[misc,valid-type]
        """A dict that iterates, prints and pops in the firmware's slot order."""

        __slots__ = ("_table", "_alloc")

        def _sync(self) -> Table:
            """The shadow table, caught up with keys stored since it last looked."""
            try:
                table = self._table
            except AttributeError:
                try:
                    alloc = self._alloc
                except AttributeError:
                    alloc = 0
                table = self._table = Table(hasher, alloc)
            n = len(self)
            if table.used != n:
                if table.used > n:  # deleted behind the board's back: start again
                    table = self._table = Table(hasher, 0)
                add = table.add
                for key in islice(dict.__iter__(self), table.used, None):
                    add(key)
            return table

        def _ordered(self) -> list[Any]:
            return self._sync().ordered()

        def _in_order(self) -> bool:
            """Whether slot order happens to be insertion order (CPython's views will do)."""
            table = self._sync()
            if table.order is None:
                table.same = table.ordered() == list(dict.__iter__(self))
            return table.same

        def __iter__(self) -> Any:
            return iter(self._sync().ordered())

        def keys(self) -> Any:
            """The keys, in slot order."""
            return real_keys(self) if self._in_order() else dict_keys(self)

        def values(self) -> Any:
            """The values, in slot order."""
            return real_values(self) if self._in_order() else dict_values(self)

        def items(self) -> Any:
            """The items, in slot order."""
            return real_items(self) if self._in_order() else dict_items(self)

        def _drop(self, key: Any) -> None:
            """Take a key about to be deleted out of the shadow (``DictBase`` calls it)."""
            self._sync().remove(key)

        if not fast:  # (DictBase's C slot does this: a Python one slows every store)
            def __delitem__(self, key: Any) -> None:
                if key in self:
                    self._sync().remove(key)
                real_del(self, key)

        def pop(self, key: Any, *default: Any) -> Any:
            """Remove ``key`` and return its value (or ``default``)."""
            if key in self:
                self._sync().remove(key)
            return real_pop(self, key, *default)

        def popitem(self) -> tuple[Any, Any]:
            """The first item in slot order, removed (the firmware leaves a sentinel)."""
            if not self:
                raise KeyError("popitem(): dictionary is empty")
            table = self._sync()
            key = table.ordered()[0]
            table.remove(key, sentinel=True)
            return key, real_pop(self, key)

        def clear(self) -> None:
            """Empty the dict (the firmware frees its table)."""
            real_clear(self)
            self._table = Table(hasher, 0)

        def copy(self) -> Any:
            """A copy with the same table."""
            table = self._sync()
            other = MPDict()
            for key in table.ordered():
                dict.__setitem__(other, key, dict.__getitem__(self, key))
            other._table = table.clone()
            return other

        def __reversed__(self) -> Any:
            # The firmware's reversed() takes any object with a length and subscripts it
            # with len-1 ... 0 (py/objreversed.c): a dict gives d[1], a KeyError mostly
            # (firmware-v2-observed 105, both releases).
            return reversed(_Indexed(self))

        def __or__(self, other: Any) -> Any:
            return NotImplemented  # neither firmware has dict | dict (probe 177)

        __ror__ = __ior__ = __or__

    MPDict._base = dict
    set_add, set_remove, set_discard = set.add, set.remove, set.discard

    class MPSet(set_base, metaclass=_Mapped):  # type: ignore[misc,valid-type]
        """A set that iterates, prints and pops in the firmware's slot order."""

        __slots__ = ("_table",) if fast else ("_table", "_log")  # SetBase has the log

        def __init__(self, items: Iterable[Any] = ()) -> None:
            if type(items) not in (list, tuple, str):
                items = list(items)
            set.__init__(self, items)
            self._log = list(items)

        def _sync(self) -> Table:
            try:
                table = self._table
            except AttributeError:
                table = self._table = Table(hasher, 0)
            try:
                log = self._log
            except AttributeError:  # a subclass's __init__ that doesn't call set's
                log = self._log = []
            if log:
                add = table.add
                for key in log:
                    if key in self:
                        add(key)
                log.clear()
            if table.used != len(self):  # changed behind the board's back: start again
                table = self._table = Table(hasher, 0)
                for key in set.__iter__(self):
                    table.add(key)
            return table

        def __iter__(self) -> Any:
            return iter(self._sync().ordered())

        if not fast:  # (SetBase's C methods do the same)
            def add(self, item: Any) -> None:
                """Add ``item``."""
                if item not in self:  # logged once: a loop adding the same items stays small
                    set_add(self, item)
                    try:
                        self._log.append(item)
                    except AttributeError:  # a subclass's __init__ that doesn't call set's
                        self._log = [item]

            def update(self, *others: Iterable[Any]) -> None:
                """Add the items of each of ``others``, in their order."""
                for other in others:
                    for item in other:
                        if item not in self:
                            set_add(self, item)
                            try:
                                self._log.append(item)
                            except AttributeError:  # (as in add)
                                self._log = [item]

        def __ior__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            self.update(other)
            return self

        def _drop(self, item: Any) -> None:
            self._sync().remove(item)

        def remove(self, item: Any) -> None:
            """Remove ``item`` (KeyError if absent)."""
            if item in self:
                self._drop(item)
            set_remove(self, item)

        def discard(self, item: Any) -> None:
            """Remove ``item`` if present."""
            if item in self:
                self._drop(item)
                set_discard(self, item)

        def pop(self) -> Any:
            """The first item in slot order, removed."""
            if not self:
                raise KeyError("pop from an empty set")
            table = self._sync()
            item = table.ordered()[0]
            table.remove(item)
            set_remove(self, item)
            return item

        def clear(self) -> None:
            """Empty the set (the firmware frees its table)."""
            set.clear(self)
            self._log = []
            self._table = Table(hasher, 0)

        def copy(self) -> Any:
            """A copy with the same table."""
            table = self._sync()
            other = MPSet(table.ordered())
            other._log.clear()
            other._table = table.clone()
            return other

        def difference_update(self, *others: Iterable[Any]) -> None:
            """Remove the items of each of ``others``."""
            for other in others:
                for item in other:
                    self.discard(item)

        def __isub__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            self.difference_update(other)
            return self

        def intersection_update(self, *others: Iterable[Any]) -> None:
            """Keep only the items in all of ``others`` (the firmware builds a new table)."""
            for other in others:
                kept = self._intersect(other)
                set.clear(self)
                set.update(self, kept)
                self._log = []
                self._table = kept._sync()

        def __iand__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            self.intersection_update(other)
            return self

        def symmetric_difference_update(self, other: Iterable[Any]) -> None:
            """Toggle each item of ``other``."""
            for item in MPSet(other) if not isinstance(other, (set, frozenset)) else other:
                if item in self:
                    self.discard(item)
                else:
                    self.add(item)

        def __ixor__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            self.symmetric_difference_update(other)
            return self

        def _intersect(self, other: Iterable[Any]) -> Any:
            out = MPSet()
            for item in other:
                if item in self:
                    out.add(item)
            return out

        def union(self, *others: Iterable[Any]) -> Any:
            """A copy with the items of ``others`` added."""
            out = self.copy()
            out.update(*others)
            return out

        def intersection(self, *others: Iterable[Any]) -> Any:
            """The items also in each of ``others``."""
            out = self.copy()
            out.intersection_update(*others)
            return out

        def difference(self, *others: Iterable[Any]) -> Any:
            """A copy without the items of ``others``."""
            out = self.copy()
            out.difference_update(*others)
            return out

        def symmetric_difference(self, other: Iterable[Any]) -> Any:
            """A copy with the items of ``other`` toggled."""
            out = self.copy()
            out.symmetric_difference_update(other)
            return out

        def __or__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            return self.union(other)

        def __and__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            return self.intersection(other)

        def __sub__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            return self.difference(other)

        def __xor__(self, other: Any) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            return self.symmetric_difference(other)

    if spec.builtins_1_9:  # 1.9.2 objset.c: set - x, set | x... take any iterable (178)
        def _any_iterable(method: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
            def operator(self: Any, other: Any) -> Any:
                try:
                    iter(other)
                except TypeError:
                    return NotImplemented
                return method(self, other)

            return operator

        for name, method in (("__or__", MPSet.union), ("__and__", MPSet.intersection),
                             ("__sub__", MPSet.difference),
                             ("__xor__", MPSet.symmetric_difference)):
            setattr(MPSet, name, _any_iterable(method))
    MPSet._base = set

    class MPFrozenset(frozenset, metaclass=_Mapped):
        """A frozenset in the firmware's slot order (fixed when it is made)."""

        __slots__ = ("_order", "_table")

        def __new__(cls, items: Iterable[Any] = ()) -> Any:
            if type(items) not in (list, tuple, str):
                items = list(items)
            made = frozenset.__new__(cls, items)
            table = Table(hasher, 0)
            if compares and any(map(isinstance, items, repeat(float))):
                for item in items:
                    table.add_compared(item)
            else:
                for item in items:
                    table.add(item)
            made._order = table.ordered()
            made._table = table
            return made

        def __iter__(self) -> Any:
            return iter(self._order)

        def _combine(self, other: Any, how: Callable[[Any, Any], Any]) -> Any:
            if not isinstance(other, (set, frozenset)):
                return NotImplemented
            mutable = MPSet()  # set ops start from a copy of the left operand's table
            set.update(mutable, self)
            mutable._table = self._table.clone()
            result = how(mutable, other)
            made = frozenset.__new__(MPFrozenset, result)
            made._table = result._sync()
            made._order = made._table.ordered()
            return made

        def __or__(self, other: Any) -> Any:
            return self._combine(other, MPSet.union)

        def __and__(self, other: Any) -> Any:
            return self._combine(other, MPSet.intersection)

        def __sub__(self, other: Any) -> Any:
            return self._combine(other, MPSet.difference)

        def __xor__(self, other: Any) -> Any:
            return self._combine(other, MPSet.symmetric_difference)

    MPFrozenset._base = frozenset
    # (the C bases too: CPython's messages name a method's type, "builtins.set" else)
    bases = ((dict_base, "dict"), (set_base, "set")) if fast else ()
    for cls, name in ((MPDict, "dict"), (MPSet, "set"), (MPFrozenset, "frozenset"), *bases):
        cls.__name__ = cls.__qualname__ = name
        cls.__module__ = "builtins"

    def new_dict(mapping: dict, alloc: int, floats: bool = False) -> Any:
        """A dict display of ``alloc`` items (``BUILD_MAP alloc``: a table of that size);
        ``floats``: a float literal among its keys (the V1 builds its table now, as the
        firmware does, comparing the keys as it does)."""
        made = MPDict(mapping)
        made._alloc = alloc
        if floats and compares:
            table = made._table = Table(hasher, alloc)
            for key in mapping:
                table.add_compared(key)
        return made

    def new_set(items: Iterable[Any], floats: bool = False) -> Any:
        """A set display (``BUILD_SET n``: a table of exactly n slots) or comprehension;
        ``floats``: a float literal among a display's items (compared as on the V1)."""
        made = MPSet()
        table = made._table = Table(hasher, len(items) if type(items) is tuple else 0)
        if floats and compares:
            for item in items:
                if item not in made:
                    table.add_compared(item)
                    set_add(made, item)
            return made
        for item in items:
            if item not in made:
                set_add(made, item)
                table.add(item)
        return made

    def kwargs(mapping: dict) -> Any:
        """A function's ``**kw`` dict: ``mp_obj_new_dict(n_kw)``."""
        return new_dict(mapping, len(mapping))

    return {"dict": MPDict, "set": MPSet, "frozenset": MPFrozenset, NEW_DICT: new_dict,
            DICT_TYPE: MPDict, NEW_SET: new_set, KWARGS: kwargs}


# ---------------------------------------------------------------------------------------
# The compiler's rewrite: displays, comprehensions and **kwargs make the board's types



def _call(name: str, where: ast.AST, *args: ast.expr) -> ast.Call:
    func = ast.copy_location(ast.Name(name, ast.Load()), where)
    return ast.copy_location(ast.Call(func, list(args), []), where)


def _has_float(nodes: list[Any]) -> bool:
    """Whether a float literal appears in any of ``nodes`` (``None`` for ``**x`` too)."""
    for node in nodes:
        if node is not None:
            for inner in astwalk.walk(node):
                if type(inner) is ast.Constant and type(inner.value) is float:
                    return True
    return False


def _flagged(node: ast.AST, args: list[ast.expr], items: list[Any]) -> list[ast.expr]:
    """``args``, and True if a float literal is among ``items`` (the V1's table is then
    built at once, comparing keys as the firmware does: ``v1_equal``)."""
    if _has_float(items):
        args.append(ast.copy_location(ast.Constant(True), node))
    return args


def _rewrite(node: ast.AST) -> ast.AST | None:
    """The replacement for a display or comprehension, or None."""
    kind = type(node)
    if kind is ast.Dict:
        keys = node.keys  # type: ignore[attr-defined]
        if not keys:
            return _call(DICT_TYPE, node)
        size = ast.copy_location(ast.Constant(len(keys)), node)
        return _call(NEW_DICT, node, *_flagged(node, [node, size], keys))  # type: ignore
    if kind is ast.DictComp:
        return _call(DICT_TYPE, node, node)  # type: ignore[arg-type]
    if kind is ast.Set:
        items = ast.copy_location(ast.Tuple(node.elts, ast.Load()), node)  # type: ignore
        return _call(NEW_SET, node, *_flagged(node, [items], node.elts))  # type: ignore
    if kind is ast.SetComp:
        # the firmware inserts the items as they come: made as a list (CPython's set would
        # lose that order, and with it the run's determinism: str hashes differ by process),
        # its code named <setcomp> again once compiled (``named_setcomps``)
        items = ast.copy_location(ast.ListComp(node.elt, node.generators), node)  # type: ignore
        return _call(NEW_SET, node, items)
    return None


def setcomp_spans(tree: ast.AST) -> set[tuple[int, int]]:
    """Where ``tree``'s set comprehensions start (line, column), before ``apply``."""
    return {(node.lineno, node.col_offset) for node in astwalk.walk(tree)
            if type(node) is ast.SetComp}


def named_setcomps(code: Any, spans: set[tuple[int, int]]) -> Any:
    """``code`` with the list comprehensions ``apply`` made of set comprehensions (found by
    where they start) named ``<setcomp>``, as tracebacks show them."""
    consts = list(code.co_consts)
    changed = False
    for i, const in enumerate(consts):
        if hasattr(const, "co_code"):
            new = named_setcomps(const, spans)
            if new.co_name == "<listcomp>":
                positions = list(islice(new.co_positions(), 2))
                if len(positions) == 2 and (positions[1][0], positions[1][2]) in spans:
                    new = new.replace(co_name="<setcomp>", co_qualname=new.co_qualname.replace(
                        "<listcomp>", "<setcomp>"))
            if new is not const:
                consts[i] = new
                changed = True
    return code.replace(co_consts=tuple(consts)) if changed else code


def _kwargs(node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """``def f(**kw)``: the firmware's kwargs dict has a table of one slot per keyword."""
    name = node.args.kwarg.arg  # type: ignore[union-attr]
    body = node.body
    first = body[0]
    at = 1 if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
        type(first.value.value) is str else 0
    where = body[at] if at < len(body) else first
    load = ast.copy_location(ast.Name(name, ast.Load()), where)
    store = ast.copy_location(ast.Name(name, ast.Store()), where)
    body.insert(at, ast.copy_location(ast.Assign([store], _call(KWARGS, where, load)), where))


def apply(tree: ast.AST) -> None:
    """Make user code's dicts and sets the board's: displays, comprehensions, ``**kw``."""
    stack = [tree]
    push, pop = stack.append, stack.pop
    node_type, rewrite = ast.AST, _rewrite
    while stack:
        node = pop()
        kind = type(node)
        if (kind is ast.FunctionDef or kind is ast.AsyncFunctionDef) and \
                node.args.kwarg is not None:  # type: ignore[attr-defined]
            _kwargs(node)  # type: ignore[arg-type]
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for i, item in enumerate(value):
                    if isinstance(item, node_type) and item._fields:
                        push(item)
                        if type(item) in _DISPLAYS:
                            new = rewrite(item)
                            if new is not None:
                                value[i] = new
            elif isinstance(value, node_type) and value._fields:
                push(value)
                if type(value) in _DISPLAYS:
                    new = rewrite(value)
                    if new is not None:
                        setattr(node, name, new)


_DISPLAYS = frozenset({ast.Dict, ast.DictComp, ast.Set, ast.SetComp})
