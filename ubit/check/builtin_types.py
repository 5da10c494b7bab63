"""The methods each board's built-in types have, from the firmware (``ubit.sim.shared``'s table).

Editors and jedi know CPython's types, whose ``str`` has ``title``; the micro:bit's has far
fewer. The one table (with its sources) is ``ubit/sim/shared/builtin_types.py``, which the
virtual board's ``dir``/``hasattr`` follow too; completion offers only those members and
``ubit check`` reports the others.
"""

from __future__ import annotations

from ubit.check.stubs import BOARDS
from ubit.sim.shared.boards import board_spec
from ubit.sim.shared.builtin_types import type_members as _members_with

TYPE_MEMBERS: dict[str, dict[str, frozenset[str]]] = {
    board: _members_with(board_spec(board).str_codecs) for board in BOARDS
}


def type_members(board: str, type_name: str) -> frozenset[str] | None:
    """The public members of built-in type ``type_name`` on ``board``, None if not known."""
    return TYPE_MEMBERS[board].get(type_name)


def on_some_board(type_name: str, member: str) -> list[str]:
    """The boards whose ``type_name`` has ``member`` (empty: none has it)."""
    return [b for b in BOARDS if member in (TYPE_MEMBERS[b].get(type_name) or ())]
