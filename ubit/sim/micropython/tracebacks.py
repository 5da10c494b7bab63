"""Tracebacks as MicroPython prints them: only the user's frames, its format and words.
"""

from __future__ import annotations

import ast
import os
import warnings
from opcode import opmap
from types import CodeType, FrameType, TracebackType

from ubit.sim.micropython import mperrors
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    pass

LAUNCHER_FILE = "<string>"  # the board process's ``python -c`` line (``ubit.sim.host.handle``)
# The file name of code run by exec() and eval(): the firmware's ``<string>``, spelled
# apart from the launcher's so its frames count as the user's (firmware-v2-observed 093).
EXEC_FILE = "<exec>"


def shown_name(filename: str) -> str:
    """A user file's name as the firmware prints it in a traceback."""
    return "<string>" if filename == EXEC_FILE else filename


def is_user_file(filename: str) -> bool:
    """Whether a code object's file name is one of the user's (flat names, no folders)."""
    return (os.sep not in filename and "/" not in filename
            and not filename.startswith("<frozen") and filename != LAUNCHER_FILE)


# ---------------------------------------------------------------------------------------
# Tracebacks


def user_frames(tb: TracebackType | None, exc: BaseException | None = None,
                spec: BoardSpec | None = None) -> list[tuple[str, int, str]]:
    """(file, line, function) of each traceback entry the firmware prints, outermost first.

    MicroPython 1.9 (V1) adds an entry each time an exception is raised again inside a
    frame: leaving a ``finally`` or ``with`` block, passing an ``except`` that doesn't
    match, a bare ``raise``, the end of an ``except ... as`` block. Those are rebuilt from
    the user's source around each line CPython's traceback names. MicroPython 1.18 (V2)
    adds none for END_FINALLY and a bare ``raise`` (``py/vm.c``: "exceptions re-raised by
    END_FINALLY" and "re-raised explicitly by raise" keep their traceback), only for
    ``raise e`` (firmware-v2-observed 081, 092, 171).
    """
    again_too = spec is None or spec.grammar_1_9
    groups: list[tuple[FrameType, list[int]]] = []
    last_op: list[int] = []  # where each group's frame was when the exception left it
    while tb is not None:
        frame = tb.tb_frame
        if is_user_file(frame.f_code.co_filename):
            if groups and groups[-1][0] is frame:
                groups[-1][1].append(tb.tb_lineno)
                last_op[-1] = tb.tb_lasti
            else:
                groups.append((frame, [tb.tb_lineno]))
                last_op.append(tb.tb_lasti)
        tb = tb.tb_next
    frames = []
    for at, (frame, lines) in enumerate(groups):
        code = frame.f_code
        try:
            mp_lines = _reraise_lines(frame, lines[-1], type(exc) if exc is not None else None,
                                      again_too)
            if at + 1 < len(groups) and groups[at + 1][0].f_code.co_name == "__exit__":
                mp_lines[-1] = _exit_call_line(frame, mp_lines[-1])
        except Exception:  # noqa: BLE001 - source we can't follow: CPython's entries
            mp_lines = lines
        frames += [(code.co_filename, line, code.co_name) for line in mp_lines]
        comprehension = _iterating_for(code, last_op[at])
        if comprehension is not None:  # the firmware's comprehension takes its iter() inside
            frames.append((code.co_filename, lines[-1], comprehension))
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


_COMPREHENSIONS = frozenset({"<listcomp>", "<setcomp>", "<dictcomp>"})


def _iterating_for(code: CodeType, offset: int) -> str | None:
    """The comprehension (``<listcomp>``…) whose iterable the instruction at ``offset`` of
    ``code`` was turning into an iterator, if it was: MicroPython calls ``iter()`` on a
    list, set or dict comprehension's iterable inside the comprehension, so an error there
    has a frame of its own (``py/compile.c`` compile_comprehension; firmware-v2-observed
    142); a generator expression's stays in the caller, as in CPython."""
    ops = code.co_code
    if not 0 <= offset < len(ops) - 2 or ops[offset] != _GET_ITER or \
            ops[offset + 2] != _PRECALL or ops[offset + 3] != 0:
        return None
    import dis  # only for an error there: every board would pay for its import

    made = None
    for instruction in dis.get_instructions(code):
        if instruction.offset >= offset:
            break
        value = instruction.argval
        if instruction.opname == "LOAD_CONST" and isinstance(value, CodeType):
            made = value.co_name
    return made if made in _COMPREHENSIONS else None


