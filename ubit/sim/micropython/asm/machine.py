"""Running assembled code: an emulated Cortex-M core (unicorn) with the board behind it.

The memory map is the chip's: flash from 0 (reads as erased-to-zero here: the firmware
isn't in it), RAM from 0x20000000 (code is placed in the MicroPython heap, as the firmware
places it; the stack is at the top of RAM; buffers passed as arguments are copied into RAM
and back), the GPIO ports (``ubit.sim.board.parts.gpio``), and the rest of the
peripheral space (0x40000000-0x400FFFFF, 0x50000000-0x50000FFF) reading 0 and ignoring
writes. Anything else is a bus fault: the device's HardFault handler then loops for ever
(measured on V1 under QEMU: the board stops, prints nothing, the REPL never comes back),
so the board here stops too, until it is reset or its run ends.

Time: every basic block the core enters is charged its instructions' cycles (Cortex-M0
TRM table 3-1: 1 per data operation, 2 per load/store, 3 per taken branch, 4 per BL,
1+N per push/pop, 4+N for a pop of pc; the M4 is modelled with the same figures) at the
board's clock (16 MHz V1, 64 MHz V2), and the board's clock moves by that. A counted
delay loop (``label(L); sub(rX, k); bne(L)``) is stepped to its last turn at once, charged
what its turns cost, so waits of seconds don't take seconds of emulation.
"""

from __future__ import annotations

import os
import sys
from importlib import util as import_util
from typing import Any

from ubit.sim.board.parts import gpio as gpio_part
from ubit.sim.micropython.asm.decorators import ASSEMBLED
from ubit.sim.micropython.asm.location import unicorn_folder

RAM = 0x20000000
EXIT_ADDRESS = 0x100  # in flash: where the function's ``pop {pc}`` returns to
CODE_SPACE = 4096  # bytes of heap for functions' code; buffers come after
STACK_SPACE = 2048
TCG_BUFFER = 8 << 20  # bytes of translated code unicorn may keep
FLUSH_CYCLES = 4000  # charge the clock at least this often (0.25 ms on V1)
TAKEN_EXTRA = 2  # a taken conditional branch: 3 cycles instead of 1
PERIPHERALS = ((0x40000000, 0x100000), (0x50000000, 0x1000))
SUB_CYCLES, TAKEN_CYCLES = 1, 3


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


