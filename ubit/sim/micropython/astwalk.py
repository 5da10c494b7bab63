"""Walking a program's syntax tree quickly: the model passes walk every program several
times before it runs, and ``ast``'s own walkers (generators over generators) took most
of the compile time of a long program (issue 17: ~70 µs a line)."""

from __future__ import annotations

import ast
from ast import AST, NodeTransformer, NodeVisitor

from ubit.sim.shared.typenames import Any


def children(node: AST) -> list[AST]:
    """The nodes directly inside ``node``, in ``ast.iter_child_nodes`` order."""
    found: list[AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, AST):
            found.append(value)
        elif value.__class__ is list:
            found.extend(item for item in value if isinstance(item, AST))
    return found


def walk(node: AST) -> list[AST]:
    """``node`` and every node inside it, in ``ast.walk`` order (breadth first)."""
    found = [node]
    for current in found:  # grows as it is read: each node's children queue behind it
        found.extend(children(current))
    return found


class Transformer(NodeTransformer):
    """``ast.NodeTransformer`` with the same visits and results, walked more quickly: each
    node class's ``visit_`` method found once, not per node; a node that can hold nothing
    a visit would change (a constant, a name, an operator) not walked into; and a field's
    list rebuilt only when a visit changed it."""

    _visitors: dict[type, str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visitors = {}

    def visit(self, node: AST) -> Any:
        """Visit ``node`` with its ``visit_`` method (``generic_visit`` without one)."""
        kind = node.__class__
        name = self._visitors.get(kind)
        if name is None:
            name = self._visitors[kind] = self._visitor(kind)
        if not name:
            return node  # generic_visit would change nothing in it
        return getattr(self, name)(node)

    def _visitor(self, kind: type) -> str:
        """The name of the method that visits a ``kind`` node ("" if nothing need)."""
        own = _own_visitor(type(self), kind)
        if own:
            return own
        if kind in INERT and type(self).generic_visit is Transformer.generic_visit and (
                kind is not ast.Name or not any(_own_visitor(type(self), context)
                                                for context in _CONTEXTS)):
            return ""
        return "generic_visit"

    def generic_visit(self, node: AST) -> AST:
        """Visit every node inside ``node``, putting back what each visit returned."""
        visit = self.visit
        for field in node._fields:
            try:
                old = getattr(node, field)
            except AttributeError:
                continue
            if isinstance(old, list):
                for index, value in enumerate(old):
                    if isinstance(value, AST):
                        new = visit(value)
                        if new is not value:
                            old[:] = _rebuilt(old, index, new, visit)
                            break
            elif isinstance(old, AST):
                new = visit(old)
                if new is None:
                    delattr(node, field)
                elif new is not old:
                    setattr(node, field, new)
        return node


def _own_visitor(transformer: type, kind: type) -> str:
    """The name of ``transformer``'s own method for ``kind`` nodes ("" without one).
    ``NodeVisitor.visit_Constant`` only hands constants to the methods of the old node
    classes (``visit_Num``...): it counts only if one of those is there."""
    name = "visit_" + kind.__name__
    method = getattr(transformer, name, None)
    if method is None:
        return ""
    if method is NodeVisitor.visit_Constant and not any(
            hasattr(transformer, "visit_" + old) for old in _OLD_CONSTANTS):
        return ""
    return name


# Nodes that hold no node and bind or name nothing: constants, expression contexts and
# operators (a walk looking for names or calls may leave them out).
_CONTEXTS = (ast.Load, ast.Store, ast.Del)
NAMELESS = frozenset({ast.Constant, *_CONTEXTS,
                      *(kind for base in (ast.operator, ast.unaryop, ast.boolop, ast.cmpop)
                        for kind in base.__subclasses__())})
# Nodes whose fields hold no node but an expression context: nothing to walk into (a
# pass with no visit of its own for them may pass them by).
INERT = NAMELESS | {ast.Name, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
                    ast.alias}
_OLD_CONSTANTS = ("Num", "Str", "Bytes", "NameConstant", "Ellipsis")


def _rebuilt(old: list[Any], index: int, first: Any, visit: Any) -> list[Any]:
    """``old`` once its first ``index`` items stood unchanged and the next was visited into
    ``first``: the rest visited too, ``None`` dropped and a list spliced in, as
    ``NodeTransformer.generic_visit`` does."""
    rebuilt = old[:index]
    for position in range(index, len(old)):
        value = old[position]
        if isinstance(value, AST):
            value = first if position == index else visit(value)
            if value is None:
                continue
            if not isinstance(value, AST):
                rebuilt.extend(value)
                continue
        rebuilt.append(value)
    return rebuilt


_LOCATION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def locate(node: AST, where: AST) -> Any:
    """``node`` and every node inside it at ``where``'s location (``ast.copy_location`` on
    each of them, the location read once)."""
    place = [(name, getattr(where, name, None)) for name in _LOCATION
             if name in where._attributes and (getattr(where, name, None) is not None or (
                 name.startswith("end_") and hasattr(where, name)))]
    for part in walk(node):
        if "lineno" in part._attributes:
            for name, value in place:
                setattr(part, name, value)
    return node


def statements(tree: AST) -> list[AST]:
    """Every statement in ``tree`` (those in classes and functions too), in no set order:
    where a pass looks only for statements (``def``...), not walking the expressions."""
    found: list[AST] = []
    body = getattr(tree, "body", None)
    todo = list(body) if body.__class__ is list else []  # an Expression's is an expr
    while todo:
        node = todo.pop()
        found.append(node)
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if inner.__class__ is list:
                todo.extend(inner)
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            todo.extend(part.body)
    return found
