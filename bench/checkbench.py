"""``ubit check`` on a 500-line program against pyflakes alone and Mu's check (pyflakes +
pycodestyle), whole processes, runs interleaved, in the same run."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RUNS, tool

TARGET = 0.300  # seconds for `ubit check` on 500 lines, after the first run (issue 13)

# Mu's check as one process: pyflakes' report and pycodestyle's, on the same file.
MU_CHECK = """import sys, pyflakes.api, pyflakes.reporter, pycodestyle
pyflakes.api.checkPath(sys.argv[1], pyflakes.reporter._makeDefaultReporter())
pycodestyle.StyleGuide().check_files([sys.argv[1]])
"""


def program(lines: int = 500) -> str:
    """A plausible classroom program of ``lines`` lines using the micro:bit API."""
    out = ["from microbit import *", "import music", "import radio", "import random", ""]
    index = 0
    while len(out) < lines - 5:
        out += [f"def step{index}(n):",
                f"    total = n + {index}",
                "    if button_a.was_pressed():",
                "        display.scroll(str(total), delay=80)",
                "    elif accelerometer.was_gesture('shake'):",
                "        display.show(Image.HAPPY)",
                "        music.play(music.BA_DING, wait=False)",
                "    radio.send(str(random.randint(0, 9)))",
                "    return total * 2",
                ""]
        index += 1
    out += ["radio.on()", "count = 0", "while True:", "    count = step0(count) % 100",
            "    sleep(100)"]
    return "\n".join(out[:lines]) + "\n"


def wall(argv: list[str]) -> float:
    """Seconds ``argv`` takes to finish (its exit code is a verdict, not a failure)."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {argv[:3]} failed: {proc.stderr.decode(errors='replace')}")
    return elapsed


def in_process(source: str) -> float:
    """Median seconds of the library call the editor makes (``check_files``), warm."""
    from ubit.check.lint import check_files

    check_files({"main.py": source})
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        check_files({"main.py": source})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the medians, the target and the ratios."""
    work = Path(tempfile.mkdtemp(prefix="ubit-checkbench-"))
    try:
        source = program()
        path = work / "main.py"
        path.write_text(source)
        commands = {
            "ubit check": [tool("ubit"), "check", str(path)],
            "pyflakes": [sys.executable, "-m", "pyflakes", str(path)],
            "Mu (pyflakes + pycodestyle)": [sys.executable, "-c", MU_CHECK, str(path)],
        }
        for argv in commands.values():
            wall(argv)  # the first run: caches (stubs, runtimes, byte-code) filled
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(RUNS * 2):
            for name, argv in commands.items():
                times[name].append(wall(argv))
        median = {name: statistics.median(values) for name, values in times.items()}
        ours = median["ubit check"]
        width = max(map(len, commands))
        lines = source.count("\n")
        print(f"\nCheck: a {lines}-line program, whole process, after the first run")
        print(f"  {'ubit check':<{width}}  {ours * 1000:7.1f} ms   (target < "
              f"{TARGET * 1000:.0f} ms: {'met' if ours < TARGET else 'NOT met'})")
        for name in list(commands)[1:]:
            print(f"  {name:<{width}}  {median[name] * 1000:7.1f} ms   ubit check takes "
                  f"{ours / median[name]:.2f}x as long")
        library = in_process(source)
        print(f"  check_files() in the editor's process (warm): {library * 1000:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
