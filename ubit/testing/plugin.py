"""The pytest plugin: a ``board`` fixture running the pupil's program on a virtual micro:bit.

Registered as the ``ubit`` entry point of ``pytest11``, so installing ubit is enough::

    from ubit.testing import Image

    def test_a_shows_a_heart(board):
        board.click("A")
        board.run(200)
        board.assert_shows(Image.HEART)

Which program runs, first found: ``--ubit-program PATH``, the ``UBIT_PROGRAM``
environment variable, the ``ubit_program`` ini setting (relative to the ini file's
folder), else ``main.py`` beside the test file. A ``.py``, a folder or a ``.hex``.
The board: ``--ubit-board v1|v2`` or ``ubit_board`` (default v2); the time limit in
board ms: ``ubit_time_limit_ms`` (default 30000). ``make_board`` starts more boards
(another program, the other micro:bit).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ENV_PROGRAM = "UBIT_PROGRAM"
DEFAULT_PROGRAM = "main.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's command-line options and ini settings."""
    group = parser.getgroup("ubit", "testing micro:bit programs on a virtual board")
    group.addoption("--ubit-program", metavar="PATH", default=None,
                    help="the program the board fixture runs (.py, folder or .hex)")
    group.addoption("--ubit-board", choices=("v1", "v2"), default=None,
                    help="which micro:bit the board fixture is (default v2)")
    parser.addini("ubit_program", "the program the board fixture runs", default="")
    parser.addini("ubit_board", "which micro:bit the board fixture is (v1 or v2)",
                  default="v2")
    parser.addini("ubit_time_limit_ms", "board time after which a program is ended",
                  default="30000")


@pytest.fixture
def program_path(request: pytest.FixtureRequest) -> Path:
    """The path of the program under test (see the module's docstring for the order)."""
    config = request.config
    given = config.getoption("--ubit-program")
    if given:
        return Path(given).resolve()
    if os.environ.get(ENV_PROGRAM):
        return Path(os.environ[ENV_PROGRAM]).resolve()
    ini = config.getini("ubit_program")
    if ini:
        base = Path(config.inipath).parent if config.inipath else Path(config.rootpath)
        return (base / ini).resolve()
    return Path(request.path).parent / DEFAULT_PROGRAM


@pytest.fixture
def make_board(request: pytest.FixtureRequest,
               program_path: Path) -> Iterator[Callable[..., Any]]:
    """Start boards: ``make_board()`` runs the program under test; ``make_board(source)``,
    ``make_board(path=...)``, ``board="v1"`` as ``ubit.testing.start``. Closed after the test.
    """
    from ubit.testing.board import start

    config = request.config
    version = config.getoption("--ubit-board") or config.getini("ubit_board") or "v2"
    limit = float(config.getini("ubit_time_limit_ms") or 30000)
    made: list[Any] = []

    def make(program: Any = None, **options: Any) -> Any:
        if program is None and "path" not in options:
            if not program_path.exists():
                pytest.fail(f"There is no program to test at {program_path}: save the "
                            f"program as {DEFAULT_PROGRAM} beside the tests, or give "
                            "--ubit-program PATH", pytrace=False)
            options["path"] = program_path
        options.setdefault("board", version)
        options.setdefault("time_limit_ms", limit)
        board = start(program, **options)
        made.append(board)
        return board

    yield make
    for board in made:
        board.close()


@pytest.fixture
def board(make_board: Callable[..., Any]) -> Any:
    """A virtual micro:bit running the program under test, waiting at time 0."""
    return make_board()
