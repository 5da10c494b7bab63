"""Assembling an ``@micropython.asm_thumb`` function: its body, as MicroPython reads it.

The language and every error text are MicroPython's inline assembler (py/emitinlinethumb.c
and compile_scope_inline_asm in py/compile.c, read in bbcmicrobit/micropython for V1 and
MicroPython 1.18 for V2; wording checked on the V1 firmware under QEMU). The encodings are
the ARMv6-M / ARMv7-M Architecture Reference Manuals' (DDI 0419, DDI 0403): Thumb 16-bit
formats for V1's Cortex-M0, plus the 32-bit forms V2's Cortex-M4F adds (movw/movt, sdiv,
udiv, clz, rbit, mrs, ldrex/strex, wide push/pop and branches, it, and the VFP subset).

The code is framed as the firmware frames it: ``push {r1, r4-r7, lr}`` first and
``pop {r1, r4-r7, pc}`` last (asm_thumb_entry/exit), so labels, ``align`` and ``pc`` see
the offsets they see on the device.
"""

from __future__ import annotations

import ast
import struct

from ubit.sim.shared.parsetreesize import folded_int
from ubit.sim.shared.typenames import Any

ENTRY, EXIT = 0xB5F2, 0xBDF2  # push {r1, r4-r7, lr} / pop {r1, r4-r7, pc}
RETURN_TYPES = ("object", "bool", "int", "uint")

_REGISTERS = {f"r{n}": n for n in range(16)}
_REGISTERS.update(sl=10, fp=11, sp=13, lr=14, pc=15)
_SPECIAL = {"IPSR": 5, "BASEPRI": 17}
_CONDITIONS = {name: n for n, name in enumerate(
    ("eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"))}
# Format 4 (ALU register-register, ARMv6-M A6.7): name -> opcode in bits 6-9
_ALU = {"and_": 0, "eor": 1, "lsl": 2, "lsr": 3, "asr": 4, "adc": 5, "sbc": 6, "ror": 7,
        "tst": 8, "neg": 9, "cmp": 10, "cmn": 11, "orr": 12, "mul": 13, "bic": 14, "mvn": 15}
# Load/store with immediate offset: opcode, offset mask (bytes, halfwords, words)
_LOAD_STORE = {"str": (0x6000, 0x7C, 2), "ldr": (0x6800, 0x7C, 2), "strb": (0x7000, 0x1F, 0),
               "ldrb": (0x7800, 0x1F, 0), "strh": (0x8000, 0x3E, 1), "ldrh": (0x8800, 0x3E, 1)}
_SHIFTS = {"lsl": 0x0000, "lsr": 0x0800, "asr": 0x1000}
_IMM8 = {"mov": 0x2000, "cmp": 0x2800, "add": 0x3000, "sub": 0x3800}
_VFP_ARITH = {"vadd": 0x30, "vsub": 0x34, "vmul": 0x20, "vdiv": 0x80}
_VFP_TWO = {"vcmp": (0xEEB4, 0x0AC0), "vsqrt": (0xEEB1, 0x0AC0), "vneg": (0xEEB1, 0x0A40),
            "vcvt_f32_s32": (0xEEB8, 0x0AC0), "vcvt_s32_f32": (0xEEBD, 0x0AC0)}
# The parser folds constant expressions before the assembler sees them (py/parse.c)
class AsmError(Exception):
    """An error in the assembly: the firmware's SyntaxError text and the line it names."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Dialect:
    """What one board's firmware assembles (V1: ARMv6-M only; V2: ARMv7-M and the FPU)."""

    def __init__(self, armv7m: bool, fpu: bool, empty_call_has_one_arg: bool,
                 does_not: str, lineless_errors: bool) -> None:
        self.armv7m = armv7m
        self.fpu = fpu
        # V1's small-heap compiler counts ``nop()`` as one argument (measured under QEMU:
        # "unsupported Thumb instruction 'nop' with 1 arguments")
        self.empty_call_has_one_arg = empty_call_has_one_arg
        self.does_not = does_not  # "does not" (1.9.2) / "doesn't" (1.18)
        self.lineless_errors = lineless_errors  # V1 reports some errors at line 0 (QEMU)


