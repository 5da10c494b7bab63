"""``ucollections`` / ``collections`` (reference §31): ``namedtuple`` and ``OrderedDict``.

MicroPython's namedtuple is a bare tuple type: fields by name or index, no
``_replace``/``_asdict``/``_fields``, and "can't set attribute". V1 wants
the fields as a list or tuple (``namedtuple('P', 'x y')`` is a TypeError,
firmware-v1-observed.md); V2 also splits a string on spaces. ``popitem``
takes the first item on V1 (measured under QEMU) and the last on V2.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.micropython.modules.struct import type_name
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any


def make_namedtuple(spec: BoardSpec, printer: Printer) -> Any:
    """The ``namedtuple`` factory of one board."""

    def namedtuple(name: Any, fields: Any) -> type:
        """A tuple type whose items also have names."""
        if not isinstance(name, str):
            raise TypeError(f"can't convert '{type_name(name)}' object to str implicitly")
        if isinstance(fields, str) and spec.namedtuple_splits_string:
            fields = fields.split()
        if not isinstance(fields, (list, tuple)):
            raise TypeError(f"object '{type_name(fields)}' {spec.is_not} a tuple or list")
        names = tuple(fields)
        for field in names:
            if not isinstance(field, str):
                raise TypeError(f"can't convert '{type_name(field)}' object to str implicitly")
        return _tuple_type(name, names, spec.dir_probes, printer)

    return namedtuple


def _tuple_type(name: str, fields: tuple[str, ...], dir_probes: bool, printer: Printer) -> type:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:  # noqa: N807
        if len(args) + len(kwargs) != len(fields):
            raise TypeError(f"function takes {len(fields)} positional arguments but "
                            f"{len(args) + len(kwargs)} were given")
        values: list[Any] = list(args) + [_UNSET] * len(kwargs)
        for key, value in kwargs.items():
            if key not in fields:
                raise TypeError(f"unexpected keyword argument '{key}'")
            where = fields.index(key)
            if where < len(values) and values[where] is not _UNSET:
                raise TypeError(f"function got multiple values for argument '{key}'")
            values[where] = value
        return tuple.__new__(cls, values)

    def __getattr__(self: Any, attr: str) -> Any:  # noqa: N807
        if attr in fields:
            return tuple.__getitem__(self, fields.index(attr))
        raise AttributeError(f"'{name}' object has no attribute '{attr}'")

    def __setattr__(self: Any, attr: str, value: Any) -> None:  # noqa: N807
        raise AttributeError("can't set attribute")

    def __repr__(self: Any) -> str:  # noqa: N807
        inner = ", ".join(f"{f}={printer.repr(v)}" for f, v in zip(fields, self, strict=True))
        return f"{name}({inner})"

    def __dir__(self: Any) -> list[str]:  # noqa: N807
        # V1's dir() lists an object's methods only (none here); V2's probes every name
        return ["__class__", "count", "index", *fields] if dir_probes else []

    body = {"__slots__": (), "__new__": __new__, "__getattr__": __getattr__,
            "__setattr__": __setattr__, "__delattr__": __setattr__, "__repr__": __repr__,
            "__str__": __repr__, "__dir__": __dir__, "__module__": "builtins"}
    return type(name, (tuple,), body)


# dir(OrderedDict()) on V1 (measured under QEMU)
DICT_DIR = ("clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault",
            "update", "values", "__getitem__", "__setitem__", "__delitem__")


class _Unset:
    pass


_UNSET = _Unset()


def make_ordered_dict(popitem_last: bool, printer: Printer) -> type:
    """The ``OrderedDict`` class of one board."""

    class OrderedDict(dict):
        """A dict that keeps its keys in insertion order (plain dicts don't, on the device)."""

        def __repr__(self) -> str:
            inner = ", ".join(f"{printer.repr(k)}: {printer.repr(v)}" for k, v in self.items())
            return "OrderedDict({" + inner + "})"

        __str__ = __repr__

        def popitem(self) -> tuple[Any, Any]:
            """Remove and return an item: the first on V1, the last on V2."""
            if not self:
                raise KeyError("popitem(): dictionary is empty")
            key = next(reversed(self)) if popitem_last else next(iter(self))
            return key, self.pop(key)

        def copy(self) -> OrderedDict:
            """A shallow copy, still ordered."""
            return OrderedDict(self)

        def __dir__(self) -> list[str]:
            return list(DICT_DIR)

    OrderedDict.__module__ = "builtins"
    return api_class(OrderedDict)


def create(board: Board) -> dict[str, Any]:
    """The names of ``ucollections`` on ``device``."""
    spec = board.spec
    printer = Printer(spec)
    return {"__name__": "ucollections", "namedtuple": api(make_namedtuple(spec, printer)),
            "OrderedDict": make_ordered_dict(spec.popitem_last, printer)}
