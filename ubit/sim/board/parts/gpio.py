"""The GPIO registers of the board's chip, for code that writes them directly (assembly).

nRF51 and nRF52 GPIO (nRF51 Reference Manual §14, nRF52833 Product Specification §6.8):
per port, ``OUT`` +0x504, ``OUTSET`` +0x508, ``OUTCLR`` +0x50C, ``IN`` +0x510, ``DIR``
+0x514, ``DIRSET`` +0x518, ``DIRCLR`` +0x51C and ``PIN_CNF[n]`` +0x700 + 4n. V1 has one
port (P0); V2 two (P0, P1 at +0x300).

The LED matrix follows its rows and columns (an LED is lit while its row is an output
driven high and its column an output driven low: V1's 3×9 multiplexed matrix, V2's 5×5);
the edge connector's pins follow their bits (an output bit drives the pin as
``write_digital`` would); ``IN`` reads the pins' levels and the buttons (low while
pressed). At start the display driver holds every row and column as an output, rows low
and columns high: all dark.
"""

from __future__ import annotations

from ubit.sim.board.parts import display as display_part
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.shared.typenames import Any

OUT, OUTSET, OUTCLR, IN, DIR, DIRSET, DIRCLR = 0x504, 0x508, 0x50C, 0x510, 0x514, 0x518, 0x51C
PIN_CNF = 0x700
PORT_SPAN = 0x800  # bytes from a port's base past its last PIN_CNF
FULL = 0xFFFFFFFF


class Gpio:
    """The GPIO ports' registers, wired to the board's display, pins and buttons."""

    def __init__(self, board: Any) -> None:
        spec = board.spec
        self.board = board
        self.spec = spec
        ports = len(spec.gpio_ports)
        self.out = [0] * ports
        self.dir = [0] * ports
        self.cnf = [[2] * 32 for _ in range(ports)]  # input buffer disconnected (reset value)
        self.matrix = set(spec.led_rows) | set(spec.led_cols)
        for gpio in self.matrix:
            self.dir[gpio >> 5] |= 1 << (gpio & 31)
        for gpio in spec.led_cols:
            self.out[gpio >> 5] |= 1 << (gpio & 31)
        self.pin_of_gpio = {gpio: pin for pin, gpio in spec.gpio_of_pin.items()
                            if gpio not in self.matrix}
        self.saved_image: list[list[int]] | None = None  # the display's, while GPIO drives it

    # -- registers ---------------------------------------------------------------------------
    def read(self, port: int, offset: int) -> int:
        """A 32-bit read of a port's register (0 for registers not modelled)."""
        if offset == OUT:
            return self.out[port]
        if offset == DIR or offset in (DIRSET, DIRCLR):
            return self.dir[port]
        if offset == IN:
            return self.inputs(port)
        if PIN_CNF <= offset < PIN_CNF + 128 and offset % 4 == 0:
            return self.cnf[port][(offset - PIN_CNF) // 4]
        if offset in (OUTSET, OUTCLR):
            return self.out[port]
        return 0

    def write(self, port: int, offset: int, value: int) -> None:
        """A 32-bit write of a port's register."""
        out, direction = self.out[port], self.dir[port]
        if offset == OUT:
            out = value
        elif offset == OUTSET:
            out |= value
        elif offset == OUTCLR:
            out &= ~value & FULL
        elif offset == DIR:
            direction = value
        elif offset == DIRSET:
            direction |= value
        elif offset == DIRCLR:
            direction &= ~value & FULL
        elif PIN_CNF <= offset < PIN_CNF + 128 and offset % 4 == 0:
            bit = (offset - PIN_CNF) // 4
            self.cnf[port][bit] = value
            direction = direction | (1 << bit) if value & 1 else direction & ~(1 << bit)
        else:
            return
        changed = (out ^ self.out[port]) | (direction ^ self.dir[port])
        self.out[port], self.dir[port] = out, direction
        if changed:
            self._follow(port, changed)

    def inputs(self, port: int) -> int:
        """``IN``: outputs read back what they drive; pins and buttons their level."""
        value = self.out[port] & self.dir[port]
        pins = pins_part.of(self.board)
        for gpio, pin in self.pin_of_gpio.items():
            if gpio >> 5 != port or self.dir[port] >> (gpio & 31) & 1:
                continue
            try:
                state = pins.state(pin)
            except (KeyError, ValueError):
                continue
            # a pin Python drives (write_digital) reads back its level; else what it sees
            level = state.value if state.mode == "write_digital" else pins.level_of(state)
            value |= level << (gpio & 31)
        return value

    # -- what the registers drive -------------------------------------------------------------
    def _follow(self, port: int, changed: int) -> None:
        base = port * 32
        if any(changed >> (gpio - base) & 1 for gpio in self.matrix if gpio >> 5 == port):
            self._show_matrix()
        pins = pins_part.of(self.board)
        for bit in range(32):
            pin = self.pin_of_gpio.get(base + bit)
            if pin is None or not changed >> bit & 1 or not self.dir[port] >> bit & 1:
                continue
            try:
                pins.write_digital(pin, self.out[port] >> bit & 1)
            except (ValueError, KeyError):
                pass  # a pin something else holds: the register changes, the part doesn't

    def level(self, gpio: int) -> int | None:
        """What an output drives (None: not an output)."""
        port, bit = gpio >> 5, gpio & 31
        if not self.dir[port] >> bit & 1:
            return None
        return self.out[port] >> bit & 1

    def lit(self) -> list[list[int]]:
        """The LEDs the rows and columns light now, as the display's 5×5 grid."""
        grid = display_part.blank_grid()
        for r, row in enumerate(self.spec.led_rows):
            if self.level(row) != 1:
                continue
            for c, col in enumerate(self.spec.led_cols):
                place = self.spec.led_map[r][c]
                if place is not None and self.level(col) == 0:
                    grid[place[1]][place[0]] = display_part.MAX_BRIGHTNESS
        return grid

    def _show_matrix(self) -> None:
        display = display_part.of(self.board)
        if self.saved_image is None:
            self.saved_image = [[display.get_pixel(x, y) for x in range(5)] for y in range(5)]
        display.show(self.lit())

    def release_display(self) -> None:
        """The firmware's display refresh takes the matrix back: its own image again."""
        if self.saved_image is not None:
            display_part.of(self.board).show(self.saved_image)
            self.saved_image = None
        for gpio in self.matrix:
            self.dir[gpio >> 5] |= 1 << (gpio & 31)
        for gpio in self.spec.led_rows:
            self.out[gpio >> 5] &= ~(1 << (gpio & 31))
        for gpio in self.spec.led_cols:
            self.out[gpio >> 5] |= 1 << (gpio & 31)


def of(board: Any) -> Gpio:
    """The board's GPIO registers."""
    return board.part("gpio", lambda: Gpio(board))
