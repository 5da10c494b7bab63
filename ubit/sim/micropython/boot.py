"""Start-up of a virtual board, as the firmware does it: run ``main.py`` and report how it ended.

Reference §1.1–1.4: ``main.py`` runs at boot; an uncaught exception prints the
traceback on serial and then shows on the LEDs; SystemExit and
KeyboardInterrupt end the program without the LED message.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from ubit.sim.board.board import Board
from ubit.sim.board.clock import TimeUp
from ubit.sim.board.interrupts import (
    ResetRequested,
    StopRequested,
    clear_pending_in_main_thread,
    raise_in_main_thread,
)
from ubit.sim.micropython import compiler, executor, heapmodel, tracebacks
from ubit.sim.micropython.importer import Importer
from ubit.sim.micropython.mpbuiltins import make_builtins
from ubit.sim.shared.typenames import Any

MAIN = "main.py"



class Outcome:
    """How a program run ended."""

    def __init__(self, status: str, error: str | None = None,
                 namespace: dict[str, Any] | None = None) -> None:
        self.status = status  # ok | error | timeout | panic
        self.error = error  # the exception line, for an error
        # main.py's globals, which the REPL goes on with, handed over with their builtins as
        # ``__builtins__`` (the REPL takes them out: ``executor``'s module doc)
        self.namespace = namespace


def user_namespace(board: Board, name: str = "__main__") -> dict[str, Any]:
    """A fresh global namespace for user code on ``device``, its builtins as
    ``__builtins__`` until code first runs in it (``executor.run_code`` takes them out)."""
    importer = Importer(board)
    names = make_builtins(board, importer)
    importer.builtins = names
    return {"__name__": name, "__builtins__": names}


def finish_output(board: Board) -> None:
    """Let a finite display animation and a sound the program left running play to their end.

    On the device they go on while the REPL runs; a run that ends with the program
    would otherwise cut them short (and a recording of the sound). A looping animation
    would never end, so it isn't waited for.
    """
    display = board.parts.get("display")
    if display is not None and display.animating and not display.looping:
        try:
            display.wait()
        except (TimeUp, KeyboardInterrupt):
            pass
    for finish in board.at_end:
        finish()


def run_main(board: Board) -> Outcome:
    """Run main.py, again after each ``reset()``; report errors as the firmware does."""
    while True:
        try:
            return run_main_once(board)
        except ResetRequested:
            pass
        except TimeUp:  # the limit came in while main.py's globals were being made
            return Outcome("timeout")
        try:
            board.reset()
        except TimeUp:  # the time limit came in mid-reset
            return Outcome("timeout")
        except KeyboardInterrupt:  # Ctrl-C in mid-reset: the REPL, as after any program
            return Outcome("ok")


def run_main_once(board: Board) -> Outcome:
    """Run main.py once if the filesystem has one."""
    source = board.files.get(MAIN)
    if source is None:
        return Outcome("ok")
    namespace = user_namespace(board)
    builtins = namespace["__builtins__"]
    spec = board.spec
    board.serial.interrupt_char = 3
    error: BaseException | None = None
    try:
        room = spec.heap_free_at_start if heapmodel.compiling_checked(spec) else None
        code = compiler.compile_user(source, spec.main_source_name, spec, room=room)
        executor.run_code(code, namespace, spec)
    except BaseException as exc:  # noqa: BLE001 - every user error is reported, not raised
        error = exc
    finally:
        board.serial.interrupt_char = -1
        display = board.parts.get("display")
        if display is not None:
            try:
                display.flush()  # the program's last drawing, still waiting for its refresh
            except (TimeUp, KeyboardInterrupt):  # the limit or Ctrl-C landing just here
                pass
    outcome = outcome_of(board, error)
    namespace["__builtins__"] = builtins  # for the REPL, which takes them out at once
    outcome.namespace = namespace
    return outcome


def outcome_of(board: Board, error: BaseException | None) -> Outcome:
    """How the run ended, reporting an uncaught error as the firmware does."""
    if error is None:
        return Outcome("ok")
    if isinstance(error, TimeUp):
        return Outcome("timeout")
    if isinstance(error, ResetRequested | StopRequested):
        raise error
    from ubit.sim.micropython.api.core import Panic  # only raised once the API is imported

    if isinstance(error, Panic):
        from ubit.sim.micropython import errorled

        errorled.show_panic(board, error.code)  # runs until the time limit
        return Outcome("panic", f"panic({error.code})")
    if isinstance(error, SystemExit) and len(error.args) == 2 and error.args[0] is None \
            and isinstance(error.args[1], BaseException):
        # a run_every callback failed: V2's main.c unwraps SystemExit(None, exc) (ref §1.3)
        return report_error(board, error.args[1])
    if isinstance(error, SystemExit):
        if board.spec.systemexit_traceback:  # 1.9.2 prints it (firmware-v1-observed.md)
            board.serial.write_text(compiler.stray_bytes(
                tracebacks.format_traceback(error, board.spec)))
        return Outcome("ok")
    return report_error(board, error)


def report_error(board: Board, exc: BaseException) -> Outcome:
    """Print the traceback on serial and show the error on the LEDs (not for Ctrl-C)."""
    spec = board.spec
    if os.environ.get("UBIT_SIM_DEBUG"):  # the emulation's own view, for ubit developers
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, MemoryError) and not exc.args and _raised_by_cpython(exc):
        # CPython ran out (the board's 1 GB cap): say it in the firmware's words
        exc = MemoryError("memory allocation failed").with_traceback(exc.__traceback__)
    # names with bytes that weren't UTF-8 are printed with those bytes, as on the device
    board.serial.write_text(compiler.stray_bytes(tracebacks.format_traceback(exc, spec)))
    line = compiler.stray_bytes(tracebacks.exception_line(exc, spec))
    if not isinstance(exc, KeyboardInterrupt):
        board.serial.interrupt_char = 3  # Ctrl-C stops the long scroll, as on the device
        try:
            from ubit.sim.micropython import errorled

            errorled.show_error(board, compiler.stray_bytes(tracebacks.led_text(exc, spec)))
        except (KeyboardInterrupt, TimeUp):
            pass
        except MemoryError:  # the program used all the memory: no LEDs, the traceback is out
            pass
        finally:
            board.serial.interrupt_char = -1
    return Outcome("error", line)


def _raised_by_cpython(exc: BaseException) -> bool:
    """Whether ``exc`` came from the interpreter, not from a ``raise`` in user code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return True
    code = tb.tb_frame.f_code.co_code
    import opcode  # only for a MemoryError: not every board's start-up

    return code[tb.tb_lasti] != opcode.opmap["RAISE_VARARGS"]


