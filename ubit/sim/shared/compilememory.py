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
with the V1 firmware under QEMU on 21 program shapes (tests/fidelity/compile_derive.py
records them, tests/sim/test_compile_memory.py holds them): each stops fitting here within
6 % of the size the firmware stops at, and the bytecode sizes printed agree within 1 %. A
pool made late in a long parse can't go below the tree's buffer, which then moves: both
copies are held at once (``_moved_tree``: programs of many short strings). The allocation
reported is the one that didn't fit; when it is smaller than the firmware's MemoryError
object, the message is empty, as the firmware prints it.

The tree's size is ``parsetreesize``'s, each scope's code ``bytecodesize``'s; this module
adds up what they hold, in order, against the room the heap has.
"""

from __future__ import annotations

import ast

from ubit.sim.shared.bytecodesize import Scopes
from ubit.sim.shared.parsetreesize import ParseSize, in_blocks

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
    parse = ParseSize()
    tree_bytes = parse.size(tree)
    scopes = Scopes()
    scopes.scope(tree, tree.body)
    interned = [name for name in parse.names if name not in ROM_QSTRS]
    found.tree_buffer = (tree_bytes + 16) // 8 * 8 + 8  # py/vstr.c: ROUND_ALLOC(len + 16)
    parts = found.parts
    parts["tree"] = in_blocks(found.tree_buffer)
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
    found.codes = [in_blocks(size) for size in scopes.codes]
    return found


def _moved_tree(found: Estimate, parse: ParseSize, interned: list[str]) -> int:
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
    kept.append(in_blocks(parts["qstrs"] + parts["pools"] + found.string_bytes))
    if running:
        kept.append(parts["tree"])
    return kept


def _pool_bytes(count: int) -> int:
    """The qstr pools holding ``count`` new qstrs: the first 20 entries, each next twice the
    last (py/qstr.c; the built-in pool's ``alloc`` is 10), with a 16-byte header."""
    total, size = 0, 20
    while count > 0:
        total += in_blocks(16 + 4 * size)
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
