"""Walking a program's syntax tree quickly: the model passes walk every program several
times before it runs, and ``ast``'s own walkers (generators over generators) took most
of the compile time of a long program (issue 17: ~70 µs a line)."""

from __future__ import annotations

from ast import AST, NodeTransformer

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
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, AST):
                found.append(value)
            elif value.__class__ is list:
                found.extend(item for item in value if isinstance(item, AST))
    return found


class Transformer(NodeTransformer):
    """``ast.NodeTransformer`` with the same visits and results, walked more quickly: each
    node class's ``visit_`` method found once, not per node, and a field's list rebuilt
    only when a visit changed it."""

    _visitors: dict[type, str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visitors = {}

    def visit(self, node: AST) -> Any:
        """Visit ``node`` with its ``visit_`` method (``generic_visit`` without one)."""
        kind = node.__class__
        name = self._visitors.get(kind)
        if name is None:
            name = "visit_" + kind.__name__
            if not hasattr(self, name):
                name = "generic_visit"
            self._visitors[kind] = name
        return getattr(self, name)(node)

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
