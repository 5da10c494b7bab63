"""From the command line to boards: programs, ``--board``, ``--inputs``, ``--at`` → BoardOptions.

``ubit run`` and ``ubit sim`` turn what the user typed into ``BoardOptions`` here, once;
nothing below the CLI sees an ``argparse`` namespace.
"""

from __future__ import annotations

import argparse
import os
import sys

from ubit.errors import InputFileError, UsageError

TYPE_CHECKING = False  # typing and pathlib cost every `ubit run` milliseconds (issue 17)
if TYPE_CHECKING:
    from typing import Any

MAX_PROGRAM_SIZE = 1024 * 1024


def warner(command: str) -> Any:
    """A ``warn`` callback printing ``ubit: COMMAND: warning: ...`` on stderr, once each."""
    from ubit.errors import printable

    said: set[str] = set()  # the boards of a fleet (or a file saved again) say the same

    def warn(text: str) -> None:
        if text not in said:
            said.add(text)
            print(f"ubit: {command}: warning: {printable(text)}", file=sys.stderr)

    return warn


def add_fs_option(parser: argparse.ArgumentParser) -> None:
    """``--fs DIR``: the board's flash filesystem kept in a folder."""
    parser.add_argument("--fs", metavar="DIR",
                        help="keep the board's files in this folder: loaded at start, "
                             "changes written back (survives restarts)")


def position(text: str) -> tuple[float, ...]:
    """``X,Y`` or ``X,Y,Z`` in metres, for ``--at``."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if not 2 <= len(values) <= 3:
        raise argparse.ArgumentTypeError(f"'{text}' is not a position: give X,Y in metres")
    return values


def load_program(path: str, board: str | None = None) -> dict[str, bytes]:
    """The filesystem a program path stands for: .py → main.py, .hex → its files, folder → files.

    With ``board`` ("v1"/"v2") the files must fit its filesystem, checked as
    ``ubit hex build`` checks them and refused in the same words.
    """
    from ubit.fileio import read_input_bytes

    if not os.path.isdir(path) and ".hex" not in path.lower():  # a .py: no pathlib needed
        files = {"main.py": read_input_bytes(path, MAX_PROGRAM_SIZE)}
        if board is not None:
            check_program_fits(path, files, board)
        return files
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        from ubit.sim.host.fsdir import check_board_name

        entries = [f for f in sorted(p.iterdir()) if f.is_file() and not f.name.startswith(".")]
        for entry in entries:
            check_board_name(entry.name, entry)
        files = {f.name: read_input_bytes(f, MAX_PROGRAM_SIZE) for f in entries}
        if not files:
            raise InputFileError(f"{p}: the folder has no files")
    elif p.suffix.lower() == ".hex":
        from ubit.cli.hex import load_hex

        files = load_hex(path).files()
    else:
        files = {"main.py": read_input_bytes(p, MAX_PROGRAM_SIZE)}
    if board is not None:
        check_program_fits(path, files, board)
    return files


def check_program_fits(path: str, files: dict[str, bytes], board: str) -> None:
    """Refuse files too big for ``board``'s filesystem, in ``ubit hex build``'s words."""
    from ubit.errors import FilesystemFullError
    from ubit.hexfile.fslayout import check_room
    from ubit.sim.shared.boards import board_spec

    spec = board_spec(board)
    try:
        check_room(files, spec.fs_chunks, spec.label)
    except FilesystemFullError as exc:
        raise FilesystemFullError(f"{path}: {exc}") from None


def per_program(values: list[Any] | None, programs: int, option: str, default: Any) -> list[Any]:
    """An option given once for all programs, or once per program in order."""
    if not values:
        return [default] * programs
    if len(values) == 1:
        return values * programs
    if len(values) != programs:
        raise UsageError(f"{len(values)} {option} choices for {programs} program"
                         f"{'s' if programs > 1 else ''}: give one for all, or one per program")
    return values


def input_scripts(paths: list[str] | None, programs: int) -> list[list[Any]]:
    """The scripted inputs of each board (``--inputs`` once per program, in order)."""
    paths = paths or []
    if len(paths) > programs:
        raise UsageError(f"{len(paths)} --inputs scripts for {programs} program"
                         f"{'s' if programs > 1 else ''}: give at most one per program, "
                         "in order")
    if paths:
        from ubit.fileio import read_input_bytes
        from ubit.sim.host.inputscript import parse_inputs
    parsed = [parse_inputs(read_input_bytes(path, MAX_PROGRAM_SIZE)
                           .decode("utf-8", "replace"), path) for path in paths]
    return parsed + [[] for _ in range(programs - len(parsed))]


def labels_for(names: list[str]) -> list[str]:
    """Distinct labels for boards named after their programs (``recv.py``, ``recv.py#2``)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return labels


def board_options(args: argparse.Namespace, clock: str) -> list[Any]:
    """The ``BoardOptions`` of every program on the command line, in order."""
    from ubit.sim.host.start import BoardOptions

    programs: list[str] = args.programs
    count = len(programs)
    boards = per_program(args.board, count, "--board", "v2")
    positions = args.at or []
    if len(positions) > count:
        raise UsageError(f"{len(positions)} --at positions for {count} program"
                         f"{'s' if count > 1 else ''}: give one per program, in order")
    scripts = input_scripts(getattr(args, "inputs", None), count)
    from ubit.fileio import path_name

    labels = labels_for([path_name(program) for program in programs])
    limit = args.time * 1000 if getattr(args, "time", None) is not None else None
    space = getattr(args, "radio_space", "none")
    return [BoardOptions(
        board=boards[index], files=load_program(program, boards[index]), clock=clock,
        time_limit_ms=limit, inputs=tuple(scripts[index]),
        seed=None if args.seed is None else args.seed + index,
        fs_folder=getattr(args, "fs", None), label=labels[index],
        position=positions[index] if index < len(positions) else None,
        radio_space=None if space == "none" or clock == "virtual" else space)
        for index, program in enumerate(programs)]


def refusal(board: Any, options: Any, script: str | None) -> str | None:
    """Why the board refused to start (naming the ``--inputs`` script's lines), or None."""
    if not board.exit or board.exit.get("status") != "refused":
        return None
    found = []
    for error in board.errors:
        index = error.get("index")
        where = ""
        if index is not None and index < len(options.inputs):
            where = f"{script or 'inputs'}: line {options.inputs[index].line}: "
        found.append(f"{where}{error['message']}")
    return "; ".join(found) or str(board.exit.get("error"))


def check_time_limit(result: dict[str, Any], options: Any, who: str = "") -> None:
    """``TimeLimitError`` if the board had to be ended at its time limit."""
    from ubit.errors import TimeLimitError
    from ubit.sim.shared.protocol import DEADLINE_GRACE_S, TIME_LIMIT

    if result.get("status") == "stopped" and result.get("error") == TIME_LIMIT:
        limit = (options.time_limit_ms or 0) / 1000
        raise TimeLimitError(f"{who}stopped: time limit (the program was still running "
                             f"{DEADLINE_GRACE_S:g} s after its {limit:g} s; a long "
                             "calculation can't be interrupted)")
