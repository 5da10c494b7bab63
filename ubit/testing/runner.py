"""Running a problem's tests on one program: each test on fresh boards, a result per test.

The tests are plain pytest functions; this runs them without pytest (a marking run does
it thousands of times, and pytest's start-up would cost more than the boards): each
``test_…`` function is called with the fixtures it names, ``board`` (the program under
test, started at time 0) and ``make_board`` (more boards: the teacher's own programs).
An ``AssertionError`` fails the test with its message, shown to the pupil with the hint.
"""

from __future__ import annotations

import hashlib
import inspect
import threading
import types
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ubit.testing.problems import Problem, TestSpec

FIXTURES = ("board", "make_board")
MAX_FEEDBACK_CHARS = 4000  # a failure message drawn from a flood of output stays readable
MAX_TEXT_CHARS = 200  # the scrolled text kept for the report


@dataclass
class TestResult:
    """How one test went for one program."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    name: str
    passed: bool
    marks: float  # given
    out_of: float
    feedback: str  # the failure's message and the hint ("" when it passed)
    display: list[str]  # the display at the end, rows of brightness digits "09090"
    text: str  # the text it scrolled or showed, read from the LEDs
    status: str  # how the program ended: "running", "ok", "error", "timeout"…

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return asdict(self)


_modules: dict[str, types.ModuleType] = {}
_modules_lock = threading.Lock()


def tests_module(problem: Problem) -> types.ModuleType:
    """The problem's tests, compiled once per process (same source, same module)."""
    key = hashlib.sha256(problem.tests_source.encode()).hexdigest()
    with _modules_lock:
        module = _modules.get(key)
        if module is None:
            module = types.ModuleType(f"ubit_problem_{problem.name.replace('-', '_')}")
            module.__file__ = problem.tests_path
            exec(compile(problem.tests_source, problem.tests_path, "exec"), module.__dict__)
            _modules[key] = module
        return module


def run_tests(problem: Problem, files: Mapping[str, bytes],
              only: Callable[[TestSpec], bool] | None = None) -> list[TestResult]:
    """Run every test of ``problem`` on the program ``files`` (name → bytes, main.py runs)."""
    module = tests_module(problem)
    return [run_test(problem, module, spec, files) for spec in problem.tests
            if only is None or only(spec)]


def run_test(problem: Problem, module: types.ModuleType, spec: TestSpec,
             files: Mapping[str, bytes]) -> TestResult:
    """One test on fresh boards; whatever the program does, a result comes back."""
    from ubit.testing.board import BoardStuck, TestBoard, start

    made: list[TestBoard] = []

    def make_board(program: Any = None, **options: Any) -> TestBoard:
        options.setdefault("board", problem.board)
        options.setdefault("time_limit_ms", problem.time_limit_ms)
        options.setdefault("wall_timeout_s", problem.step_wall_s)
        if program is None and "path" not in options:
            program = dict(files)
        board = start(program, **options)
        made.append(board)
        return board

    function = getattr(module, spec.name)
    failure = ""
    try:
        kwargs: dict[str, Any] = {}
        for name in inspect.signature(function).parameters:
            if name not in FIXTURES:
                raise TypeError(f"the test asks for {name!r}; a problem's test may ask for "
                                f"{' and '.join(FIXTURES)}")
            kwargs[name] = make_board() if name == "board" else make_board
        function(**kwargs)
    except AssertionError as exc:
        failure = str(exc).strip() or "The test's check failed."
    except BoardStuck:
        failure = ("Your program stopped answering: it was busy for too long without "
                   "pausing (a loop that never sleeps, or a very long calculation).")
    except Exception as exc:  # noqa: BLE001 - a test that can't finish fails, with the reason
        failure = f"The test could not finish: {type(exc).__name__}: {exc}"
    finally:
        first = made[0] if made else None
        if failure and first is not None:
            failure += _crash_note(first, failure)
        display = ["".join(map(str, row)) for row in first.display().rows] if first else []
        text = first.scrolled_text()[:MAX_TEXT_CHARS] if first else ""
        status = first.status if first else "not started"
        for board in made:
            board.close()
    if failure and spec.hint:
        failure += f"\n\nHint: {spec.hint}"
    if len(failure) > MAX_FEEDBACK_CHARS:
        failure = failure[:MAX_FEEDBACK_CHARS] + "\n…"
    return TestResult(spec.name, not failure, 0 if failure else spec.marks, spec.marks,
                      failure, display, text, status)


def _crash_note(board: Any, failure: str) -> str:
    """The uncaught error the program printed, if the failure doesn't say it already.

    The board scrolls an uncaught error before its program ends, so a test that looks
    during that scroll sees the program still running: its serial output tells.
    """
    if "stopped with an error" in failure:
        return ""
    out = board.serial()
    start = out.rfind("Traceback (most recent call last):")
    if start < 0:
        return ""
    lines = [line.strip() for line in out[start:].splitlines() if line.strip()]
    where = [line for line in lines if line.startswith('File "main.py"')]
    line = where[-1].split("line ")[-1].split(",")[0] if where else ""
    return (f"\n\nYour program stopped with an error{' on line ' + line if line else ''}: "
            f"{lines[-1]}")
