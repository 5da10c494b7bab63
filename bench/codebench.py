"""Everyday code on the virtual board against the same code under CPython (issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import tool

TARGET_RATIO = 1.3  # each program at most this many times CPython's time
TARGET_CALLS = 100_000  # display.set_pixel calls per second
TARGET_COST_RATIO = 1.5  # board time that follows the work (issue 18): on against off
COST_OFF = {**os.environ, "UBIT_COST_MODEL": "0"}
TARGET_STACK_RATIO = 1.5  # the V1's call depth in C stack bytes (issue 18): on against off
STACK_OFF = {**os.environ, "UBIT_STACK_MODEL": "0"}
TARGET_HASH_RATIO = 1.5  # dicts and sets in the firmware's slot order (issue 18): on against off
HASH_OFF = {**os.environ, "UBIT_HASH_ORDER": "0"}
TARGET_HEAP_RATIO = 1.5  # big allocations checked against the heap (issue 18): on against off
HEAP_OFF = {**os.environ, "UBIT_HEAP_MODEL": "0"}
TARGET_FLOAT_RATIO = 1.5  # single-precision board floats (issue 18): on against off
FLOAT_OFF = {**os.environ, "UBIT_FLOAT32": "0"}
# Float-heavy code: a filter and a sum, * + / of floats and an int (f32.py, _f32native.c).
FLOATS = """x = 0.5
v = 1.0
t = 0.0
for i in range(1000000):
    x = x * 0.999 + v * 0.01
    t += x / 3
print(t)
"""
# Everyday dict and set work for the hash-order ratio: counting, lookups, iteration.
DICTS = """counts = {}
seen = set()
total = 0
for i in range(100000):
    word = "w" + str(i % 50)
    counts[word] = counts.get(word, 0) + 1
    seen.add(i % 300)
    if i % 1000 == 0:
        for key, value in counts.items():
            total += value
        total += len([k for k in counts if k in seen or k])
        point = {"x": i, "y": i + 1}
        total += point["x"] - point["y"]
print(total, len(seen))
"""

# Each runs 0.25-0.35 s under CPython beyond start-up, so that a ~40 ms start-up taken off
# both sides and the machine's noise don't decide the ratio (at a tenth of that, three
# runs of the bench put the same program anywhere from 1.1x to 1.5x). What a program holds
# at once stays small: the other sections run them again, on a V1 too, whose 10 KB heap
# "sorting" outgrows (as on the device) and the others don't.
PROGRAMS = {
    "strings": """total = 0
for r in range(50):
    parts = []
    for i in range(r * 20000, r * 20000 + 20000):
        n = i % 97
        parts.append(str(i) + ":" + str(n))
    total += len("".join(parts))
print(total)
""",
    "sorting": """total = 0
for r in range(3000):
    data = [(i * 7919 + r) % 10007 for i in range(1000)]
    data.sort()
    words = sorted(str(x) for x in data[:200])
    total += data[0] + len(words[0])
print(total)
""",
    "random": """import random
total = 0
for i in range(1000000):
    total += random.randint(1, 6)
print(total > 0)
""",
    "methods": """class Counter:
    def __init__(self):
        self.n = 0
    def add(self, k):
        self.n += k
        return self.n
c = Counter()
for i in range(4000000):
    c.add(i & 3)
print(c.n)
""",
}
CALLS = 100_000
RATES = {
    "set_pixel": f"""from microbit import display
