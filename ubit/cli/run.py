"""``ubit run``: run a program on a virtual micro:bit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ubit.cli.parser import add_command
from ubit.errors import InputFileError, UbitError, UsageError

MAX_PROGRAM_SIZE = 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit run``."""
    parser = add_command(
        sub, "run", "Run a program on a virtual micro:bit.",
        "  ubit run main.py                     V2 board (default)\n"
        "  ubit run main.py --board v1 --headless --time 10\n"
        "  ubit run game.hex                    boots the hex's files, runs main.py\n"
        "  ubit run project/                    the folder's files are the filesystem\n"
        "  ubit run main.py --inputs taps.txt   scripted input: '2000 press A'\n"
        "  ubit run main.py --device            on the micro:bit plugged in, over serial\n"
        "  ubit run logger.py --headless --time 60 --log-csv data.csv\n"
        "  ubit run tune.py --headless --audio tune.wav   what it plays, as a WAV\n"
        "  ubit run send.py recv.py recv.py     three boards; they hear each other's radio\n"
        "  ubit run a.py b.py --headless --at 0,0 --at 40,0   boards 40 m apart\n"
        "  ubit run a.py b.py --board v1 --board v2            a V1 and a V2\n"
        "\n"
        "live view (a terminal, without --headless; the board runs in real time):\n"
        "  a b     tap button A/B (down 0.25 s)    A B    latch it (down until pressed again)\n"
        "  space   tap both                        l L    tap/latch the logo (V2)\n"
        "  0 1 2   touch pin 0/1/2                 ) ! @  latch pin 0/1/2 (Shift+0/1/2)\n"
        "  arrows  tilt: accelerometer x/y -/+256 mg (c levels the board)\n"
        "  s u d f gestures: shake, face up, face down, freefall    r  reset button\n"
        "  t/T j/J n/N  temperature, light, sound level (V2) down/up\n"
        "  Tab     type into the serial port (for input()); Tab again for board keys\n"
        "  Ctrl-C  KeyboardInterrupt in the program    Ctrl-Z suspend    q  quit\n"
        "  [ ]     several boards: which board the keys (and the big view) are for\n"
        "\n"
        "several programs run on as many boards sharing one radio space; headless, they\n"
        "share virtual time too (deterministic) and each output line starts 'name: '.\n"
        "In real time they also hear boards started by other ubit commands (ubit sim).\n",
    )
    parser.add_argument("programs", nargs="+", metavar="PROGRAM",
                        help="a .py file (becomes main.py), a .hex, or a folder of files; "
                             "several: one board each")
    parser.add_argument("--board", choices=("v2", "v1"), action="append",
                        help="which micro:bit to simulate (default v2); several programs: "
                             "once for all, or once per program in order")
    parser.add_argument("--headless", action="store_true",
                        help="no board view: print serial output, virtual time")
    parser.add_argument("--time", type=float, metavar="SECONDS",
                        help="stop after this many simulated seconds")
    parser.add_argument("--inputs", metavar="SCRIPT", action="append",
                        help="timed inputs, one per line: 'MS press A', 'MS release A', "
                             "'MS set temperature 30', 'MS gesture shake' "
                             "(several programs: once per program, in order)")
    parser.add_argument("--seed", type=int, help="seed for the board's random numbers")
    parser.add_argument("--at", action="append", metavar="X,Y", type=position,
                        help="where a board stands, in metres (once per program, in order): "
                             "radio signal strength and range follow the distance")
    parser.add_argument("--radio-space", metavar="NAME", default="default",
                        help="real time: the machine-wide radio space to join "
                             "(default 'default'; 'none' for none)")
    parser.add_argument("--device", action="store_true",
                        help="run PROGRAM on a real board (or --port PORT) over serial, "
                             "without copying it there")
    parser.add_argument("--port", metavar="PORT",
                        help="with --device: the board's serial port (default: find it)")
    parser.add_argument("--audio", metavar="FILE",
                        help="record what the board plays (music on pin 0, the V2 speaker) "
                             "as a WAV file")
    parser.add_argument("--log-csv", metavar="FILE",
                        help="when the run ends, save the board's data log (V2 `log` module) "
                             "as CSV")
    add_fs_option(parser)
    parser.set_defaults(handler=run)


def add_fs_option(parser: argparse.ArgumentParser) -> None:
    """``--fs DIR``: the board's flash filesystem kept in a folder."""
    parser.add_argument("--fs", metavar="DIR",
                        help="keep the board's files in this folder: loaded at start, "
                             "changes written back (survives restarts)")


StateListener = Callable[[str, Any, int], None]


def position(text: str) -> tuple[float, ...]:
    """``X,Y`` or ``X,Y,Z`` in metres, for ``--at``."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if not 2 <= len(values) <= 3:
        raise argparse.ArgumentTypeError(f"'{text}' is not a position: give X,Y in metres")
    return values


def board_files(args: argparse.Namespace) -> tuple[dict[str, bytes], StateListener | None]:
    """The board's starting files (``--fs`` folder, then PROGRAM), and who saves changes."""
    files = load_program(args.program) if args.program else {}
    if not getattr(args, "fs", None):
        return files, None
    from ubit.sim.host import fsdir
    from ubit.sim.shared.boards import board_spec

    spec = board_spec(args.board)
    files = {**fsdir.load_folder(args.fs, spec), **files}
    fsdir.check_fits(files, spec, args.fs)
    return files, fsdir.persister(args.fs, lambda text: print(f"ubit: {args.command_label}: "
                                                            f"warning: {text}", file=sys.stderr))


