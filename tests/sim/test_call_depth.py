"""Call depth per shape on the virtual V1 against the real V1 firmware (issue 18).

Each ``tests/fidelity/programs/1NN_depth_*.py`` program finds the deepest recursion of one
shape that runs and prints ``<shape> <depth>``; ``tests/fidelity/expected/`` holds what the
official V1 firmware printed under QEMU. The firmware stops at a 1.8 KB C stack, where each
kind of frame (and each C function between Python calls) costs its own amount, so the depth
differs by shape; the virtual V1 counts those bytes (``ubit.sim.micropython.stackmodel``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.runner import run_program

FIDELITY = Path(__file__).resolve().parents[1] / "fidelity"

# shape → (program, depth the V1 firmware reached). The table the issue asks for.
FIRMWARE_DEPTHS = {
    "plain function": ("113_depth_plain_function", 4),
    "method": ("114_depth_method", 3),
    "closure": ("115_depth_closure", 2),
    "lambda": ("116_depth_lambda", 4),
    "generator": ("117_depth_generator", 8),
    "list comprehension": ("118_depth_comprehension", 1),
    "join of a generator": ("119_depth_join_genexpr", 1),
    "map": ("120_depth_map", 2),
    "sorted key": ("121_depth_sorted_key", 2),
    "display.show at the bottom": ("122_depth_display_show", 4),
    "display.scroll at the bottom": ("123_depth_display_scroll", 4),
    "print at the bottom": ("124_depth_print_bottom", 3),
    "mutual": ("125_depth_mutual", 4),
    "decorated function": ("126_depth_decorated", 1),
    "__str__ through str()": ("127_depth_str_method", 3),
    "keyword-argument": ("128_depth_kwargs", 3),
    "grid() at the bottom": ("129_depth_grid_at_bottom", 0),
}

def reported_depth(program: str, text: str) -> int:
    """The depth a depth program printed on its last line."""
    last = text.strip().splitlines()[-1]
    label, _, depth = last.rpartition(" ")
    assert label and depth.isdigit(), f"{program} printed {last!r}"
    return int(depth)


def virtual_depth(program: str) -> int:
    """How deep the shape of ``program`` goes on the virtual V1."""
    source = (FIDELITY / "programs" / f"{program}.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    return reported_depth(program, result.text)


def test_table_is_the_recorded_firmware_output() -> None:
    for program, depth in FIRMWARE_DEPTHS.values():
        text = (FIDELITY / "expected" / f"{program}.txt").read_text(encoding="utf-8")
        assert reported_depth(program, text) == depth, program


@pytest.mark.parametrize("shape", sorted(FIRMWARE_DEPTHS))
def test_depth_matches_the_firmware(shape: str) -> None:
    program, firmware = FIRMWARE_DEPTHS[shape]
    assert virtual_depth(program) == firmware


def test_grid_pattern_runs_on_v1() -> None:
    source = (FIDELITY / "programs" / "130_grid_read_back.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    assert result.text == (FIDELITY / "expected" / "130_grid_read_back.txt").read_text()


def test_method_chain_ending_in_show_runs_on_v1() -> None:
    source = (FIDELITY / "programs" / "131_method_chain_show.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    assert result.text == (FIDELITY / "expected" / "131_method_chain_show.txt").read_text()


# shape → (program, depth the V2 firmware reaches as derived from its sources). The V2
# has no oracle: the depths follow from MicroPython 1.18's frames along each shape's call
# chain (``tests/fidelity/stack_derive.py``), 7680 bytes of stack and 432 in use at
# main.py's top level. The programs are the V1's with room to go deeper than 15.
V2_DERIVED_DEPTHS = {
    "plain function": ("113_depth_plain_function", 35),
    "method": ("114_depth_method", 33),
    "closure": ("115_depth_closure", 25),
    "lambda": ("116_depth_lambda", 35),
    "list comprehension": ("118_depth_comprehension", 14),
    "join of a generator": ("119_depth_join_genexpr", 13),
    "map": ("120_depth_map", 24),
    "sorted key": ("121_depth_sorted_key", 20),
    "__str__ through str()": ("127_depth_str_method", 22),
    "display.show at the bottom": ("122_depth_display_show", 35),
    "print at the bottom": ("124_depth_print_bottom", 34),
    # run(d) (432 + 200), list() hands its 152 bytes to gen(d) (its check: 784, 944 in
    # use), each nest resumed by a for loop 160 more: 944 + 160·(d − 1) <= 7680
    "generator": ("117_depth_generator", 43),
}


def v2_depth(program: str) -> int:
    """How deep the shape of ``program`` goes on the virtual V2."""
    source = (FIDELITY / "programs" / f"{program}.py").read_text(encoding="utf-8")
    source = source.replace("range(1, 16)", "range(1, 60)").replace("range(1, 9)",
                                                                    "range(1, 60)")
    result = run_program(source, board="v2", time_limit_ms=120_000)
    return reported_depth(program, result.text)


@pytest.mark.parametrize("shape", sorted(V2_DERIVED_DEPTHS))
def test_v2_depth_matches_the_derivation(shape: str) -> None:
    program, derived = V2_DERIVED_DEPTHS[shape]
    assert v2_depth(program) == derived


def test_runaway_recursion_on_v2_ends_in_the_firmware_error() -> None:
    result = run_program("def down(n):\n    return down(n + 1) + 1\n\ndown(0)\n",
                         board="v2", time_limit_ms=10_000)
    assert result.text.endswith("RuntimeError: maximum recursion depth exceeded\n")
    assert result.text.count('File "main.py", line 2, in down') == 37


# The V2 checks the stack each time it resumes a generator (mp_obj_gen_resume), whose VM
# frame then runs on the resumer's stack: 160 bytes from a for loop, a delegator keeping
# 144 below the check of the generator it resumes with ``yield from`` (stack_derive.py).
WALK = """def walk(n):
    yield n
    yield from walk(n + 1)