class SelfLoop:
    """A loop of one straight run of code: ``label(L)``, no branch, then ``b<cc>(L)``.

    The machine runs its turns without a Python hook and counts them in a spare register,
    so each turn costs ``turn_cycles`` (its instructions and the taken branch).
    """

    __slots__ = ("start", "branch", "turn_cycles", "instructions")

    def __init__(self, start: int, branch: int, turn_cycles: int, instructions: int) -> None:
        self.start, self.branch = start, branch  # offsets of the body and of its B<c>
        self.turn_cycles, self.instructions = turn_cycles, instructions


class Assembled:
    """A function's machine code, its parameter count and its return type."""

    def __init__(self, code: bytes, n_args: int, return_type: str, cycles: dict[int, int],
                 self_loops: list[SelfLoop], free_high: tuple[int, ...]) -> None:
        self.code = code
        self.n_args = n_args
        self.return_type = return_type
        self.cycles = cycles  # offset of each instruction -> its cycles (not taken)
        self.self_loops = self_loops
        self.free_high = free_high  # r8-r12 the code never names (the machine's counters)


class _Instr:
    """One instruction: where its bytes are, the registers it names, where it branches."""

    __slots__ = ("offset", "size", "name", "registers", "target")

    def __init__(self, offset: int, size: int, name: str, registers: set[int],
                 target: int | None) -> None:
        self.offset, self.size, self.name = offset, size, name
        self.registers, self.target = registers, target


def assemble(func: ast.FunctionDef | ast.ClassDef, dialect: Dialect) -> Assembled:
    """Machine code for ``func`` (its decorator already recognised), or AsmError."""
    if not isinstance(func, ast.FunctionDef):
        raise AsmError("inline assembler must be a function", 0)
    line0 = 0 if dialect.lineless_errors else func.lineno
    return_type = "int"
    if func.returns is not None:
        if not isinstance(func.returns, ast.Name):
            raise AsmError("return annotation must be an identifier", func.returns.lineno)
        if func.returns.id not in RETURN_TYPES:
            raise AsmError("unknown type", line0)
        return_type = func.returns.id
    statements = _statements(func, dialect)
    n_args = _count_params(func, line0)
    labels: dict[str, int] = {}
    first = _Pass(dialect, labels, final=False)
    first.run(statements)
    second = _Pass(dialect, first.labels, final=True)
    second.run(statements)
    code = bytes(second.code)
    free_high = tuple(r for r in (12, 11, 10, 9, 8) if r not in second.used)
    return Assembled(code, n_args, return_type, second.cycles,
                     _self_loops(second.instrs, second.cycles), free_high)


def _is_branch(name: str) -> bool:
    return name in ("b", "bl", "bx") or (name[:1] == "b" and name[1:3] in _CONDITIONS)


def _self_loops(instrs: list[_Instr], cycles: dict[int, int]) -> list[SelfLoop]:
    """The loops whose body is one straight run ending in a 16-bit B<c> back to its start."""
    found = []
    index = {ins.offset: i for i, ins in enumerate(instrs)}
    for i, ins in enumerate(instrs):
        if not (ins.name[:1] == "b" and ins.name[1:3] in _CONDITIONS and ins.size == 2 and
                ins.name[3:] in ("", "_n") and ins.target is not None and ins.target < ins.offset):
            continue
        first = index.get(ins.target)
        if first is None:
            continue
        body = instrs[first:i]
        # straight code only (no branch, nothing reading or writing pc, no IT block, no data
        # between): the machine runs a copy of it elsewhere
        if any(_is_branch(b.name) or 15 in b.registers or b.name.startswith("it") or
               b.name == "wfi" for b in body):
            continue
        if any(a.offset + a.size != b.offset for a, b in zip(body, body[1:] + [ins], strict=True)):
            continue
        if ins.offset - ins.target > 200:
            continue
        turn = sum(cycles.get(b.offset, 1) for b in body) + 1 + 2  # B<c> taken: 3 cycles
        found.append(SelfLoop(ins.target, ins.offset, turn, len(body) + 1))
    return found


