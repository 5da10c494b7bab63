"""Syntax the boards refuse: MicroPython's compilers, and ubit's rules where the firmware differs.

Which compiler says what (see ``compilers.py``):

* V1: mpy-cross 1.9.2, the core of micro:bit MicroPython 1.1.1. The firmware is built
  without ``async``/``await`` (firmware-v2-observed/100: "invalid syntax" on V1), which
  mpy-cross 1.9.2 accepts, so a ubit rule refuses them on V1.
* V2: mpy-cross 1.18, the core of 2.1.2. That mpy-cross is built with f-strings, the
  firmware without (firmware-v2-observed/100: every ``f"..."`` is "SyntaxError: invalid
  syntax" on V2; V1 says "cannot mix bytes and nonbytes literals"), so a ubit rule
  reports each f-string on both boards and the compilers are given the program with
  every ``f`` prefix taken out (same length, so lines stay put).

mpy-cross gives only a line. The column is CPython's when CPython finds its error on the
same line, else the line's first character. Without a compiler binary (a machine with no
wheel for it) CPython's parser and the rules in ``fallback_rules`` stand in for it.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator

from ubit.check.astnodes import every_node
from ubit.check.compilers import CompileError
from ubit.check.findings import ERROR, Finding
from ubit.sim.shared.v1lines import line_after_statement

# MicroPython's messages (both releases' wordings), in a beginner's words.
EXPLAIN = {
    "invalid syntax": "the micro:bit can't read this line; look for a missing bracket, "
                      "colon, comma or quote here or on the line before",
    "unexpected indent": "this line is indented more than the code around it; line it up "
                         "with the line before",
    "unindent doesn't match any outer indentation level":
        "this line's indentation doesn't line up with any line above it; use the same "
        "number of spaces as the block it belongs to",
    "unindent does not match any outer indentation level":
        "this line's indentation doesn't line up with any line above it; use the same "
        "number of spaces as the block it belongs to",
    "'return' outside function": "return can only be used inside a function (a def)",
    "'yield' outside function": "yield can only be used inside a function (a def)",
    "'break' outside loop": "break can only be used inside a for or while loop",
    "'continue' outside loop": "continue can only be used inside a for or while loop",
    "'break'/'continue' outside loop":
        "break and continue can only be used inside a for or while loop",
    "can't assign to expression": "the left of = must be a name to store into, like x = 5",
    "can't assign to literal": "the left of = must be a name to store into, like x = 5",
    "can't delete expression": "del needs a name, an item (a[0]) or an attribute",
    "name reused for argument": "two parameters of this function have the same name",
    "argument name reused": "two parameters of this function have the same name",
    "can't have multiple *x": "a call can have only one *list on the micro:bit",
    "can't have multiple **x": "a call can have only one **dict on the micro:bit",
    "identifier redefined as global": "say global before the name is used in the function",
    "can't declare nonlocal in outer code": "nonlocal can only be used inside a function",
    "non-default argument follows default argument":
        "parameters with a default value must come after those without one",
    "positional arg after keyword arg":
        "arguments with a name= must come after those without one",
}
FSTRING = ("f-strings don't work on the micro:bit (its MicroPython has none); "
           "use str(), + or '{}'.format(...) instead")


def explain(message: str) -> str:
    """MicroPython's message followed by what it means, when we know."""
    if message.startswith("invalid syntax for "):  # "... for integer with base 8" and kin
        return f"{message}: this number isn't written the way Python expects"
    words = EXPLAIN.get(message)
    return f"{message}: {words}" if words else message


def fstring_starts(source: str) -> list[tuple[int, int]]:
    """(line, 0-based column) of each f-string's first character, outermost ones only."""
    starts = []
    try:
        depth = 0
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            kind = tokenize.tok_name[tok.type]
            if kind == "FSTRING_START":  # Python 3.12+: f-strings are tokens of their own
                if depth == 0:
                    starts.append(tok.start)
                depth += 1
            elif kind == "FSTRING_END":
                depth -= 1
            elif tok.type == tokenize.STRING and "f" in _prefix(tok.string).lower():
                starts.append(tok.start)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # a broken file: the compiler reports it; the f-strings found so far stand
    return starts


def _prefix(literal: str) -> str:
    quote = min((i for i in (literal.find("'"), literal.find('"')) if i >= 0), default=0)
    return literal[:quote]


def without_fstrings(source: str, starts: list[tuple[int, int]]) -> str:
    """``source`` with the ``f`` taken out of each f-string's prefix (a space put first)."""
    if not starts:
        return source
    lines = source.splitlines(keepends=True)
    for line, col in starts:
        text = lines[line - 1]
        end = col
        while end < len(text) and text[end] not in "'\"":
            end += 1
        prefix = text[col:end]
        plain = prefix.replace("f", "").replace("F", "")
        lines[line - 1] = text[:col] + " " * (len(prefix) - len(plain)) + plain + text[end:]
    return "".join(lines)


