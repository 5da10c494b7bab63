"""Compiling on the V1 takes heap: a long program can fail with ``MemoryError`` before it runs.

The V1 firmware compiles main.py, and each module it imports, on the board, in the 10 KB
heap the program then runs in. Its port uses MicroPython's small-heap compiler
(bbcmicrobit inc/microbit/mpconfigport.h: MICROPY_USE_SMALL_HEAP_COMPILER; py/parse2.c,
py/compile2.c, py/emitbc.c): the parser writes the whole tree into one growing byte buffer,
interning each new name as it goes; then the compiler makes every scope, and allocates each
scope's bytecode in turn, the module's first; only then is the tree freed. So a main.py of
~45 small functions, ~200 assignments or ~20 classes (2-4 KB of text) fails with
``MemoryError: memory allocation failed, allocating N bytes``, with no traceback (nothing
has run), although what the program keeps afterwards would fit.

This module estimates from the program's syntax tree what compiling it asks of the heap, in
the firmware's order:

- the tree's buffer: a rule is an id byte, its line and its length as varints, then its
  children; a name takes 2 bytes, a small int 5, an operator token 2, an absent part 1, a
  short string 3, a long string or float 2 (py/parse2.c), integer arithmetic on constants
  folded away; it grows 16 bytes ahead (py/vstr.c);
- the names and short strings interned (those not among the firmware's own qstrs,
  ``romqstrs``): their bytes and the pools that list them, the first of 20 entries, each
  next twice the last (py/qstr.c); strings longer than 10 characters are str objects;
- each scope's bookkeeping and names, and the emitter's label table;
- each scope's code: code info, prelude and bytecode, opcode by opcode (py/emitbc.c: a
  qstr operand 2 bytes, small ints in -16..47 one byte, a pointer aligned to 4).

Where the firmware's heap is fragmented or its arrays grow by copies, the sizes above fall
short; those costs (``SCOPE_BYTES``, ``NAME_BYTES``, ``OBJECT_BYTES``, ``MARGIN``) were fitted
with the V1 firmware under QEMU on 20 program shapes (tests/fidelity/compile_derive.py
records them, tests/sim/test_compile_memory.py holds them): each stops fitting here within
8 % of the size the firmware stops at, and the bytecode sizes printed agree within 1 %. A
pool made late in a long parse can't go below the tree's buffer, which then moves: both
copies are held at once (``_moved_tree``: programs of many short strings). The allocation
reported is the one that didn't fit; when it is smaller than the firmware's MemoryError
object, the message is empty, as the firmware prints it.
"""

from __future__ import annotations

import ast
import operator

INTERN_LEN = 10  # MICROPY_ALLOC_PARSE_INTERN_STRING_LEN: longer strings become objects
SMALL_INT = (-(2 ** 30), 2 ** 30 - 1)  # MP_SMALL_INT on a 32-bit board
CODE_INFO = 15  # a scope's code info (name, file, sizes), prelude and closing RETURN_VALUE
# Fitted with the firmware (module docstring): what each costs beyond the sizes above
# (scope_t, its raw code, its id_info and argument arrays; the renews of growing arrays)
# and the heap the parser's own stacks and the lexer hold while compiling (MARGIN).
SCOPE_BYTES = {ast.FunctionDef: 79, ast.AsyncFunctionDef: 79, ast.Lambda: 92,
               ast.ClassDef: 158, ast.ListComp: 104, ast.SetComp: 104, ast.DictComp: 104,
               ast.GeneratorExp: 104}
NAME_BYTES = 14.2  # each name a scope uses beyond the 4 its first id_info array holds
OBJECT_BYTES = 6.1  # each str/bytes constant, beyond the object and its bytes
MARGIN = 811  # V1: 9776 free at the start of main.py, 8965 of it for compiling
POOL_BEYOND = 160  # entries of a qstr pool too big for the holes below the tree
EMPTY_MESSAGE_BELOW = 96  # bytes: too little left for the MemoryError's own message
SOURCE_FACTOR = 16  # compiling takes at most about this many bytes per source byte
MESSAGE = "memory allocation failed, allocating {} bytes"

def _children(node: ast.AST) -> list[ast.AST]:
    return list(ast.iter_child_nodes(node))


_FOLDABLE = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.LShift, ast.RShift,
             ast.BitAnd, ast.BitOr, ast.BitXor)


