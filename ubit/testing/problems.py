"""Problems as folders: a statement, a starter, a reference solution, tests and settings.

A problem is a folder::

    statement.md     what the pupil reads (Markdown)
    starter.py       what the pupil starts from (or a folder starter/)
    solution.py      the reference solution (or a folder solution/)
    tests.py         plain pytest functions using the ``board`` fixture
    problem.toml     title, board, time limit, marks and hints per test

``load_problem`` reads and checks one into a ``Problem`` (plain data: it can be sent to
another process or machine); ``ubit.testing.runner`` runs its tests on a program.
See ``docs/problems.md``.
"""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ubit.errors import InputFileError
from ubit.fileio import read_input_bytes

SETTINGS, STATEMENT, TESTS = "problem.toml", "statement.md", "tests.py"
STARTER, SOLUTION = "starter", "solution"
MAX_TEXT_SIZE = 256 * 1024  # a statement, the settings or the tests: far more than needed
DEFAULT_TIME_LIMIT_MS = 10_000  # board time per test
DEFAULT_WALL_LIMIT_S = 5.0  # real seconds one step of a test may take
SHIPPED = Path(__file__).resolve().parent / "problems"  # the example problems


class ProblemError(InputFileError):
    """A problem folder that can't be used as it is (names the file and what to fix)."""


@dataclass(frozen=True)
class TestSpec:
    """One test of a problem: its function's name, its marks and the hint shown on failure."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    name: str
    marks: float = 1
    hint: str = ""


@dataclass
class Problem:
    """A problem, read and checked: everything needed to mark a program against it."""

    name: str  # the folder's name
    folder: str
    title: str
    board: str  # "v1" or "v2"
    time_limit_ms: float  # board time per test
    wall_limit_s: float  # real seconds a step may take before the board is called stuck
    statement: str
    tests_source: str
    tests: list[TestSpec] = field(default_factory=list)
    starter: dict[str, bytes] = field(default_factory=dict)
    solution: dict[str, bytes] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """The marks for passing every test."""
        return sum(spec.marks for spec in self.tests)

    @property
    def step_wall_s(self) -> float:
        """Real seconds a test's step may take before the board is called stuck.

        At most half the time limit: a loop that never lets board time pass is ended by
        the board when it has spun, in real time, for the time left; stopping it well
        before that makes such a program fail the same way on a busy machine and an idle one.
        """
        return min(self.wall_limit_s, self.time_limit_ms / 2000)

    @property
    def tests_path(self) -> str:
        """Where the tests came from (tracebacks name it)."""
        return os.path.join(self.folder, TESTS)


def find_problem(given: str | os.PathLike[str]) -> Path:
    """The folder ``given`` names: a path, or the name of a shipped example problem."""
    path = Path(given)
    if path.is_dir():
        return path
    if not path.exists() and os.sep not in str(given) and (SHIPPED / str(given)).is_dir():
        return SHIPPED / str(given)
    if path.exists():
        raise ProblemError(f"{path}: a problem is a folder (with {SETTINGS}, {STATEMENT}, "
                           f"{TESTS}, {STARTER}.py and {SOLUTION}.py)")
    raise ProblemError(f"{path}: no such problem folder (the examples: ubit problem list)")


def shipped_problems() -> list[Path]:
    """The example problems that come with ubit, by name."""
    return sorted(p for p in SHIPPED.iterdir() if (p / SETTINGS).is_file())


def load_problem(given: str | os.PathLike[str]) -> Problem:
    """Read and check the problem folder ``given`` (``ProblemError`` naming what is wrong)."""
    folder = find_problem(given)
    settings = _settings(folder / SETTINGS)
    tests_source = _text(folder / TESTS)
    names = test_names(tests_source, folder / TESTS)
    specs = _specs(settings, names, folder / SETTINGS)
    board = settings.get("board", "v2")
    if board not in ("v1", "v2"):
        raise ProblemError(f"{folder / SETTINGS}: board = {board!r}: use \"v1\" or \"v2\"")
    return Problem(
        name=folder.name, folder=str(folder), title=str(settings.get("title", folder.name)),
        board=board,
        time_limit_ms=_positive(settings, "time_limit_ms", DEFAULT_TIME_LIMIT_MS, folder),
        wall_limit_s=_positive(settings, "wall_limit_s", DEFAULT_WALL_LIMIT_S, folder),
        statement=_text(folder / STATEMENT), tests_source=tests_source, tests=specs,
        starter=_program(folder, STARTER), solution=_program(folder, SOLUTION))


def test_names(source: str, path: Path) -> list[str]:
    """The ``test_…`` functions a tests file defines, in the order they are written."""
    try:
        tree = ast.parse(source, str(path))
    except SyntaxError as exc:
        raise ProblemError(f"{path}:{exc.lineno}: the tests don't compile: {exc.msg}") from None
    names = [node.name for node in tree.body
             if isinstance(node, ast.FunctionDef) and node.name.startswith("test")]
    if not names:
        raise ProblemError(f"{path}: no tests: write functions named test_… that take board")
    return names


def _settings(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ProblemError(f"{path}: not valid TOML: {exc}") from None


def _specs(settings: dict[str, object], names: list[str], path: Path) -> list[TestSpec]:
    """Each test's marks (default 1) and hint, checked against the tests that exist."""
    table = settings.get("tests", {})
    if not isinstance(table, dict):
        raise ProblemError(f"{path}: [tests] should be a table: [tests.test_name] marks = 2")
    for name in table:
        if name not in names:
            raise ProblemError(f"{path}: [tests.{name}]: tests.py has no function {name} "
                               f"(it has {', '.join(names)})")
    specs = []
    for name in names:
        entry = table.get(name, {})
        if not isinstance(entry, dict):
            raise ProblemError(f"{path}: tests.{name} should be a table (marks, hint)")
        unknown = set(entry) - {"marks", "hint"}
        if unknown:
            raise ProblemError(f"{path}: [tests.{name}]: unknown setting "
                               f"{sorted(unknown)[0]!r} (a test has marks and hint)")
        marks = entry.get("marks", 1)
        if isinstance(marks, bool) or not isinstance(marks, int | float) or marks < 0:
            raise ProblemError(f"{path}: [tests.{name}] marks = {marks!r}: a number, 0 or more")
        hint = entry.get("hint", "")
        if not isinstance(hint, str):
            raise ProblemError(f"{path}: [tests.{name}] hint should be text")
        specs.append(TestSpec(name, marks, hint.strip()))
    return specs


def _positive(settings: dict[str, object], key: str, default: float, folder: Path) -> float:
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        raise ProblemError(f"{folder / SETTINGS}: {key} = {value!r}: a positive number")
    return float(value)


def _program(folder: Path, stem: str) -> dict[str, bytes]:
    """The starter's or solution's files: ``stem.py`` (as main.py) or the folder ``stem/``."""
    from ubit.testing.program import load_files

    for candidate in (folder / f"{stem}.py", folder / stem):
        if candidate.exists():
            return load_files(candidate)
    raise ProblemError(f"{folder}: no {stem}.py (or {stem}/ folder with main.py)")


def _text(path: Path) -> str:
    if not path.exists():
        raise ProblemError(f"{path}: missing: a problem folder has {SETTINGS}, {STATEMENT}, "
                           f"{TESTS}, {STARTER}.py and {SOLUTION}.py")
    try:
        return read_input_bytes(path, MAX_TEXT_SIZE).decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(f"{path}: not UTF-8 text: save it as UTF-8") from None