def board_choices(chosen: list[str], programs: int) -> list[str]:
    """The board of each program: ``--board`` once for all, or once per program."""
    if not chosen:
        return ["v2"] * programs
    if len(chosen) == 1:
        return chosen * programs
    if len(chosen) != programs:
        raise UsageError(f"{len(chosen)} --board choices for {programs} program"
                         f"{'s' if programs > 1 else ''}: give one for all, or one per program")
    return chosen


def input_scripts(args: argparse.Namespace, boards: int) -> list[list]:
    """The timed inputs of each board (``--inputs`` once per program, in order)."""
    from ubit.fileio import read_input_bytes
    from ubit.sim.host.inputscript import parse_inputs

    scripts = args.inputs or []
    if len(scripts) > boards:
        raise UsageError(f"{len(scripts)} --inputs scripts for {boards} program"
                         f"{'s' if boards > 1 else ''}: give at most one per program, in order")
    parsed = [parse_inputs(read_input_bytes(Path(path), MAX_PROGRAM_SIZE).decode("utf-8",
                                                                              "replace"), path)
              for path in scripts]
    return parsed + [[] for _ in range(boards - len(parsed))]


def open_ether(space: str, command: str) -> Any:
    """This process's place in the machine-wide radio space ``space`` (None for 'none')."""
    if space == "none":
        return None
    from ubit.sim.host.ether import Ether

    try:
        return Ether(space)
    except OSError as exc:  # e.g. no writable temp folder: boards of one run still talk
        print(f"ubit: {command}: note: no machine-wide radio ({exc})", file=sys.stderr)
        return None


def chain(*listeners: StateListener | None) -> StateListener | None:
    """One state listener calling each of ``listeners`` (None ones skipped)."""
    present = [listener for listener in listeners if listener is not None]
    if len(present) <= 1:
        return present[0] if present else None

    def both(part: str, value: Any, t: int) -> None:
        for listener in present:
            listener(part, value, t)

    return both


def load_program(path: str) -> dict[str, bytes]:
    """The filesystem a program path stands for: .py → main.py, .hex → its files, folder → files."""
    from ubit.fileio import read_input_bytes

    p = Path(path)
    if p.is_dir():
        files = {f.name: read_input_bytes(f, MAX_PROGRAM_SIZE)
                 for f in sorted(p.iterdir()) if f.is_file() and not f.name.startswith(".")}
        if not files:
            raise InputFileError(f"{p}: the folder has no files")
        return files
    if p.suffix.lower() == ".hex":
        from ubit.cli.hex import load_hex

        return load_hex(path).files()
    return {"main.py": read_input_bytes(p, MAX_PROGRAM_SIZE)}


def run(args: argparse.Namespace) -> int:
    """Run the program; exit 0 when it ended (or time ran out), 1 on an error."""

    if args.time is not None and args.time <= 0:
        raise UsageError("--time must be a positive number of seconds")
    args.boards = board_choices(args.board or [], len(args.programs))
    args.board = args.boards[0]
    if len(args.programs) > 1 or args.at:
        from ubit.cli.multirun import run_several

        return run_several(args)
    args.program = args.programs[0]
    if args.device or args.port:
        from ubit.cli.devicerun import run_on_device

        return run_on_device(args.program, args.port)
    files, on_state = board_files(args)
    recorder = None
    if args.log_csv:
        from ubit.sim.host.logcsv import LogRecorder

        recorder = LogRecorder()
        on_state = chain(on_state, lambda part, value, t: recorder.apply(value)
                         if part == "log" else None)
    audio = None
    if args.audio:
        from ubit.sim.host.recorder import AudioRecorder

        audio = AudioRecorder()
        on_state = chain(on_state, audio.listener)
    inputs = input_scripts(args, 1)[0]
    if args.headless or not (sys.stdout.isatty() and sys.stdin.isatty()):
        code = run_headless(files, args, inputs, on_state)
    else:
        from ubit.cli.live import run_live
        from ubit.sim.host.fleet import BoardPlan

        plan = BoardPlan(files, Path(args.program).name, args.board, inputs, on_state=on_state)
        code = run_live([plan], args)
    if audio is not None:
        audio.write(args.audio)
        print(f"audio: {audio.duration_ms / 1000:.1f} s saved in {args.audio}", file=sys.stderr)
    if recorder is not None:
        from ubit.fileio import atomic_write

        atomic_write(args.log_csv, recorder.csv().encode())
        print(f"data log: {len(recorder.lines)} lines saved in {args.log_csv}", file=sys.stderr)
    return code


def run_headless(files: dict[str, bytes], args: argparse.Namespace, inputs: list,
                 on_state: StateListener | None = None) -> int:
    """Serial output to stdout in virtual time, until the program ends or time runs out."""
    from ubit.sim.host.handle import BoardCrashed, VirtualBoard

    limit = args.time * 1000 if args.time is not None else None
    out = sys.stdout.buffer
    with VirtualBoard(files, board=args.board, virtual=True, time_limit_ms=limit,
                      inputs=inputs, seed=args.seed, on_state=on_state) as board:
        try:
            while True:
                data = board.read_serial(timeout=0.2)
                if data:
                    out.write(data.replace(b"\r\n", b"\n"))
                    out.flush()
                elif not board.running:
                    out.write(board.read_serial().replace(b"\r\n", b"\n"))
                    break
            result = board.wait(timeout=5)
        except KeyboardInterrupt:
            board.interrupt()
            result = board.wait(timeout=5)
        except BoardCrashed as exc:
            raise UbitError(f"the virtual board crashed: {exc}") from None
    out.flush()
    return 1 if result["status"] in ("error", "panic") else 0
