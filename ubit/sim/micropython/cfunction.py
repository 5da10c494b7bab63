"""A module function the firmware makes in C: ``boundary.api`` plus its argument checks.

``MP_DEFINE_CONST_FUN_OBJ_0..3`` and ``_VAR_BETWEEN`` functions take no keywords and
check their count with ``mp_arg_check_num`` (1.9.2 and 1.18 py/argcheck.c): keywords
first ("function does not take keyword arguments", 1.18 "doesn't"), then "function
takes N positional arguments but M were given" for a fixed count, "function missing K
required positional arguments" / "function expected at most N arguments, got M" for a
range. CPython's own messages for a Python function are translated into the fixed-count
and missing ones already (``mperrors``); the wrapper adds what they can't say, at the
cost of one test of the keywords (and, with optional arguments, of the count).
"""

from __future__ import annotations

from collections.abc import Callable
from sys import getrecursionlimit as _get
from sys import setrecursionlimit as _set

from ubit.sim.micropython.args import check_count, no_keywords
from ubit.sim.micropython.boundary import _ORIGINALS, ROOM, _bottom, _pending
from ubit.sim.shared.typenames import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeVar
    F = TypeVar("F", bound=Callable[..., Any])

MESSAGE = "maximum recursion depth exceeded"  # boundary.api's
_CO_VARARGS = 0x04


def c_function(fn: F) -> F:
    """``fn`` callable from user code as a firmware C function (see the module's doc).

    Like ``api``, its own calls don't count against the user's recursion limit.
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
        if _pending:  # as boundary.api: a limit an earlier call couldn't put back
            try:
                _set(_pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
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