for i in range({CALLS}):
    display.set_pixel(i % 5, (i // 5) % 5, i % 10)
""",
    "is_pressed": f"""from microbit import button_a
for i in range({CALLS}):
    button_a.is_pressed()
""",
}


# Runs per figure, the best kept: on a shared machine one run can be 30% off.
RUNS = 5


def walls(*runs: tuple[list[str], dict[str, str] | None]) -> list[float]:
    """Best of ``RUNS`` wall times of running each ``(argv, env)`` of ``runs`` to its end,
    taken in turn: a busy spell of a shared machine falls on all of them alike, where
    runs one after the other left it to spoil one side of a ratio."""
    best = [float("inf")] * len(runs)
    for _ in range(RUNS):
        for i, (argv, env) in enumerate(runs):
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=env)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Best of ``RUNS`` wall times of running ``argv`` to its end."""
    return walls((argv, env))[0]


def hash_order_ratio(text: str) -> float:
    """Time of ``text`` with the board's dicts and sets (hashorder.py) against plain ones.

    Measured in this process: board processes get an empty environment, so a switch such
    as ``UBIT_HASH_ORDER=0`` can't reach them from here.
    """
    import ast
    import builtins
    import contextlib
    import io

    from ubit.sim.micropython import hashorder
    from ubit.sim.shared.boards import BOARDS

    plain = compile(text, "<bench>", "exec")
    tree = ast.parse(text)
    hashorder.apply(tree)
    ordered = compile(tree, "<bench>", "exec")
    names = {**vars(builtins), **hashorder.make_types(BOARDS["v2"])}

    def best(code: object, scope: dict) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code, {"__builtins__": scope, "__name__": "__main__"})  # noqa: S102
            times.append(time.perf_counter() - start)
        return min(times)

    return best(ordered, names) / max(best(plain, vars(builtins)), 1e-6)


def main() -> None:
    """Print each program's time on the board against CPython, and the API call rates."""
    work = Path(tempfile.mkdtemp(prefix="ubit-codebench-"))
    ubit = tool("ubit")
    (work / "hello.py").write_text("print('hello')\n")
    hello = str(work / "hello.py")
    board_start, python_start, board_start_off = walls(
        ([ubit, "run", "--headless", hello], None), ([sys.executable, hello], None),
        ([ubit, "run", "--headless", hello], COST_OFF))
    print("\nEveryday code: the board's time against CPython's, start-up taken off both")
    costs = []
    for name, text in PROGRAMS.items():
        path = work / f"code_{name}.py"  # not random.py: CPython would import it
        path.write_text(text)
        ours, theirs, off = walls(([ubit, "run", "--headless", str(path)], None),
                                  ([sys.executable, str(path)], None),
                                  ([ubit, "run", "--headless", str(path)], COST_OFF))
        ours, theirs, off = ours - board_start, theirs - python_start, off - board_start_off
        costs.append((name, ours / max(off, 1e-6)))
        ratio = ours / max(theirs, 1e-6)
        print(f"  {name:<10} board {ours:6.3f} s, CPython {theirs:6.3f} s: {ratio:5.2f}x "
              f"(target <= {TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    print("\nThe cost model (board time for computation): the same programs with it on "
          "against off (UBIT_COST_MODEL=0)")
    for name, ratio in costs:
        met = "met" if ratio <= TARGET_COST_RATIO else "NOT met"
        print(f"  {name:<10} {ratio:5.2f}x   (target <= {TARGET_COST_RATIO}x: {met})")
    v1_hello = [ubit, "run", "--headless", "--board", "v1", hello]
    v1_start, v1_start_off = walls((v1_hello, None), (v1_hello, STACK_OFF))
    print("\nThe stack model (V1 call depth in C stack bytes): the same programs on a V1 with "
          "it on against off (UBIT_STACK_MODEL=0)")
    for name in PROGRAMS:
        path = work / f"code_{name}.py"
        argv = [ubit, "run", "--headless", "--board", "v1", str(path)]
        if subprocess.run(argv, capture_output=True).returncode != 0:
            print(f"  {name:<10} ends in an error on a V1 (its heap runs out, as on the device)")
            continue
        on, off = walls((argv, None), (argv, STACK_OFF))
        ratio = (on - v1_start) / max(off - v1_start_off, 1e-6)
        met = "met" if ratio <= TARGET_STACK_RATIO else "NOT met"
        print(f"  {name:<10} {ratio:5.2f}x   (target <= {TARGET_STACK_RATIO}x: {met})")
    print("\nDicts and sets in the firmware's slot order: the same programs (and a dict-heavy "
          "one) with it on against off, the user code alone, in this process")
    for name, text in [*PROGRAMS.items(), ("dicts", DICTS)]:
        ratio = hash_order_ratio(text)
        met = "met" if ratio <= TARGET_HASH_RATIO else "NOT met"
        print(f"  {name:<10} {ratio:5.2f}x   (target <= {TARGET_HASH_RATIO}x: {met})")
    print("\nThe heap model (big allocations checked against the heap): the same programs "
          "on a V2 (\"sorting\" runs out of a V1's heap) with it on against off "
          "(UBIT_HEAP_MODEL=0)")
    heap_start, heap_start_off = walls(([ubit, "run", "--headless", hello], None),
                                       ([ubit, "run", "--headless", hello], HEAP_OFF))
    for name in PROGRAMS:
        argv = [ubit, "run", "--headless", str(work / f"code_{name}.py")]
        on, off = walls((argv, None), (argv, HEAP_OFF))
        ratio = (on - heap_start) / max(off - heap_start_off, 1e-6)
        met = "met" if ratio <= TARGET_HEAP_RATIO else "NOT met"
        print(f"  {name:<10} {ratio:5.2f}x   (target <= {TARGET_HEAP_RATIO}x: {met})")
    print("\nSingle-precision floats (each result rounded as the firmware's): a float-heavy "
          "loop with them on against off (UBIT_FLOAT32=0), start-up taken off")
    path = work / "code_floats.py"
    path.write_text(FLOATS)
    for board in ("v1", "v2"):
        run = [ubit, "run", "--headless", "--board", board]
        start_on, start_off = walls(([*run, hello], None), ([*run, hello], FLOAT_OFF))
        on, off = walls(([*run, str(path)], None), ([*run, str(path)], FLOAT_OFF))
        on, off = on - start_on, off - start_off
        ratio = on / max(off, 1e-6)
        met = "met" if ratio <= TARGET_FLOAT_RATIO else "NOT met"
        print(f"  floats {board}  {on:6.3f} s against {off:6.3f} s: {ratio:5.2f}x   "
              f"(target <= {TARGET_FLOAT_RATIO}x: {met})")
    print(f"\nCalls into the board: {CALLS:,} calls, start-up taken off")
    for name, text in RATES.items():
        path = work / f"code_{name}.py"  # not random.py: CPython would import it
        path.write_text(text)
        rate = CALLS / max(wall([ubit, "run", "--headless", str(path)]) - board_start, 1e-6)
        met = "met" if rate >= TARGET_CALLS else "NOT met"
        goal = f"   (target >= {TARGET_CALLS:,}/s: {met})" if name == "set_pixel" else ""
        print(f"  {name:<20} {rate:10,.0f} calls/s{goal}")


if __name__ == "__main__":
    main()
