"""The methods each board's built-in types have (``str``, ``list``, ``dict``…), from the firmware.

Editors and jedi know CPython's types, whose ``str`` has ``title``, ``casefold`` and
``removeprefix``; the micro:bit's MicroPython has far fewer. This table is what
``dir(type)`` gives on the boards (public names only), so completion offers only those
and ``ubit check`` reports the others. Sources, firmware over documents:

- ``str``: probe 038_str_methods_present (``sorted(dir(str))``); V1 lacks ``encode``.
- ``bytes``, ``bytearray``: probe 039_bytes_methods_present; V1 lacks ``decode``.
- ``int`` (and ``bool``), ``float``: probe 176_float_methods (``dir(1)``, ``dir(1.5)``);
  probe 122_int_bytes_methods shows ``bit_length``, ``real`` and ``conjugate`` missing.
- ``list``, ``dict``, ``set``, ``frozenset``, ``tuple``: no probe lists them whole; what
  probes 124 (list), 036 (dict), 035 and 178 (set) call all work, and the virtual board's
  ``dir()`` (``tests/check/test_builtin_types.py``) agrees with these lists.
"""

from __future__ import annotations

from ubit.check.stubs import BOARDS

_STR = ("count endswith find format index isalpha isdigit islower isspace isupper join "
        "lower lstrip replace rfind rindex rsplit rstrip split startswith strip upper")
_INT = "from_bytes to_bytes"
_COMMON = {
    "str": _STR,
    "bytes": _STR,
    "bytearray": "append extend",
    "int": _INT,
    "bool": _INT,
    "float": "",
    "list": "append clear copy count extend index insert pop remove reverse sort",
    "dict": "clear copy fromkeys get items keys pop popitem setdefault update values",
    "set": ("add clear copy difference difference_update discard intersection "
            "intersection_update isdisjoint issubset issuperset pop remove "
            "symmetric_difference symmetric_difference_update union update"),
    "frozenset": ("copy difference intersection isdisjoint issubset issuperset "
                  "symmetric_difference union"),
    "tuple": "count index",
}
_V2_MORE = {"str": "encode", "bytes": "decode", "bytearray": "decode"}

TYPE_MEMBERS: dict[str, dict[str, frozenset[str]]] = {
    board: {name: frozenset(members.split() + (_V2_MORE.get(name, "").split()
                                               if board == "v2" else []))
            for name, members in _COMMON.items()}
    for board in BOARDS
}


def type_members(board: str, type_name: str) -> frozenset[str] | None:
    """The public members of built-in type ``type_name`` on ``board``, None if not known."""
    return TYPE_MEMBERS[board].get(type_name)


def on_some_board(type_name: str, member: str) -> list[str]:
    """The boards whose ``type_name`` has ``member`` (empty: none has it)."""
    return [b for b in BOARDS if member in (TYPE_MEMBERS[b].get(type_name) or ())]
