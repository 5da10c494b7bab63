"""The compiler's ``@micropython.<name>`` decorators, as MicroPython's compiler takes them.

They are not calls of the ``micropython`` module: the compiler consumes them
(compile_built_in_decorator in py/compile.c), so they work without ``import micropython``.
Both firmwares accept ``bytecode`` and ``asm_thumb``; neither enables the native emitter
(V1: mpconfigport.h has no MICROPY_EMIT_THUMB; V2 v2.1.2 neither), so ``native`` and
``viper`` are "invalid micropython decorator" as on the device (V1 checked under QEMU).

An ``asm_thumb`` function is assembled here; its decorator becomes a call of the board's
``__mp_asm_thumb__`` with the machine code, which readies the machine when the definition
runs and puts the firmware's kind of function in the user's one's place (``runtime``).
"""

from __future__ import annotations

import ast

from ubit.sim.micropython.asm.assembler import AsmError, Assembled, Dialect, assemble
from ubit.sim.shared.boards import BoardSpec

ACCEPTED = ("bytecode", "asm_thumb")
ASSEMBLED: dict[bytes, Assembled] = {}  # what was assembled, by its code (machine.py)


def dialect(spec: BoardSpec) -> Dialect:
    """The assembler of ``spec``'s firmware."""
    return Dialect(armv7m=spec.asm_armv7m, fpu=spec.asm_fpu,
                   empty_call_has_one_arg=spec.grammar_1_9, does_not=spec.does_not,
                   lineless_errors=spec.grammar_1_9)


def rewrite(tree: ast.AST, spec: BoardSpec) -> list[tuple[str, int, str]]:
    """Apply every ``@micropython.*`` decorator in ``tree``; the errors (message, line, scope)."""
    errors: list[tuple[str, int, str]] = []
    scopes: list[tuple[ast.AST, str]] = [(tree, "<module>")]
    while scopes:
        node, scope = scopes.pop()
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = child.name
                error = _decorated(child, spec, scope)
                if error is not None:
                    errors.append(error)
                    continue
            scopes.append((child, inner))
    return errors


def _decorated(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, spec: BoardSpec,
               scope: str) -> tuple[str, int, str] | None:
    kept, asm = [], False
    for decorator in node.decorator_list:
        parts = _dotted(decorator)
        if not parts or parts[0] != "micropython":
            kept.append(decorator)
            continue
        if len(parts) != 2 or parts[1] not in ACCEPTED:
            return "invalid micropython decorator", decorator.lineno, scope
        asm = asm or parts[1] == "asm_thumb"
    node.decorator_list = kept
    if not asm:
        return None
    try:
        code = assemble(node, dialect(spec))  # type: ignore[arg-type]
    except AsmError as exc:
        return exc.message, exc.line, node.name
    ASSEMBLED[code.code] = code  # its timing, for the machine that runs it
    where = node.body[0] if node.body else node
    node.body = [ast.copy_location(ast.Pass(), where)]  # type: ignore[list-item]
    node.returns = None
    node.decorator_list = kept + [ast.copy_location(
        ast.Call(ast.Name("__mp_asm_thumb__", ast.Load()),
                 [ast.Constant(code.code), ast.Constant(code.n_args),
                  ast.Constant(code.return_type)], []), node)]
    ast.fix_missing_locations(node)
    return None


def _dotted(node: ast.expr) -> list[str]:
    """``a.b.c`` as ["a", "b", "c"]; [] for anything else (a call, a subscript)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return []
    return [node.id, *reversed(parts)]
