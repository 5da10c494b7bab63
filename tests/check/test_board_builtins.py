"""The board's own built-ins in the engine: type members, built-in names, V2-only members,
public type names, and checks on values the program makes (issue 13's known gaps)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.sim.runner import run_program
from ubit.check import intel, stubs
from ubit.check.lint import check_files

PROBES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "firmware-v2-observed"
# dir(str) on the firmware, public names (probe 038_str_methods_present, last line)
FIRMWARE_STR = {
    "v2": set("count encode endswith find format index isalpha isdigit islower isspace "
              "isupper join lower lstrip replace rfind rindex rsplit rstrip split startswith "
              "strip upper".split()),
}
FIRMWARE_STR["v1"] = FIRMWARE_STR["v2"] - {"encode"}


def names_at_end(source: str, board: str = "v2") -> list[str]:
    """The names offered at the very end of ``source``."""
    lines = source.split("\n")
    return [c.name for c in intel.complete(source, len(lines), len(lines[-1]), board=board)]


def probe_dir(probe: str, board: str, line: int) -> set[str] | None:
    """The public names of a ``sorted(dir(...))`` line of a firmware probe's output."""
    path = PROBES / f"{probe}.{board}.txt"
    if not path.exists():
        return None
    shown = path.read_text().splitlines()[line]
    return {n for n in ast.literal_eval(shown) if not n.startswith("_")}


def findings(program: str, board: str = "both") -> list[tuple[int, int, str, str, str]]:
    """(line, col, level, code, message) of each finding for main.py."""
    return [(f.line, f.col, f.level, f.code, f.message)
            for f in check_files({"main.py": program}, board)]


# --- 1. built-in types and names are the board's ----------------------------------------

@pytest.mark.parametrize("board", stubs.BOARDS)
def test_str_completion_offers_only_the_firmwares_methods(board):
    offered = set(names_at_end('"abc".', board))
    assert offered == FIRMWARE_STR[board]
    assert not {"casefold", "title", "removeprefix", "isascii", "center"} & offered
    named = set(names_at_end("word = 'abc'\nword.", board))  # the kept-list path too
    assert named == FIRMWARE_STR[board]
    observed = probe_dir("038_str_methods_present", board, -1)
    if observed is not None:
        assert offered == observed


@pytest.mark.parametrize("board", stubs.BOARDS)
def test_table_matches_the_firmware_probes(board):
    from ubit.check.builtin_types import TYPE_MEMBERS

    table = TYPE_MEMBERS[board]
    assert table["str"] == FIRMWARE_STR[board]
    for probe, line, kind in [("038_str_methods_present", -1, "str"),
                              ("039_bytes_methods_present", -2, "bytes"),
                              ("039_bytes_methods_present", -1, "bytearray")]:
        observed = probe_dir(probe, board, line)
        if observed is not None:
            assert table[kind] == observed, kind
    assert table["int"] == {"from_bytes", "to_bytes"}  # probe 176: dir(1)
    assert table["float"] == frozenset()  # probe 176: dir(1.5) has nothing public


@pytest.mark.parametrize("board", stubs.BOARDS)
def test_containers_match_the_virtual_boards_dir(board):
    """No probe lists dir(list) and friends whole: the virtual board answers."""
    from ubit.check.builtin_types import TYPE_MEMBERS

    kinds = ["list", "dict", "set", "frozenset", "tuple"]
    program = "".join(f"print(sorted(n for n in dir({k}) if n[0] != '_'))\n" for k in kinds)
    lines = run_program(program, board).text.strip().splitlines()
    for kind, shown in zip(kinds, lines[-len(kinds):], strict=True):
        if kind == "frozenset" and board == "v1":
            # 1.9.2's frozenset lists set's whole table (py/objset.c; V1 corpus 200), though
            # add & co. refuse a frozenset: the table keeps what works
            assert TYPE_MEMBERS[board][kind] < set(ast.literal_eval(shown))
            continue
        assert TYPE_MEMBERS[board][kind] == set(ast.literal_eval(shown)), kind


@pytest.mark.parametrize(("literal", "kind"), [("[]", "list"), ("{}", "dict"),
                                               ("()", "tuple"), ("(1)", "int"),
                                               ("1.5", "float"), ("b''", "bytes")])
def test_other_literals_complete_within_the_board_type(literal, kind):
    from ubit.check.builtin_types import TYPE_MEMBERS

    offered = set(names_at_end(f"{literal}.", "v1"))
    assert offered <= TYPE_MEMBERS["v1"][kind]
    assert not {"bit_length", "is_integer", "hex", "decode", "conjugate"} & offered
    if kind in ("list", "dict"):
        assert offered == TYPE_MEMBERS["v1"][kind]


def test_classes_do_not_offer_cpythons_mro():
    assert "mro" not in names_at_end("from microbit import *\nSound.")
    assert "HAPPY" in names_at_end("from microbit import *\nSound.")