class Watchdog:
    """Ends a run whose time limit passes while the program spins without touching the clock.

    In virtual time a loop like ``while True: pass`` never moves the clock; once
    it has spun for as long, in wall time, as the virtual time left, it is
    stopped with TimeUp raised in its thread.
    """

    def __init__(self, board: Board) -> None:
        self.board = board
        self.done = threading.Event()
        self.fired = False
        self.lock = threading.Lock()  # firing and stopping never cross
        self.thread = threading.Thread(target=self._watch, name="watchdog", daemon=True)

    def start(self) -> Watchdog:
        """Start watching (only useful with a time limit in virtual time)."""
        clock = self.board.clock
        if clock.virtual and clock.limit_us is not None:
            self.thread.start()
        return self

    def _watch(self) -> None:
        clock = self.board.clock
        while not self.done.wait(0.05):
            left_s = ((clock.limit_us or 0) - clock.now_us()) / 1e6
            if time.monotonic() - clock.last_advance > max(left_s, 0.05):
                with self.lock:
                    if not self.done.is_set():
                        self.fired = True
                        raise_in_main_thread(TimeUp)
                return

    def stop(self) -> None:
        """Stop watching (in the program's thread, once the program has ended).

        A TimeUp fired as the program was ending and not raised yet is taken back: the
        program's own outcome stands. The caller must still catch a TimeUp raised while
        this runs (``firmware.main`` does).
        """
        with self.lock:
            self.done.set()
            if self.fired:
                clear_pending_in_main_thread()

