"""Names: undefined, unused, redefined (pyflakes), with ``from microbit import *`` expanded.

pyflakes can't see into a star import, so it would call every name after
``from microbit import *`` "possibly undefined". The tree it checks has each star
import of a module ubit knows (the board's stubs, or another file of the project)
replaced by an import of that module's names; the names the program doesn't use are
then not reported as unused imports, since the program never named them.

The built-in names are the board's (``stubs.BUILTIN_NAMES``), not CPython's: pyflakes
reports ``breakpoint()`` or ``compile()`` as undefined, in words that say the micro:bit
lacks it. Names on one board only (``memoryview``) are left to ``lint_api``.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from pyflakes import checker, messages

from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.stubs import BOARDS, BUILTIN_NAMES

# pyflakes' syntax-like findings: the board's compiler reports these in its own words.
_LEFT_TO_COMPILER = (messages.ReturnOutsideFunction, messages.YieldOutsideFunction,
                     messages.ContinueOutsideLoop, messages.BreakOutsideLoop,
                     messages.DuplicateArgument, messages.FStringMissingPlaceholders,
                     messages.DoctestSyntaxError)
_ERRORS = (messages.UndefinedName, messages.UndefinedLocal, messages.UndefinedExport)

StarNames = Callable[[str], "frozenset[str] | None"]

# Every board's built-in names, and CPython's dunders (``__name__``, ``__file__``): a
# beginner's program rarely names those, and telling them apart isn't worth a false alarm.
BOARD_BUILTINS = frozenset().union(*(BUILTIN_NAMES[b] for b in BOARDS)) | {
    n for n in (*dir(builtins), "__file__", "__builtins__", "__annotations__")
    if n.startswith("__")}
_CPYTHON_ONLY = frozenset(n for n in dir(builtins) if not n.startswith("_")) - BOARD_BUILTINS


class _BoardChecker(checker.Checker):
    """pyflakes with the micro:bit's built-in names in place of CPython's."""

    @property
    def builtIns(self) -> frozenset[str]:  # noqa: N802 (pyflakes' name)
        """The names every module starts with: the boards'."""
        return BOARD_BUILTINS

    @builtIns.setter
    def builtIns(self, value: object) -> None:  # noqa: N802
        pass  # pyflakes sets CPython's names in __init__: the board's stand instead


def name_findings(name: str, tree: ast.Module, source: str,
                  star_names: StarNames) -> list[Finding]:
    """pyflakes' findings for one file, in a beginner's words (columns 1-based)."""
    tree, expanded = expand_star_imports(tree, star_names)
    lines = source.splitlines()
    found = []
    for msg in _BoardChecker(tree, filename=name).messages:
        if isinstance(msg, _LEFT_TO_COMPILER) or _from_expansion(msg, expanded):
            continue
        level = ERROR if isinstance(msg, _ERRORS) else WARNING
        col = char_column(lines, msg.lineno, msg.col) + 1
        found.append(Finding(name, msg.lineno, col, level, _code(msg),
                             words(msg, expanded)))
    return found


def expand_star_imports(tree: ast.Module, star_names: StarNames,
                        ) -> tuple[ast.Module, dict[int, tuple[str, frozenset[str]]]]:
    """``tree`` with known star imports spelt out; line → (module, names) of each one."""
    expanded: dict[int, tuple[str, frozenset[str]]] = {}
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                [alias.name for alias in node.names] == ["*"]:
            names = star_names(node.module)
            if names is not None:
                public = frozenset(n for n in names if not n.startswith("_"))
                expanded[node.lineno] = (node.module, public)
                spelt = ast.ImportFrom(node.module, [ast.alias(n) for n in sorted(public)], 0)
                for part in (spelt, *spelt.names):
                    ast.copy_location(part, node)
                node = spelt
        body.append(node)
    return ast.Module(body=body, type_ignores=tree.type_ignores), expanded


def _from_expansion(msg: messages.Message, expanded: dict[int, tuple[str, frozenset[str]]],
                    ) -> bool:
    """An unused or shadowed name the program got only from a star import it spelt out."""
    if isinstance(msg, (messages.UnusedImport, messages.ImportShadowedByLoopVar)):
        star = expanded.get(msg.lineno if isinstance(msg, messages.UnusedImport)
                            else msg.message_args[1])
        return star is not None and msg.message_args[0].rsplit(".", 1)[-1] in star[1]
    if isinstance(msg, messages.RedefinedWhileUnused):  # the star import itself redefines
        return msg.lineno in expanded
    return False


def words(msg: messages.Message, expanded: dict[int, tuple[str, frozenset[str]]]) -> str:
    """pyflakes' message as a beginner would want it."""
    args = msg.message_args
    if isinstance(msg, messages.UndefinedName) and args[0] in _CPYTHON_ONLY:
        return (f"'{args[0]}' doesn't exist on the micro:bit: its MicroPython has only "
                "some of Python's built-in functions and types")
    if isinstance(msg, messages.UndefinedName):
        return (f"name '{args[0]}' is not defined: check its spelling, or give it a value "
                "(or import it) before it is used")
    if isinstance(msg, messages.UndefinedLocal):
        return (f"'{args[0]}' is used in this function before it is given a value here "
                f"(to use the '{args[0]}' from outside, put 'global {args[0]}' first)")
    if isinstance(msg, messages.UnusedImport):
        shown = args[0].rsplit(".", 1)[-1] if "." in args[0] and " as " not in args[0] \
            else args[0]
        return f"'{shown}' is imported but never used; the import can go"
    if isinstance(msg, messages.UnusedVariable):
        return f"'{args[0]}' is given a value but never used"
    if isinstance(msg, messages.RedefinedWhileUnused):
        star = expanded.get(args[1])
        if star is not None:
            return (f"'{args[0]}' here replaces {star[0]}'s own '{args[0]}' (from "
                    f"'from {star[0]} import *' on line {args[1]}); choose another name")
        return f"'{args[0]}' is defined again here, but the one on line {args[1]} was never used"
    if isinstance(msg, messages.ImportStarUsage):
        return f"'{args[0]}' may be undefined, or come from 'from {args[1]} import *'"
    if isinstance(msg, messages.ImportStarUsed):
        return f"'from {args[0]} import *': ubit can't tell which names it brings"
    return msg.message % args


def _code(msg: messages.Message) -> str:
    """A stable code from pyflakes' class name: UndefinedName → undefined-name."""
    name = type(msg).__name__
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def char_column(lines: list[str], line: int, byte_col: int) -> int:
    """0-based character column of ``byte_col`` (the AST counts UTF-8 bytes)."""
    if not 1 <= line <= len(lines):
        return byte_col
    text = lines[line - 1]
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def top_level_names(tree: ast.Module) -> frozenset[str]:
    """The names a module defines at its top level (what ``from it import *`` brings)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)):
            for target in ast.walk(node):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    names.add(target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
    return frozenset(names)