class Estimate:
    """What compiling one file asks of the heap: the parse tree, names and scopes first,
    then each scope's code, the module's first."""

    def __init__(self) -> None:
        self.before_code = 0  # bytes held when the first scope's code is asked for
        self.tree_buffer = 0  # the parse tree's own buffer, as the parser asks for it
        self.codes: list[int] = []  # each scope's code, in heap blocks
        self.asked: list[int] = []  # each scope's code, as asked for
        self.parts: dict[str, int] = {}  # what makes up ``before_code``
        self.string_bytes = 0  # the long string constants' objects
        self.moved = 0  # bytes held at the worst move of the tree's buffer (``_moved_tree``)

    def parsed(self) -> int:
        """Bytes held once the parser is done: the tree, the names it interned and the
        string constants it made."""
        return sum(self.parts[k] for k in ("tree", "qstrs", "pools", "objects"))


def estimate(tree: ast.Module) -> Estimate:
    """The heap that compiling ``tree`` takes, as MicroPython 1.9.2 would ask for it."""
    from ubit.sim.shared.romqstrs import ROM_QSTRS

    found = Estimate()
    parse = _ParseSize()
    tree_bytes = parse.size(tree)
    scopes = _Scopes()
    scopes.scope(tree, tree.body)
    interned = [name for name in parse.names if name not in ROM_QSTRS]
    found.tree_buffer = (tree_bytes + 16) // 8 * 8 + 8  # py/vstr.c: ROUND_ALLOC(len + 16)
    parts = found.parts
    parts["tree"] = _blocks(found.tree_buffer)
    parts["qstrs"] = sum(len(name) + 3 for name in interned)  # hash, length, bytes, NUL
    parts["pools"] = _pool_bytes(len(interned))
    parts["objects"] = round(parse.objects + OBJECT_BYTES * parse.strings)
    found.string_bytes = parse.objects
    parts["scopes"] = sum(SCOPE_BYTES.get(kind, 0) for kind in scopes.kinds)
    parts["names"] = round(NAME_BYTES * sum(max(0, names - 4) for names in scopes.names))
    parts["labels"] = 4 * scopes.labels  # the emitter's label table
    found.before_code = sum(parts.values())
    found.moved = _moved_tree(found, parse, interned)
    found.asked = scopes.codes
    found.codes = [_blocks(size) for size in scopes.codes]
    return found


def _moved_tree(found: Estimate, parse: _ParseSize, interned: list[str]) -> int:
    """The most held while the tree's buffer moves: a new qstr pool made late in the parse
    lands beyond the buffer (no hole below holds it), so the buffer's next growth copies it
    whole, both copies held at once."""
    last = max(parse.line, *parse.names.values()) if parse.names else parse.line
    most, made, size = 0, 0, 20
    while made + size < len(interned):
        made += size
        size *= 2
        share = parse.names[interned[made]] / last  # how far the parse is when it comes
        if size >= POOL_BEYOND:
            most = max(most, round(2 * found.tree_buffer * share
                                   + (found.parsed() - found.parts["tree"]) * share))
    return most


RAW_CODE = 16  # mp_raw_code_t: each scope's compiled function, kept with its code


def retained(tree: ast.Module, running: bool = False) -> list[int]:
    """Byte sizes of what compiling ``tree`` leaves on the heap: each scope's code and raw
    code object, the names it interned with their pools, its long string constants; with
    ``running`` (main.py, all the while it runs) the parse tree's buffer too, which is never
    freed, only left to the GC, and main.c's frame still points at it."""
    found = estimate(tree)
    kept = [size + RAW_CODE for size in found.codes]
    parts = found.parts
    kept.append(_blocks(parts["qstrs"] + parts["pools"] + found.string_bytes))
    if running:
        kept.append(parts["tree"])
    return kept


def _pool_bytes(count: int) -> int:
    """The qstr pools holding ``count`` new qstrs: the first 20 entries, each next twice the
    last (py/qstr.c; the built-in pool's ``alloc`` is 10), with a 16-byte header."""
    total, size = 0, 20
    while count > 0:
        total += _blocks(16 + 4 * size)
        count -= size
        size *= 2
    return total


