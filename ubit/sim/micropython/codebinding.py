"""Objects put into compiled user code: placeholder constants replaced after compiling.

The fidelity models (``costmodel``, ``stackmodel``) and the compiler's ``str(x)`` fast
path compile references to a marker constant into user code; the marker is then swapped
for the live object (a meter, a counter, a helper) in every code object's constants, so
reaching it costs the program a constant load, not a name lookup it could also see or
shadow (at module level a builtin's lookup misses the globals first: 30% of
``str(i) + ":"``).
"""

from __future__ import annotations

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


# the types whose str() is CPython's text: mpbuiltins.PLAIN_STR_TYPES (which imports this
# module's users: tests/sim/test_fastpaths.py keeps the two the same)
_PLAIN = frozenset({str, int, bool, type(None)})


def rewrite_objects() -> dict[str, Any]:
    """What the compiler's rewrites' markers stand for."""
    return {TYPE: type, PLAIN_STR_TYPES: _PLAIN}


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