_GET_ITER = opmap["GET_ITER"]
_PRECALL = opmap.get("PRECALL", -1)  # CPython 3.11's call sequence


def _exit_call_line(frame: FrameType, line: int) -> int:
    """The line of a ``with`` statement's ``__exit__`` call: the firmware compiles the
    cleanup after the body, so it carries the body's last line (V1 probe 092)."""
    tree = _tree_of(frame.f_code.co_filename)
    if tree is None:
        return line
    statement = _statement_path(tree, line, frame.f_code.co_name)[-1]
    if isinstance(statement, (ast.With, ast.AsyncWith)) and statement.lineno == line:
        return _last_line(statement.body)
    return line


def _reraise_lines(frame: FrameType, line: int, exc_type: type | None,
                   again_too: bool = True) -> list[int]:
    """The firmware's entries for one frame whose exception was raised at ``line``
    (``again_too``: with the entries of END_FINALLY and bare ``raise``, as on 1.9)."""
    tree = _tree_of(frame.f_code.co_filename)
    if tree is None:
        return [line]
    path = _statement_path(tree, line, frame.f_code.co_name)
    entries = [line]
    for parent, child in zip(path[-2::-1], path[:0:-1], strict=True):
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            if again_too:
                entries.append(_last_line(parent.body))
        elif isinstance(parent, ast.Try):
            if child in parent.body and parent.handlers:
                handler = _matching_handler(parent.handlers, frame, exc_type)
                if handler is None:
                    if again_too:
                        entries.append(_last_line(parent.handlers[-1].body))
                else:
                    again = _reraise_in(handler)
                    if again is None:
                        return entries[::-1]  # caught here (printed by sys.print_exception)
                    if again_too or again[1]:
                        entries.append(again[0])
                    if handler.name and again_too:  # the hidden finally that deletes the name
                        entries.append(_last_line(handler.body))
            elif isinstance(child, ast.ExceptHandler):  # raised in the handler's own code
                if child.name and again_too:
                    entries.append(_last_line(child.body))
            if parent.finalbody and child not in parent.finalbody and again_too:
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


def _reraise_in(handler: ast.ExceptHandler) -> tuple[int, bool] | None:
    """The line of a ``raise`` (bare, or of the caught name) in ``handler``'s own code,
    and whether it names the exception (``raise e``)."""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise) and (
                node.exc is None or (isinstance(node.exc, ast.Name) and
                                     node.exc.id == handler.name)):
            return node.lineno, node.exc is not None
    return None


def format_traceback(exc: BaseException, spec: BoardSpec) -> str:
    """The traceback text MicroPython prints for ``exc`` (ends with a newline)."""
    lines = [f'  File "{shown_name(name)}", line {line}, in {func}'
             for name, line, func in user_frames(exc.__traceback__, exc, spec)]
    if isinstance(exc, SyntaxError) and exc.filename and is_user_file(exc.filename):
        scope = getattr(exc, "mp_scope", None)
        lines.append(f'  File "{shown_name(exc.filename)}", line {exc.lineno}'
                     + (f", in {scope}" if scope else ""))
    if lines:  # py/obj.c mp_obj_print_exception: no frames (compiling ran out), no heading
        lines.insert(0, "Traceback (most recent call last):")
    lines.append(exception_line(exc, spec))
    return "\n".join(lines) + "\n"


def exception_line(exc: BaseException, spec: BoardSpec) -> str:
    """``Type: message`` as MicroPython prints an exception (note ``Type: `` with no args)."""
    return f"{mperrors.type_name(exc)}: {mperrors.message(exc, spec)}"


def led_text(exc: BaseException, spec: BoardSpec) -> str:
    """What the display scrolls after an uncaught error: ``line N Type message``."""
    frames = user_frames(exc.__traceback__, exc, spec)
    line = exc.lineno if isinstance(exc, SyntaxError) else (frames[-1][1] if frames else None)
    text = f"line {line} " if line is not None else ""
    if mperrors.is_native(exc):
        text += mperrors.type_name(exc) + " "
        if exc.args:
            text += mperrors.message(exc, spec, first_arg_only=True)
    return text