def failing_allocation(tree: ast.Module, room: int) -> tuple[int, bool] | None:
    """``(bytes, with_message)`` of the allocation that fails compiling ``tree`` with
    ``room`` bytes of free heap, or None if it fits."""
    try:
        found = estimate(tree)
    except RecursionError:  # nested deeper than the walk goes: compiling reports that
        return None
    room -= MARGIN
    if found.parsed() > room:  # the parse fills the heap: no room left to word the error
        return found.tree_buffer, False
    if found.moved > room:  # the tree's buffer moving, a big request among free blocks
        return found.tree_buffer, True
    used = found.before_code  # scopes and their names made: small pieces, seldom the one refused
    for size, asked in zip(found.codes, found.asked, strict=True):
        used += size
        if used > room:
            return asked, asked >= EMPTY_MESSAGE_BELOW
    return None


def may_not_fit(source: str, room: int) -> bool:
    """Whether ``source`` is long enough that compiling it might not fit (a quick look
    that spares short programs the estimate)."""
    return len(source) * SOURCE_FACTOR > room - MARGIN


def refuse(asked: int, with_message: bool) -> None:
    """Raise the firmware's MemoryError for a refused request of ``asked`` bytes."""
    if with_message:
        raise MemoryError(MESSAGE.format(asked))
    raise MemoryError  # the firmware's own MemoryError object: no room to word it


# -- the parse tree --------------------------------------------------------------------------
# py/parse2.c keeps the tree as one growing byte string: a rule is its id byte, its source
# line and its length (each a varint), then its children; a name takes 2 bytes, a small int
# 5, an operator token 2, an absent part 1, a short string 3, a const object 2.
ID, INT, TOKEN, NULL, STR, CONST = 2, 5, 2, 1, 3, 2


def _varint(value: int) -> int:
    return max(1, (value.bit_length() + 6) // 7)


def _folds(node: ast.AST) -> bool:
    """Whether the parser folds ``node`` into a constant (integers only)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)) and _folds(node.operand)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, _FOLDABLE) and _folds(node.left) and _folds(node.right)
    return False


class _ParseSize:
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
        if node is None:
            return NULL
        self.line = getattr(node, "lineno", self.line)
        method = getattr(self, "_" + node.__class__.__name__, None)
        if method is not None:
            return method(node)
        kids = [k for k in _children(node) if not isinstance(
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
            self.objects += _blocks(16) + _blocks(len(value) + 1)  # the object, its bytes
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
        if _folds(node):
            return INT
        operands = self._chain(node)
        return self._rule(node, self._all(operands) + TOKEN * (len(operands) - 1))

    def _chain(self, node: ast.BinOp) -> list[ast.AST]:
        """Operands of one grammar rule: ``a + b - c`` is one arith_expr node."""
        level = _LEVEL.get(node.op.__class__)
        left = node.left
        if isinstance(left, ast.BinOp) and not _folds(left) and \
                _LEVEL.get(left.op.__class__) == level:
            return [*self._chain(left), node.right]
        return [left, node.right]

    def _UnaryOp(self, node: ast.UnaryOp) -> int:
        if _folds(node):
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


def _blocks(nbytes: int) -> int:
    return -(-nbytes // 16) * 16


# Grammar levels that chain into one node (py/grammar.h: arith_expr, term, shift_expr...)
_LEVEL = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.FloorDiv: 2, ast.Mod: 2,
          ast.MatMult: 2, ast.LShift: 3, ast.RShift: 3, ast.BitAnd: 4, ast.BitXor: 5,
          ast.BitOr: 6, ast.Pow: 7}


# -- scopes and their bytecode ---------------------------------------------------------------

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Scopes:
    """Each scope's bytecode bytes (module first, then the scopes inside it in the order the
    compiler makes them), how many names each uses and the most jump labels one needs."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.names: list[int] = []
        self.labels = 0
        self.kinds: list[type] = []

    def scope(self, node: ast.AST, body: list) -> None:
        """Size ``node``'s scope, then those it makes, breadth first as py/compile.c links
        them."""
        queue = [(node, body)]
        for current, current_body in queue:
            params = _params(current)
            self.kinds.append(type(current))
            emit = _Emit(params | _stored(current_body) if params is not None else set())
            for part in current_body:
                emit.visit(part)
            self.codes.append(round(CODE_INFO + emit.lines + emit.bytes + 4 * len(params or ())))
            self.names.append(len(emit.seen))
            self.labels = max(self.labels, emit.labels)
            queue.extend(emit.inner)


