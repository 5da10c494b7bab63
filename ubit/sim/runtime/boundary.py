"""The line between user code and the runtime: what crossing it costs the user.

On the device, API functions are C: they use no Python stack. Here they are
Python, so each user-visible callable is wrapped to lift the recursion limit
while it works; a call then costs the user one frame, as a C call costs a
little C stack (see ``executor.run_code``).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T", bound=type)

ROOM = 200  # frames the runtime may use below one API call

_get, _set = sys.getrecursionlimit, sys.setrecursionlimit


def api(fn: F) -> F:
    """Mark ``fn`` as callable from user code: its own calls don't count against the user."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        limit = _get()
        _set(limit + ROOM)
        try:
            return fn(*args, **kwargs)
        finally:
            try:
                _set(limit)
            except RecursionError:
                # called at the user's very last frame (CPython counts C calls too):
                # leave just enough room to return from here
                _set(_get() - ROOM + 50)

    return call  # type: ignore[return-value]


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
