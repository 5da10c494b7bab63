"""``microbit.button_a`` / ``button_b`` (reference §7), and helpers the input areas share.

The helpers make user-visible objects look like the firmware's built-in ones: the
class prints as ``<class 'MicroBitButton'>``, an instance as ``<MicroBitButton>``
(MicroPython's print for a native type without its own), and user code can't
create more of them (``TypeError: cannot create 'MicroBitButton' instances``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import FunctionType

from ubit.sim.board.board import Board
from ubit.sim.board.parts import buttons as buttons_part
from ubit.sim.micropython.args import check_count, no_keywords
from ubit.sim.micropython.boundary import api_class

TYPE_CHECKING = False  # typing costs every board its start-up (issue 17)
if TYPE_CHECKING:
    from typing import Any, TypeVar
    T = TypeVar("T", bound=type)
    F = TypeVar("F", bound=Callable[..., Any])


# -- helpers shared by the input areas' facades ------------------------------------------------
CO_VARARGS, CO_VARKEYWORDS = 0x04, 0x08  # code flags: *args, **kwargs (inspect.CO_*)


def fixed_args(fn: F) -> F:
    """Check a fixed-arity function's arguments as MicroPython checks a built-in's.

    A built-in taking exactly N positional arguments says ``function takes N positional
    arguments but M were given`` (also when some are missing) and refuses keywords.
    Functions with defaults, ``*args`` or keyword-only parameters are left alone.
    """
    # from the code object, not inspect.signature: importing inspect costs every board
    # start-up ~5 ms
    code = fn.__code__
    if fn.__defaults__ or fn.__kwdefaults__ or code.co_kwonlyargcount or \
            code.co_flags & (CO_VARARGS | CO_VARKEYWORDS):
        return fn
    count = code.co_argcount

    @functools.wraps(fn)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise no_keywords()
        check_count(len(args), count, count)
        return fn(*args)

    return checked  # type: ignore[return-value]


def native(name: str) -> Callable[[T], T]:
    """Class decorator: present the class as the firmware's built-in type ``name``."""

    def decorate(cls: T) -> T:
        cls.__name__ = cls.__qualname__ = name
        cls.__module__ = "builtins"
        if "__repr__" not in vars(cls):
            cls.__repr__ = lambda self: f"<{name}>"  # type: ignore[method-assign]

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            raise TypeError(f"cannot create '{name}' instances")

        cls.__init__ = __init__  # type: ignore[misc]
        # No micro:bit type has a hash: none has a ``unary_op`` answering MP_UNARY_OP_HASH,
        # so ``mp_unary_op`` raises "unsupported type for __hash__" for hash(), dict keys
        # and set items (1.9.2 and 1.18 py/runtime.c; the V1 port's source/microbit and the
        # V2 port's src/codal_port define none; the V1 firmware under QEMU refuses
        # ``{button_a: 1}``). mperrors rewords CPython's "unhashable type" so.
        cls.__hash__ = None  # type: ignore[assignment]
        public = [attr for attr in vars(cls) if not attr.startswith("_")]
        # dir() shows the firmware's names in its table order (the order of definition)
        cls.__dir__ = lambda self: list(public)  # type: ignore[method-assign]
        for attr in public:
            value = vars(cls)[attr]
            if isinstance(value, FunctionType):
                setattr(cls, attr, fixed_args(value))
        return api_class(cls)

    return decorate


def instance(cls: type, **slots: Any) -> Any:
    """An object of a native class (whose constructor refuses user calls)."""
    obj = object.__new__(cls)
    for key, value in slots.items():
        object.__setattr__(obj, key, value)
    return obj


# -- the buttons -------------------------------------------------------------------------------
@native("MicroBitButton")
class MicroBitButton:
    """A push button (type ``MicroBitButton``)."""

    __slots__ = ("_button", "_clock")

    def is_pressed(self) -> bool:
        """Whether the button is held now."""
        self._clock.poll()
        return self._button.held

    def was_pressed(self) -> bool:
        """Whether it was pressed since the last call (or start); clears that flag only."""
        self._clock.poll()
        return self._button.was_pressed()

    def get_presses(self) -> int:
        """Presses since the last call (or start); resets that count only."""
        self._clock.poll()
        return self._button.get_presses()


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``button_a`` and ``button_b``."""
    buttons = buttons_part.of(board)
    ns["button_a"] = instance(MicroBitButton, _button=buttons.a, _clock=board.clock)
    ns["button_b"] = instance(MicroBitButton, _button=buttons.b, _clock=board.clock)
