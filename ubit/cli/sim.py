"""``ubit sim``: a virtual micro:bit whose serial port is a pseudo-terminal."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from ubit.cli.parser import add_command
from ubit.cli.programs import add_fs_option, position
from ubit.errors import UbitError
from ubit.hexfile.targets import BOARD_NAMES


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit sim``."""
    parser = add_command(
        sub, "sim", "Start a virtual micro:bit with its serial port on a pseudo-terminal.",
        "  ubit sim                      V2 board; prints the port, e.g. /dev/pts/5\n"
        "  ubit sim --board v1 main.py   V1 board running main.py first\n"
        "  ubit sim --fs myboard/        files kept in a folder, across restarts\n"
        "  ubit sim recv.py --at 30,0    30 m away from boards without --at (radio range)\n"
        "  then, in another terminal:\n"
        "  ubit repl --port /dev/pts/5   or: screen /dev/pts/5 115200, mpremote connect ...\n",
    )
    parser.add_argument("program", nargs="?", metavar="PROGRAM",
                        help="a .py (becomes main.py), a .hex or a folder of files")
    parser.add_argument("--pty", action="store_true",
                        help="serial port on a pseudo-terminal (the default, and only, mode)")
    parser.add_argument("--board", choices=BOARD_NAMES, default="v2",
                        help="which micro:bit to simulate (default v2)")
    add_fs_option(parser)
    add_radio_options(parser)
    parser.set_defaults(handler=run)


def add_radio_options(parser: argparse.ArgumentParser) -> None:
    """``--at`` and ``--radio-space``: where the board stands among the machine's boards."""
    parser.add_argument("--at", metavar="X,Y", type=position,
                        help="where the board stands, in metres: radio signal strength and "
                             "range follow the distance to other boards")
    parser.add_argument("--radio-space", metavar="NAME", default="default",
                        help="the machine-wide radio space whose boards it hears "
                             "(default 'default'; 'none' for none)")


def run(args: argparse.Namespace) -> int:
    """Run the board until Ctrl-C or SIGTERM; print the pty's path first."""
    from ubit.cli.programs import load_program, warner
    from ubit.sim.host.ptybridge import PtyBridge
    from ubit.sim.host.start import BoardOptions, start_board

    options = BoardOptions(
        board=args.board, files=load_program(args.program, args.board) if args.program else {},
        clock="real", repl=True, fs_folder=args.fs, label="sim", position=args.at,
        radio_space=None if args.radio_space == "none" else args.radio_space)
    board = start_board(options, warn=warner("sim"))
    bridge = PtyBridge(board).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"virtual micro:bit {args.board.upper()} on {bridge.path}", flush=True)
    print("(Ctrl-C to stop it)", file=sys.stderr, flush=True)
    try:
        while board.running:
            time.sleep(0.2)
        raise UbitError(f"the virtual board stopped: {board.crash_report()}")
    except KeyboardInterrupt:
        return 0
    finally:
        bridge.stop()
        board.close()
