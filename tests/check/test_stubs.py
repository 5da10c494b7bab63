"""The micro:bit API stubs against the virtual board: same modules, same names, per board."""

from __future__ import annotations

import ast
from functools import cache

import pytest

from tests.sim.runner import run_program
from ubit.check import stubs
from ubit.check.stubs import (
    BOARDS,
    board_modules,
    member_names,
    module_names,
    stub_folder,
    v2_only,
)

# Modules the firmware doesn't have (probe 131_modules_available): must fail to import.
ABSENT = ["json", "binascii", "io", "re", "ure", "uos", "umachine", "zlib", "select",
          "hashlib", "heapq", "cmath", "framebuf", "sound", "speaker", "microphone"]

# Objects whose members are compared: (module, dotted name in the stubs, expression on the
# board giving the object). Instances where the firmware lists instance members, and for
# AudioFrame because the virtual board's AudioFrame class shows its host's bytearray methods.
MEMBERS = [
    ("microbit", "display", "microbit.display"),
    ("microbit", "Image", "microbit.Image"),
    ("microbit", "button_a", "microbit.button_a"),
    ("microbit", "pin0", "microbit.pin0"),
    ("microbit", "pin3", "microbit.pin3"),
    ("microbit", "pin5", "microbit.pin5"),
    ("microbit", "pin_logo", "microbit.pin_logo"),
    ("microbit", "pin_speaker", "microbit.pin_speaker"),
    ("microbit", "accelerometer", "microbit.accelerometer"),
    ("microbit", "compass", "microbit.compass"),
    ("microbit", "microphone", "microbit.microphone"),
    ("microbit", "speaker", "microbit.speaker"),
    ("microbit", "i2c", "microbit.i2c"),
    ("microbit", "spi", "microbit.spi"),
    ("microbit", "uart", "microbit.uart"),
    ("microbit", "Sound", "microbit.Sound"),
    ("microbit", "SoundEvent", "microbit.SoundEvent"),
    ("microbit", "audio", "microbit.audio"),
    ("audio", "SoundEffect", "audio.SoundEffect()"),
    ("audio", "AudioFrame", "audio.AudioFrame()"),
    ("neopixel", "NeoPixel", "neopixel.NeoPixel(microbit.pin0, 3)"),
    ("array", "array", "array.array('b')"),
]

# Where the virtual board differs from the firmware, the stubs follow the firmware.
# (board, module) -> names the firmware has and the virtual board lacks.
# (probe 126 lists micropython.pystack_use, but the probes' README says only their
# WebAssembly build has it: the device hasn't, and neither do the stubs.)
SIM_MISSING: dict[tuple[str, str], set[str]] = {}
# builtins: the virtual board's builtins module is its host's (CPython's names), so it is
# checked against the firmware's dir(builtins) (probe 101_builtins_dir) instead.
SIM_UNCOMPARABLE = {"builtins"}
FIRMWARE_BUILTINS_V1 = 90 - 4  # len(dir(builtins)) minus its 4 underscore names
FIRMWARE_BUILTINS_V2 = 96 - 5  # and 5 on V2 (__class__ too)


# The firmware has no json: one line per answer, read back with ast.literal_eval.
PROBE = """
import microbit
def names(o):
    return sorted(n for n in dir(o) if not n.startswith('_'))
for m in %(modules)r:
    try:
        print('PROBE', repr(('modules', m, names(__import__(m)))))
    except ImportError:
        pass
for key, expr in %(members)r:
    try:
        mod = key.split(':')[0]
        globals()[mod] = __import__(mod)
        print('PROBE', repr(('members', key, names(eval(expr)))))
    except (AttributeError, NameError, ImportError):
        pass
print('PROBE', repr(('end', '', [])))
"""


@cache
def _observe(board: str) -> dict[str, dict[str, list[str]]]:
    """What the virtual board exports, asked in one run per board."""
    candidates = sorted(set(board_modules("v1")) | set(board_modules("v2"))) + ABSENT
    members = [(f"{module}:{name}", expr) for module, name, expr in MEMBERS]
    source = PROBE % {"modules": candidates, "members": members}
    result = run_program(source, board=board, timeout=120)
    seen: dict[str, dict[str, list[str]]] = {"modules": {}, "members": {}, "end": {}}
    for line in result.text.splitlines():
        if line.startswith("PROBE "):
            kind, key, names = ast.literal_eval(line.removeprefix("PROBE "))
            seen[kind][key] = names
    assert "" in seen["end"], result.text[-2000:]
    return seen


@pytest.fixture(params=BOARDS)
def observed(request: pytest.FixtureRequest) -> tuple[str, dict]:
    """A board and what it exports."""
    return request.param, _observe(request.param)


def test_importable_modules_match_the_board(observed: tuple[str, dict]) -> None:
    board, seen = observed
    assert set(seen["modules"]) == set(board_modules(board))


def test_every_module_exports_the_stubs_names(observed: tuple[str, dict]) -> None:
    board, seen = observed
    for module, names in seen["modules"].items():
        if module in SIM_UNCOMPARABLE:
            continue
        expected = set(module_names(board, module)) - SIM_MISSING.get((board, module), set())
        assert set(names) == expected, f"{board} {module}"


def test_builtins_names_are_the_firmwares() -> None:
    assert len(module_names("v1", "builtins")) == FIRMWARE_BUILTINS_V1
    assert len(module_names("v2", "builtins")) == FIRMWARE_BUILTINS_V2
    assert "memoryview" in module_names("v2", "builtins")
    assert "memoryview" not in module_names("v1", "builtins")
    assert v2_only("builtins", "complex") and not v2_only("builtins", "print")