def _params(node: ast.AST) -> set[str] | None:
    """A function's parameter names (None for a module or class: no fast locals)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return None
    args = node.args
    found = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    return found | {a.arg for a in (args.vararg, args.kwarg) if a}


def _stored(body: list) -> set[str]:
    """Names a scope's own code assigns (its locals, in a function)."""
    found: set[str] = set()
    for part in body:
        for inner in _walk_scope(part):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                found.add(inner.id)
    return found


def _walk_scope(node: ast.AST) -> list[ast.AST]:
    found = [node]
    for current in found:
        if current is not node and isinstance(current, _SCOPES):
            continue
        found.extend(_children(current))
    return found


def _int_bytes(value: int) -> int:
    """LOAD_CONST_SMALL_INT: one byte for -16..47, else the opcode and a signed varint."""
    if -16 <= value <= 47:
        return 1
    size = 1
    while not -(1 << (7 * size - 1)) <= value < (1 << (7 * size - 1)):
        size += 1
    return 1 + size


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


OBJECT = 5.5  # LOAD_CONST_OBJ / MAKE_FUNCTION: opcode, then a pointer aligned to 4 bytes


class _Emit:
    """Bytes of bytecode one scope's statements emit (py/emitbc.c, opcode by opcode), its
    line-number table and jump labels, and the scopes it makes."""

    def __init__(self, fast: set[str]) -> None:
        self.fast = fast
        self.bytes = 0.0
        self.lines = 0
        self.labels = 0
        self.seen: set[str] = set()
        self.inner: list[tuple[ast.AST, list]] = []
        self._line = 0

    def visit(self, node: ast.AST) -> None:
        line = getattr(node, "lineno", None)
        if isinstance(node, ast.stmt) and line is not None and line != self._line:
            self.lines += 1 if 0 <= line - self._line <= 3 else 2
            self._line = line
        method = getattr(self, "_" + node.__class__.__name__, None)
        if method is not None:
            method(node)
            return
        self.bytes += 1
        for kid in _children(node):
            if not isinstance(kid, (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop,
                                    ast.boolop)):
                self.visit(kid)

    def _each(self, nodes: list) -> None:
        for node in nodes:
            if isinstance(node, ast.AST):
                self.visit(node)

    def _Name(self, node: ast.Name) -> None:
        self.seen.add(node.id)
        self.bytes += 1 if node.id in self.fast else 3

    def _Constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is int and SMALL_INT[0] <= value <= SMALL_INT[1]:
            self.bytes += _int_bytes(value)
        elif value is None or value is True or value is False:
            self.bytes += 1
        elif isinstance(value, (str, bytes)) and len(value) <= INTERN_LEN:
            self.bytes += 3
        else:
            self.bytes += OBJECT

    def _Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a docstring or bare constant: dropped by the parser
        self.visit(node.value)
        self.bytes += 1  # POP_TOP

    def _Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        self.bytes += len(node.targets) - 1  # DUP_TOP
        self._each(node.targets)

    def _AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.target)
        self.visit(node.value)
        self.bytes += 1
        self.visit(node.target)

    def _BinOp(self, node: ast.BinOp) -> None:
        if _folds(node):
            value = folded_int(node)
            if value is not None and SMALL_INT[0] <= value <= SMALL_INT[1]:
                self.bytes += _int_bytes(value)
                return
        self.visit(node.left)
        self.visit(node.right)
        self.bytes += 1

    def _UnaryOp(self, node: ast.UnaryOp) -> None:
        if _folds(node):
            value = folded_int(node)
            if value is not None:
                self.bytes += _int_bytes(value)
                return
        self.visit(node.operand)
        self.bytes += 1

    def _Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        self._each(node.comparators)
        self.bytes += len(node.ops) + 6 * (len(node.ops) - 1)
        self.labels += 2 * (len(node.ops) > 1)

    def _BoolOp(self, node: ast.BoolOp) -> None:
        self._each(node.values)
        self.bytes += 3 * (len(node.values) - 1)
        self.labels += 1

    def _Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):  # LOAD_METHOD ... CALL_METHOD
            self.visit(node.func.value)
            self.bytes += 3
        else:
            self.visit(node.func)
        self._each(node.args)
        for keyword in node.keywords:
            self.bytes += 3
            self.visit(keyword.value)
        self.bytes += 2

    def _Attribute(self, node: ast.Attribute) -> None:
        self.visit(node.value)
        self.bytes += 3

    def _Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)
        self.bytes += 1

    def _List(self, node: ast.List) -> None:
        self._each(node.elts)
        self.bytes += 2

    _Tuple = _List
    _Set = _List

    def _Dict(self, node: ast.Dict) -> None:
        self.bytes += 2
        for key, value in zip(node.keys, node.values, strict=True):
            self._each([value, key])
            self.bytes += 1

    def _Try(self, node: ast.Try) -> None:
        # SETUP_EXCEPT, POP_BLOCK, JUMP; each handler: DUP_TOP, its type, the match,
        # POP_JUMP_IF_FALSE, three POP_TOPs, POP_EXCEPT, JUMP; END_FINALLY
        self.bytes += 7 + 1
        self.labels += 2 + len(node.handlers)
        self._each(node.body)
        for handler in node.handlers:
            self.bytes += 1 + 1 + 3 + 3 + 1 + 3
            if handler.type is not None:
                self.visit(handler.type)
            if handler.name:
                self.bytes += 3 + 8  # stored, then deleted in a finally of its own
            self._each(handler.body)
        self._each(node.orelse)
        if node.finalbody:
            self.bytes += 5
            self._each(node.finalbody)

    def _CompBody(self, node: _CompBody) -> None:
        # BUILD_LIST, and for each loop FOR_ITER, its target, JUMP back; each test a
        # POP_JUMP_IF_FALSE; the element and LIST_APPEND / YIELD_VALUE, POP_TOP
        self.bytes += 2 + 2
        for gen in node.generators:
            self.bytes += 6 + 3 * len(gen.ifs)
            self.labels += 2
        self._each(node.parts)

    def _If(self, node: ast.If) -> None:
        self.visit(node.test)
        self.bytes += 3 + (3 if node.orelse else 0)
        self.labels += 1 + bool(node.orelse)
        self._each(node.body)
        self._each(node.orelse)

    def _While(self, node: ast.While) -> None:
        self.visit(node.test)
        self.bytes += 6
        self.labels += 3
        self._each(node.body)
        self._each(node.orelse)

    def _For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.bytes += 7
        self.labels += 3
        self.visit(node.target)
        self._each(node.body)
        self._each(node.orelse)

    def _Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)
        else:
            self.bytes += 1
        self.bytes += 1

    def _scope_def(self, node: ast.AST, body: list, name: str | None) -> None:
        self.inner.append((node, body))
        self.bytes += OBJECT  # MAKE_FUNCTION with its raw code
        if name is not None:
            self.seen.add(name)
            self.bytes += 1 if name in self.fast else 3

    def _FunctionDef(self, node: ast.FunctionDef) -> None:
        self._each(node.args.defaults)
        self._each(node.decorator_list)
        self.bytes += 2 * len(node.decorator_list)
        self._scope_def(node, [*node.body, ast.Return(None)], node.name)

    _AsyncFunctionDef = _FunctionDef

    def _Lambda(self, node: ast.Lambda) -> None:
        self._each(node.args.defaults)
        self._scope_def(node, [ast.Return(node.body)], None)

    def _ClassDef(self, node: ast.ClassDef) -> None:
        self.bytes += 1 + 3 + 2  # LOAD_BUILD_CLASS, the name, CALL_FUNCTION
        self._each(node.bases)
        self._scope_def(node, [*node.body, ast.Return(None)], node.name)
        self.bytes += 12  # the class body's __module__ and __qualname__

    def _comprehension(self, node: ast.AST) -> None:
        gens = node.generators  # type: ignore[attr-defined]
        self.visit(gens[0].iter)
        self.bytes += 3
        self.labels += 2
        self._scope_def(node, [_CompBody(node)], None)


class _CompBody(ast.stmt):
    """A comprehension's own scope: its loops, tests and element."""

    _fields = ("parts",)

    def __init__(self, node: ast.AST) -> None:
        super().__init__()
        gens = node.generators  # type: ignore[attr-defined]
        self.generators = gens
        elts = [getattr(node, f) for f in ("elt", "key", "value") if hasattr(node, f)]
        self.parts = [*elts, *(part for g in gens for part in (g.target, *g.ifs)),
                      *(g.iter for g in gens[1:])]


for _kind in (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp):
    setattr(_Emit, "_" + _kind.__name__, _Emit._comprehension)  # noqa: SLF001
