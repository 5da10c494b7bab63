"""Objects put into compiled user code: placeholder constants replaced after compiling.

The fidelity models (``costmodel``, ``stackmodel``) and the compiler's ``str(x)`` fast
path compile references to a marker constant into user code; the marker is then swapped
for the live object (a meter, a counter, a helper) in every code object's constants, so
reaching it costs the program a constant load, not a name lookup it could also see or
shadow (at module level a builtin's lookup misses the globals first: 30% of
``str(i) + ":"``).
"""

from __future__ import annotations

import ast
from collections.abc import Hashable, Mapping
from types import CodeType

from ubit.sim.shared.typenames import Any

_MARKER_TYPES = (str, frozenset)  # what markers are (frozensets: CPython can't fold them)

# The compiler's rewrite of ``str(x)`` (``compiler.str_callee``): ``type`` and the types
# whose text is CPython's. ``STANDS_FOR``: the builtin names they replaced, which the cost
# model charges them as, so the board's time is what it was with the names.
TYPE = "\x00ubit-type\x00"
PLAIN_STR_TYPES = "\x00ubit-plain-str-types\x00"
STANDS_FOR = {TYPE: "__mp_type__", PLAIN_STR_TYPES: "__mp_strtypes__"}
# ``name_str(str, x)``: the same rewrite in one C call (``_strnative``), put in place of the
# conditional once the models have charged the program as written with it (``fast_str``).
NAME_STR = "\x00ubit-name-str\x00"

try:  # built from _strnative.c by pip/make
    from ubit.sim.micropython._strnative import name_str as _name_str
except ImportError:  # no C compiler where this was installed: the conditional stays
    _name_str = None


# the types whose str() is CPython's text: mpbuiltins.PLAIN_STR_TYPES (which imports this
# module's users: tests/sim/test_fastpaths.py keeps the two the same)
_PLAIN = frozenset({str, int, bool, type(None)})


def rewrite_objects() -> dict[str, Any]:
    """What the compiler's rewrites' markers stand for."""
    return {TYPE: type, PLAIN_STR_TYPES: _PLAIN, NAME_STR: _name_str}


def fast_str(call: ast.Call, choice: ast.IfExp) -> None:
    """``(str if ... else __mp_strslow__)(x)`` (``choice`` the compiler's conditional) made
    ``name_str(str, x)`` in place, where ``_strnative`` is built and no pass has changed
    the call since (charged as written, the board time is the conditional's)."""
    if _name_str is None or call.func is not choice or len(call.args) != 1 or call.keywords:
        return
    call.args.insert(0, choice.body)  # the name ``str``, read once as the conditional did
    call.func = ast.copy_location(ast.Constant(NAME_STR), choice)


def bind_objects(code: CodeType, objects: Mapping[Hashable, Any]) -> CodeType:
    """``code`` and every code object inside it, with each marker in ``objects`` replaced."""
    new: list[Any] = []
    changed = False
    for const in code.co_consts:
        if type(const) in _MARKER_TYPES and const in objects:
            const = objects[const]
            changed = True
        elif isinstance(const, CodeType):
            bound = bind_objects(const, objects)
            changed = changed or bound is not const
            const = bound
        new.append(const)
    return code.replace(co_consts=tuple(new)) if changed else code