"""
DOWN = """def gen(n):
    yield n

def down(n):
    global deepest
    for v in gen(n):
        deepest = v
        down(n + 1)

"""
DEEPEST = """deepest = 0
try:
    {}
except RuntimeError:
    pass
print(deepest)
"""
V2_GENERATOR_DEPTHS = {
    # walk(n)'s check reads 432 + 144·(n − 1): walk(52)'s is 7776 > 7680
    "recursive yield from": (WALK + DEEPEST.format("for deepest in walk(1): pass"), 51),
    # down(n) 432 + 200·(n − 1), gen(n) resumed 200 above it: gen(37)'s check is 7832
    "a for loop over a generator at each level": (DOWN + DEEPEST.format("down(1)"), 36),
    # f(n) 432 + 512·(n − 1); list() hands 152 to g(n): g(15)'s check is 7600 + 352
    "list() of a generator function at each level": ("""def g(n):
    yield f(n + 1)

def f(n):
    global deepest
    deepest = n
    return list(g(n))

""" + DEEPEST.format("f(1)"), 15),
}


@pytest.mark.parametrize("shape", sorted(V2_GENERATOR_DEPTHS))
def test_v2_generator_depth_matches_the_derivation(shape: str) -> None:
    source, derived = V2_GENERATOR_DEPTHS[shape]
    result = run_program(source, board="v2", time_limit_ms=120_000)
    assert result.text == f"{derived}\n"


def test_v2_runaway_generator_recursion_reports_each_delegator() -> None:
    result = run_program(WALK + "for n in walk(1):\n    pass\n", board="v2",
                         time_limit_ms=10_000)
    lines = result.text.splitlines()
    assert lines[:2] == ["Traceback (most recent call last):",
                         '  File "main.py", line 5, in <module>']
    # the resume's check fails in walk(51)'s yield from, before walk(52) runs
    assert lines[2:] == ['  File "main.py", line 3, in walk'] * 51 + [
        "RuntimeError: maximum recursion depth exceeded"]


def test_v2_generator_resumed_at_the_limit_fails_at_the_for_loop() -> None:
    result = run_program(DOWN + "down(1)\n", board="v2", time_limit_ms=10_000)
    lines = result.text.splitlines()
    assert lines[1] == '  File "main.py", line 10, in <module>'
    assert lines[2:] == ['  File "main.py", line 8, in down'] * 36 + [
        '  File "main.py", line 6, in down', "RuntimeError: maximum recursion depth exceeded"]


# Generators started at one depth, resumed at another, closed, thrown into, abandoned half
# way (CPython closes a generator when it is dropped: here as main.py drops it, or as a
# function that made it returns), consumed by C functions, left by a break. A function puts
# back the count it found as it returns, and an ``except`` clause its frame's: the loop
# runs in main.py without one, where a count that came back wrong would add up.
ABANDONED = """def count(n):
    i = 0
    while i < n:
        yield i
        i += 1

def pairs(n):
    for i in count(n):
        got = yield i, i * i
        if got:
            yield got

def chain(n):
    yield from count(n)
    yield from pairs(n)

def deep(n, it):
    if n == 0:
        return next(it)
    return deep(n - 1, it)

def catcher():
    while True:
        try:
            yield 1
        except ValueError:
            yield 'caught'

def thrown(g):
    try:
        g.throw(KeyError('x'))
    except KeyError:
        pass

def dropped(n):
    g = chain(n + 2)
    deep(n, g)
    deep(n + 3, g)

def too_deep():
    try:
        deep(35, chain(2))
    except RuntimeError:
        return 'too deep'

