"""``ubit mark``: mark a class's submissions against a problem; CSV, JSON and HTML reports."""

from __future__ import annotations

import argparse
import sys
import time

from ubit.cli.parser import add_command
from ubit.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit mark``."""
    parser = add_command(
        sub, "mark", "Mark every pupil's program against a problem's tests.",
        "  ubit mark heart-on-a class/                 a folder of submissions\n"
        "  ubit mark my-problem/ ana.py ben.hex cai/   files, hexes and folders\n"
        "  ubit mark heart-on-a class/ --out marks/    where the reports go\n"
        "  ubit mark heart-on-a class/ --jobs 4        four worker processes\n"
        "  ubit mark heart-on-a class/ --cluster tcp://10.0.0.5:8786   on a Dask cluster\n"
        "\n"
        "Each submission is one pupil, named by its file (ana.py, ana.hex) or folder (a\n"
        "folder with main.py); a folder without main.py holds submissions. Every program\n"
        "runs on sandboxed virtual boards in virtual time: a crash, a hang or a flood\n"
        "fails that pupil's tests only, and the same programs always get the same marks.\n"
        "Writes marks.csv, marks.json and report.html (one page, works offline) in --out.\n"
        "--cluster needs Dask: pip install 'ubit[cluster]'.\n",
    )
    parser.add_argument("problem", metavar="PROBLEM",
                        help="a problem folder, or the name of an example (ubit problem list)")
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                        help=".py or .hex files, folders with main.py, or folders of them")
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="the reports' folder (default: PROBLEM-marks, here)")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                        help="worker processes (default: one per core)")
    parser.add_argument("--cluster", metavar="ADDRESS", default=None,
                        help="a Dask scheduler's address: mark there instead of here")
    parser.set_defaults(handler=run)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"--jobs {text!r}: a whole number from 1 to 1024")
    return value


class Progress:
    """``marking [#######.....] 37/100 ana`` on one stderr line (``\\r``), on a terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.enabled = sys.stderr.isatty()

    def __call__(self, mark: object) -> None:
        self.done += 1
        if self.enabled:
            filled = 30 * self.done // max(1, self.total)
            name = str(getattr(mark, "student", ""))[:20]
            sys.stderr.write(f"\rmarking [{'#' * filled}{'.' * (30 - filled)}] "
                             f"{self.done}/{self.total} {name:<20}")
            sys.stderr.flush()

    def finish(self) -> None:
        """Clear the bar's line."""
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Mark, print each pupil's total, write the reports."""
    from ubit.testing.mark import find_submissions, mark_all, summary
    from ubit.testing.problems import load_problem
    from ubit.testing.report import write_reports

    if args.cluster is not None and not args.cluster.strip():
        raise UsageError("--cluster needs the scheduler's address, e.g. tcp://host:8786")
    problem = load_problem(args.problem)
    submissions = find_submissions(args.submissions)
    progress = Progress(len(submissions))
    began = time.perf_counter()
    try:
        marks = mark_all(problem, submissions, jobs=args.jobs, cluster=args.cluster,
                         on_mark=progress)
    finally:
        progress.finish()
    elapsed = time.perf_counter() - began
    width = max(len(m.student) for m in marks)
    for mark in marks:
        note = f"  ({mark.error})" if mark.error else ""
        print(f"{mark.student:<{width}}  {mark.marks:g} / {mark.out_of:g}{note}")
    written = write_reports(args.out or f"{problem.name}-marks", problem, marks)
    rate = len(marks) / elapsed if elapsed > 0 else 0
    print(f"{summary(marks)}; marked in {elapsed:.1f} s ({rate:.1f}/s)", file=sys.stderr)
    print("reports: " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0