def test_check_reports_builtins_the_board_lacks():
    (found,) = findings("breakpoint()\n")
    assert found[:4] == (1, 1, "error", "undefined-name")
    assert "'breakpoint' doesn't exist on the micro:bit" in found[4]
    assert any("'compile' doesn't exist" in f[4] for f in findings("print(compile)\n"))
    assert findings("print(abs(-1), divmod(7, 2), isinstance(1, int))\n") == []


def test_check_reports_v2_only_builtins_by_board():
    program = "x = memoryview(b'ab')\nprint(x)\n"
    assert findings(program, "v2") == []
    (v1,) = findings(program, "v1")
    assert v1[:4] == (1, 5, "error", "board-only") and "only on micro:bit V2" in v1[4]
    (both,) = findings(program, "both")
    assert both[2:4] == ("warning", "board-only")
    assert findings("def memoryview(x):\n    return x\nprint(memoryview(1))\n", "v1") == []


def test_check_reports_methods_the_boards_str_lacks():
    found = findings("word = 'abc'\nprint(word.title(), 'x'.upper(), word.encode())\n")
    assert (2, 12, "error", "unknown-attribute") == found[0][:4]
    assert "a str on the micro:bit has no 'title'" in found[0][4]
    assert found[1][2:4] == ("warning", "board-only") and "'encode'" in found[1][4]
    assert findings("print([].copy(), {}.get(1), (1).to_bytes(1, 'big'))\n") == []
    # a name given another value somewhere is not followed
    assert findings("word = 'abc'\nword = [1]\nprint(word.append(2))\n") == []


# --- 2. members of V2-only objects are V2-only -----------------------------------------

def test_members_of_a_v2_only_object_are_v2_only():
    for source in ("from microbit import *\npin_speaker.", "import microbit\nmicrobit.pin_speaker.",
                   "from microbit import *\npin_logo.", "from microbit import *\nmicrophone.",
                   "from microbit import *\nspeaker."):
        lines = source.split("\n")
        found = intel.complete(source, len(lines), len(lines[-1]))
        assert found and all(c.v2_only for c in found), source
    # the same class's members on an object both boards have are not
    pin0 = intel.complete("from microbit import *\npin0.", 2, 5)
    assert not {c.name: c.v2_only for c in pin0}["write_digital"]


def test_hover_says_when_a_member_is_v2_only():
    text = intel.hover("from microbit import *\npin_speaker.write_digital(1)", 2, 14)
    assert text.startswith("write_digital(") and "V2 only" in text
    assert "V2 only" in intel.hover("from microbit import *\npin_logo.is_touched()", 2, 12)
    assert "V2 only" not in intel.hover("from microbit import *\npin0.write_digital(1)", 2, 8)


# --- 3. no private class names ----------------------------------------------------------

def test_hover_and_tips_show_the_firmwares_type_names():
    text = intel.hover("from microbit import *\ndisplay", 2, 3)
    assert text.startswith("display: MicroBitDisplay") and "LED display" in text
    tip = intel.call_tip("import music\nmusic.play(", 2, 11)
    assert "_MicroBit" not in tip.label and "MicroBitDigitalPin" in tip.label
    assert "_MicroBit" not in str(intel.complete("import music\nmusic.pla", 2, 9))


# --- 4. values the program made ---------------------------------------------------------

def test_check_follows_values_made_by_a_stub_class():
    program = ("from microbit import *\nimg = Image('09090:09090:00000:90009:09990')\n"
               "img.scrol('x')\ndisplay.show(img.shift_left(1, 2))\n"
               "Image('90009:09090:00900:09090:90009').shift_lft(1)\n")
    found = findings(program)
    assert (3, 5, "error", "unknown-attribute") == found[0][:4]
    assert "an Image has no 'scrol'" in found[0][4]
    assert found[1][2:4] == ("error", "call") and "takes 1 argument" in found[1][4]
    assert found[2][:4] == (5, 40, "error", "unknown-attribute") and "shift_left" in found[2][4]
    assert len(found) == 3


def test_values_made_are_followed_only_when_certain():
    rebound = "from microbit import *\nimg = Image(5, 5)\nif True:\n    img = 3\nimg.scrol('x')\n"
    assert findings(rebound) == []
    param = "from microbit import *\nimg = Image(5, 5)\ndef f(img):\n    return img.nope\n"
    assert [f for f in findings(param) if f[3] == "unknown-attribute"] == []
    program = ("import neopixel\nfrom microbit import pin0\nnp = neopixel.NeoPixel(pin0, 8)\n"
               "np.fill((1, 2, 3))\nnp[0] = (1, 2, 3)\nnp.show()\n")
    assert findings(program, "v2") == []
    (v1,) = findings(program, "v1")
    assert v1[3] == "board-only" and "a NeoPixel's 'fill'" in v1[4]