def depth():
    def f(n):
        try:
            return f(n + 1)
        except RuntimeError:
            return n
    return f(0)

print(depth())
kept = []
for k in range(200):
    g = chain(5)
    next(g)
    deep(k % 20, g)
    if k % 2:
        g.close()
    else:
        thrown(g)
    kept.append(pairs(4))
    next(kept[-1])
    deep(k % 7, kept[-1])
    if len(kept) > 10:
        kept.pop(0)
    c = catcher()
    next(c)
    deep(k % 5, c)
    c.throw(ValueError)
    dropped(k % 9)
    total = len(list(count(3))) + len(''.join(str(v) for v in count(3)))
    total += len(list(chain(3))) + sum(count(k % 4)) + max(pairs(3))[0]
    total += any(count(5)) + all(count(3)) + any(deep(3, chain(4)) for _ in count(2))
    for v in count(10):
        if v == 4:
            break
    w = pairs(3)
    next(w)
    w.send(7)
    w = None
print(too_deep(), depth())
"""


def test_v2_abandoned_generators_give_their_bytes_back() -> None:
    result = run_program(ABANDONED, board="v2", time_limit_ms=120_000)
    # depth(): f's frames, a closure's (200 + 72), from depth()'s (200) above main.py's
    assert result.text == "25\ntoo deep 25\n"


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_leaves_that_raise_leave_the_depth_as_it_was(board: str) -> None:
    # a function that calls nothing is checked, not charged: errors raised in it, caught
    # there or by its caller, must not change how deep the recursion after them goes
    source = (FIDELITY / "programs" / "113_depth_plain_function.py").read_text(encoding="utf-8")
    # (no except at the top level: one there puts the count back to main.py's own)
    leaves = ("def leaf(k):\n    try:\n        return [1, 2][k]\n    except IndexError:\n"
              "        return -1\n"
              "def bad(k):\n    return (1, 2)[k]\n"
              "def outer(k):\n    try:\n        return bad(k)\n    except IndexError:\n"
              "        return -1\n"
              "for i in range(300):\n    leaf(i % 3)\n    outer(i % 3)\n")
    wide = source.replace("range(1, 16)", "range(1, 60)")
    before = run_program(wide, board=board, time_limit_ms=120_000).text
    after = run_program(leaves + wide, board=board, time_limit_ms=120_000).text
    assert after == before and before.startswith("plain function ")


# The V1's frames take C stack by their VM state (fun_bc_call, 1.9.2 py/objfun.c: state up to
# 44 bytes on the stack, more on the heap), and exec() and import run code deeper
# (stackmodel.state_bytes, EXEC, IMPORT). Recorded on the V1 firmware under QEMU: r<k> has
# k defaulted parameters, its n_state k + 4 (16 to 64 bytes on the stack; r8's on the heap).
def _pads(ks: range = range(9)) -> str:
    return "".join(f"def r{k}(n{''.join(f', a{i}=0' for i in range(k))}):\n"
                   f"    if n == 0:\n        return 0\n    return r{k}(n - 1) + 1\n" for k in ks)


_SEARCH_LOOP = """    res = []
    for fn in FNS:
        best = -1
        for d in range(0, 16):
            try:
                fn(d)
                best = d
            except RuntimeError:
                break
        res.append(best)
"""
# the deepest each r<k> goes, run at main.py's top level (its state on the heap)
SEARCH = (_pads() + "FNS = [" + ", ".join(f"r{k}" for k in range(9)) + "]\n"
          + _SEARCH_LOOP.replace("\n    ", "\n")[4:] + "print(res)\n")
PREFIX = _pads() + "FNS = [" + ", ".join(f"r{k}" for k in range(9)) + "]\n" + """def search():
""" + _SEARCH_LOOP + """    return res

def pre(p, a0=0, a1=0, a2=0, a3=0, a4=0, a5=0, a6=0, a7=0, a8=0, a9=0):
    if p == 0:
        return search()
    return pre(p - 1)

def pre2(p):
    if p == 0:
        return search()
    return pre2(p - 1)

for p in range(5):
    print(p, pre(p), pre2(p))
"""
V1_STATE_DEPTHS = {
    # 7 of 087's frames of one slot (24 bytes) fit, 6 of four or five (40)
    "state by parameters": (SEARCH, {}, "[5, 5, 5, 5, 5, 5, 5, 5, 6]\n"),
    # p frames with their state on the heap (pre) or 40 bytes of it (pre2) below: at p=2
    # r0-r3 (40, 48 bytes) go one deeper than r4-r7 (56, 64)
    "state under a prefix": (PREFIX, {}, """\
