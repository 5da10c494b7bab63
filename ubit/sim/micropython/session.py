"""A board's whole serial session: main.py, then the REPL, and soft reboots (reference §1.1).

V2 main.c / V1 main.cpp: at each (soft) reset run main.py unless the REPL is
in raw mode, then the REPL until Ctrl-D on an empty line; the soft-reboot marker
is printed and everything starts again, the flash files kept.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython import boot
from ubit.sim.micropython.repl import SOFT_REBOOT, Repl


def repl_namespace(board: Board) -> dict:
    """The REPL's namespace when no main.py ran: ``from microbit import *`` done in it."""
    namespace = boot.user_namespace(board)
    exec("from microbit import *", namespace)  # noqa: S102 - the firmware does exactly this
    return namespace


def run_session(board: Board) -> boot.Outcome:
    """Run main.py and the REPL, over and over on soft reboots, until the host goes."""
    raw = False
    while True:
        outcome = None
        if not raw:
            outcome = boot.run_main(board)
            if outcome.status == "timeout":
                return outcome
        namespace = outcome.namespace if outcome and outcome.namespace else None
        repl = Repl(board, namespace or repl_namespace(board))
        repl.raw_mode = raw
        try:
            while True:
                result = repl.raw() if repl.raw_mode else repl.friendly()
                if result == SOFT_REBOOT:
                    break
        except EOFError:  # the host closed the serial port
            return outcome or boot.Outcome("ok")
        raw = repl.raw_mode
        board.serial.write_text(board.spec.soft_reboot + "\n")
        board.reset()
