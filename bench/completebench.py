"""Completion latency at 20 positions of a 500-line program: ubit against plain jedi.

ubit's engine (ubit.check.intel) keeps one warm jedi per board over the micro:bit stubs.
The baseline, measured in the same run on the same file and positions, is jedi as a plain
integration would call it: the same stubs on ``sys.path`` (``Project(added_sys_path=...)``)
and jedi's default environment (the host Python in a helper process) — which also merges
CPython's ``random`` and ``time`` into the board's. The first call of a fresh process
(import, stubs, builtins) is measured apart, as the editor's first completion after start.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RUNS

TARGET_P95 = 0.100  # seconds: the bar for a completion while typing

# One round of a game's code; the file repeats it with numbered names up to 500 lines.
ROUND = '''
def step_{n}(x, y, speed=2):
    """Move the dot {n} and show it."""
    if button_a.was_pressed():
        x = max(0, x - 1)
    elif button_b.was_pressed():
        x = min(4, x + 1)
    display.clear()
    display.set_pixel(x, y, 9)
    if accelerometer.get_y() > 300:
        music.play(music.BA_DING, wait=False)
        radio.send("hit {n}")
    level = random.randint(1, speed)
    sleep(100 * level)
    return x, y

'''
HEAD = "from microbit import *\nimport music\nimport radio\nimport random\n\n"
# (the text typed at the end of the file, what must be offered): 20 positions
PROBES = [
    ("display.", "scroll"), ("display.sc", "scroll"), ("music.", "play"),
    ("music.pi", "pitch"), ("radio.", "send"), ("radio.con", "config"),
    ("random.", "randint"), ("random.ch", "choice"), ("accelerometer.", "get_x"),
    ("accelerometer.get_", "get_z"), ("button_a.", "is_pressed"), ("pin0.", "read_digital"),
    ("Image.", "HEART"), ("pin_l", "pin_logo"), ("disp", "display"), ("ste", "step_1"),
    ("slee", "sleep"), ("x = 'abc'\nx.", "upper"), ("compass.", "heading"), ("pri", "print"),
]


def program() -> str:
    """A 500-line micro:bit program (a head and rounds of game code)."""
    text, n = HEAD, 0
    while text.count("\n") < 500:
        text += ROUND.format(n=n)
        n += 1
    return text


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cases(base: str) -> list[tuple[str, int, int, str]]:
    """(source, line, column, expected name) for each probe, typed at the file's end."""
    out = []
    for typed, expected in PROBES:
        source = base + typed
        lines = source.split("\n")
        out.append((source, len(lines), len(lines[-1]), expected))
    return out


def time_calls(call, probes: list[tuple[str, int, int, str]], rounds: int) -> list[float]:
    """Seconds of each call of ``call(source, line, column)``, every probe ``rounds`` times."""
    times = []
    for _ in range(rounds):
        for source, line, column, expected in probes:
            began = time.perf_counter()
            names = call(source, line, column)
            times.append(time.perf_counter() - began)
            if expected not in names:
                raise SystemExit(f"bench: {expected!r} not offered: {sorted(names)[:20]}")
    return times


def first_call() -> float:
    """Seconds a fresh process takes from importing ubit's engine to its first completion."""
    code = ("import time; began = time.perf_counter()\n"
            "from ubit.check import intel\n"
            "intel.complete('from microbit import *\\ndisplay.', 2, 8)\n"
            "print(time.perf_counter() - began)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return float(out.strip())


def main() -> None:
    """Print ubit's completion latency (p50, p95) against plain jedi on the same positions."""
    import jedi

    from ubit.check import intel
    from ubit.check.stubs import stub_folder

    base = program()
    probes = cases(base)
    engine = intel.Intel("v2")
    first = statistics.median(first_call() for _ in range(3))

    def ubit_names(source: str, line: int, column: int) -> set[str]:
        return {c.name for c in engine.complete(source, line, column)}

    folder = Path(tempfile.mkdtemp(prefix="ubit-completebench-"))  # stays empty
    path = folder / "main.py"
    project = jedi.Project(folder, added_sys_path=[str(stub_folder("v2"))])

    def jedi_names(source: str, line: int, column: int) -> set[str]:
        script = jedi.Script(source, path=path, project=project)
        return {c.name for c in script.complete(line, column)}

    started = time.perf_counter()
    ubit_names(*probes[0][:3])  # the engine's own first call, in this process
    warm_first = time.perf_counter() - started
    jedi_names(*probes[0][:3])
    rounds = RUNS
    try:
        ours = time_calls(ubit_names, probes, rounds)
        theirs = time_calls(jedi_names, probes, rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    p50, p95 = percentile(ours, 0.5), percentile(ours, 0.95)
    j50, j95 = percentile(theirs, 0.5), percentile(theirs, 0.95)
    print(f"\nCompletion: 20 positions of a {base.count(chr(10))}-line program, "
          f"{rounds} rounds (ubit.check.intel, jedi over the V2 stubs)")
    print(f"  ubit         p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
          f"(target p95 < {TARGET_P95 * 1000:.0f} ms: "
          f"{'met' if p95 < TARGET_P95 else 'NOT met'})")
    print(f"  plain jedi   p50 {j50 * 1000:6.1f} ms   p95 {j95 * 1000:6.1f} ms   "
          f"ubit is {j50 / p50:.2f}x faster at p50, {j95 / p95:.2f}x at p95")
    print(f"  first completion of a fresh process (import included): {first * 1000:.0f} ms; "
          f"first call of a new engine in a warm process: {warm_first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
