"""``sys`` / ``usys`` (reference §31, firmware-v1-observed.md): per-version contents.

V1 has only ``version``, ``version_info``, ``implementation``, ``platform``,
``byteorder``, ``exit`` and ``print_exception``; V2 adds ``path``, ``argv``,
``maxsize`` and ``modules``. ``print_exception`` prints to the serial port as
the firmware does (a ``file`` argument is ignored: neither build has streams
for it); an exception that was never raised prints only its last line.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from ubit.sim.board.board import Board
from ubit.sim.micropython import tracebacks
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.micropython.modulefiles import module_file
from ubit.sim.shared.typenames import Any


class AttrTuple(tuple):
    """MicroPython's attrtuple: a tuple whose items also have names (prints as ``tuple``)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __new__(cls, fields: tuple[str, ...], values: tuple[Any, ...]) -> AttrTuple:
        kind = type("tuple", (AttrTuple,), {"__slots__": (), "_fields": fields,
                                            "__module__": "builtins"})
        return tuple.__new__(kind, values)

    def __getattr__(self, name: str) -> Any:
        if name in self._fields:
            return self[self._fields.index(name)]
        raise AttributeError(f"'tuple' object has no attribute '{name}'")

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self, strict=True))
        return f"({inner})"

    __str__ = __repr__


@api_class
class LoadedModules:
    """``sys.modules`` on V2: the modules imported from the filesystem, live."""

    def __init__(self, board: Board) -> None:
        self._board = board

    def _files(self) -> dict[str, ModuleType]:
        return {name: module for name, module in self._board.modules.items()
                if module_file(self._board, module) is not None}

    def __getitem__(self, name: str) -> ModuleType:
        return self._files()[name]

    def __delitem__(self, name: str) -> None:
        self._files()[name]  # KeyError as a dict would raise
        self._board.modules.pop(name)

    def __setitem__(self, name: str, module: Any) -> None:
        self._board.modules[name] = module

    def __contains__(self, name: object) -> bool:
        return name in self._files()

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._files()))

    def __len__(self) -> int:
        return len(self._files())

    def get(self, name: str, default: Any = None) -> Any:
        """The module called ``name``, or ``default``."""
        return self._files().get(name, default)

    def keys(self) -> list[str]:
        """The names (a list here; a view on the device)."""
        return list(self._files())

    def values(self) -> list[ModuleType]:
        """The modules."""
        return list(self._files().values())

    def items(self) -> list[tuple[str, ModuleType]]:
        """(name, module) pairs."""
        return list(self._files().items())

    def pop(self, name: str, *default: Any) -> Any:
        """Forget module ``name`` (the next import loads it again)."""
        if name in self._files():
            return self._board.modules.pop(name)
        if default:
            return default[0]
        raise KeyError(name)

    def clear(self) -> None:
        """Forget every module imported from the filesystem."""
        for name in self._files():
            self._board.modules.pop(name)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self._files().items()) + "}"


def create(board: Board) -> dict[str, Any]:
    """The names of ``sys`` (V1) / ``usys`` (V2) on ``device``."""
    spec = board.spec

    def exit(*code: Any) -> None:
        """Raise SystemExit (with ``code`` if given)."""
        if len(code) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(code)}")
        raise SystemExit(*code)

    def print_exception(exc: Any, file: Any = None) -> None:
        """Print ``exc`` with its traceback as MicroPython does."""
        if not isinstance(exc, BaseException):
            raise TypeError("exceptions must derive from BaseException")
        if exc.__traceback__ is None:
            text = tracebacks.exception_line(exc, spec) + "\n"
        else:
            text = tracebacks.format_traceback(exc, spec)
        board.serial.write_text(text)
        board.clock.poll()

    names: dict[str, Any] = {"__name__": spec.module_name("sys")}
    if spec.sys_extras:
        names.update(path=["", ".frozen"], argv=[])
    names.update(
        version="3.4.0",
        version_info=(3, 4, 0),
        implementation=AttrTuple(("name", "version"),
                                 ("micropython", tuple(spec.implementation_version))),
        platform="microbit",
        byteorder="little",
    )
    if spec.sys_extras:
        names["maxsize"] = 2**31 - 1
    names["exit"] = api(exit)
    if spec.sys_extras:
        names["modules"] = LoadedModules(board)
    names["print_exception"] = api(print_exception)
    return names
