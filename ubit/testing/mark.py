"""Marking a class: every pupil's submission against a problem's tests, in parallel.

Each submission is one unit of work, ``mark_submission(problem, submission)``: plain data
in (the problem, the pupil's files), plain data out (a ``Mark``), so it runs the same in a
local process pool (the default) or on a Dask cluster (``cluster=ADDRESS``). A pupil's
program runs only on virtual boards, each in its own sandboxed process with hard limits
(``ubit.sim.board.sandbox``: CPU time, memory, no files, no commands, no network; a step
that takes too long in real time kills the board): a crash, a hang or a flood fails that
pupil's tests and nobody else's. Boards run in virtual time with a fixed random seed, so
the same submissions get the same marks, every time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ubit.errors import InputFileError, UbitError, UsageError, printable
from ubit.testing.problems import Problem
from ubit.testing.runner import TestResult, run_tests

SPARE_BOARDS = 4  # board processes each worker keeps started ahead (a test's board is ready)
PROGRAM_SUFFIXES = (".py", ".hex")


@dataclass
class Submission:
    """One pupil's work: their name (from the file or folder) and the program's files."""

    student: str
    source: str  # the path it came from
    files: dict[str, bytes] | None  # None: it couldn't be read (``problem`` says why)
    problem: str = ""


@dataclass
class Mark:
    """What one submission scored: in total and test by test."""

    student: str
    source: str
    marks: float
    out_of: float
    tests: list[TestResult] = field(default_factory=list)
    error: str = ""  # why it couldn't be marked at all (its tests all count as failed)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {"student": self.student, "source": self.source, "marks": self.marks,
                "out_of": self.out_of, "error": self.error,
                "tests": [t.to_dict() for t in self.tests]}


def find_submissions(paths: Sequence[str | os.PathLike[str]]) -> list[Submission]:
    """The submissions ``paths`` hold, one per pupil, sorted by name.

    A ``.py`` or ``.hex`` file is one submission; a folder with ``main.py`` is one; any
    other folder holds submissions (its ``.py`` and ``.hex`` files and its folders). A
    pupil is named by the file's name without its suffix, or the folder's name.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputFileError(f"{path}: no such file or folder to mark")
        if path.is_dir() and not (path / "main.py").is_file():
            inside = [p for p in sorted(path.iterdir()) if not p.name.startswith(".")
                      and (p.is_dir() or p.suffix.lower() in PROGRAM_SUFFIXES)]
            if not inside:
                raise InputFileError(f"{path}: no submissions in it (.py or .hex files, or "
                                     "folders with main.py)")
            found += inside
        else:
            found.append(path)
    names = [p.stem if p.is_file() else p.name for p in found]
    submissions = []
    for path, name in zip(found, names, strict=True):
        if names.count(name) > 1:  # ana.py and ana.hex: tell them apart by the suffix
            name = path.name if [p.name for p in found].count(path.name) == 1 else str(path)
        submissions.append(_read(printable(name), path))
    return sorted(submissions, key=lambda s: (s.student.lower(), s.student))


def _read(student: str, path: Path) -> Submission:
    from ubit.testing.program import load_files

    try:
        return Submission(student, str(path), load_files(path))
    except UbitError as exc:
        return Submission(student, str(path), None, str(exc))


_worker_ready = False


def mark_submission(problem: Problem, submission: Submission) -> Mark:
    """Run every test of ``problem`` on one submission (the unit of work, run anywhere)."""
    _prepare_worker()
    if submission.files is None:
        tests = [TestResult(spec.name, False, 0, spec.marks, "Not marked: "
                            + submission.problem, [], "", "not started")
                 for spec in problem.tests]
        return Mark(submission.student, submission.source, 0, problem.total, tests,
                    submission.problem)
    tests = run_tests(problem, submission.files)
    return Mark(submission.student, submission.source, sum(t.marks for t in tests),
                problem.total, tests)


def _prepare_worker() -> None:
    """Keep a few board processes started ahead in this worker: a test's board is waiting."""
    global _worker_ready
    if not _worker_ready:
        from ubit.testing.board import spares

        pool = spares()
        pool.keep = max(pool.keep, SPARE_BOARDS)
        pool.fill()
        _worker_ready = True


def default_jobs() -> int:
    """Worker processes for a local run: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def mark_all(problem: Problem, submissions: Sequence[Submission], jobs: int | None = None,
             cluster: str | None = None,
             on_mark: Callable[[Mark], None] | None = None) -> list[Mark]:
    """Mark every submission, in parallel; the marks in the submissions' order.

    ``jobs``: worker processes of the local pool (default: one per core). ``cluster``: the
    address of a Dask scheduler to hand the work to instead. ``on_mark`` hears each mark as
    it is done (a progress bar).
    """
    if not submissions:
        return []
    if cluster:
        marks = _with_dask(problem, submissions, cluster, on_mark)
    else:
        marks = _with_pool(problem, submissions, jobs or default_jobs(), on_mark)
    return [marks[index] for index in range(len(submissions))]


def _with_pool(problem: Problem, submissions: Sequence[Submission], jobs: int,
               on_mark: Callable[[Mark], None] | None) -> dict[int, Mark]:
    import multiprocessing

    # spawn: a fresh interpreter per worker, not a fork of this threaded process
    context = multiprocessing.get_context("spawn")
    marks: dict[int, Mark] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(submissions)),
                             mp_context=context) as pool:
        futures = {pool.submit(mark_submission, problem, s): i
                   for i, s in enumerate(submissions)}
        _collect(futures, submissions, marks, on_mark, problem)
    return marks


def _with_dask(problem: Problem, submissions: Sequence[Submission], address: str,
               on_mark: Callable[[Mark], None] | None) -> dict[int, Mark]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise UsageError("--cluster needs Dask distributed: pip install 'ubit[cluster]'") \
            from None
    try:
        client = Client(address, timeout=10)
    except OSError as exc:
        raise UbitError(f"can't reach the Dask scheduler at {address}: {exc}") from None
    marks: dict[int, Mark] = {}
    with client:
        problem_future = client.scatter(problem, broadcast=True)
        futures = {client.submit(mark_submission, problem_future, s, pure=False): i
                   for i, s in enumerate(submissions)}
        for future in dask_completed(list(futures)):
            index = futures[future]
            marks[index] = _result(future, submissions[index], problem)
            if on_mark:
                on_mark(marks[index])
    return marks


def _collect(futures: dict[Future[Mark], int], submissions: Sequence[Submission],
             marks: dict[int, Mark], on_mark: Callable[[Mark], None] | None,
             problem: Problem) -> None:
    for future in as_completed(futures):
        index = futures[future]
        marks[index] = _result(future, submissions[index], problem)
        if on_mark:
            on_mark(marks[index])


def _result(future: Any, submission: Submission, problem: Problem) -> Mark:
    """The future's mark; if the marking itself broke (a lost worker), a zero that says so."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one pupil's lost mark must not lose the others'
        return Mark(submission.student, submission.source, 0, problem.total, [],
                    f"marking failed: {type(exc).__name__}: {exc}")


def summary(marks: Iterable[Mark]) -> str:
    """``25 submissions: mean 3.2 / 5, 10 full marks`` — the class at a glance."""
    marks = list(marks)
    if not marks:
        return "no submissions"
    out_of = marks[0].out_of
    mean = sum(m.marks for m in marks) / len(marks)
    full = sum(m.marks == m.out_of for m in marks)
    return (f"{len(marks)} submission{'s' if len(marks) != 1 else ''}: mean {mean:.1f} / "
            f"{out_of:g}, {full} with full marks")
