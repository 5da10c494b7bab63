"""``ubit mark``: marking throughput for a 5-test problem, against a fresh ``ubit run`` per test.

Figures: submissions per second for 100 submissions (target >= 20/s on 2 cores), the
baseline measured in the same run (each test a fresh ``ubit run --headless`` process with
the test's inputs scripted, as many at once as there are cores), and the cost per
submission as the class grows (100, then 500 submissions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import tool

TARGET_PER_S = 20.0
SHIPPED = Path(__file__).resolve().parent.parent / "ubit" / "testing" / "problems"
BASE = "heart-on-a"  # its three tests, and two more: five

EXTRA_TESTS = '''

def test_a_twice_still_a_heart(board):
    for _ in range(2):
        board.click("A")
        board.run(300)
    board.assert_shows(Image.HEART)


def test_no_error_after_presses(board):
    board.click("B")
    board.run(200)
    board.click("A")
    board.run(500)
    board.assert_no_error()
'''
# each test as a ``ubit run`` input script and its board time, for the baseline
RUN_SCRIPTS = [("200 press A\n300 release A\n", 0.5),
               ("0 press A\n100 release A\n300 press B\n400 release B\n", 0.6),
               ("", 1.0),
               ("0 press A\n100 release A\n400 press A\n500 release A\n", 0.8),
               ("0 press B\n100 release B\n300 press A\n400 release A\n", 0.9)]


def five_test_problem(into: Path) -> Path:
    """The shipped heart-on-a with two more tests."""
    folder = Path(shutil.copytree(SHIPPED / BASE, into / "five-tests"))
    with open(folder / "tests.py", "a", encoding="utf-8") as tests:
        tests.write(EXTRA_TESTS)
    return folder


def a_class(into: Path, count: int) -> Path:
    """``count`` submissions: mostly right, some wrong (every fourth shows HAPPY)."""
    solution = (SHIPPED / BASE / "solution.py").read_text()
    folder = into / f"class-{count}"
    folder.mkdir()
    for i in range(count):
        source = solution.replace("HEART", "HAPPY") if i % 4 == 3 else solution
        (folder / f"pupil{i:04d}.py").write_text(source)
    return folder


def mark_rate(problem: Path, pupils: Path, count: int, out: Path) -> float:
    """Seconds per submission of a whole ``ubit mark`` run (process start included)."""
    began = time.perf_counter()
    done = subprocess.run([tool("ubit"), "mark", str(problem), str(pupils), "--out", str(out)],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"bench: ubit mark failed: {done.stderr}")
    return elapsed / count


def baseline_rate(problem: Path, into: Path, submissions: int) -> float:
    """Seconds per submission when each test is a fresh ``ubit run --headless``."""
    program = problem / "solution.py"
    scripts = []
    for index, (script, seconds) in enumerate(RUN_SCRIPTS):
        path = into / f"inputs{index}.txt"
        path.write_text(script)
        scripts.append((path, seconds))
    jobs = [(path, seconds) for _ in range(submissions) for path, seconds in scripts]

    def one(job: tuple[Path, float]) -> None:
        path, seconds = job
        subprocess.run([tool("ubit"), "run", str(program), "--headless", "--time", str(seconds),
                        "--inputs", str(path)], capture_output=True, check=True)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, jobs))
    return (time.perf_counter() - began) / submissions


def main() -> None:
    """Print the throughput, the baseline's, and the cost per submission at 100 and 500."""
    print("\nubit mark: a 5-test problem (heart-on-a and two more tests), "
          f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        problem = five_test_problem(root)
        small = a_class(root, 100)
        mark_rate(problem, a_class(root, 4), 4, root / "warm")  # caches, compiled files
        per_100 = mark_rate(problem, small, 100, root / "out100")
        per_base = baseline_rate(problem, root, 10)
        met = "met" if 1 / per_100 >= TARGET_PER_S else "NOT met"
        print(f"  ubit mark, 100 submissions     {1 / per_100:6.1f} submissions/s   "
              f"(target >= {TARGET_PER_S:g}/s: {met})")
        print(f"  fresh ubit run per test        {1 / per_base:6.1f} submissions/s   "
              f"ubit mark is {per_base / per_100:.1f}x faster")
        per_500 = mark_rate(problem, a_class(root, 500), 500, root / "out500")
        print(f"  cost per submission, 100       {per_100 * 1000:6.0f} ms   "
              f"(target <= {1000 / TARGET_PER_S:.0f} ms)")
        print(f"  cost per submission, 500       {per_500 * 1000:6.0f} ms   "
              f"(target <= {1000 / TARGET_PER_S:.0f} ms; {per_500 / per_100:.2f}x the cost at 100)")


if __name__ == "__main__":
    main()