def _count_params(func: ast.FunctionDef, line0: int) -> int:
    args = func.args
    params = args.posonlyargs + args.args + args.kwonlyargs
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    if len(params) > 4:
        raise AsmError("can only have up to 4 parameters to Thumb assembly", func.lineno)
    if args.vararg or args.kwarg or args.kwonlyargs or args.defaults or \
            [p.arg for p in params] != [f"r{i}" for i in range(len(params))]:
        # V1 names line 0 when the parameter list is a single name (a parse leaf, QEMU)
        raise AsmError("parameters must be registers in sequence r0 to r3",
                       line0 if len(params) == 1 else func.lineno)
    return len(params)


def _statements(func: ast.FunctionDef, dialect: Dialect) -> list[tuple[str, list[Any], int]]:
    """(instruction, argument nodes, line) per statement; the statement checks."""
    found = []
    for node in func.body:
        if isinstance(node, ast.Pass):
            continue
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            raise AsmError("expecting an assembler instruction", node.lineno)
        name, args = call.func.id, list(call.args) + [k.value for k in call.keywords]
        if not args and dialect.empty_call_has_one_arg:
            args = [None]
        if name == "label" and not (len(args) == 1 and isinstance(args[0], ast.Name)):
            raise AsmError("'label' requires 1 argument", node.lineno)
        if name == "align" and not (len(args) == 1 and folded_int(args[0]) is not None):
            raise AsmError("'align' requires 1 argument", node.lineno)
        if name == "data":
            if not (len(args) >= 2 and folded_int(args[0]) is not None):
                raise AsmError("'data' requires at least 2 arguments", node.lineno)
            if any(folded_int(a) is None for a in args[1:]):
                raise AsmError("'data' requires integer arguments", node.lineno)
        found.append((name, args, call.lineno))
    return found


def _fits(value: int, bits: int) -> bool:
    return -(1 << (bits - 1)) <= value < (1 << (bits - 1))


