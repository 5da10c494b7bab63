"""The quick tree walks the model passes use give what ``ast``'s own walkers give."""

from __future__ import annotations

import ast
import copy

import pytest

from ubit.sim.micropython import astwalk

PROGRAMS = [
    "from microbit import *\nwhile True:\n    display.show(Image.HEART)\n    sleep(500)\n",
    "def f(a, *b, c=1, **d):\n    global g\n    return [x * y for x in a if x for y in b]\n",
    "class C(B, metaclass=M):\n    @property\n    def p(self):\n        try:\n"
    "            return {k: v for k, v in self.d.items()}\n        except KeyError as e:\n"
    "            raise ValueError('no') from e\n        finally:\n            del self.d\n",
    "async def g():\n    async with a as b:\n        yield (await c)\n    lambda q=1: q\n",
    "x = f'{a!r:>{w}}' + b'\\x00' * 3\nassert x, 'msg'\nimport a.b as c\nfrom . import d\n",
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_walk_and_children_follow_ast_order(source: str) -> None:
    tree = ast.parse(source)
    assert astwalk.walk(tree) == list(ast.walk(tree))
    for node in ast.walk(tree):
        assert astwalk.children(node) == list(ast.iter_child_nodes(node))


class _Rewrites:
    """Visits that drop, replace, splice in lists and change nothing: every case
    ``NodeTransformer.generic_visit`` handles."""

    def visit_Pass(self, node: ast.Pass) -> None:
        return None  # dropped from its list

    def visit_Expr(self, node: ast.Expr) -> list[ast.stmt]:
        self.generic_visit(node)  # type: ignore[attr-defined]
        return [node, ast.Expr(ast.Constant("after"))]  # spliced into its list

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "gone":
            return ast.Constant(0)  # replaced in a single field
        return node

    def visit_keyword(self, node: ast.keyword) -> None:
        return None


class _Plain(_Rewrites, ast.NodeTransformer):
    pass


class _Quick(_Rewrites, astwalk.Transformer):
    pass


REWRITTEN = ("pass\nprint(gone, 1, sep=gone)\nif gone:\n    pass\n    f(x)\n"
             "else:\n    y = [gone for gone in z]\n    pass\n")


@pytest.mark.parametrize("source", [*PROGRAMS, REWRITTEN])
def test_transformer_rewrites_as_node_transformer_does(source: str) -> None:
    tree = ast.parse(source)
    plain = _Plain().visit(copy.deepcopy(tree))
    quick = _Quick().visit(copy.deepcopy(tree))
    assert ast.dump(quick, include_attributes=True) == ast.dump(plain, include_attributes=True)


def test_a_rewrite_really_changes_the_tree() -> None:
    """The comparison above would pass with both rewriting nothing: they do rewrite."""
    tree = _Quick().visit(ast.parse(REWRITTEN))
    text = ast.unparse(tree)
    assert "pass" not in text and "gone" not in text.replace("for gone in", "")
    assert text.count("'after'") == 2 and "sep=" not in text


STATEMENTS = PROGRAMS + [
    "try:\n    a()\nexcept E:\n    def f():\n        yield 1\nelse:\n    b = 2\n"
    "finally:\n    class K:\n        x = 1\n",
    "match p:\n    case [1, *r]:\n        def g(): pass\n    case _:\n        while x:\n"
    "            for i in y:\n                pass\n            else:\n                break\n",
]


@pytest.mark.parametrize("source", STATEMENTS)
def test_statements_are_every_statement(source: str) -> None:
    tree = ast.parse(source)
    expected = [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]
    found = astwalk.statements(tree)
    assert len(found) == len(expected) and set(map(id, found)) == set(map(id, expected))


def test_an_expression_has_no_statements() -> None:
    """``eval`` mode: the tree's body is one expression."""
    assert astwalk.statements(ast.parse("f(x)", mode="eval")) == []


def test_locate_places_every_part_as_copy_location_does() -> None:
    where = ast.parse("if x:\n    y = 1\n").body[0].body[0]
    made = ast.parse("total = f(a, b=[c, 2])").body[0]
    plain, quick = copy.deepcopy(made), copy.deepcopy(made)
    for part in ast.walk(plain):
        if "lineno" in part._attributes:
            ast.copy_location(part, where)
    astwalk.locate(quick, where)
    assert ast.dump(quick, include_attributes=True) == ast.dump(plain, include_attributes=True)
    assert quick.value.lineno == 2 and quick.value.col_offset == 4  # it really moved