class Machine:
    """One board's core: its memory, its registers, and its clock."""

    def __init__(self, board: Any) -> None:
        uc_mod = load_unicorn()
        from unicorn import arm_const as arm

        self.arm = arm
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
        self._map_peripherals(uc)
        uc.hook_add(uc_mod.UC_HOOK_BLOCK, self._on_block)
        self.UcError = uc_mod.UcError
        self.heap_next = spec.heap_address
        self.heap_end = spec.heap_address + CODE_SPACE
        self.stack_top = RAM + spec.ram_size
        self.placed: dict[bytes, int] = {}
        self.cost: dict[int, int] = {}  # address -> cycles of the instruction there
        self.conditional: set[int] = set()  # addresses of conditional branches
        self.loops: dict[int, tuple[int, int, int]] = {}  # address -> (uc reg, step, end)
        self.blocks: dict[tuple[int, int], tuple[int, int, int]] = {}  # cycles, count, cond
        self.pending = 0  # cycles not yet charged to the clock
        self.instructions = 0  # emulated instructions (for the benchmark)
        self.cycles = 0  # cycles charged to the clock since the machine was made
        self.charged_us = 0  # what those cycles came to, in whole microseconds
        self._cond_end = -1  # where the last block's conditional branch falls through
        if spec.cpu_model != "cortex-m0":
            self._enable_fpu(uc)

    def _map_peripherals(self, uc: Any) -> None:
        ports = self.spec.gpio_ports
        first = ports[0]
        span = gpio_part.PORT_SPAN if len(ports) == 1 else ports[-1] - first + gpio_part.PORT_SPAN
        span = (span + 0xFFF) & ~0xFFF
        for base, size in PERIPHERALS:
            if base == first:
                uc.mmio_map(base, span, self._read_gpio, None, self._write_gpio, None)
                if size > span:
                    uc.mem_map(base + span, size - span)
            else:
                uc.mem_map(base, size)

    def _enable_fpu(self, uc: Any) -> None:
        """CPACR: full access to CP10/CP11, as the V2 firmware's start-up code leaves it."""
        try:
            uc.reg_write(self.arm.UC_ARM_REG_C1_C0_2, 0xF << 20)
        except (AttributeError, self.UcError):
            pass

    # -- code ---------------------------------------------------------------------------------
    def place(self, code: bytes) -> int:
        """The address of ``code`` in RAM (placed there once, in the heap)."""
        address = self.placed.get(code)
        if address is not None:
            return address
        size = (len(code) + 15) & ~15
        if self.heap_next + size > self.heap_end:
            self.heap_next = self.spec.heap_address  # the oldest functions make way
            self.placed.clear()
        address = self.heap_next
        self.heap_next += size
        self.uc.mem_write(address, code)
        self.placed[code] = address
        assembled = ASSEMBLED.get(code)
        if assembled is not None:
            for offset, cycles in assembled.cycles.items():
                self.cost[address + offset] = cycles
            for offset in assembled.cycles:
                if code[offset + 1] & 0xF0 == 0xD0 and code[offset + 1] & 0x0E != 0x0E:
                    self.conditional.add(address + offset)  # B<c> (not SVC/UDF)
            for offset, (register, step) in assembled.loops.items():
                self.loops[address + offset] = (self.arm.UC_ARM_REG_R0 + register, step,
                                                address + offset + 4)
        self.blocks.clear()
        return address

    # -- calling -------------------------------------------------------------------------------
    def call(self, code: bytes, return_type: str, args: tuple[Any, ...]) -> Any:
        """Run ``code`` with ``args`` in r0-r3, as the firmware calls an asm_thumb function."""
        uc, arm = self.uc, self.arm
        address = self.place(code)
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
        self._cond_end = -1
        try:
            try:
                uc.emu_start(address | 1, EXIT_ADDRESS, 0, 0)
            except self.UcError as exc:
                raise HardFault(str(exc)) from None
            finally:
                self.flush()
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
        loop = self.loops.get(address)
        if loop is not None:
            register, step, _end = loop
            left = uc.reg_read(register)
            if left > step and left % step == 0:  # run all but the last turn at once
                turns = left // step - 1
                uc.reg_write(register, step)
                self.pending += turns * (SUB_CYCLES + TAKEN_CYCLES)
                self.instructions += 2 * turns
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

    def flush(self) -> None:
        """Charge the cycles run so far to the board's clock."""
        if not self.pending:
            return
        self.cycles += self.pending
        self.pending = 0
        due_us = self.cycles * 1_000_000 // self.hz  # whole µs, the remainder carried on
        self.board.clock.sleep_us(due_us - self.charged_us)
        self.charged_us = due_us

    # -- the GPIO -------------------------------------------------------------------------------
    def _port(self, address: int) -> tuple[int, int]:
        for port, base in enumerate(self.spec.gpio_ports):  # P1's block starts inside P0's
            if address - base < gpio_part.PORT_SPAN:
                return port, address - base
        return 0, address - self.spec.gpio_ports[0]

    def _read_gpio(self, uc: Any, offset: int, size: int, _data: Any) -> int:
        self.flush()
        port, register = self._port(self.spec.gpio_ports[0] + offset)
        value = self.gpio.read(port, register & ~3)
        return (value >> (8 * (register & 3))) & ((1 << (8 * size)) - 1)

    def _write_gpio(self, uc: Any, offset: int, size: int, value: int, _data: Any) -> None:
        self.flush()
        port, register = self._port(self.spec.gpio_ports[0] + offset)
        self.gpio.write(port, register & ~3, value & 0xFFFFFFFF)


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
