"""Traceback line numbers as MicroPython's compiler records them.

MicroPython's bytecode keeps a line table that can only move forward: each parse-tree
rule (a call, an operator, a ``key: value`` pair; not a bare name or constant) sets the
line of the code that follows if it is later than the current one. So the line an error
reports is the latest rule line compiled so far in that code object, not the line of the
failing expression: a ``while`` condition, compiled after the loop body, reports the
body's last line; a bare name in a multi-line call reports the call's line; a call whose
arguments span lines reports the last argument line compiled; an ``assert`` fails at the
line of its message. ``apply`` gives the CPython tree those lines before it is compiled
(firmware-v1 fidelity programs 134-156).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ubit.sim.micropython import astwalk

_LEAVES = (ast.Name, ast.Constant)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def apply(tree: ast.AST) -> None:
    """Move line numbers in ``tree`` (in place) to the ones the firmware reports."""
    body = getattr(tree, "body", [])  # a list, but one expression for eval()
    scopes: list[tuple[list[ast.AST], int]] = [(body if isinstance(body, list) else [body], 1)]
    while scopes:
        nodes, start = scopes.pop()
        _Scope(start, scopes).statements(nodes)


def _move(node: ast.AST, line: int) -> None:
    """Give ``node`` the line ``line``: later for a rule, earlier too for a bare name."""
    if line == node.lineno and line == node.end_lineno:  # type: ignore[attr-defined]
        return
    node.lineno = line  # type: ignore[attr-defined]
    node.col_offset = 0  # type: ignore[attr-defined]
    if isinstance(node, ast.stmt):
        node.end_lineno = max(node.end_lineno or line, line)  # type: ignore[attr-defined]
    else:
        # one line: CPython reports a multi-line attribute at the attribute name's line
        node.end_lineno = line  # type: ignore[attr-defined]
    node.end_col_offset = max(node.end_col_offset or 0, 0)  # type: ignore[attr-defined]


class _Scope:
    """The running line of one code object (module, function, class body, lambda, ...)."""

    def __init__(self, line: int, pending: list[tuple[list[ast.AST], int]]) -> None:
        self.line = line
        self.pending = pending  # nested code objects, processed after this one

    def statements(self, nodes: list[ast.AST]) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, ast.Assert) and node.msg is not None:
                nodes[i] = self.assertion(node)
            elif isinstance(node, ast.stmt):
                self.statement(node)
            else:
                self.expression(node)

    def assertion(self, node: ast.Assert) -> ast.stmt:
        """An assert fails at its message's line: CPython's raise has the test's."""
        self.line = max(self.line, node.lineno)
        self.expression(node.test)
        tested = self.line
        self.expression(node.msg)  # type: ignore[arg-type]
        if self.line == tested:
            return node
        error = ast.Call(ast.Name("AssertionError", ast.Load()), [node.msg], [])
        fail = ast.Raise(error, None)
        for part in (error, error.func, fail):
            ast.copy_location(part, node.msg)  # type: ignore[arg-type]
            _move(part, self.line)
        check = ast.If(ast.UnaryOp(ast.Not(), node.test), [fail], [])
        ast.copy_location(check, node)
        ast.copy_location(check.test, node.test)
        return check

    def statement(self, node: ast.stmt) -> None:
        decorators = getattr(node, "decorator_list", None)
        # a decorated definition is one rule starting at its first decorator
        self.line = max(self.line, decorators[0].lineno if decorators else node.lineno)
        if isinstance(node, _SCOPES):
            self.expressions([*node.decorator_list, *_defaults(node)]
                             if not isinstance(node, ast.ClassDef)
                             else [*node.decorator_list, *node.bases,
                                   *(k.value for k in node.keywords)])
            self.pending.append((node.body, node.lineno))
        elif isinstance(node, ast.While):
            self.statements(node.body)  # the condition is compiled after the body
            self.expression(node.test)
            self.statements(node.orelse)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expressions([node.iter, node.target])
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.If):
            self.expression(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expressions([item.context_expr] + ([item.optional_vars]
                                                        if item.optional_vars else []))
            self.statements(node.body)
        elif isinstance(node, ast.Try):
            self.statements(node.body)
            for handler in node.handlers:
                self.line = max(self.line, handler.lineno)
                if handler.type is not None:
                    self.expression(handler.type)
                self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, ast.Assign):
            self.expressions([node.value, *node.targets])
        else:
            self.expressions([value for value in astwalk.children(node)
                              if isinstance(value, ast.expr)])
            if isinstance(node, ast.Raise) and self.line > node.lineno:
                _move(node, self.line)  # the raise comes after its expression

    def expressions(self, nodes: list[ast.expr]) -> None:
        for node in nodes:
            self.expression(node)

    def expression(self, root: ast.AST) -> None:
        """Post-order: a node's own instructions run after its operands'."""
        stack: list[tuple[ast.AST | int, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if isinstance(node, int):  # a rule with no node of its own: a dict's key: value
                self.line = max(self.line, node)
                continue
            if done:
                _move(node, self.line)
                continue
            if isinstance(node, ast.keyword):
                self.line = max(self.line, node.lineno)
                stack.append((node.value, False))
                continue
            if not isinstance(node, ast.expr):
                continue
            if not isinstance(node, _LEAVES):
                self.line = max(self.line, node.lineno)
            stack.append((node, True))
            for child in reversed(self.operands(node)):
                stack.append((child, False))

    def operands(self, node: ast.expr) -> list[ast.AST | int]:
        """``node``'s children evaluated in this code object, in evaluation order."""
        if isinstance(node, ast.Lambda):
            self.pending.append(([node.body], node.lineno))
            return list(_defaults(node))
        if isinstance(node, _COMPREHENSIONS):
            first, *rest = node.generators
            inner: list[ast.AST] = [first.target, *first.ifs]
            for generator in rest:
                inner += [generator.iter, generator.target, *generator.ifs]
            inner += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            self.pending.append((inner, node.lineno))
            return [first.iter]
        if isinstance(node, ast.Dict):
            pairs: list[ast.AST | int] = []
            for key, value in zip(node.keys, node.values, strict=True):
                pairs += [key.lineno, key, value] if key is not None else [value]
            return pairs
        return [child for child in astwalk.children(node)
                if isinstance(child, (ast.expr, ast.keyword))]


def _defaults(node: ast.AST) -> Iterator[ast.expr]:
    args = node.args  # type: ignore[attr-defined]
    yield from args.defaults
    yield from (d for d in args.kw_defaults if d is not None)
