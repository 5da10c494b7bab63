"""Tracebacks as MicroPython prints them: only the user's frames, its format and words.
"""

from __future__ import annotations

import ast
import os
import warnings
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

from ubit.sim.micropython import mperrors
from ubit.sim.shared.boards import BoardSpec

if TYPE_CHECKING:
    pass

LAUNCHER_FILE = "<string>"  # the board process's ``python -c`` line (``ubit.sim.host.handle``)


def is_user_file(filename: str) -> bool:
    """Whether a code object's file name is one of the user's (flat names, no folders)."""
    return (os.sep not in filename and "/" not in filename
            and not filename.startswith("<frozen") and filename != LAUNCHER_FILE)


# ---------------------------------------------------------------------------------------
# Tracebacks


def user_frames(tb: TracebackType | None,
                exc: BaseException | None = None) -> list[tuple[str, int, str]]:
    """(file, line, function) of each traceback entry the firmware prints, outermost first.

    MicroPython adds an entry each time an exception is raised again inside a frame:
    leaving a ``finally`` or ``with`` block, passing an ``except`` that doesn't match,
    a bare ``raise``, the end of an ``except ... as`` block. Those are rebuilt from
    the user's source around each line CPython's traceback names.
    """
    groups: list[tuple[FrameType, list[int]]] = []
    while tb is not None:
        frame = tb.tb_frame
        if is_user_file(frame.f_code.co_filename):
            if groups and groups[-1][0] is frame:
                groups[-1][1].append(tb.tb_lineno)
            else:
                groups.append((frame, [tb.tb_lineno]))
        tb = tb.tb_next
    frames = []
    for frame, lines in groups:
        code = frame.f_code
        try:
            mp_lines = _reraise_lines(frame, lines[-1], type(exc) if exc is not None else None)
        except Exception:  # noqa: BLE001 - source we can't follow: CPython's entries
            mp_lines = lines
        frames += [(code.co_filename, line, code.co_name) for line in mp_lines]
    return frames


_TREES: dict[str, tuple[list[str], ast.AST]] = {}


def _tree_of(filename: str) -> ast.AST | None:
    """The parsed source of user file ``filename`` (cached while its text is the same)."""
    lines = mperrors.source_lines(filename)
    if not lines:
        return None
    cached = _TREES.get(filename)
    if cached is None or cached[0] is not lines:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cached = _TREES[filename] = (lines, ast.parse("\n".join(lines)))
    return cached[1]


def _reraise_lines(frame: FrameType, line: int, exc_type: type | None) -> list[int]:
    """The firmware's entries for one frame whose exception was raised at ``line``."""
    tree = _tree_of(frame.f_code.co_filename)
    if tree is None:
        return [line]
    path = _statement_path(tree, line, frame.f_code.co_name)
    entries = [line]
    for parent, child in zip(path[-2::-1], path[:0:-1], strict=True):
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            entries.append(_last_line(parent.body))
        elif isinstance(parent, ast.Try):
            if child in parent.body and parent.handlers:
                handler = _matching_handler(parent.handlers, frame, exc_type)
                if handler is None:
                    entries.append(_last_line(parent.handlers[-1].body))
                else:
                    again = _reraise_in(handler)
                    if again is None:
                        return entries[::-1]  # caught here (printed by sys.print_exception)
                    entries.append(again)
                    if handler.name:  # the hidden finally that deletes the name
                        entries.append(_last_line(handler.body))
            elif any(child in handler.body for handler in parent.handlers):
                handler = next(h for h in parent.handlers if child in h.body)
                if handler.name:
                    entries.append(_last_line(handler.body))
            if parent.finalbody and child not in parent.finalbody:
                entries.append(_last_line(parent.finalbody))
    return entries[::-1]


