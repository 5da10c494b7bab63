"""The methods each board's built-in types have (``str``, ``list``, ``dict``…), from the firmware.

CPython's ``str`` has ``title``, ``casefold`` and ``removeprefix``; the micro:bit's
MicroPython has far fewer. This table is what ``dir(type)`` gives on the boards (public
names only): the virtual board's ``dir``, ``hasattr`` and ``getattr`` follow it, completion
offers only those and ``ubit check`` reports the others. Sources, firmware over documents
(``shared/reference/firmware-v2-observed``):

- ``str``: probe 038_str_methods_present (``sorted(dir(str))``); V1 lacks ``encode``.
- ``bytes``, ``bytearray``: probe 039_bytes_methods_present; V1 lacks ``decode``.
- ``int`` (and ``bool``), ``float``: probe 176_float_methods (``dir(1)``, ``dir(1.5)``);
  probe 122_int_bytes_methods shows ``bit_length``, ``real`` and ``conjugate`` missing.
- ``list``, ``dict``, ``set``, ``frozenset``, ``tuple``: no probe lists them whole; what
  probes 124 (list), 036 (dict), 035 and 178 (set) call all work, and the virtual board's
  ``dir()`` (``tests/check/test_board_builtins.py``) agrees with these lists.
"""

from __future__ import annotations

# In the order of the firmware's locals tables (py/objstr.c, objlist.c, objdict.c, objset.c,
# objtuple.c, objarray.c, objint.c of 1.9.2 and 1.18), which the V1's dir() lists.
_STR = ("find rfind index rindex join split rsplit startswith endswith strip lstrip rstrip "
        "format replace count lower upper isspace isalpha isdigit isupper islower")
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
    "set": ("add clear copy discard difference difference_update intersection "
            "intersection_update isdisjoint issubset issuperset pop remove "
            "symmetric_difference symmetric_difference_update union update"),
    "frozenset": ("copy difference intersection isdisjoint issubset issuperset "
                  "symmetric_difference union"),
    "tuple": "count index",
}
# What a board with codecs (BoardSpec.str_codecs: V2) has besides.
_CODECS = {"str": "encode", "bytes": "decode", "bytearray": "decode"}
# The types whose whole attribute list a probe shows, dunders included (038, 039, 176):
# on these the virtual board hides every name the table doesn't list.
PROBED = ("str", "bytes", "bytearray", "int", "bool", "float")

# What dir() lists of these types besides (or instead of) the table above: the dunders their
# locals tables hold (dict's item methods, set's __contains__: 1.9.2 and 1.18 objdict.c,
# objset.c), a bool's nothing (objbool.c: no locals table, on both releases; the V1 firmware
# under QEMU: dir(True) is []), 1.9.2's frozenset sharing set's whole table (objset.c) and
# BaseException's __init__ and a generator's methods (objexcept.c, objgenerator.c).
_DIR_TAIL = {"dict": "__getitem__ __setitem__ __delitem__", "set": "__contains__",
             "frozenset": "__contains__"}
_DIR_OTHER = {"BaseException": "__init__", "generator": "close send throw"}


def dir_tables(v2: bool) -> dict[str, tuple[str, ...]]:
    """Type name → what ``dir()`` of it (or of an instance) lists from its locals table, in
    the table's order, on V2 (or V1); a type not named has none."""
    tables = {name: tuple(_CODECS.get(name, "").split() if v2 else ()) + tuple(
        members.split()) + tuple(_DIR_TAIL.get(name, "").split())
        for name, members in _COMMON.items()}
    tables["bool"] = ()
    if not v2:
        tables["frozenset"] = tables["set"]
    tables.update((name, tuple(names.split())) for name, names in _DIR_OTHER.items())
    if v2:  # MICROPY_PY_GENERATOR_PEND_THROW (1.18 py/objgenerator.c)
        tables["generator"] += ("pend_throw",)
    return tables


def type_members(str_codecs: bool) -> dict[str, frozenset[str]]:
    """Type name → its public members, on a board with (or without) str/bytes codecs."""
    return {name: frozenset(members.split() + (_CODECS.get(name, "").split()
                                               if str_codecs else []))
            for name, members in _COMMON.items()}


# The names of the ``builtins`` module (firmware-v2-observed 101: ``dir(builtins)``, less the
# ``__class__`` that V2's dir() adds to every module). V1 lacks the ``_V2_ONLY`` names.
_BUILTINS = (
    "ArithmeticError AssertionError AttributeError BaseException EOFError Ellipsis Exception "
    "GeneratorExit ImportError IndentationError IndexError KeyError KeyboardInterrupt "
    "LookupError MemoryError NameError NotImplementedError OSError OverflowError RuntimeError "
    "StopIteration SyntaxError SystemExit TypeError UnicodeError ValueError ZeroDivisionError "
    "__build_class__ __import__ __name__ __repl_print__ abs all any bin bool bytearray bytes "
    "callable chr classmethod dict dir divmod enumerate eval exec filter float frozenset "
    "getattr globals hasattr hash help hex id input int isinstance issubclass iter len list "
    "locals map max min next object oct open ord pow print range repr reversed round set "
    "setattr slice sorted staticmethod str sum super tuple type zip")
_V2_ONLY = "StopAsyncIteration complex delattr memoryview property"


def builtins_names(v2: bool) -> frozenset[str]:
    """The names ``import builtins`` has on the board (V2, or V1)."""
    return frozenset(_BUILTINS.split() + (_V2_ONLY.split() if v2 else []))


# Built-in functions made with MP_DEFINE_CONST_FUN_OBJ_1/2/3/VAR, or types whose make_new
# calls mp_arg_check_num(..., false): neither firmware takes a keyword argument for them
# ("function does not take keyword arguments"; 1.9.2 and 1.18 py/argcheck.c, the V1
# firmware under QEMU). print, sorted, min, max, enumerate, dict and open take some.
NO_KEYWORDS = frozenset({
    "abs", "all", "any", "bin", "bool", "callable", "chr", "divmod", "float", "frozenset",
    "getattr", "hasattr", "hash", "hex", "id", "int", "isinstance", "issubclass", "iter",
    "len", "list", "map", "filter", "next", "oct", "ord", "pow", "range", "repr",
    "reversed", "round", "set", "setattr", "str", "sum", "tuple", "zip"})
