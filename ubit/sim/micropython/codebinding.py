"""Objects put into compiled user code: placeholder constants replaced after compiling.

The fidelity models (``costmodel``, ``stackmodel``) compile references to a marker
constant into user code; the marker is then swapped for the live object (a meter, a
counter, a helper) in every code object's constants, so reaching it costs the program a
constant load, not a name lookup it could also see or shadow.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from types import CodeType
from typing import Any

_MARKER_TYPES = (str, frozenset)  # what markers are (frozensets: CPython can't fold them)


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