def _statement_path(tree: ast.AST, line: int, function: str) -> list[ast.AST]:
    """Nodes from the function (or module) named ``function`` down to the statement at ``line``.

    Only statements and except handlers are on the path; it doesn't enter nested
    functions or classes other than the one named.
    """
    path: list[ast.AST] = [tree]
    node: ast.AST = tree
    while True:
        for child in _children(node):
            start, end = child.lineno, child.end_lineno or child.lineno  # type: ignore[attr-defined]
            if not start <= line <= end:
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if child.name != function and not _holds_function(child, function):
                    continue  # the line is in the def's header, part of the outer frame
                if child.name == function:
                    path = [child]
                    node = child
                    break
            path.append(child)
            node = child
            break
        else:
            return path


def _children(node: ast.AST) -> list[ast.AST]:
    """Statement-level children of ``node`` (bodies and except handlers), in source order."""
    found: list[ast.AST] = []
    for field in ("body", "handlers", "orelse", "finalbody"):
        value = getattr(node, field, None)
        if isinstance(value, list):
            found += [item for item in value if isinstance(item, (ast.stmt, ast.excepthandler))]
    return found


def _holds_function(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and
               n.name == name for n in ast.walk(node) if n is not node)


def _last_line(body: list[ast.stmt]) -> int:
    """The line of the statement the firmware compiles last in ``body``."""
    node: ast.AST = body[-1]
    while True:
        if isinstance(node, ast.Try):
            nested = node.finalbody or node.orelse or (node.handlers[-1].body if node.handlers
                                                       else node.body)
        elif isinstance(node, (ast.If, ast.For, ast.While, ast.AsyncFor)):
            nested = node.orelse or node.body
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            nested = node.body
        else:
            return node.lineno  # type: ignore[attr-defined]
        node = nested[-1]


def _matching_handler(handlers: list[ast.ExceptHandler], frame: FrameType,
                      exc_type: type | None) -> ast.ExceptHandler | None:
    """The handler that catches ``exc_type``, as far as its type expression can be read."""
    for handler in handlers:
        if handler.type is None:
            return handler
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for kind in kinds:
            value = mperrors.value_of(kind, frame)
            if exc_type is not None and isinstance(value, type) and issubclass(exc_type, value):
                return handler
    return None


def _reraise_in(handler: ast.ExceptHandler) -> int | None:
    """The line of a ``raise`` (bare, or of the caught name) in ``handler``'s own code."""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise) and (
                node.exc is None or (isinstance(node.exc, ast.Name) and
                                     node.exc.id == handler.name)):
            return node.lineno
    return None


def format_traceback(exc: BaseException, spec: BoardSpec) -> str:
    """The traceback text MicroPython prints for ``exc`` (ends with a newline)."""
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{name}", line {line}, in {func}'
              for name, line, func in user_frames(exc.__traceback__, exc)]
    if isinstance(exc, SyntaxError) and exc.filename and is_user_file(exc.filename):
        scope = getattr(exc, "mp_scope", None)
        lines.append(f'  File "{exc.filename}", line {exc.lineno}'
                     + (f", in {scope}" if scope else ""))
    lines.append(exception_line(exc, spec))
    return "\n".join(lines) + "\n"


def exception_line(exc: BaseException, spec: BoardSpec) -> str:
    """``Type: message`` as MicroPython prints an exception (note ``Type: `` with no args)."""
    return f"{mperrors.type_name(exc)}: {mperrors.message(exc, spec)}"


def led_text(exc: BaseException, spec: BoardSpec) -> str:
    """What the display scrolls after an uncaught error: ``line N Type message``."""
    frames = user_frames(exc.__traceback__, exc)
    line = exc.lineno if isinstance(exc, SyntaxError) else (frames[-1][1] if frames else None)
    text = f"line {line} " if line is not None else ""
    if mperrors.is_native(exc):
        text += mperrors.type_name(exc) + " "
        if exc.args:
            text += mperrors.message(exc, spec, first_arg_only=True)
    return text