def cpython_error(source: str, filename: str) -> SyntaxError | None:
    """CPython's syntax error in ``source`` (it gives a column), or None."""
    try:
        compile(source, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError are SyntaxErrors
        return exc
    except ValueError:  # a NUL byte
        return SyntaxError("source code cannot contain null bytes", (filename, 1, 1, ""))
    except (RecursionError, MemoryError):  # nested past CPython's parser: the firmware's
        return None  # compiler (mpy-cross) still judges it
    return None


def first_column(source: str, line: int) -> int:
    """1-based column of the first non-blank character of ``line``."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return 1
    text = lines[line - 1]
    return len(text) - len(text.lstrip()) + 1


def compiler_finding(name: str, source: str, error: CompileError, board: str,
                     cpython: SyntaxError | None) -> Finding:
    """A finding for MicroPython's compile error, placed with CPython's column if it agrees."""
    col = first_column(source, error.line)
    hint = ""
    if error.kind == "IndentationError":
        cpython = None  # CPython puts its column at the line's end; the indent is the point
    if cpython is not None and cpython.lineno == error.line and cpython.offset:
        col = cpython.offset
    if cpython is not None and cpython.lineno and cpython.msg and \
            error.line - 3 <= cpython.lineno <= error.line and \
            cpython.msg not in ("invalid syntax", error.message):
        where = "" if cpython.lineno == error.line else f", line {cpython.lineno}"
        hint = f" (Python's hint: {cpython.msg}{where})"
    if board == "v1" and error.message in ("'break' outside loop", "'continue' outside loop"):
        named = line_after_statement(source, error.line)
        if named != error.line:  # marked where the mistake is, the device's words beside it
            hint += f" (the V1 reports it on line {named}, the statement after it)"
    return Finding(name, error.line, col, ERROR, "syntax",
                   f"{error.kind}: {explain(error.message)}{hint}", board)


def cpython_finding(name: str, error: SyntaxError, board: str) -> Finding:
    """A finding for a syntax error found by CPython's parser (no compiler here)."""
    kind = type(error).__name__
    message = error.msg
    if message.startswith("invalid syntax"):
        message = "invalid syntax"
    return Finding(name, error.lineno or 1, error.offset or 1, ERROR, "syntax",
                   f"{kind}: {explain(message)}", board)


def fstring_findings(name: str, starts: list[tuple[int, int]]) -> list[Finding]:
    """One error per f-string (the firmware of both boards refuses them)."""
    return [Finding(name, line, col + 1, ERROR, "f-string", FSTRING) for line, col in starts]


def rule_findings(name: str, tree: ast.AST, boards: tuple[str, ...],
                  fallback: tuple[str, ...]) -> list[Finding]:
    """Syntax MicroPython refuses but CPython accepts: always ``async`` on V1; the rest only
    for boards in ``fallback`` (no compiler binary, so CPython's parser stood in for it)."""
    found = []
    for node, board, message in _refused(tree):
        if board in boards and (board in fallback or node_rule_always(node, board)):
            found.append(Finding(name, node.lineno, node.col_offset + 1, ERROR, "syntax",
                                 message, board))
    return found


def node_rule_always(node: ast.AST, board: str) -> bool:
    """True for the rules that hold even with the compiler (the firmware differs from it)."""
    return board == "v1" and isinstance(node, (ast.AsyncFunctionDef, ast.AsyncFor,
                                                ast.AsyncWith, ast.Await))


def _refused(tree: ast.AST) -> Iterator[tuple[ast.AST, str, str]]:
    # What each firmware said in firmware-v2-observed/100_syntax_v2_features and 099.
    for node in every_node(tree):
        if isinstance(node, (ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith, ast.Await)):
            yield node, "v1", "SyntaxError: invalid syntax: async and await don't exist " \
                              "in the micro:bit V1's MicroPython"
        elif isinstance(node, ast.NamedExpr):
            yield node, "v1", "SyntaxError: invalid syntax: := (the walrus) doesn't exist " \
                              "in the micro:bit V1's MicroPython; assign on a line of its own"
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)) and node.args.posonlyargs:
            for board in ("v1", "v2"):
                yield node, board, "SyntaxError: invalid syntax: the / marker for " \
                                   "positional-only parameters doesn't exist in MicroPython"
        elif isinstance(node, ast.Dict) and None in node.keys:
            for board in ("v1", "v2"):
                yield node, board, "SyntaxError: invalid syntax: {**d} doesn't exist in " \
                                   "MicroPython; copy the dict and use .update()"
        elif isinstance(node, ast.Call) and \
                sum(isinstance(arg, ast.Starred) for arg in node.args) > 1:
            for board in ("v1", "v2"):
                yield node, board, "SyntaxError: " + explain("can't have multiple *x")


def number_findings(name: str, source: str) -> list[Finding]:
    """``1_000`` on V1 (mpy-cross 1.9.2 and the V1 firmware refuse it; 099 and 100)."""
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NUMBER and "_" in tok.string:
                found.append(Finding(name, tok.start[0], tok.start[1] + 1, ERROR, "syntax",
                                     "SyntaxError: invalid syntax: the micro:bit V1 doesn't "
                                     "allow _ inside numbers; write 1000000, not 1_000_000",
                                     "v1"))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
