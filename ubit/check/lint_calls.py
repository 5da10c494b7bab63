"""Calls of built-in functions that the firmware takes differently from CPython.

Each was seen on the real V1 firmware under QEMU and read in the MicroPython sources
(1.9.2 for V1, 1.18 for V2): keyword arguments to a built-in that takes none
(``int('101', base=2)``: the board stops with a TypeError), ``print(..., file=f)`` (no
``file`` on either board: the V1 prints to serial and leaves the file empty, the V2 stops)
and ``enumerate(items, start=1)`` on a V1 (the keyword is ignored: it counts from 0).
Only names the program doesn't bind itself are looked at, so a finding is never a guess.

Also a micro:bit call that gives several numbers compared with a number
(``accelerometer.get_values() > 300``): the V1 says False whatever the numbers (1.9.2's
tuple and list comparisons answer False for another type, seen under QEMU), the V2 stops
with a TypeError; what was meant is one of them.
"""

from __future__ import annotations

import ast

from ubit.check.astnodes import every_node
from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.lint_api import Ref, imported_refs, lookup, rebound_names, resolve
from ubit.check.lint_stubs import board_modules
from ubit.sim.shared.builtin_types import NO_KEYWORDS


def call_findings(name: str, tree: ast.Module, boards: tuple[str, ...]) -> list[Finding]:
    """The built-in calls in ``tree`` that ``boards`` take otherwise than CPython."""
    own = rebound_names(tree) | _imported_names(tree)
    found = _sequence_comparisons(name, tree, boards)
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


_ORDERING = (ast.Lt, ast.Gt, ast.LtE, ast.GtE)


def _sequence_comparisons(name: str, tree: ast.Module,
                          boards: tuple[str, ...]) -> list[Finding]:
    """``accelerometer.get_values() > 300``: an API call giving a tuple or list ordered
    against a number (V1: False with the number on the right, an error with it on the
    left, as 1.9.2's int comparison refuses a tuple; V2: an error)."""
    modules = frozenset().union(*(board_modules(board) for board in ("v1", "v2")))
    refs = imported_refs(tree, modules)
    if not refs:
        return []
    found = []
    for node in every_node(tree):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1 or \
                not isinstance(node.ops[0], _ORDERING):
            continue
        left, right = node.left, node.comparators[0]
        for call, other in ((left, right), (right, left)):
            ref = resolve(call.func, refs) if isinstance(call, ast.Call) else None
            if ref is not None and _is_number(other) and _gives_several(ref):
                shown = ast.unparse(call)
                silent = call is left and "v1" in boards  # False on V1, not an error
                if not silent:
                    outcome, level, board = "an error on the micro:bit", ERROR, "both"
                elif "v2" in boards:
                    outcome = "always False on micro:bit V1 and an error on V2"
                    level, board = WARNING, "both"
                else:
                    outcome, level, board = "always False on micro:bit V1", WARNING, "v1"
                found.append(Finding(name, node.lineno, node.col_offset + 1, level,
                                     "compare-sequence",
                                     f"{shown} gives several numbers, and comparing them with "
                                     f"one number is {outcome}: compare one of them, e.g. "
                                     f"{shown}[0]", board))
                break
    return found


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _gives_several(ref: Ref) -> bool:
    """Whether the stubs say the function ``ref`` returns a tuple or a list (on any board)."""
    for board in ("v1", "v2"):
        found = lookup(board, ref)
        node = found.node if found is not None else None
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            returns = node.returns
            if isinstance(returns, ast.Subscript):
                returns = returns.value
            if isinstance(returns, ast.Name) and returns.id in ("tuple", "list"):
                return True
    return False
