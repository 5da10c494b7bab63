"""Compiling and running user code, and reporting its errors the way MicroPython does.

User code is ordinary CPython byte-code; what a user sees of it is made
MicroPython's here: syntax the firmware lacks is refused, and tracebacks show
only the user's frames, in the firmware's format and wording.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from types import CodeType, TracebackType

from ubit.sim.boards import BoardSpec
from ubit.sim.runtime import mperrors

REPL_SOURCE = "<stdin>"
_FSTRING_HINT = re.compile(r"(?<![\w])[rRbB]?[fF][rRbB]?['\"]")


def is_user_file(filename: str) -> bool:
    """Whether a code object's file name is one of the user's (flat names, no folders)."""
    return os.sep not in filename and "/" not in filename and not filename.startswith("<frozen")


def compile_user(source: bytes | str, filename: str, spec: BoardSpec,
                 mode: str = "exec") -> CodeType:
    """Compile user source as the firmware would accept it (SyntaxError otherwise)."""
    if isinstance(source, bytes):
        source = source.decode("utf-8", "surrogateescape")
    code = compile(source, filename, mode, dont_inherit=True)
    if _FSTRING_HINT.search(source):
        _refuse_missing_syntax(source, filename)
    return code


def _refuse_missing_syntax(source: str, filename: str) -> None:
    """f-strings don't exist on either release (reference §33): refuse them as the parser would."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.JoinedStr):
            raise SyntaxError("invalid syntax", (filename, node.lineno, 0, ""))


def user_frames(tb: TracebackType | None) -> list[tuple[str, int, str]]:
    """(file, line, function) of each user frame in a traceback, outermost first."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_user_file(code.co_filename):
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames


def format_traceback(exc: BaseException, spec: BoardSpec) -> str:
    """The traceback text MicroPython prints for ``exc`` (ends with a newline)."""
    lines = ["Traceback (most recent call last):"]
    if isinstance(exc, SyntaxError) and exc.filename and is_user_file(exc.filename):
        lines += [f'  File "{name}", line {line}, in {func}'
                  for name, line, func in user_frames(exc.__traceback__)]
        lines.append(f'  File "{exc.filename}", line {exc.lineno}')
    else:
        lines += [f'  File "{name}", line {line}, in {func}'
                  for name, line, func in user_frames(exc.__traceback__)]
    lines.append(exception_line(exc, spec))
    return "\n".join(lines) + "\n"


def exception_line(exc: BaseException, spec: BoardSpec) -> str:
    """``Type: message`` as MicroPython prints an exception (note ``Type: `` with no args)."""
    return f"{mperrors.type_name(exc)}: {mperrors.message(exc, spec)}"


def led_text(exc: BaseException, spec: BoardSpec) -> str:
    """What the display scrolls after an uncaught error: ``line N Type message``."""
    frames = user_frames(exc.__traceback__)
    line = exc.lineno if isinstance(exc, SyntaxError) else (frames[-1][1] if frames else None)
    text = f"line {line} " if line is not None else ""
    if mperrors.is_native(exc):
        text += mperrors.type_name(exc) + " "
        if exc.args:
            text += mperrors.message(exc, spec, first_arg_only=True)
    return text


# User code runs at least this deep, so that the recursion limit that gives it the
# firmware's call depth still leaves the board's other threads room for their calls.
BASE_DEPTH = 60
MEMORY_ERRORS = (MemoryError,)


def stack_depth() -> int:
    """Frames on the current thread's stack (not counting this function)."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def run_code(code: CodeType, namespace: dict, spec: BoardSpec | None = None) -> None:
    """Execute user code; with ``spec``, with the firmware's call depth (reference §1.1).

    Python frames stand in for the firmware's C stack: user code may nest
    ``spec.max_frames`` calls; the runtime's own functions lift the limit while
    they work (``boundary.api``), so they cost the user one frame each.
    """
    if spec is None:
        exec(code, namespace)
        return
    _deepen(BASE_DEPTH - stack_depth(), code, namespace, spec)


def _deepen(more: int, code: CodeType, namespace: dict, spec: BoardSpec) -> None:
    if more > 0:
        _deepen(more - 1, code, namespace, spec)
        return
    saved = sys.getrecursionlimit()
    # +2: this frame's exec and the module's own frame; +1: the API call at the bottom
    sys.setrecursionlimit(stack_depth() + 2 + spec.max_frames + 1)
    try:
        exec(code, namespace)
    finally:
        sys.setrecursionlimit(saved)


class extra_stack:
    """Lift the recursion limit while the runtime itself works (imports, API calls)."""

    def __init__(self, frames: int = 200) -> None:
        self.frames = frames

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(self.saved + self.frames)

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.saved)
