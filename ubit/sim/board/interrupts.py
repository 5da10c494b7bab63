"""What reaches the program's thread from elsewhere: reset, stop, and the means to raise them."""

from __future__ import annotations

import threading


class ResetRequested(BaseException):
    """The reset button, or ``reset()``: the board restarts and main.py runs again."""


class StopRequested(BaseException):
    """The host stopped the board: the program ends at once (exit status ``stopped``)."""


def raise_in_main_thread(exc_type: type[BaseException]) -> None:
    """Raise ``exc_type`` in the program's thread at its next bytecode.

    Used for what the firmware does from interrupts: the reset button, and the
    end of a run's time limit while the program spins without calling the board.
    """
    import ctypes  # imported here: every board would otherwise pay for it at start

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(threading.main_thread().ident), ctypes.py_object(exc_type))


def clear_pending_in_main_thread() -> None:
    """Take back an exception ``raise_in_main_thread`` set that hasn't been raised yet."""
    import ctypes

    # a NULL exception clears the thread's pending one (the C API's documented meaning)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(threading.main_thread().ident), None)
