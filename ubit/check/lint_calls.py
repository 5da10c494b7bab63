"""Calls of built-in functions that the firmware takes differently from CPython.

Each was seen on the real V1 firmware under QEMU and read in the MicroPython sources
(1.9.2 for V1, 1.18 for V2): keyword arguments to a built-in that takes none
(``int('101', base=2)``: the board stops with a TypeError), ``print(..., file=f)`` (no
``file`` on either board: the V1 prints to serial and leaves the file empty, the V2 stops)
and ``enumerate(items, start=1)`` on a V1 (the keyword is ignored: it counts from 0).
Only names the program doesn't bind itself are looked at, so a finding is never a guess.
"""

from __future__ import annotations

import ast

from ubit.check.astnodes import every_node
from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.lint_api import rebound_names
from ubit.sim.shared.builtin_types import NO_KEYWORDS


def call_findings(name: str, tree: ast.Module, boards: tuple[str, ...]) -> list[Finding]:
    """The built-in calls in ``tree`` that ``boards`` take otherwise than CPython."""
    own = rebound_names(tree) | _imported_names(tree)
    found = []
    for node in every_node(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or \
                not node.keywords or node.func.id in own:
            continue
        where = (name, node.lineno, node.col_offset + 1)
        function = node.func.id
        if function in NO_KEYWORDS:
            words = ", ".join(f"{k.arg}=" for k in node.keywords if k.arg)
            found.append(Finding(*where, ERROR, "keywords",
                                 f"{function}() takes no keyword arguments on the micro:bit "
                                 f"({words or '**'}): give the values in order instead"))
        elif function == "print" and any(k.arg == "file" for k in node.keywords):
            found.append(Finding(*where, WARNING, "print-file",
                                 "print(..., file=...) prints to serial on micro:bit V1: the "
                                 "file stays empty; write to it with f.write(...)", "v1"))
            found.append(Finding(*where, ERROR, "print-file",
                                 "print() has no file= on micro:bit V2; write to the file "
                                 "with f.write(...)", "v2"))
        elif function == "enumerate" and any(k.arg == "start" for k in node.keywords):
            found.append(Finding(*where, WARNING, "enumerate-start",
                                 "enumerate() ignores start= on micro:bit V1 and counts from 0; "
                                 "give the start in order: enumerate(items, 1)", "v1"))
    return [f for f in found if f.board == "both" or f.board in boards]


def _imported_names(tree: ast.Module) -> set[str]:
    """The names the program's imports bind (``from mymath import round``)."""
    names: set[str] = set()
    for node in every_node(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names
