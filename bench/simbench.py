"""The virtual micro:bit: start-up, virtual time, compute speed and memory of one board."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RUNS, tool

HELLO = "print('hello')\n"
ANIMATION = """from microbit import *
for i in range(20):
    display.scroll('Hello, world!')
    sleep(1000)
    display.show(Image.HEART)
    sleep(500)
print(running_time())
"""
LOOP = """total = 0
for i in range(2000000):
    total += i * i % 7
print(total)
"""


def first_output_time(argv: list[str]) -> float:
    """Seconds from starting ``argv`` to its first byte of output."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.read(1)
    elapsed = time.perf_counter() - start
    proc.stdout.read()
    proc.wait()
    return elapsed


def whole_run(argv: list[str]) -> tuple[float, str]:
    """Seconds ``argv`` takes, and its output."""
    start = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    """Print the virtual board's figures against bare CPython."""
    work = Path(tempfile.mkdtemp(prefix="ubit-simbench-"))
    try:
        for name, text in (("hello.py", HELLO), ("anim.py", ANIMATION), ("loop.py", LOOP)):
            (work / name).write_text(text)
        ubit = tool("ubit")
        first_output_time([ubit, "run", "--headless", str(work / "hello.py")])  # warm caches
        ours = statistics.median(first_output_time([ubit, "run", "--headless",
                                                    str(work / "hello.py")]) for _ in range(RUNS))
        bare = statistics.median(first_output_time([sys.executable, "-c", HELLO])
                                 for _ in range(RUNS))
        print("\nStart-up: `ubit run --headless hello.py` to its first output")
        print(f"  ubit run      {ours * 1000:7.1f} ms   (target <= 150 ms: "
              f"{'met' if ours <= 0.150 else 'NOT met'})")
        print(f"  python3 -c    {bare * 1000:7.1f} ms   ubit takes {ours / bare:.1f}x as long")

        wall, out = whole_run([ubit, "run", "--headless", str(work / "anim.py")])
        simulated = int(out.strip().splitlines()[-1]) / 1000
        print("\nVirtual time: scroll-and-sleep animation, 20 rounds")
        print(f"  {simulated:.1f} simulated s in {wall:.2f} wall s = {simulated / wall:.0f}x "
              f"real time (target >= 100x: {'met' if simulated / wall >= 100 else 'NOT met'})")

        board_hello = ours
        board_loop, out1 = whole_run([ubit, "run", "--headless", str(work / "loop.py")])
        cpy_loop, out2 = whole_run([sys.executable, str(work / "loop.py")])
        assert out1.strip() == out2.strip(), (out1, out2)
        net = (board_loop - board_hello) / max(cpy_loop - bare, 1e-6)
        print("\nCompute: a 2,000,000-step pure-Python loop")
        print(f"  in the board {board_loop:.2f} s, bare CPython {cpy_loop:.2f} s: "
              f"{board_loop / cpy_loop:.2f}x whole process, {net:.2f}x without start-up "
              f"(target <= 1.2x: {'met' if net <= 1.2 else 'NOT met'})")

        from ubit.sim.host.start import BoardOptions, start_board

        with start_board(BoardOptions(files={"main.py": ANIMATION.encode()})) as board:
            while board.running:
                board.read_serial(timeout=0.1)
            rss = board.wait(10).get("peak_rss_kb") or 0
        print("\nMemory: peak RSS of one board process running the animation")
        verdict = "met" if rss <= 40 * 1024 else "NOT met"
        print(f"  {rss / 1024:.1f} MB (target <= 40 MB: {verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
