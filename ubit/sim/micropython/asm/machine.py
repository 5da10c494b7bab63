"""Running assembled code: an emulated Cortex-M core (unicorn) with the board behind it.

The memory map is the chip's: flash from 0 (reads as erased-to-zero here: the firmware
isn't in it), RAM from 0x20000000 (code is placed in the MicroPython heap, as the firmware
places it; the stack is at the top of RAM; buffers passed as arguments are copied into RAM
and back), the GPIO ports (``ubit.sim.board.parts.gpio``), the firmware's running timer
and the RNG (``ubit.sim.board.parts.peripherals``), and the rest of the peripheral space
(0x40000000-0x400FFFFF, 0x50000000-0x50000FFF) reading 0 and ignoring writes. Anything
else is a bus fault: the device's HardFault handler then loops for ever (measured on V1
under QEMU: the board stops, prints nothing, the REPL never comes back), so the board here
stops too, until it is reset or its run ends. So does a return that leaves the stack
unbalanced (``bx(lr)`` before the end skips the frame's ``pop``: the firmware's caller
then runs on a wrong stack; measured on V1 under QEMU: the board stops).

Time: every instruction is charged its cycles (Cortex-M0 TRM table 3-1: 1 per data
operation, 2 per load/store, 3 per taken branch, 4 per BL, 1+N per push/pop, 4+N for a pop
of pc; the M4 is modelled with the same figures) at the board's clock (16 MHz V1, 64 MHz
V2), and the board's clock moves by that. Straight code is charged a block at a time by a
Python hook on the function's own code. A loop of one straight run (``label(L)``, no
branch, ``b<cc>(L)``) would cost a hook per turn, so its turns run without one: the
loop's branch is pointed at a copy of its body placed before the function, which first adds
1 to a register the function never names (r8-r12) and branches back to itself; each count
is one taken turn, charged what the turn costs. The count is read whenever the clock is
charged: at the GPIO, timer and RNG registers (to within the turn under way), at the end,
and at least every ``WATCH_S`` of wall time (a watchdog thread stops the core, which then
carries on), so an endless loop still meets the run's time limit.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from importlib import util as import_util

from ubit.sim.board import cost
from ubit.sim.board.parts import gpio as gpio_part
from ubit.sim.board.parts import peripherals
from ubit.sim.micropython.asm.assembler import Assembled
from ubit.sim.micropython.asm.decorators import ASSEMBLED
from ubit.sim.micropython.asm.location import unicorn_folder
from ubit.sim.shared.typenames import Any

RAM = 0x20000000
EXIT_ADDRESS = 0x100  # in flash: where the function's ``pop {pc}`` returns to
CODE_SPACE = 4096  # bytes of heap for functions' code (and their loops' copies)
STACK_SPACE = 2048
TCG_BUFFER = 8 << 20  # bytes of translated code unicorn may keep
FLUSH_CYCLES = 4000  # charge the clock at least this often (0.25 ms on V1)
TAKEN_EXTRA = 2  # a taken conditional branch: 3 cycles instead of 1
PERIPHERALS = ((0x40000000, 0x100000), (0x50000000, 0x1000))
PAGE = 0x1000
WATCH_S = 0.05  # wall time the core runs before the watchdog hands control back
MAX_BRANCH_BACK = 256  # B<c> T1 reaches 256 bytes back from pc (ARMv6-M A6.7.10)
MAX_B_FORWARD = 2046  # B T2 reaches 2046 bytes on (A6.7.10)


class HardFault(BaseException):
    """The code touched memory that doesn't exist (the device stops in its fault handler)."""


def load_unicorn() -> Any:
    """The unicorn package, imported from its folder (the board runs without site-packages)."""
    if "unicorn" in sys.modules:
        return sys.modules["unicorn"]
    try:
        import unicorn  # a host process (tests, benchmarks) has site-packages

        return unicorn
    except ImportError:
        pass
    folder = unicorn_folder()
    if folder is None:
        raise ImportError("the inline assembler needs the unicorn package (pip install unicorn)")
    spec = import_util.spec_from_file_location(
        "unicorn", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder])
    assert spec is not None and spec.loader is not None
    module = import_util.module_from_spec(spec)
    sys.modules["unicorn"] = module
    spec.loader.exec_module(module)
    return module


class _Placed:
    """A function in the code space: where it is, its hook, its loops' counters."""

    __slots__ = ("address", "size", "hook", "one", "loops")

    def __init__(self, address: int, size: int) -> None:
        self.address, self.size = address, size
        self.hook: Any = None
        self.one: int | None = None  # the register holding 1 (unicorn's number)
        self.loops: list[list[int]] = []  # [register, cycles a turn, instructions a turn]


