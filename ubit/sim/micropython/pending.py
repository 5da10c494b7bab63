"""A pending exception, raised in the program where MicroPython 1.18's VM would raise it.

An interrupt handler of the V2 firmware that fails (the display's ticker meeting a list item
that is no image, drv_display.c ``draw_object``) schedules its exception
(``mp_sched_exception``) and wakes the waiting call, which returns normally. The VM raises
the exception at its next pending check, which ``py/vm.c`` (1.18) makes only at jumps
(``DISPATCH_WITH_PEND_EXC_CHECK``: ``JUMP``, ``POP_JUMP_IF_*``, ``JUMP_IF_*_OR_POP``,
``UNWIND_JUMP``, ``POP_EXCEPT_JUMP``). A try body that ends with the call so exits its
``try`` before the exception comes: ``except`` doesn't see it (firmware-v2-observed 149).

Here the program's frames are traced opcode by opcode until one reaches a jump, where the
exception is raised; CPython folds the jump at the end of a try body into the function's
``return None`` when nothing follows, so that return counts too. Tracing costs only from the
failing call to the next jump, and stops there.
"""

from __future__ import annotations

import sys
from types import CodeType, FrameType

from ubit.sim.micropython.tracebacks import LAUNCHER_FILE
from ubit.sim.shared.typenames import Any


def _user(code: CodeType) -> bool:
    """Whether ``code`` is the program's (main.py, exec text, its modules), not the
    emulation's: its files have paths, its launcher line and frozen modules ``<...>`` names)."""
    name = code.co_filename
    return "/" not in name and name != LAUNCHER_FILE and not name.startswith("<frozen")


def _user_caller(frame: FrameType) -> bool:
    """Whether the program runs ``frame`` (called from its code, maybe through the emulation's
    as eval() text is), rather than the emulation running it, as main.py."""
    caller = frame.f_back
    while caller is not None:
        if _user(caller.f_code):
            return True
        caller = caller.f_back
    return False


def _falls_out_of_try(code: CodeType, offset: int) -> bool:
    """Whether the ``return None`` at ``offset`` is where a try body ends (CPython's copy of
    the function's end in place of the jump past the handlers)."""
    import dis

    raw = code.co_code
    if offset < 2 or raw[offset - 2] != dis.opmap["LOAD_CONST"] or \
            code.co_consts[raw[offset - 1]] is not None:
        return False
    parse = getattr(dis, "_parse_exception_table", None)
    return parse is not None and any(entry.end == offset - 2 and entry.depth == 0
                                     for entry in parse(code))


def raise_at_next_jump(error: BaseException) -> None:
    """Raise ``error`` in the program at its next jump (see the module doc)."""
    import dis  # only here: not on the board's start-up path

    jumps = frozenset(dis.hasjrel + dis.hasjabs) - {dis.opmap["FOR_ITER"],
                                                     dis.opmap.get("SEND", -1)}
    returns = dis.opmap["RETURN_VALUE"]
    traced: list[FrameType] = []

    def stop() -> None:
        sys.settrace(None)
        for frame in traced:
            frame.f_trace = None
            frame.f_trace_opcodes = False
        traced.clear()

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "opcode":
            code = frame.f_code
            opcode = code.co_code[frame.f_lasti]
            if opcode in jumps or opcode == returns and _falls_out_of_try(code, frame.f_lasti):
                stop()
                raise error.with_traceback(None)  # its frames from here on, as a raise's
        elif event == "return" and not _user_caller(frame):
            # the program ends before a jump: pyexec's mp_handle_pending raises it then
            stop()
            raise error.with_traceback(None)
        return local

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        if not _user(frame.f_code):
            return None
        traced.append(frame)
        frame.f_trace_opcodes = True
        return local

    frame = sys._getframe(1)
    while frame is not None:
        if _user(frame.f_code):
            traced.append(frame)
            frame.f_trace = local
            frame.f_trace_opcodes = True
        frame = frame.f_back
    sys.settrace(trace)