0 [3, 3, 3, 3, 3, 3, 3, 3, 4] [3, 3, 3, 3, 3, 3, 3, 3, 4]
1 [2, 2, 2, 2, 2, 2, 2, 2, 3] [2, 2, 2, 2, 2, 2, 2, 2, 3]
2 [2, 2, 2, 2, 1, 1, 1, 1, 2] [1, 1, 1, 1, 1, 1, 1, 1, 1]
3 [1, 1, 1, 1, 1, 1, 1, 1, 1] [0, 0, 0, 0, 0, 0, 0, 0, 0]
4 [0, 0, 0, 0, 0, 0, 0, 0, 0] [-1, -1, -1, -1, -1, -1, -1, -1, -1]
"""),
    "exec at the top level": ("exec(open('s.py').read())\n", {"s.py": SEARCH},
                              "[3, 3, 3, 3, 3, 3, 3, 3, 4]\n"),
    "import at the top level": ("import s\n", {"s.py": SEARCH}, "[3, 3, 3, 3, 3, 3, 3, 3, 4]\n"),
    "import in exec": ("exec('import s')\n", {"s.py": SEARCH}, "[1, 1, 1, 1, 1, 1, 1, 1, 1]\n"),
    "import in a function": ("def t():\n    import s\nt()\n", {"s.py": SEARCH},
                             "[2, 2, 2, 2, 2, 2, 2, 2, 3]\n"),
    "import in exec in a function": ("def t():\n    exec('import s')\nt()\n", {"s.py": SEARCH},
                                     "[0, 0, 0, 0, 0, 0, 0, 0, 0]\n"),
}


@pytest.mark.parametrize("shape", sorted(V1_STATE_DEPTHS))
def test_v1_depth_by_state_exec_and_import_matches_the_firmware(shape: str) -> None:
    source, files, firmware = V1_STATE_DEPTHS[shape]
    encoded = {name: text.encode() for name, text in files.items()}
    result = run_program(source, board="v1", files=encoded, time_limit_ms=120_000)
    assert result.text == firmware


IMPORT_AT_DEPTH = """def pre(p, a0=0, a1=0, a2=0, a3=0, a4=0, a5=0, a6=0, a7=0, a8=0, a9=0):
    if p == 0:
        return __import__('s')
    return pre(p - 1)

for p in [{}]:
    print(p)
    pre(p)
"""


def test_v1_import_at_depth_matches_the_firmware() -> None:
    # the firmware (QEMU): p frames (states on the heap) under the import, then s.py's
    # search; at p=3 s.py's print(res) finds the stack full
    files = {"s.py": SEARCH.encode()}
    firmware = {0: "[2, 2, 2, 2, 2, 2, 2, 2, 2]", 1: "[1, 1, 1, 1, 1, 1, 1, 1, 1]",
                2: "[0, 0, 0, 0, 0, 0, 0, 0, 0]"}
    for p, printed in firmware.items():
        result = run_program(IMPORT_AT_DEPTH.format(p), board="v1", files=files,
                             time_limit_ms=120_000)
        assert result.text == f"{p}\n{printed}\n"
    result = run_program(IMPORT_AT_DEPTH.format(3), board="v1", files=files,
                         time_limit_ms=120_000)
    assert result.text.splitlines()[-2:] == ['  File "s.py", line 48, in <module>',
                                             "RuntimeError: maximum recursion depth exceeded"]


MPY_CROSS_1_9 = Path(__file__).resolve().parents[2] / "ubit/check/compilers/mpy-cross-1.9.2"


@pytest.mark.skipif(not MPY_CROSS_1_9.exists(), reason="mpy-cross 1.9.2 not fetched (make)")
def test_state_estimate_is_mpy_cross_s(tmp_path: Path) -> None:
    # n_state and n_exc_stack as 1.9.2's compiler sizes them, for the module and each
    # function or method of the depth programs and the corpus's programs with try/with
    import ast
    import subprocess

    from tests.fidelity.stack_derive import mpy_states
    from ubit.sim.micropython.mpstate import scope_state

    programs = sorted((FIDELITY / "programs").glob("1[0-3][0-9]_*.py"))
    checked = 0
    for path in programs:
        source = path.read_text(encoding="utf-8")
        out = tmp_path / "m.mpy"
        if subprocess.run([MPY_CROSS_1_9, "-o", out, path], capture_output=True).returncode:
            continue
        real = mpy_states(out.read_bytes())
        names = [name for name, _, _ in real]
        tree = ast.parse(source)
        scopes: dict[str, ast.AST] = {"<module>": tree}
        for node in tree.body:
            members = node.body if isinstance(node, ast.ClassDef) else [node]
            scopes.update((f.name, f) for f in members if isinstance(f, ast.FunctionDef))
        for name, n_state, n_exc in real:
            if name in scopes and names.count(name) == 1:
                assert scope_state(scopes[name]) == (n_state, n_exc), (path.name, name)
                checked += 1
    assert checked > 60