class Machine:
    """One board's core: its memory, its registers, and its clock."""

    def __init__(self, board: Any) -> None:
        uc_mod = load_unicorn()
        from unicorn import arm_const as arm

        self.arm = arm
        self.uc_mod = uc_mod
        spec = board.spec
        self.board = board
        self.spec = spec
        self.hz = spec.machine_freq
        self.uc = uc = uc_mod.Uc(uc_mod.UC_ARCH_ARM, uc_mod.UC_MODE_THUMB | uc_mod.UC_MODE_MCLASS)
        # QEMU's default translation buffer is 1 GB: more than the board's address-space limit
        uc.ctl_set_tcg_buffer_size(TCG_BUFFER)
        uc.ctl_set_cpu_model(arm.UC_CPU_ARM_CORTEX_M0 if spec.cpu_model == "cortex-m0"
                             else arm.UC_CPU_ARM_CORTEX_M4)
        uc.mem_map(0, spec.flash_size, uc_mod.UC_PROT_READ | uc_mod.UC_PROT_EXEC)
        uc.mem_map(RAM, spec.ram_size, uc_mod.UC_PROT_ALL)
        self.gpio = gpio_part.of(board)
        self.timer = peripherals.timer_of(board)
        self.rng = peripherals.rng_of(board)
        self.timer_base = peripherals.timer_base(spec)
        self._map_peripherals(uc)
        self.UcError = uc_mod.UcError
        self.heap_next = spec.heap_address
        self.heap_end = spec.heap_address + CODE_SPACE
        self.stack_top = RAM + spec.ram_size
        # Hooks only where Python must charge blocks: outside the code space, and each
        # function's own code (its loops' copies, between them, run hook-free)
        for begin, end in ((0, spec.heap_address - 1), (self.heap_end, 0xFFFFFFFF)):
            uc.hook_add(uc_mod.UC_HOOK_BLOCK, self._on_block, None, begin, end)
        self.placed: dict[bytes, _Placed] = {}
        self.cost: dict[int, int] = {}  # address -> cycles of the instruction there
        self.conditional: set[int] = set()  # addresses of conditional branches
        self.blocks: dict[tuple[int, int], tuple[int, int, int]] = {}  # cycles, count, cond
        self.active: _Placed | None = None  # the function running (its loops' counters)
        self._seen: list[int] = []  # each of its loops' count when last charged
        self.pending = 0  # cycles not yet charged to the clock
        self.instructions = 0  # emulated instructions (for the benchmark)
        self.cycles = 0  # cycles charged to the clock since the machine was made
        self.charged_us = 0  # what those cycles came to, in whole microseconds
        self._cond_end = -1  # where the last block's conditional branch falls through
        self._running_since: float | None = None  # wall time the core last started
        self._watchdog: threading.Thread | None = None
        if spec.cpu_model != "cortex-m0":
            self._enable_fpu(uc)

    def _map_peripherals(self, uc: Any) -> None:
        """GPIO, timer and RNG pages call Python on access; the rest is plain memory."""
        ports = self.spec.gpio_ports
        span = gpio_part.PORT_SPAN if len(ports) == 1 else ports[-1] - ports[0] + \
            gpio_part.PORT_SPAN
        hooked = {ports[0]: ((span + PAGE - 1) & ~(PAGE - 1), self._read_gpio, self._write_gpio),
                  self.timer_base: (PAGE, self._read_timer, self._write_timer),
                  peripherals.RNG_BASE: (PAGE, self._read_rng, self._write_rng)}
        for base, size in PERIPHERALS:
            here = base
            for start in sorted(a for a in hooked if base <= a < base + size):
                length, read, write = hooked[start]
                if start > here:
                    uc.mem_map(here, start - here)
                uc.mmio_map(start, length, read, None, write, None)
                here = start + length
            if here < base + size:
                uc.mem_map(here, base + size - here)

    def _enable_fpu(self, uc: Any) -> None:
        """CPACR: full access to CP10/CP11, as the V2 firmware's start-up code leaves it."""
        try:
            uc.reg_write(self.arm.UC_ARM_REG_C1_C0_2, 0xF << 20)
        except (AttributeError, self.UcError):
            pass

    # -- code ---------------------------------------------------------------------------------
    def place(self, code: bytes) -> int:
        """The address of ``code`` in RAM (placed there once, in the heap)."""
        placed = self.placed.get(code)
        if placed is not None:
            return placed.address
        assembled = ASSEMBLED.get(code)
        copies = self._plan_copies(code, assembled)
        before = (sum(copies.values()) + 15) & ~15
        size = before + ((len(code) + 15) & ~15)
        if self.heap_next + size > self.heap_end:
            self._evict()  # the oldest functions make way
        address = self.heap_next + before
        self.heap_next += size
        placed = _Placed(address, len(code))
        self.uc.mem_write(address, code)
        if assembled is not None:
            self._install_copies(placed, code, assembled, copies)
        self.uc.ctl_remove_cache(address - before, address + len(code))
        placed.hook = self.uc.hook_add(self.uc_mod.UC_HOOK_BLOCK, self._on_block, None,
                                       address, address + len(code) - 1)
        self.placed[code] = placed
        if assembled is not None:
            for offset, cycles in assembled.cycles.items():
                self.cost[address + offset] = cycles
            for offset in assembled.cycles:
                if code[offset + 1] & 0xF0 == 0xD0 and code[offset + 1] & 0x0E != 0x0E:
                    self.conditional.add(address + offset)  # B<c> (not SVC/UDF)
        self.blocks.clear()
        return address

    def _evict(self) -> None:
        for placed in self.placed.values():
            self.uc.hook_del(placed.hook)
        self.placed.clear()
        self.cost.clear()
        self.conditional.clear()
        self.heap_next = self.spec.heap_address
        self.uc.ctl_flush_tb()

    def _plan_copies(self, code: bytes, assembled: Assembled | None) -> dict[int, int]:
        """Which self-loops get a hook-free copy (by loop index), and its size in bytes.

        Copies sit just before the code, the last loop's nearest: a loop's B<c> must reach
        its copy (256 bytes back) and the copy's B the code after the loop.
        """
        if assembled is None or len(assembled.free_high) < 2:
            return {}
        chosen: dict[int, int] = {}
        behind = 0  # bytes of copies between this one and the code
        spare = len(assembled.free_high) - 1  # one register holds the 1 they add
        for index in sorted(range(len(assembled.self_loops)),
                            key=lambda i: -assembled.self_loops[i].branch):
            loop = assembled.self_loops[index]
            length = 2 + (loop.branch - loop.start) + 4  # add, body, b<c>, b
            reach = loop.branch + 4 + behind + length  # from the branch back to the copy
            if spare and reach <= MAX_BRANCH_BACK - 16 and \
                    behind + length + len(code) <= MAX_B_FORWARD - 16:
                chosen[index] = length
                behind += length
                spare -= 1
        return chosen

    def _install_copies(self, placed: _Placed, code: bytes, assembled: Assembled,
                        copies: dict[int, int]) -> None:
        """Write each loop's copy before the code, and point the loop's branch at it."""
        if not copies:
            return
        free = list(assembled.free_high)
        one = free.pop(0)
        placed.one = self._reg(one)
        copy_at = placed.address
        for index in sorted(copies, key=lambda i: -assembled.self_loops[i].branch):
            loop = assembled.self_loops[index]
            counter = free.pop(0)
            body = code[loop.start:loop.branch]
            copy_at -= copies[index]
            cond = code[loop.branch + 1] & 0x0F
            # ADD (register) T2 (A6.7.3): adds without touching the flags the body set
            add = 0x4400 | ((counter & 8) << 4) | (one << 3) | (counter & 7)
            back_at = copy_at + 2 + len(body)
            back = 0xD000 | (cond << 8) | (((copy_at - back_at - 4) >> 1) & 0xFF)
            out = placed.address + loop.branch + 2 - (back_at + 2 + 4)
            leave = 0xE000 | ((out >> 1) & 0x7FF)
            self.uc.mem_write(copy_at, add.to_bytes(2, "little") + body +
                              back.to_bytes(2, "little") + leave.to_bytes(2, "little"))
            branch_at = placed.address + loop.branch
            into = 0xD000 | (cond << 8) | (((copy_at - branch_at - 4) >> 1) & 0xFF)
            self.uc.mem_write(branch_at, into.to_bytes(2, "little"))
            placed.loops.append([self._reg(counter), loop.turn_cycles, loop.instructions])

    def _reg(self, number: int) -> int:
        arm = self.arm
        return {8: arm.UC_ARM_REG_R8, 9: arm.UC_ARM_REG_R9, 10: arm.UC_ARM_REG_R10,
                11: arm.UC_ARM_REG_R11, 12: arm.UC_ARM_REG_R12}[number]

    # -- calling -------------------------------------------------------------------------------
    def call(self, code: bytes, return_type: str, args: tuple[Any, ...]) -> Any:
        """Run ``code`` with ``args`` in r0-r3, as the firmware calls an asm_thumb function."""
        uc, arm = self.uc, self.arm
        address = self.place(code)
        placed = self.placed[code]
        buffers: list[tuple[Any, int, int]] = []
        scratch = self.heap_end
        values = []
        for arg in args:
            value, scratch = self._convert(arg, scratch, buffers)
            values.append(value)
        for i, value in enumerate(values):
            uc.reg_write(arm.UC_ARM_REG_R0 + i, value & 0xFFFFFFFF)
        uc.reg_write(arm.UC_ARM_REG_SP, self.stack_top)
        uc.reg_write(arm.UC_ARM_REG_LR, EXIT_ADDRESS | 1)
        if placed.loops:
            assert placed.one is not None
            uc.reg_write(placed.one, 1)
            for loop in placed.loops:
                uc.reg_write(loop[0], 0)
        self.active = placed
        self._seen = [0] * len(placed.loops)
        self._cond_end = -1
        try:
            try:
                self._run(address | 1)
            except self.UcError as exc:
                raise HardFault(str(exc)) from None
            finally:
                self.flush()
                self.active = None
            if uc.reg_read(arm.UC_ARM_REG_SP) != self.stack_top:
                raise HardFault("returned with the stack unbalanced")
            for obj, where, size in buffers:
                data = bytes(uc.mem_read(where, size))
                if isinstance(obj, memoryview):
                    obj[:] = data if obj.format == "B" else memoryview(data).cast(obj.format)
                elif isinstance(obj, bytearray):
                    obj[:] = data
                else:
                    obj[:] = type(obj)(obj.typecode, data)
        finally:
            self.gpio.release_display()
        result = uc.reg_read(arm.UC_ARM_REG_R0) & 0xFFFFFFFF
        return convert_result(result, return_type)

    def _run(self, begin: int) -> None:
        """Run from ``begin`` until the function returns, the watchdog resuming it."""
        uc, pc_reg = self.uc, self.arm.UC_ARM_REG_PC
        self._start_watchdog()
        while True:
            self._running_since = time.monotonic()
            try:
                uc.emu_start(begin, EXIT_ADDRESS)
            finally:
                self._running_since = None
            pc = uc.reg_read(pc_reg)
            if pc == EXIT_ADDRESS:
                return
            self.flush()  # stopped by the watchdog: charge the clock (its limit), go on
            begin = pc | 1

    def _start_watchdog(self) -> None:
        if self._watchdog is not None:
            return

        def watch() -> None:
            while True:
                time.sleep(WATCH_S)
                since = self._running_since
                if since is not None and time.monotonic() - since >= WATCH_S:
                    self.uc.emu_stop()

        self._watchdog = threading.Thread(target=watch, name="asm-watchdog", daemon=True)
        self._watchdog.start()

    def _convert(self, arg: Any, scratch: int, buffers: list[tuple[Any, int, int]]
                 ) -> tuple[int, int]:
        """An argument as the firmware passes it (convert_obj_for_inline_asm in py/objfun.c)."""
        if arg is None or arg is False:
            return 0, scratch
        if arg is True:
            return 1, scratch
        if isinstance(arg, int):
            return arg & 0xFFFFFFFF, scratch
        if isinstance(arg, float):
            return int(arg) & 0xFFFFFFFF, scratch
        if isinstance(arg, str):
            data, mutable = arg.encode("utf-8", "surrogateescape") + b"\0", False
        elif isinstance(arg, (tuple, list)):  # the items' object words (small ints: 2n+1)
            data = b"".join(((item << 1 | 1) & 0xFFFFFFFF).to_bytes(4, "little")
                            if isinstance(item, int) else bytes(4) for item in arg)
            mutable = False
        else:
            try:
                data, mutable = bytes(memoryview(arg)), not isinstance(arg, bytes)
            except TypeError:
                return 0, scratch
        where = (scratch + 3) & ~3
        if where + len(data) > self.stack_top - STACK_SPACE:
            raise MemoryError("memory allocation failed")
        self.uc.mem_write(where, data)
        if mutable:
            buffers.append((arg, where, len(data)))
        return where, where + len(data)

    # -- time -----------------------------------------------------------------------------------
    def _on_block(self, uc: Any, address: int, size: int, _data: Any) -> None:
        if self._cond_end >= 0 and address != self._cond_end:
            self.pending += TAKEN_EXTRA
        key = (address, size)
        found = self.blocks.get(key)
        if found is None:
            found = self.blocks[key] = self._block_cost(address, size)
        cycles, count, cond_end = found
        self.pending += cycles
        self.instructions += count
        self._cond_end = cond_end
        if self.pending >= FLUSH_CYCLES:
            self.flush()

    def _block_cost(self, address: int, size: int) -> tuple[int, int, int]:
        cycles, count, cond_end, offset = 0, 0, -1, 0
        while offset < size:
            here = address + offset
            cycles += self.cost.get(here, 1)
            count += 1
            wide = (self.uc.mem_read(here + 1, 1)[0] & 0xF8) in (0xE8, 0xF0, 0xF8)
            offset += 4 if wide else 2
            if here in self.conditional and offset >= size:
                cond_end = address + size
        return cycles, count, cond_end

    def _count_turns(self) -> None:
        """Charge the turns the loops' copies ran since last asked."""
        placed = self.active
        if placed is None or not placed.loops:
            return
        for i, (register, turn_cycles, count) in enumerate(placed.loops):
            turns = self.uc.reg_read(register)
            new = (turns - self._seen[i]) & 0xFFFFFFFF
            if new:
                self._seen[i] = turns
                self.pending += new * turn_cycles
                self.instructions += new * count

    def flush(self) -> None:
        """Charge the cycles run so far to the board's clock."""
        self._count_turns()
        if not self.pending:
            return
        self.cycles += self.pending
        self.pending = 0
        due_us = self.cycles * 1_000_000 // self.hz  # whole µs, the remainder carried on
        step = due_us - self.charged_us
        if step <= 0:
            return
        clock = self.board.clock
        meter = getattr(clock, "meter", None)
        if meter is not None and meter[cost.POLL]:
            # a sleep also charges one call into the board (the cost model's POLL); this is
            # the core's own time, not a call, so the meter gets that back first
            meter[cost.SPENT] -= meter[cost.POLL]
        clock.sleep_us(step)
        self.charged_us = due_us

    # -- the GPIO, the timer and the RNG --------------------------------------------------------
    def _port(self, address: int) -> tuple[int, int]:
        for port, base in enumerate(self.spec.gpio_ports):  # P1's block starts inside P0's
            if address - base < gpio_part.PORT_SPAN:
                return port, address - base
        return 0, address - self.spec.gpio_ports[0]

    def _read_gpio(self, uc: Any, offset: int, size: int, _data: Any) -> int:
        self.flush()
        port, register = self._port(self.spec.gpio_ports[0] + offset)
        value = self.gpio.read(port, register & ~3)
        return _part_of(value, register, size)

    def _write_gpio(self, uc: Any, offset: int, size: int, value: int, _data: Any) -> None:
        self.flush()
        port, register = self._port(self.spec.gpio_ports[0] + offset)
        self.gpio.write(port, register & ~3, value & 0xFFFFFFFF)

    def _read_timer(self, uc: Any, offset: int, size: int, _data: Any) -> int:
        self.flush()
        return _part_of(self.timer.read(offset & ~3), offset, size)

    def _write_timer(self, uc: Any, offset: int, size: int, value: int, _data: Any) -> None:
        self.flush()
        self.timer.write(offset & ~3, value & 0xFFFFFFFF)

    def _read_rng(self, uc: Any, offset: int, size: int, _data: Any) -> int:
        self.flush()
        return _part_of(self.rng.read(offset & ~3), offset, size)

    def _write_rng(self, uc: Any, offset: int, size: int, value: int, _data: Any) -> None:
        self.flush()
        self.rng.write(offset & ~3, value & 0xFFFFFFFF)


def _part_of(value: int, offset: int, size: int) -> int:
    """The bytes of a 32-bit register a narrower read sees."""
    return (value >> (8 * (offset & 3))) & ((1 << (8 * size)) - 1)


def convert_result(value: int, return_type: str) -> Any:
    """r0 as the function's result (mp_convert_native_to_obj in py/nativeglue.c)."""
    if return_type == "uint":
        return value
    if return_type == "bool":
        return value != 0
    if return_type == "object":
        if value & 1:  # a small int's object word
            return (value - (1 << 32) if value >> 31 else value) >> 1
        return None
    return value - (1 << 32) if value >> 31 else value
