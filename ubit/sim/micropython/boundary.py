"""The line between user code and the emulation: what crossing it costs the user.

On the device, API functions are C: they use no Python stack. Here they are
Python, so each user-visible callable is wrapped to lift the recursion limit
while it works; a call then costs the user one frame, as a C call costs a
little C stack (see ``executor.run_code``).
"""

from __future__ import annotations

from collections.abc import Callable
from sys import getrecursionlimit as _get
from sys import setrecursionlimit as _set
from weakref import WeakKeyDictionary

from ubit.sim.micropython.args import check_count, no_keywords

TYPE_CHECKING = False  # typing costs every board its start-up (issue 17)
if TYPE_CHECKING:
    from typing import Any, TypeVar
    F = TypeVar("F", bound=Callable[..., Any])
    T = TypeVar("T", bound=type)

ROOM = 200  # frames the emulation may use below one API call

# The function each wrapper calls. Kept here rather than as ``__wrapped__`` on the
# wrapper, where user code would find the emulation's own module globals one step away
# (the OS sandbox is what really keeps a program in; this only closes an easy door).
# Weak: every run makes its builtins afresh, and a program that resets the board in a
# loop would otherwise keep every run's wrappers (and all they hold) alive.
_ORIGINALS: WeakKeyDictionary[Callable[..., Any], Callable[..., Any]] = WeakKeyDictionary()


def original(fn: Any) -> Any:
    """The emulation's function behind an ``api`` wrapper (``fn`` itself if it is none)."""
    try:
        return _ORIGINALS.get(fn, fn)
    except TypeError:  # not weakly referable (an instance of object, an int...): no wrapper
        return fn


def api(fn: F) -> F:
    """Mark ``fn`` as callable from user code: its own calls don't count against the user."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if _pending:  # a limit an earlier call couldn't put back: now
            try:
                _set(_pending[0])
            except RecursionError:  # still that deep (or deeper): this call is too many
                raise RecursionError("maximum recursion depth exceeded") from None
            _pending.clear()
        limit = _get()
        _set(limit + ROOM)
        try:
            return fn(*args, **kwargs)
        finally:
            try:
                _set(limit)
            except RecursionError:
                _bottom(limit)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        if hasattr(fn, name):
            setattr(call, name, getattr(fn, name))
    _ORIGINALS[call] = fn
    return call  # type: ignore[return-value]


_CO_VARARGS = 0x04


def c_function(fn: F) -> F:
    """``api`` for a module function the firmware makes in C: no keywords, its count checked.

    ``MP_DEFINE_CONST_FUN_OBJ_0..3`` and ``_VAR_BETWEEN`` functions refuse keywords and
    check their count with ``mp_arg_check_num`` (1.9.2 and 1.18 py/argcheck.c): "function
    does not take keyword arguments" (1.18 "doesn't"); "function expected at most N
    arguments, got M" for a range (CPython's other messages are mperrors' to reword). The
    limit-lifting tail is ``api``'s, written out again so a call still costs one frame.
    """
    code = fn.__code__
    most = code.co_argcount
    optional = bool(fn.__defaults__) and not code.co_flags & _CO_VARARGS
    least = most - len(fn.__defaults__ or ())

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise no_keywords()
        if optional and len(args) > most:  # CPython would say "takes from 1 to 2 ..."
            check_count(len(args), least, most)
        if _pending:
            try:
                _set(_pending[0])
            except RecursionError:
                raise RecursionError("maximum recursion depth exceeded") from None
            _pending.clear()
        limit = _get()
        _set(limit + ROOM)
        try:
            return fn(*args)
        finally:
            try:
                _set(limit)
            except RecursionError:
                _bottom(limit)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(call, name, getattr(fn, name))
    _ORIGINALS[call] = fn  # mperrors counts a missing argument from fn's own code
    return call  # type: ignore[return-value]


# The user's recursion limit, when an API call made at the user's last frame could not
# put it back: CPython refuses a limit that is not above the current depth.
_pending: list[int] = []


def _bottom(limit: int) -> None:
    """After an API call at the user's last frame: the lowest limit CPython accepts now.

    That is at most three above the user's, which the next API call puts back, or
    refuses to run if the stack is still that deep, so a recursion that calls the API
    can't creep past its limit (the old way left 50 frames more each time: an
    endless recursion crashed the board).
    """
    for extra in (1, 2, 3):
        try:
            _set(limit + extra)
            break
        except RecursionError:
            continue
    _pending[:] = [limit]


def api_class(cls: T) -> T:
    """Wrap every public method (and the operators) of a user-visible class with ``api``."""
    for name, value in list(vars(cls).items()):
        if callable(value) and (not name.startswith("_") or
                                (name.startswith("__") and name not in _SKIP)):
            setattr(cls, name, api(value))
    return cls


# Dunders that must stay plain (object protocol machinery, or called with no user frame).
_SKIP = {"__init_subclass__", "__class_getitem__", "__getattribute__", "__setattr__",
         "__delattr__", "__new__", "__del__", "__slots__", "__dict__", "__module__",
         "__qualname__", "__doc__", "__weakref__"}