class _Pass:
    """One pass over the statements: sizes and label offsets, then (final) the bytes."""

    def __init__(self, dialect: Dialect, labels: dict[str, int], final: bool) -> None:
        self.dialect = dialect
        self.known = labels  # the first pass's label offsets (all of them, on the final pass)
        self.labels: dict[str, int] = {}
        self.final = final
        self.code = bytearray(struct.pack("<H", ENTRY))
        self.cycles: dict[int, int] = {0: 6}  # push of 5 registers and lr: 1 + N
        self.instrs: list[_Instr] = []
        self.used: set[int] = set()  # every register the code names
        self.line = 0
        self.op = ""
        self._registers: set[int] = set()
        self._target: int | None = None

    # -- driving --------------------------------------------------------------------------
    def run(self, statements: list[tuple[str, list[Any], int]]) -> None:
        for name, args, line in statements:
            self.line, self.op = line, name
            if name == "label":
                label = args[0].id
                if not self.final and label in self.labels:
                    raise AsmError("label redefined", line)
                self.labels[label] = len(self.code)
            elif name == "align":
                size = folded_int(args[0]) or 1
                while len(self.code) % size:
                    self.code.append(0)
            elif name == "data":
                size = folded_int(args[0]) or 0
                for value in args[1:]:
                    number = folded_int(value) or 0
                    self.code += (number & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
            else:
                start = len(self.code)
                self._registers, self._target = set(), None
                self.instruction(name, args)
                self._note(start, name, args)
                self.instrs.append(_Instr(start, len(self.code) - start, name, self._registers,
                                          self._target))
                self.used |= self._registers
        self.emit(EXIT)
        self.cycles[len(self.code) - 2] = 9  # pop of 5 registers and pc: 4 + N

    def _note(self, start: int, name: str, args: list[Any]) -> None:
        """Cycles per instruction (Cortex-M0 TRM table 3-1)."""
        cost = 2 if name.startswith(("ldr", "str")) else 1
        if name in ("push", "pop"):
            cost = 1 + bin(self._reglist(args[0]) if self.final else 0).count("1")
        elif name == "bl":
            cost = 4
        elif name == "bx":
            cost = 3
        elif name == "b":
            cost = 3
        self.cycles[start] = cost

    def emit(self, half: int) -> None:
        self.code += struct.pack("<H", half & 0xFFFF)

    def emit32(self, high: int, low: int) -> None:
        self.emit(high)
        self.emit(low)

    # -- arguments --------------------------------------------------------------------------
    def fail(self, message: str) -> AsmError:
        return AsmError(message, self.line)

    def unknown(self, n_args: int) -> AsmError:
        return self.fail(f"unsupported Thumb instruction '{self.op}' with {n_args} arguments")

    def reg(self, node: Any, highest: int) -> int:
        name = node.id if isinstance(node, ast.Name) else ""
        if name in _REGISTERS:
            number = _REGISTERS[name]
            if number > highest:
                raise self.fail(f"'{self.op}' expects at most r{highest}")
            self._registers.add(number)
            return number
        raise self.fail(f"'{self.op}' expects a register")

    def vreg(self, node: Any) -> int:
        name = node.id if isinstance(node, ast.Name) else ""
        if len(name) > 1 and name[0] == "s" and name[1:].isdigit():
            if int(name[1:]) > 31:
                raise self.fail(f"'{self.op}' expects at most r31")
            return int(name[1:])
        raise self.fail(f"'{self.op}' expects an FPU register")

    def integer(self, node: Any, mask: int) -> int:
        value = folded_int(node)
        if value is None:
            raise self.fail(f"'{self.op}' expects an integer")
        value &= 0xFFFFFFFF
        if value & ~mask:
            raise self.fail(f"'{self.op}' integer 0x{value:x} {self.dialect.does_not} fit in "
                            f"mask 0x{mask:x}")
        return value

    def address(self, node: Any) -> tuple[Any, Any]:
        if isinstance(node, ast.List) and len(node.elts) == 2:
            return node.elts[0], node.elts[1]
        raise self.fail(f"'{self.op}' expects an address of the form [a, b]")

    def _reglist(self, node: Any) -> int:
        if isinstance(node, ast.Set) and node.elts:
            mask = 0
            for element in node.elts:
                mask |= 1 << self.reg(element, 15)
            return mask
        raise self.fail(f"'{self.op}' expects {{r0, r1, ...}}")

    def label(self, node: Any) -> int:
        if not isinstance(node, ast.Name):
            raise self.fail(f"'{self.op}' expects a label")
        if node.id in self.known:
            self._target = self.known[node.id]
            return self.known[node.id]
        if self.final:
            if not self.known:  # nothing to fall back on: the firmware reads a stray offset
                raise self.fail("branch not in range")
            raise self.fail(f"label '{node.id}' not defined")
        return len(self.code)

    def relative(self, target: int) -> int:
        return target - len(self.code) - 4  # the pc reads 4 bytes ahead

    # -- instructions -------------------------------------------------------------------------
    def instruction(self, op: str, args: list[Any]) -> None:
        n = len(args)
        v7 = self.dialect.armv7m
        if self.dialect.fpu and op.startswith("v"):
            self.vfp(op, args)
        elif n == 1 and args[0] is None:  # V1: an empty argument list
            raise self.unknown(1)
        elif n == 0:
            if op == "nop":
                self.emit(0xBF00)
            elif op == "wfi":
                self.emit(0xBF30)
            else:
                raise self.unknown(0)
        elif n == 1:
            self.one(op, args[0], v7)
        elif n == 2:
            self.two(op, args, v7)
        elif n == 3:
            self.three(op, args, v7)
        else:
            raise self.unknown(n)

    def one(self, op: str, arg: Any, v7: bool) -> None:
        if op == "b":
            rel = self.relative(self.label(arg))
            self.emit(0xE000 | ((rel >> 1) & 0x7FF))
            if self.final and not _fits(rel, 12):
                raise self.fail("branch not in range")
        elif op == "bl":
            rel = self.relative(self.label(arg))
            self.emit32(*_bl(rel))
            if self.final and not _fits(rel, 23):
                raise self.fail("branch not in range")
        elif op == "bx":
            self.emit(0x4700 | (self.reg(arg, 15) << 3))
        elif op[0] == "b" and (len(op) == 3 or (len(op) == 5 and op[3] == "_" and
                                                 (op[4] == "n" or (v7 and op[4] == "w")))):
            cond = _CONDITIONS.get(op[1:3])
            if cond is None:
                raise self.unknown(1)
            rel = self.relative(self.label(arg))
            if len(op) == 5 and op[4] == "w":
                self.emit32(*_bcc_wide(cond, rel))
            else:
                self.emit(0xD000 | (cond << 8) | ((rel >> 1) & 0xFF))
                if self.final and not _fits(rel, 9):
                    raise self.fail("branch not in range")
        elif v7 and op.startswith("it"):
            self.it(op, arg)
        elif op == "cpsid":
            self.emit(0xB672)
        elif op == "cpsie":
            self.emit(0xB662)
        elif op in ("push", "pop"):
            mask = self._reglist(arg)
            if mask & 0xFF00 == 0:
                self.emit((0xB400 if op == "push" else 0xBC00) | mask)
            elif v7:
                self.emit32(0xE92D if op == "push" else 0xE8BD, mask)
            else:
                raise self.unknown(1)
        else:
            raise self.unknown(1)

    def it(self, op: str, arg: Any) -> None:
        cond = _CONDITIONS.get(arg.id if isinstance(arg, ast.Name) else "")
        suffix = op[2:]
        if cond is None or len(suffix) > 3 or any(c not in "te" for c in suffix):
            raise self.unknown(1)
        mask = 8
        for c in reversed(suffix):
            mask >>= 1
            mask |= ((cond if c == "t" else ~cond) & 1) << 3
        self.emit(0xBF00 | (cond << 4) | mask)

    def two(self, op: str, args: list[Any], v7: bool) -> None:
        first, second = args
        if isinstance(second, ast.Name):
            if op == "mov":
                dest, src = self.reg(first, 15), self.reg(second, 15)
                self.emit(0x4600 | ((dest & 8) << 4) | (src << 3) | (dest & 7))
            elif v7 and op in ("clz", "rbit"):
                rd, rm = self.reg(first, 15), self.reg(second, 15)
                high, low = (0xFAB0, 0xF080) if op == "clz" else (0xFA90, 0xF0A0)
                self.emit32(high | rm, low | (rd << 8) | rm)
            elif v7 and op == "mrs":
                rd = self.reg(first, 12)
                name = second.id
                if name not in _SPECIAL:
                    raise self.fail(f"'{op}' expects a special register")
                self.emit32(0xF3EF, 0x8000 | (rd << 8) | _SPECIAL[name])
            elif op in _ALU:
                rd, rs = self.reg(first, 7), self.reg(second, 7)
                self.emit(0x4000 | (_ALU[op] << 6) | (rs << 3) | rd)
            else:
                raise self.unknown(2)
        elif op in _IMM8:
            rd = self.reg(first, 7)
            self.emit(_IMM8[op] | (rd << 8) | self.integer(second, 0xFF))
        elif v7 and op in ("movw", "movt"):
            rd = self.reg(first, 15)
            self.mov16(0xF240 if op == "movw" else 0xF2C0, rd, self.integer(second, 0xFFFF))
        elif v7 and op == "movwt":
            rd = self.reg(first, 15)
            value = self.integer(second, 0xFFFFFFFF)
            self.mov16(0xF240, rd, value & 0xFFFF)
            self.mov16(0xF2C0, rd, value >> 16)
        elif v7 and op == "ldrex":
            rd = self.reg(first, 15)
            base, offset = self.address(second)
            rn = self.reg(base, 15)
            self.emit32(0xE850 | rn, 0x0F00 | (rd << 12) | (self.integer(offset, 0xFF) >> 2))
        elif op in _LOAD_STORE:
            code, mask, shift = _LOAD_STORE[op]
            rd = self.reg(first, 7)
            base, offset = self.address(second)
            rb = self.reg(base, 7)
            self.emit(code | ((self.integer(offset, mask) >> shift) << 6) | (rb << 3) | rd)
        else:
            raise self.unknown(2)

    def mov16(self, code: int, rd: int, value: int) -> None:
        self.emit32(code | ((value >> 1) & 0x400) | ((value >> 12) & 0xF),
                    ((value << 4) & 0x7000) | (rd << 8) | (value & 0xFF))

    def three(self, op: str, args: list[Any], v7: bool) -> None:
        if op in _SHIFTS:
            rd, rs = self.reg(args[0], 7), self.reg(args[1], 7)
            self.emit(_SHIFTS[op] | (self.integer(args[2], 0x1F) << 6) | (rs << 3) | rd)
        elif op in ("add", "sub"):
            rd, rs = self.reg(args[0], 7), self.reg(args[1], 7)
            code = 0x1800 if op == "add" else 0x1A00
            if isinstance(args[2], ast.Name):
                operand = self.reg(args[2], 7)
            else:
                code |= 0x0400
                operand = self.integer(args[2], 0x7)
            self.emit(code | (operand << 6) | (rs << 3) | rd)
        elif v7 and op in ("sdiv", "udiv"):
            rd, rn, rm = (self.reg(a, 15) for a in args)
            self.emit32((0xFB90 if op == "sdiv" else 0xFBB0) | rn, 0xF0F0 | (rd << 8) | rm)
        elif v7 and op == "strex":
            rd, rs = self.reg(args[0], 15), self.reg(args[1], 15)
            base, offset = self.address(args[2])
            rn = self.reg(base, 15)
            self.emit32(0xE840 | rn, (rs << 12) | (rd << 8) | (self.integer(offset, 0xFF) >> 2))
        else:
            raise self.unknown(3)

    def vfp(self, op: str, args: list[Any]) -> None:
        n = len(args)
        if n == 2 and op in _VFP_TWO:
            high, low = _VFP_TWO[op]
            vd, vm = self.vreg(args[0]), self.vreg(args[1])
            self.emit32(high | ((vd & 1) << 6),
                        low | ((vd & 0x1E) << 11) | ((vm & 1) << 5) | ((vm & 0x1E) >> 1))
        elif n == 2 and op == "vmrs":
            first = args[0].id if isinstance(args[0], ast.Name) else ""
            rd = 15 if first == "APSR_nzcv" else self.reg(args[0], 15)
            if not (isinstance(args[1], ast.Name) and args[1].id == "FPSCR"):
                raise self.unknown(2)
            self.emit32(0xEEF1, 0x0A10 | (rd << 12))
        elif n == 2 and op == "vmov":
            to_arm = isinstance(args[0], ast.Name) and args[0].id.startswith("r")
            if to_arm:
                rt, sn, high = self.reg(args[0], 15), self.vreg(args[1]), 0xEE10
            else:
                sn, rt, high = self.vreg(args[0]), self.reg(args[1], 15), 0xEE00
            self.emit32(high | ((sn & 0x1E) >> 1), 0x0A10 | (rt << 12) | ((sn & 1) << 7))
        elif n == 2 and op in ("vldr", "vstr"):
            vd = self.vreg(args[0])
            base, offset = self.address(args[1])
            rn = self.reg(base, 7)
            imm = self.integer(offset, 0x3FC) >> 2
            self.emit32((0xED90 if op == "vldr" else 0xED80) | rn | ((vd & 1) << 6),
                        0x0A00 | ((vd & 0x1E) << 11) | imm)
        elif n == 3 and op in _VFP_ARITH:
            code = _VFP_ARITH[op]
            vd, vn, vm = (self.vreg(a) for a in args)
            self.emit32(0xEE00 | (code & 0xF0) | ((vd & 1) << 6) | (vn >> 1),
                        0x0A00 | ((code & 0x0F) << 4) | (vm >> 1) | ((vm & 1) << 5) |
                        ((vd & 0x1E) << 11) | ((vn & 1) << 7))
        else:
            raise self.unknown(n)


def _bl(rel: int) -> tuple[int, int]:
    """BL (ARMv6-M A6.7.13, encoding T1): S, imm10 / J1, J2, imm11 of a 25-bit offset."""
    s = (rel >> 24) & 1
    i1, i2 = (rel >> 23) & 1, (rel >> 22) & 1
    j1, j2 = (~i1 ^ s) & 1, (~i2 ^ s) & 1
    return (0xF000 | (s << 10) | ((rel >> 12) & 0x3FF),
            0xD000 | (j1 << 13) | (j2 << 11) | ((rel >> 1) & 0x7FF))


def _bcc_wide(cond: int, rel: int) -> tuple[int, int]:
    """B<c>.W (ARMv7-M A7.7.12, encoding T3): S, cond, imm6 / J1, J2, imm11."""
    s, j2, j1 = (rel >> 20) & 1, (rel >> 19) & 1, (rel >> 18) & 1
    return (0xF000 | (s << 10) | (cond << 6) | ((rel >> 12) & 0x3F),
            0x8000 | (j1 << 13) | (j2 << 11) | ((rel >> 1) & 0x7FF))
