"""dir() lists what the firmware lists, in its order: V1 walks tables, V2 probes qstrs."""

from __future__ import annotations

from tests.sim.runner import run_program


def lines(source: str, board: str) -> list[str]:
    """What the board prints for ``source``, line by line."""
    return run_program(source, board=board, time_limit_ms=5_000).text.splitlines()


def test_v1_lists_builtin_types_tables_in_table_order_without_cpython_dunders() -> None:
    shown = lines("for o in [[], (), {}, set(), 'a', True, None, range(3), len, iter([]),"
                  " object()]:\n    print(dir(o))\n", "v1")
    assert shown[0] == ("['append', 'clear', 'copy', 'count', 'extend', 'index', 'insert', "
                        "'pop', 'remove', 'reverse', 'sort']")
    assert shown[1] == "['count', 'index']"
    assert shown[2].endswith("'values', '__getitem__', '__setitem__', '__delitem__']")
    assert shown[3].startswith("['add', 'clear', 'copy', 'discard', 'difference'")
    assert shown[3].endswith("'update', '__contains__']")
    assert shown[4].startswith("['find', 'rfind', 'index', 'rindex', 'join'")
    assert shown[5:] == ["[]"] * 6


def test_v1_lists_microbit_objects_and_modules_in_table_order() -> None:
    shown = lines("from microbit import *\nimport music, os\nprint(dir(button_a))\n"
                  "print(dir(display)[:3])\nprint(dir(music)[:3])\nprint(dir(os))\n", "v1")
    assert shown == ["['is_pressed', 'was_pressed', 'get_presses']",
                     "['get_pixel', 'set_pixel', 'show']",
                     "['__name__', '__init__', 'reset']",
                     "['__name__', 'remove', 'listdir', 'size', 'uname']"]


def test_v1_lists_a_user_class_dict_and_the_instances_members_only() -> None:
    source = ("class A:\n    x = 1\n    def f(self):\n        pass\n"
              "class B(A):\n    def __init__(self):\n        self.z = 3\n"
              "print(dir(A))\nprint(dir(B()))\n")
    assert lines(source, "v1") == ["['__module__', 'x', 'f', '__qualname__']",
                                   "['__module__', '__init__', '__qualname__', 'z']"]


def test_v2_probes_only_the_firmwares_names() -> None:
    shown = lines("print(dir([]))\nprint(dir({}))\nprint(dir(None))\nprint(dir(iter([])))\n"
                  "print(dir(True))\n", "v2")
    assert shown[0] == ("['__class__', 'append', 'clear', 'copy', 'count', 'extend', 'index', "
                        "'insert', 'pop', 'remove', 'reverse', 'sort']")
    assert shown[1].startswith("['__class__', '__delitem__', '__getitem__', '__setitem__', "
                               "'clear'")
    assert shown[2:] == ["['__class__']", "['__class__', '__next__']", "['__class__']"]
