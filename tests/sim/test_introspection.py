"""dir(), introspection attributes and traceback frames as the firmware shows them."""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program


def out(source: str, board: str = "v2") -> str:
    """What the board prints for ``source``."""
    return run_program(source, board=board, time_limit_ms=5_000).text


def test_dir_of_microbit_types_hides_the_emulations_helpers() -> None:
    text = out("from microbit import *\nimport audio\n"
               "print([n for n in dir(Image) if n.startswith('_')])\n"
               "print([n for n in dir(Image.HEART) if n.startswith('_')])\n"
               "print([n for n in dir(Sound) if not n.isupper()])\n"
               "print([n for n in dir(audio.SoundEffect) if n.startswith('_')])\n")
    assert text.splitlines() == [
        "['__bases__', '__class__', '__dict__', '__name__']",
        "['__class__']",
        "['__bases__', '__class__', '__dict__', '__name__']",
        "['__bases__', '__class__', '__dict__', '__name__', '_from_string']"]


def test_dir_of_a_module_in_each_firmwares_order() -> None:
    source = "import collections\nprint(dir(collections))\n"
    assert out(source) == "['__class__', '__name__', 'OrderedDict', 'namedtuple']\n"
    assert out(source, "v1") == "['__name__', 'namedtuple', 'OrderedDict']\n"


def test_dir_without_argument_lists_globals_in_hash_order() -> None:
    source = ("import math\nalpha = 1\ndef beta():\n    pass\nclass Gamma:\n    pass\n"
              "print(dir())\n")
    assert out(source, "v1") == "['alpha', 'Gamma', 'beta', '__name__', 'math']\n"


def test_locals_in_a_function_is_the_modules_namespace() -> None:
    source = "x = 1\ndef f():\n    a = 2\n    return sorted(locals())\nprint(f())\n"
    assert out(source) == "['__name__', 'f', 'x']\n"


def test_builtins_module_has_only_the_firmwares_names() -> None:
    text = out("import builtins\nprint(len(dir(builtins)), hasattr(builtins, 'vars'),"
               " hasattr(builtins, '__repl_print__'))\nbuiltins.__repl_print__('hi')\n")
    assert text == "96 False True\n'hi'\n"


def test_closures_have_no_name_and_iter_takes_one_argument() -> None:
    text = out("def outer():\n    v = 1\n    def inner():\n        return v\n    return inner\n"
               "for s in ['outer().__name__', 'outer.__name__', 'iter(len, 0)',"
               " 'range(3).__iter__']:\n"
               "    try:\n        print(repr(eval(s)))\n"
               "    except Exception as e:\n        print(repr(e))\n")
    assert text.splitlines() == [
        "AttributeError(\"'closure' object has no attribute '__name__'\",)",
        "'outer'",
        "TypeError('function takes 1 positional arguments but 2 were given',)",
        "AttributeError(\"'range' object has no attribute '__iter__'\",)"]


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_slots_are_not_enforced(board: str) -> None:
    source = ("class S:\n    __slots__ = ('a',)\n    def __init__(self):\n"
              "        super().__init__()\n        self.a = 1\n"
              "s = S()\ns.c = 3\nprint(s.a, s.c, S.__slots__)\n")
    assert out(source, board) == "1 3 ('a',)\n"


def test_int_to_bytes_as_micropython() -> None:
    text = out("print((-1).to_bytes(2, 'little', True), (1).to_bytes(2, 'middle'),"
               " int.from_bytes('ab', 'big'))\n")
    assert text == "b'\\xff\\xff' b'\\x00\\x01' 24930\n"


def test_traceback_of_exec_code_shows_its_string_frame() -> None:
    text = out("exec(\"x = 1\\ny = x + 'a'\")\n")
    assert text.splitlines()[1:3] == ['  File "main.py", line 1, in <module>',
                                      '  File "<string>", line 2, in <module>']


def test_v2_traceback_has_no_entries_for_reraising() -> None:
    source = "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise ValueError('x')\n"
    assert out(source).count("line 4") == 1
    assert out(source, "v1").count("line 4") == 2  # MicroPython 1.9 adds the except-as end


def test_comprehension_iterating_a_non_iterable_has_its_own_frame() -> None:
    text = out("n = 5\nprint([x for x in n])\n")
    assert text.splitlines()[1:3] == ['  File "main.py", line 2, in <module>',
                                      '  File "main.py", line 2, in <listcomp>']


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_comparison_methods_exist_only_where_a_user_class_defines_them(board: str) -> None:
    # the V1 firmware's own output: tests/fidelity/expected/196_comparison_methods_by_name.txt
    # (1.18 looks attributes up the same way: object and list have no such methods)
    result = run_program("""class A:
    def __lt__(self, o):
        return True
class B(A):
    pass
for text in ('B().__lt__(A())', 'B().__gt__(A())', 'A().__eq__(A())', '[].__lt__([])',
             'hasattr(B, "__ge__")', 'getattr(A(), "__ne__", 7)', 'A() > A()'):
    try:
        print(eval(text))
    except Exception as e:
        print(repr(e))
""", board=board)
    assert result.text.splitlines() == [
        "True", "AttributeError(\"'B' object has no attribute '__gt__'\",)",
        "AttributeError(\"'A' object has no attribute '__eq__'\",)",
        "AttributeError(\"'list' object has no attribute '__lt__'\",)", "False", "7",
        "TypeError(\"unsupported types for __gt__: 'A', 'A'\",)"]
