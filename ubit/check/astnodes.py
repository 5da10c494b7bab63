"""A module's syntax tree walked once: the checks each go over every node of it."""

from __future__ import annotations

import ast


def every_node(tree: ast.AST) -> list[ast.AST]:
    """Every node under ``tree``, in ``ast.walk`` order (walked once, kept on the tree)."""
    found = tree.__dict__.get("_every_node")
    if found is None:
        found = list(ast.walk(tree))
        tree._every_node = found  # type: ignore[attr-defined]
    return found
