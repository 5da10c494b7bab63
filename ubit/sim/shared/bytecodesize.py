"""How many bytes of bytecode MicroPython 1.9.2 emits for each scope of a program.

Opcode by opcode after py/emitbc.c and py/compile2.c (the V1's small-heap compiler): a qstr
operand takes 2 bytes, a small int in -16..47 one, a pointer 4 aligned to 4; each scope also
has its code info (name, file, line-number table) and prelude. ``Scopes`` walks them in the
order the compiler makes them: the module first, then the scopes inside it, breadth first.
"""

from __future__ import annotations

import ast

from ubit.sim.shared.parsetreesize import INTERN_LEN, SMALL_INT, children, folded_int, folds

CODE_INFO = 15  # a scope's code info (name, file, sizes), prelude and closing RETURN_VALUE


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Scopes:
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
        found.extend(children(current))
    return found


def _int_bytes(value: int) -> int:
    """LOAD_CONST_SMALL_INT: one byte for -16..47, else the opcode and a signed varint."""
    if -16 <= value <= 47:
        return 1
    size = 1
    while not -(1 << (7 * size - 1)) <= value < (1 << (7 * size - 1)):
        size += 1
    return 1 + size


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
        for kid in children(node):
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
        if folds(node):
            value = folded_int(node)
            if value is not None and SMALL_INT[0] <= value <= SMALL_INT[1]:
                self.bytes += _int_bytes(value)
                return
        self.visit(node.left)
        self.visit(node.right)
        self.bytes += 1

    def _UnaryOp(self, node: ast.UnaryOp) -> None:
        if folds(node):
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
