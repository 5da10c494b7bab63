"""``ubit run``: run a program on a virtual micro:bit."""

from __future__ import annotations

import argparse
import sys

from ubit.cli.parser import add_command
from ubit.cli.programs import add_fs_option, position, warner
from ubit.errors import UbitError, UsageError
from ubit.hexfile.targets import BOARD_NAMES

TYPE_CHECKING = False  # typing costs every `ubit run` milliseconds (issue 17)
if TYPE_CHECKING:
    from typing import Any

ONE_BOARD_OPTIONS = (("device", "--device"), ("port", "--port"), ("fs", "--fs"),
                     ("audio", "--audio"), ("log_csv", "--log-csv"))


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
        "  ubit run main.py --firmware          on the real V1 firmware under QEMU\n"
        "  ubit run project/ --firmware --headless --time 10   at most 10 s (wall time)\n"
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
    parser.add_argument("--board", choices=BOARD_NAMES, action="append",
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
    parser.add_argument("--firmware", action="store_true",
                        help="run PROGRAM on the official V1 firmware under QEMU "
                             "(qemu-system-arm): its real output, errors and memory limits; "
                             "serial output only (no LEDs, sound, radio or sensors). --time is "
                             "then wall seconds (default 30 headless); in a terminal the "
                             "firmware's REPL follows the program (Ctrl-] leaves)")
    add_fs_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the programs; exit 0 when they ended (or time ran out), 1 on an error."""
    import math

    if args.time is not None and not (math.isfinite(args.time) and args.time > 0):
        raise UsageError(f"--time {args.time:g}: give a positive number of seconds "
                         "(not 0, a negative number, inf or nan)")
    if args.firmware:
        from ubit.cli.firmwarerun import run_firmware

        return run_firmware(args, warner("run"))
    several = len(args.programs) > 1
    for attr, option in ONE_BOARD_OPTIONS:
        if getattr(args, attr, None) and several:
            raise UsageError(f"{option} works with one program; several were given")
    if args.device or args.port:
        from ubit.cli.devicerun import run_on_device

        return run_on_device(args.programs[0], args.port)
    from ubit.cli.programs import board_options

    live = not args.headless and sys.stdout.isatty() and sys.stdin.isatty()
    options = board_options(args, "real" if live else "virtual")
    recorders = Recorders(args)
    if live:
        from ubit.cli.live import run_live

        code = run_live(options, recorders.listeners(), warner("run"))
    elif several or args.at:
        from ubit.cli.multirun import run_fleet_headless

        code = run_fleet_headless(options, args.inputs or [])
    else:
        code = run_headless(options[0], recorders.listeners(), (args.inputs or [None])[0])
    recorders.save()
    return code


class Recorders:
    """``--audio`` and ``--log-csv``: what the board plays and logs, saved when the run ends.

    Their paths are checked when the recorders are made, before the run: a long run
    must not find out at its end that its data has nowhere to go.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        import os

        from ubit.fileio import check_output_path

        self.audio_path, self.log_path = args.audio, args.log_csv
        if self.audio_path and self.log_path and \
                os.path.abspath(self.audio_path) == os.path.abspath(self.log_path):
            raise UsageError(f"--audio and --log-csv both name {self.audio_path}; "
                             "give two files")
        for path in (self.audio_path, self.log_path):
            if path:
                check_output_path(path)
        self.audio: Any = None
        self.log: Any = None
        if self.log_path:
            from ubit.sim.host.logcsv import LogRecorder

            self.log = LogRecorder()
        if self.audio_path:
            from ubit.sim.host.recorder import AudioRecorder

            self.audio = AudioRecorder()

    def listeners(self) -> list[Any]:
        """The board listeners that feed the recorders."""
        return [recorder.listener for recorder in (self.log, self.audio) if recorder]

    def save(self) -> None:
        """Write what was recorded (each file atomically) and say where.

        One file that can't be written doesn't cost the other: both are tried, then
        the first problem is reported.
        """
        problems: list[UbitError] = []
        for save in (self._save_audio, self._save_log):
            try:
                save()
            except UbitError as exc:
                problems.append(exc)
        if problems:
            raise problems[0]

    def _save_audio(self) -> None:
        if self.audio is None:
            return
        from ubit.fileio import atomic_write, shown

        atomic_write(self.audio_path, self.audio.wav())
        print(f"audio: {self.audio.duration_ms / 1000:.1f} s saved in {shown(self.audio_path)}",
              file=sys.stderr)

    def _save_log(self) -> None:
        if self.log is None:
            return
        from ubit.fileio import atomic_write, shown

        atomic_write(self.log_path, self.log.csv().encode())
        print(f"data log: {len(self.log.lines)} lines saved in {shown(self.log_path)}",
              file=sys.stderr)


def run_headless(options: Any, listeners: list[Any], script: str | None) -> int:
    """Serial output to stdout in virtual time, until the program ends or time runs out."""
    from ubit.cli.programs import check_time_limit, refusal
    from ubit.sim.host.handle import BoardCrashed
    from ubit.sim.host.start import start_board

    out = sys.stdout.buffer
    board = start_board(options, listeners, warn=warner("run"))
    with board:
        try:
            while True:
                data = board.read_serial(timeout=0.2)
                if data:
                    out.write(data.replace(b"\r\n", b"\n"))
                    out.flush()
                elif board.serial_ended or not board.running:  # waited for, not spun on
                    out.write(board.read_serial().replace(b"\r\n", b"\n"))
                    break
            # a board's serial output ends as its process does; one still running without
            # it (its program closed the port) is waited for until its program ends
            result = board.wait(timeout=None if board.running else 5)
        except KeyboardInterrupt:
            board.interrupt()
            result = board.wait(timeout=5)
        except BoardCrashed as exc:
            raise UbitError(f"the virtual board crashed: {exc}") from None
    out.flush()
    refused = refusal(board, options, script)
    if refused:
        raise UsageError(refused)
    check_time_limit(result, options)
    return 1 if result["status"] in ("error", "panic") else 0

