"""How big MicroPython 1.9.2's small-heap parser makes a program's tree, and what it folds.

The V1 firmware (bbcmicrobit inc/microbit/mpconfigport.h: MICROPY_USE_SMALL_HEAP_COMPILER)
parses with py/parse2.c, which writes the tree as one growing byte string rather than
py/parse.c's linked nodes; the rules are py/grammar.h's. ``ParseSize`` follows them over a
CPython syntax tree; ``folded_int`` is the parser's folding of integer constant arithmetic
(MICROPY_COMP_CONST_FOLDING), also used by the inline assembler.
"""

from __future__ import annotations

import ast
import operator

INTERN_LEN = 10  # MICROPY_ALLOC_PARSE_INTERN_STRING_LEN: longer strings become objects
SMALL_INT = (-(2 ** 30), 2 ** 30 - 1)  # MP_SMALL_INT on a 32-bit board


def in_blocks(nbytes: int) -> int:
    """``nbytes`` rounded up to the GC heap's 16-byte blocks."""
    return -(-nbytes // 16) * 16


def children(node: ast.AST) -> list[ast.AST]:
    """The nodes directly inside ``node``."""
    return list(ast.iter_child_nodes(node))


_FOLDABLE = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.LShift, ast.RShift,
             ast.BitAnd, ast.BitOr, ast.BitXor)


_OPERATIONS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
               ast.LShift: operator.lshift, ast.RShift: operator.rshift,
               ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor}
_BIG = 1 << 64  # past this the parser stops folding (a small int holds 31 bits)


def folded_int(node: ast.AST) -> int | None:
    """The value the parser folds integer arithmetic on constants to (None: not folded)."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.UnaryOp):
        value = folded_int(node.operand)
        if value is None or isinstance(node.op, ast.UAdd):
            return value
        return -value if isinstance(node.op, ast.USub) else ~value
    if not isinstance(node, ast.BinOp) or node.op.__class__ not in _OPERATIONS:
        return None
    left, right = folded_int(node.left), folded_int(node.right)
    if left is None or right is None or abs(left) > _BIG or abs(right) > _BIG or (
            isinstance(node.op, (ast.LShift, ast.RShift)) and not 0 <= right <= 64) or (
            isinstance(node.op, (ast.FloorDiv, ast.Mod)) and right == 0):
        return None  # left to run time: too big, or an error there
    return _OPERATIONS[node.op.__class__](left, right)


# py/parse2.c keeps the tree as one growing byte string: a rule is its id byte, its source
# line and its length (each a varint), then its children; a name takes 2 bytes, a small int
# 5, an operator token 2, an absent part 1, a short string 3, a const object 2.
ID, INT, TOKEN, NULL, STR, CONST = 2, 5, 2, 1, 3, 2


def _varint(value: int) -> int:
    return max(1, (value.bit_length() + 6) // 7)


def folds(node: ast.AST) -> bool:
    """Whether the parser folds ``node`` into a constant (integers only)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)) and folds(node.operand)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, _FOLDABLE) and folds(node.left) and folds(node.right)
    return False


