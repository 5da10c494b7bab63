"""Source the firmware's parser takes and CPython's refuses, made parseable before ``ast.parse``.

MicroPython's grammar (``py/grammar.h``: ``argument: test [comp_for] | '*' test | '**' test
| test '=' test``) puts no order on a call's arguments and lets any argument be a bare
generator expression, and its lexer takes ``_`` anywhere in a number (``py/lexer.c``
gathers letters, digits, ``_`` and ``.``; ``mp_parse_num_*`` skip the underscores). So
``f(**a, *b)`` and ``f(x for x in y, 1)`` compile on both releases and ``1_`` on the V2
(firmware-v2-observed 099; the V1 refuses underscores in numbers, compiler.py). When
CPython's parser refuses one of these, the spot it names is rewritten into CPython's
spelling of the same call or number, without changing any line, and parsed again:
``*b`` moves before the first ``**`` argument, the generator gets parentheses, the
number loses its underscores. Anything else raises CPython's error as before.
"""

from __future__ import annotations

import ast
import re

from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import tokenize

_UNPACK_ORDER = "iterable argument unpacking follows keyword argument unpacking"
_BARE_GENERATOR = "Generator expression must be parenthesized"
_BAD_NUMBER = re.compile(r"^invalid (?:decimal|hexadecimal|octal|binary) literal$")
_NUMBER = re.compile(r"(?<![\w.])(?:\d|\.\d)[\w.]*")
_ATTEMPTS = 20  # fixes per program before giving up (each one spot)


def parse(source: str, filename: str, mode: str, spec: BoardSpec) -> tuple[ast.AST, str]:
    """``ast.parse`` of ``source`` as the firmware's parser would take it: the tree and the
    source it was parsed from (``source`` itself unless a leniency rewrote a spot)."""
    try:
        return ast.parse(source, filename, mode), source
    except SyntaxError as first:
        error = first
        text = source
        for _ in range(_ATTEMPTS):
            fixed = _fix(text, error, spec)
            if fixed is None or fixed == text:
                raise first from None
            text = fixed
            try:
                return ast.parse(text, filename, mode), text
            except SyntaxError as again:
                error = again
        raise first from None


def _fix(source: str, error: SyntaxError, spec: BoardSpec) -> str | None:
    """``source`` with the spot of ``error`` rewritten, or None if it's no leniency."""
    if error.lineno is None or error.offset is None:
        return None
    message = error.msg
    if message == _UNPACK_ORDER:
        return _move_star(source, error.lineno, error.offset - 1)
    if message == _BARE_GENERATOR and error.end_lineno and error.end_offset:
        return _parenthesize(source, (error.lineno, error.offset - 1),
                             (error.end_lineno, error.end_offset - 1))
    if _BAD_NUMBER.match(message) and not spec.grammar_1_9:
        return _drop_underscores(source, error.lineno, error.offset - 1)
    return None


def _index(lines: list[str], row: int, col: int) -> int:
    """The position in the source of (1-based ``row``, 0-based ``col``)."""
    return sum(len(line) for line in lines[:row - 1]) + col


def _parenthesize(source: str, start: tuple[int, int], end: tuple[int, int]) -> str:
    lines = source.splitlines(keepends=True)
    begin, stop = _index(lines, *start), _index(lines, *end)
    return f"{source[:begin]}({source[begin:stop]}){source[stop:]}"


def _drop_underscores(source: str, row: int, col: int) -> str | None:
    lines = source.splitlines(keepends=True)
    if not 0 < row <= len(lines):
        return None
    line = lines[row - 1]
    for number in _NUMBER.finditer(line):
        if number.start() <= col <= number.end() and "_" in number[0]:
            lines[row - 1] = line[:number.start()] + number[0].replace("_", "") + \
                line[number.end():]
            return "".join(lines)
    return None


def _move_star(source: str, row: int, col: int) -> str | None:
    """``f(**a, *b)`` → ``f(*b, **a)``: the ``*`` argument at (row, col) moved before the
    call's first ``**`` argument (both on one line, as they almost always are)."""
    import io
    import tokenize  # only here: the tokenizer isn't on the board's start-up path

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    at = next((i for i, t in enumerate(tokens) if t.start == (row, col) and t.string == "*"),
              None)
    if at is None:
        return None
    end = _argument_end(tokens, at)
    kwargs, comma = _first_double_star(tokens, at)
    if end is None or kwargs is None or comma is None:
        return None
    if len({tokens[kwargs].start[0], tokens[comma].start[0], tokens[end].start[0]}) != 1:
        return None
    line = source.splitlines(keepends=True)[row - 1]
    star = line[tokens[at].start[1]:tokens[end].start[1]].rstrip()
    first, before, after = tokens[kwargs].start[1], tokens[comma].start[1], tokens[end].start[1]
    moved = line[:first] + star + ", " + line[first:before] + line[after:]
    lines = source.splitlines(keepends=True)
    lines[row - 1] = moved
    return "".join(lines)


def _argument_end(tokens: list[tokenize.TokenInfo], at: int) -> int | None:
    """The index of the ``,`` or ``)`` that ends the argument starting at ``at``."""
    depth = 0
    for i in range(at + 1, len(tokens)):
        text = tokens[i].string
        if text in ("(", "[", "{"):
            depth += 1
        elif text in (")", "]", "}"):
            if depth == 0:
                return i
            depth -= 1
        elif text == "," and depth == 0:
            return i
    return None


def _first_double_star(tokens: list[tokenize.TokenInfo], at: int
                       ) -> tuple[int | None, int | None]:
    """The call's first ``**`` argument before ``at`` and the ``,`` just before ``at``."""
    depth, first, comma = 0, None, None
    for i in range(at - 1, -1, -1):
        text = tokens[i].string
        if text in (")", "]", "}"):
            depth += 1
        elif text in ("(", "[", "{"):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if text == "," and comma is None:
                comma = i
            elif text == "**" and tokens[i - 1].string in (",", "("):  # not 2 ** 3
                first = i
    return first, comma
