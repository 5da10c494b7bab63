"""User classes as MicroPython runs them: comparisons without reflection, ``__exit__`` words.

MicroPython dispatches ``a > b`` to ``type(a).__gt__`` only (``py/runtime.c``
mp_binary_op tries no reflected comparison), so a class defining ``__lt__`` alone
can't be compared with ``>``: ``TypeError: unsupported types for __gt__: 'V', 'V'``
(firmware-v2-observed 111, both releases). CPython would call ``b.__lt__(a)``. The
missing mirror gets a stub here that refuses the operator as the firmware does.

The exception a ``with`` statement hands ``__exit__`` is the firmware's object, so its
message is in the firmware's words (firmware-v2-observed 170): a user class's own
``__exit__`` is wrapped to reword it as ``except ... as e`` does. Both are done once,
when the class is made; other code pays nothing.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from opcode import cmp_op, opmap

from ubit.sim.micropython import mperrors
from ubit.sim.shared.typenames import Any

# The mirror of each ordering method: what CPython would try reflected.
_MIRRORS = {"__lt__": "__gt__", "__gt__": "__lt__", "__le__": "__ge__", "__ge__": "__le__"}
_COMPARE_OP = opmap["COMPARE_OP"]
_OP_METHOD = {"<": "__lt__", ">": "__gt__", "<=": "__le__", ">=": "__ge__"}


def wrap_build_class(build_class: Callable[..., Any],
                     caught: Callable[[BaseException], Any]) -> Callable[..., Any]:
    """``__build_class__`` whose classes compare and exit as MicroPython's do.

    ``caught`` turns an exception into the firmware's (mpbuiltins' ``except ... as``).
    """

    def build(*args: Any, **kwargs: Any) -> Any:
        cls = build_class(*args, **kwargs)
        if isinstance(cls, type):
            own = vars(cls)
            if "__exit__" in own:
                _wrap_exit(cls, own["__exit__"], caught)
            for name, mirror in _MIRRORS.items():
                if name in own and getattr(cls, mirror, None) is getattr(object, mirror):
                    type.__setattr__(cls, mirror, _refused(mirror))
        return cls

    return build


def _wrap_exit(cls: type, method: Any, caught: Callable[[BaseException], Any]) -> None:
    if not callable(method) or getattr(method, "_mp_exit", False):
        return

    @functools.wraps(method)
    def __exit__(self: Any, kind: Any, value: Any, trace: Any) -> Any:  # noqa: N807
        if isinstance(value, BaseException):
            value = caught(value)
            kind = type(value)
        return method(self, kind, value, trace)

    __exit__._mp_exit = True  # type: ignore[attr-defined]
    type.__setattr__(cls, "__exit__", __exit__)


def _refused(name: str) -> Callable[..., Any]:
    """A stand-in for an ordering method the class lacks: the firmware's TypeError (for the
    operator the source wrote when CPython reflected it; max() and sorted() compare too)."""

    def refused(self: Any, other: Any) -> Any:
        op, left, right = name, self, other
        frame = sys._getframe(1)
        code, lasti = frame.f_code.co_code, frame.f_lasti
        if 0 <= lasti < len(code) - 1 and code[lasti] == _COMPARE_OP:
            op = _OP_METHOD.get(cmp_op[code[lasti + 1]], name)
            if op != name:  # CPython reflected ``other < self``: the firmware tried that one
                left, right = other, self
        raise TypeError(f"unsupported types for {op}: '{mperrors.mp_type_name(left)}', "
                        f"'{mperrors.mp_type_name(right)}'")

    refused.__name__ = refused.__qualname__ = name
    refused._mp_refused = True  # type: ignore[attr-defined] - the board has no such method
    return refused