class ParseSize:
    """Bytes of MicroPython's parse tree for a Python syntax tree (rule by rule after
    py/grammar.h), the names and short strings it interns, and the heap its long string
    constants take."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}  # each name or short string, the line it is first on
        self.line = 1
        self.objects = 0  # bytes of str/bytes constant objects made while parsing
        self.strings = 0  # how many

    def _intern(self, *names: str) -> None:
        for name in names:
            self.names.setdefault(name, self.line)

    def size(self, node: ast.AST | None) -> int:
        """Bytes of ``node``'s part of the tree (an absent one: a NULL byte)."""
        if node is None:
            return NULL
        self.line = getattr(node, "lineno", self.line)
        method = getattr(self, "_" + node.__class__.__name__, None)
        if method is not None:
            return method(node)
        kids = [k for k in children(node) if not isinstance(
            k, (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop))]
        return self._rule(node, self._all(kids) + (NULL if not kids else 0))

    @staticmethod
    def _rule(node: ast.AST, inner: int) -> int:
        return 1 + _varint(getattr(node, "lineno", 1)) + _varint(inner) + inner

    def _all(self, nodes: list) -> int:
        return sum(self.size(n) for n in nodes)

    def _list(self, node: ast.AST, items: list) -> int:
        """A list rule: its one item alone, or a rule holding them all (absent: NULL)."""
        if not items:
            return NULL
        inner = self._all(items)
        return inner if len(items) == 1 else self._rule(node, inner)

    def _body(self, node: ast.AST, body: list[ast.stmt]) -> int:
        return self._list(node, body) if body else NULL

    def _Module(self, node: ast.Module) -> int:
        return self._list(node, node.body) + INT  # and the number of scopes

    def _Name(self, node: ast.Name) -> int:
        self._intern(node.id)
        return ID

    def _Constant(self, node: ast.Constant) -> int:
        value = node.value
        if isinstance(value, (str, bytes)):
            if len(value) <= INTERN_LEN:
                if isinstance(value, str):
                    self._intern(value)
                return STR
            self.objects += in_blocks(16) + in_blocks(len(value) + 1)  # the object, its bytes
            self.strings += 1
            return CONST
        if type(value) is int:
            return INT if SMALL_INT[0] <= value <= SMALL_INT[1] else CONST
        if value is None or value is True or value is False or value is Ellipsis:
            return TOKEN
        return CONST  # a float: boxed in the pointer on the V1

    def _Expr(self, node: ast.Expr) -> int:
        if isinstance(node.value, ast.Constant):  # a docstring or bare constant: a pass
            return self._rule(node, 0)
        return self._rule(node, self.size(node.value) + NULL)  # expr_stmt, nothing assigned

    def _Assign(self, node: ast.Assign) -> int:
        targets = self._all(node.targets)
        if len(node.targets) > 1:
            targets = self._rule(node, targets)
        return self._rule(node, targets + self.size(node.value))

    def _AugAssign(self, node: ast.AugAssign) -> int:
        return self._rule(node, self.size(node.target)
                          + self._rule(node, TOKEN + self.size(node.value)))

    def _BinOp(self, node: ast.BinOp) -> int:
        if folds(node):
            return INT
        operands = self._chain(node)
        return self._rule(node, self._all(operands) + TOKEN * (len(operands) - 1))

    def _chain(self, node: ast.BinOp) -> list[ast.AST]:
        """Operands of one grammar rule: ``a + b - c`` is one arith_expr node."""
        level = _LEVEL.get(node.op.__class__)
        left = node.left
        if isinstance(left, ast.BinOp) and not folds(left) and \
                _LEVEL.get(left.op.__class__) == level:
            return [*self._chain(left), node.right]
        return [left, node.right]

    def _UnaryOp(self, node: ast.UnaryOp) -> int:
        if folds(node):
            return INT
        token = 0 if isinstance(node.op, ast.Not) else TOKEN
        return self._rule(node, token + self.size(node.operand))

    def _BoolOp(self, node: ast.BoolOp) -> int:
        return self._rule(node, self._all(node.values))

    def _Compare(self, node: ast.Compare) -> int:
        return self._rule(node, self.size(node.left) + self._all(node.comparators)
                          + TOKEN * len(node.ops))

    def _IfExp(self, node: ast.IfExp) -> int:
        return self._rule(node, self.size(node.body)
                          + self._rule(node, self.size(node.test) + self.size(node.orelse)))

    def _trailer(self, node: ast.AST) -> int:
        if isinstance(node, ast.Call):
            args: list[ast.AST] = [*node.args, *node.keywords]
            return self._rule(node, self._list(node, args))
        if isinstance(node, ast.Attribute):
            self._intern(node.attr)
            return self._rule(node, ID)
        return self._rule(node, self.size(node.slice))  # type: ignore[attr-defined]

    def _atom_expr(self, node: ast.AST) -> int:
        """An atom with its trailers (``a.b(c)[d]``): one rule over the atom and them."""
        trailers = []
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            trailers.append(node)
            node = node.func if isinstance(node, ast.Call) else node.value
        inner = sum(self._trailer(t) for t in trailers)
        if len(trailers) > 1:
            inner = self._rule(node, inner)
        return self._rule(node, self.size(node) + inner)

    _Call = _atom_expr
    _Attribute = _atom_expr
    _Subscript = _atom_expr

    def _keyword(self, node: ast.keyword) -> int:
        if node.arg is not None:
            self._intern(node.arg)
        return self._rule(node, ID + self.size(node.value))

    def _Slice(self, node: ast.Slice) -> int:
        return self._rule(node, self._all([node.lower, node.upper, node.step]))

    def _display(self, node: ast.AST, items: list) -> int:
        """``[a, b, c]``: the bracket's rule over the first item and a rule of the rest."""
        if len(items) < 2:
            return self._rule(node, self._list(node, items))
        return self._rule(node, self._rule(node, self.size(items[0])
                                           + self._rest(node, self._all(items[1:]), items)))

    def _rest(self, node: ast.AST, inner: int, items: list) -> int:
        return self._rule(node, inner) if len(items) > 2 else inner

    def _List(self, node: ast.List) -> int:
        return self._display(node, node.elts)

    _Set = _List

    def _Tuple(self, node: ast.Tuple) -> int:
        return self._rule(node, self._all(node.elts))

    def _Dict(self, node: ast.Dict) -> int:
        items = [self._rule(node, self.size(k) + self.size(v))
                 for k, v in zip(node.keys, node.values, strict=True)]
        if len(items) < 2:
            return self._rule(node, sum(items) if items else NULL)
        # dictorsetmaker_list is a rule of its own even round one item (py/grammar.h)
        return self._rule(node, self._rule(node, items[0] + self._rule(
            node, self._rest(node, sum(items[1:]), items))))

    def _Try(self, node: ast.Try) -> int:
        handlers = [self._rule(h, self.size(h.type) + (ID if h.name else 0)
                               + self._body(h, h.body)) for h in node.handlers]
        inner = self._body(node, node.body) + self._rule(node, sum(handlers) + (
            3 if len(handlers) > 1 else 0) + self._body(node, node.orelse)
            + self._body(node, node.finalbody))
        return self._rule(node, inner)

    def _comprehension(self, node: ast.AST) -> int:
        parts = [getattr(node, f) for f in ("elt", "key", "value") if hasattr(node, f)]
        loops = sum(self._rule(node, INT + self.size(g.target) + self.size(g.iter)
                               + sum(self._rule(node, self.size(t)) for t in g.ifs) + NULL)
                    for g in node.generators)  # type: ignore[attr-defined]
        return self._rule(node, self._rule(node, self._all(parts) + loops))

    _ListComp = _comprehension
    _SetComp = _comprehension
    _GeneratorExp = _comprehension
    _DictComp = _comprehension

    def _arguments(self, node: ast.arguments) -> int:
        params = [*node.posonlyargs, *node.args, *node.kwonlyargs]
        defaults = len(node.defaults) + len([d for d in node.kw_defaults if d])
        for arg in params:
            self._intern(arg.arg)
        sizes = [ID] * len(params) + [TOKEN + ID] * (bool(node.vararg) + bool(node.kwarg))
        inner = sum(sizes) + sum(self.size(d) + 4 for d in [*node.defaults, *node.kw_defaults]
                                 if d is not None)
        if len(sizes) > 1 or defaults:
            return self._rule(node, inner)
        return inner or NULL

    def _FunctionDef(self, node: ast.FunctionDef) -> int:
        self._intern(node.name)
        own = self._rule(node, INT + ID + self.size(node.args) + NULL
                         + self._body(node, node.body))
        if node.decorator_list:
            decorators = sum(self._rule(d, self.size(d)) for d in node.decorator_list)
            if len(node.decorator_list) > 1:
                decorators = self._rule(node, decorators)
            own = self._rule(node, decorators + own)
        return own

    _AsyncFunctionDef = _FunctionDef

    def _Lambda(self, node: ast.Lambda) -> int:
        return self._rule(node, INT + self.size(node.args) + self.size(node.body))

    def _ClassDef(self, node: ast.ClassDef) -> int:
        self._intern(node.name)
        bases = self._list(node, [*node.bases, *node.keywords])
        return self._rule(node, INT + ID + bases + self._body(node, node.body))

    def _Return(self, node: ast.Return) -> int:
        return self._rule(node, self.size(node.value))

    def _If(self, node: ast.If) -> int:
        orelse = self._body(node, node.orelse)
        return self._rule(node, self.size(node.test) + self._body(node, node.body) + NULL
                          + orelse)

    def _While(self, node: ast.While) -> int:
        return self._rule(node, self.size(node.test) + self._body(node, node.body)
                          + self._body(node, node.orelse))

    def _For(self, node: ast.For) -> int:
        return self._rule(node, self.size(node.target) + self.size(node.iter)
                          + self._body(node, node.body) + self._body(node, node.orelse))

    def _alias(self, node: ast.alias) -> int:
        parts = node.name.split(".")
        self._intern(*parts)
        own = ID * len(parts)
        if len(parts) > 1:
            own = 3 + own
        if node.asname:
            self._intern(node.asname)
            own = 3 + own + ID
        return own

    def _Import(self, node: ast.Import) -> int:
        return self._rule(node, self._list(node, node.names))

    def _ImportFrom(self, node: ast.ImportFrom) -> int:
        module = (node.module or "").split(".")
        self._intern(*module)
        return self._rule(node, ID * len(module) + self._list(node, node.names))


# Grammar levels that chain into one node (py/grammar.h: arith_expr, term, shift_expr...)
_LEVEL = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.FloorDiv: 2, ast.Mod: 2,
          ast.MatMult: 2, ast.LShift: 3, ast.RShift: 3, ast.BitAnd: 4, ast.BitXor: 5,
          ast.BitOr: 6, ast.Pow: 7}