def test_members_of_objects_match_the_board(observed: tuple[str, dict]) -> None:
    board, seen = observed
    for module, name, _ in MEMBERS:
        key = f"{module}:{name}"
        exists = module in board_modules(board) and name.split(".")[0] in module_names(
            board, module)
        assert (key in seen["members"]) == exists, f"{board} {key}"
        if exists:
            assert set(seen["members"][key]) == set(member_names(board, module, name)), \
                f"{board} {key}"


def test_v2_only_marks_agree_with_the_boards() -> None:
    v1, v2 = _observe("v1"), _observe("v2")
    for module in v2["modules"]:
        assert v2_only(module) == (module not in v1["modules"]), module
    for module, v1_names in v1["modules"].items():
        if module in SIM_UNCOMPARABLE:
            continue
        missing = SIM_MISSING.get(("v2", module), set())
        for name in set(v2["modules"][module]) | missing:
            assert v2_only(module, name) == (name not in v1_names), (module, name)
    for key, v1_members in v1["members"].items():
        module, name = key.split(":")
        for member in v2["members"][key]:
            assert v2_only(module, f"{name}.{member}") == (member not in v1_members), \
                (key, member)


def test_member_v2_only_marks() -> None:
    assert v2_only("microbit", "pin0.set_touch_mode")
    assert v2_only("microbit", "pin0.CAPACITIVE")
    assert not v2_only("microbit", "pin0.read_analog")
    assert not v2_only("microbit", "Image.SCISSORS")
    assert v2_only("microbit", "audio.SoundEffect")
    assert v2_only("neopixel", "NeoPixel.fill")
    assert not v2_only("radio", "RATE_250KBIT")  # V1 only: not on V2 at all
    assert "RATE_250KBIT" in module_names("v1", "radio")
    assert "RATE_250KBIT" not in module_names("v2", "radio")
    for module, name, _ in MEMBERS:
        if name.split(".")[0] in module_names("v1", module):
            v1_members = member_names("v1", module, name)
            for member in member_names("v2", module, name):
                assert v2_only(module, f"{name}.{member}") == (member not in v1_members), \
                    (module, name, member)
    with pytest.raises(KeyError):
        v2_only("microbit", "pin17")
    with pytest.raises(KeyError):
        v2_only("json")


def test_unknown_modules_and_boards_are_refused() -> None:
    with pytest.raises(KeyError):
        module_names("v1", "log")
    with pytest.raises(KeyError):
        module_names("v2", "json")
    with pytest.raises(ValueError):
        board_modules("v3")


def _documented(body: list[ast.stmt], where: str) -> list[str]:
    missing = []
    for entity in stubs.entities(body):
        if entity.name.startswith("_") and entity.kind == "variable":
            continue  # the stubs' own type variables (_T), not the API
        if not (entity.doc or "").strip():
            missing.append(f"{where}.{entity.name}")
        if isinstance(entity.node, ast.ClassDef):
            missing += _documented(entity.node.body, f"{where}.{entity.name}")
    return missing


def test_every_stub_entity_has_a_docstring() -> None:
    missing = []
    for module in sorted(stubs.source_modules()):
        tree = ast.parse((stubs._source_files()[module]).read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(module)
        missing += _documented(tree.body, module)
    assert missing == []


def test_v1_drops_v2_only_parameters() -> None:
    def params(board: str) -> set[str]:
        tree = stubs.board_tree(board, "speech")
        say = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "say")
        return {a.arg for a in say.args.args + say.args.kwonlyargs}

    assert {"mode", "volume", "pin"} <= params("v2")
    assert {"mode", "volume", "pin"}.isdisjoint(params("v1"))
    assert {"pitch", "speed", "mouth", "throat", "debug"} <= params("v1")


def test_aliases_have_the_same_names() -> None:
    for board in BOARDS:
        for alias, module in stubs.ALIASES.items():
            if alias in board_modules(board):
                assert module_names(board, alias) == module_names(board, module)
    assert v2_only("usys") and not v2_only("utime")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """Stub folders written to an empty cache folder."""
    monkeypatch.setenv("UBIT_CACHE_DIR", str(tmp_path))
    stubs.stub_folder.cache_clear()
    yield tmp_path
    stubs.stub_folder.cache_clear()


def test_stub_folders_hold_every_module_and_parse(fresh_cache) -> None:
    for board in BOARDS:
        folder = stub_folder(board)
        assert folder.parent == fresh_cache
        files = {p.stem for p in folder.glob("*.pyi")}
        assert files == set(board_modules(board)) - {"builtins"}
        for path in folder.rglob("*.pyi"):
            ast.parse(path.read_text(encoding="utf-8"))
        written = ast.parse((folder / "microbit.pyi").read_text(encoding="utf-8"))
        defined = {e.name for e in stubs.entities(written.body)}
        assert ("pin_logo" in defined) == (board == "v2")
        assert (folder / "time-stubs" / "__init__.pyi").is_file()
    stubs.stub_folder.cache_clear()
    assert stub_folder("v1") == folder.with_name(folder.name.replace("v2", "v1"))


def test_jedi_completes_each_boards_names(fresh_cache) -> None:
    jedi = pytest.importorskip("jedi")
    for board in BOARDS:
        folder = str(stub_folder(board))
        project = jedi.Project(folder, added_sys_path=[folder], smart_sys_path=False)

        def complete(code: str, project: object = project) -> set[str]:
            found = jedi.Script(code, project=project).complete()
            return {c.name for c in found if not c.name.startswith("_")}

        assert complete("import microbit\nmicrobit.") == set(module_names(board, "microbit"))
        assert complete("from microbit import *\npin0.") == set(
            member_names(board, "microbit", "pin0"))
        assert complete("import time\ntime.") == set(module_names(board, "time"))
        assert complete("import music\nmusic.") == set(module_names(board, "music"))
