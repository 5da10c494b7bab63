"""``microbit.i2c``, ``microbit.spi``, ``microbit.uart`` (reference §16–18), V2 ``ws2812_write``.

I2C: the V2 edge-connector bus is empty (``scan()`` → ``[]``) and a missing
device raises ``OSError: [Errno 19] ENODEV``; on V1 the accelerometer (0x1D)
and compass (0x0E) share the bus and a missing device raises
``OSError: I2C read error -1010`` (the DAL's MICROBIT_I2C_ERROR). Devices can
be attached to ``i2c_bus(device)`` / ``spi_bus(device)`` by parts or tests.
UART: the one UART is the USB serial port: ``write`` sends raw bytes there,
``read`` takes what has arrived (None if nothing); on other pins output leaves
the USB port (it is published as ``uart`` instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ubit.sim.board.board import Board
from ubit.sim.board.parts import neopixel as neopixel_part
from ubit.sim.board.parts import uart as uart_part
from ubit.sim.micropython.api.files import buffer_bytes, os_error, writable_buffer
from ubit.sim.micropython.args import no_keywords, to_int
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.shared.typenames import Any

REQUIRED = object()
DEFAULT_PIN0 = object()  # the default ``pin=`` of music, audio and speech: pin0
ENODEV = 19
DAL_I2C_ERROR = -1010  # microbit-dal MICROBIT_I2C_ERROR
DEVICE_INVALID_PARAMETER = -1001  # CODAL's answer to SPI bits other than 8
V1_SENSORS = {0x0E: {0x07: 0xC4}, 0x1D: {0x0D: 0x5A}}  # MAG3110, MMA8653: WHO_AM_I values


# -- argument parsing as mp_arg_parse_all does it ---------------------------------------------
def parse_args(args: Sequence[Any], kwargs: dict[str, Any],
               allowed: Sequence[tuple[str, str, Any]]) -> dict[str, Any]:
    """Arguments by name, checked as the firmware does; ``allowed`` is (name, kind, default).

    kind is int, bool or obj, prefixed ``*`` for keyword-only or ``-`` for an
    unnamed (positional-only) argument.
    """
    out: dict[str, Any] = {}
    used = 0
    for i, (name, kind, default) in enumerate(allowed):
        if i < len(args):
            if kind.startswith("*"):
                raise TypeError("extra positional arguments given")
            value = args[i]
        elif name in kwargs and not kind.startswith("-"):
            used += 1
            value = kwargs[name]
        elif default is REQUIRED:
            raise TypeError(f"'{'' if kind.startswith('-') else name}' argument required")
        else:
            out[name] = default
            continue
        out[name] = _convert(value, kind.lstrip("*-"))
    if len(args) > len(allowed):
        raise TypeError("extra positional arguments given")
    if used < len(kwargs):
        raise TypeError("extra keyword arguments given")
    return out


def _convert(value: Any, kind: str) -> Any:
    if kind == "int":
        return to_int(value)
    if kind == "bool":
        return bool(value)
    return value


# -- pins ---------------------------------------------------------------------------------
def pin_id(board: Board, obj: Any) -> str | None:
    """The id (``"pin0"``…) of a pin object, or None if ``obj`` is not a pin.

    A pin object may say so itself (a ``pin_id`` str attribute); otherwise it
    is the ``microbit`` module's ``pinN`` of that identity.
    """
    ident = getattr(obj, "pin_id", None)
    if isinstance(ident, str):
        return ident
    microbit = board.modules.get("microbit")
    for name, value in (vars(microbit).items() if microbit is not None else ()):
        if value is obj and name.startswith("pin"):
            return name
    return None


def require_pin(board: Board, obj: Any) -> str:
    """``pin_id``, or the firmware's TypeError for anything that is not a pin."""
    ident = pin_id(board, obj)
    if ident is None:
        raise TypeError("expecting a pin")
    return ident


def claim(board: Board, ident: str, mode: str) -> None:
    """Put a pin in ``mode`` as the firmware does, when the board's pins exist."""
    pins = board.parts.get("pins")
    if pins is not None:
        pins.acquire(ident, mode)


# -- the buses --------------------------------------------------------------------------------
I2CDevice = Any  # something on the I2C bus: write(data: bytes), read(n: int) -> bytes


class RegisterDevice:
    """A register-file I2C device: the first byte written selects the register."""

    def __init__(self, registers: dict[int, int] | None = None) -> None:
        self.registers = dict(registers or {})
        self.pointer = 0

    def write(self, data: bytes) -> None:
        """Select a register and store any following bytes from there."""
        if data:
            self.pointer = data[0]
            for offset, byte in enumerate(data[1:]):
                self.registers[(self.pointer + offset) & 0xFF] = byte

    def read(self, n: int) -> bytes:
        """Registers from the selected one on (unset registers read 0)."""
        out = bytes(self.registers.get((self.pointer + i) & 0xFF, 0) for i in range(n))
        self.pointer = (self.pointer + n) & 0xFF
        return out


class I2CBus:
    """The devices on the board's (edge-connector) I2C bus, by 7-bit address."""

    def __init__(self, devices: dict[int, I2CDevice] | None = None) -> None:
        self.devices: dict[int, I2CDevice] = dict(devices or {})

    def attach(self, address: int, dev: I2CDevice) -> None:
        """Put a device on the bus at ``address``."""
        self.devices[address] = dev


def i2c_bus(board: Board) -> I2CBus:
    """The device's I2C bus: empty on V2, the on-board sensors on V1."""
    def make() -> I2CBus:
        if board.spec.i2c_sensors:
            return I2CBus({a: RegisterDevice(r) for a, r in V1_SENSORS.items()})
        return I2CBus()
    return board.module_state("i2c", make)


class SPIBus:
    """What is wired to the SPI pins: ``transfer(out) -> in`` (nothing: MISO reads 0)."""

    def __init__(self) -> None:
        self.transfer: Callable[[bytes], bytes] = lambda out: bytes(len(out))


def spi_bus(board: Board) -> SPIBus:
    """The device's SPI bus."""
    return board.module_state("spi", SPIBus)


def _bus_time(board: Board, bits: int, rate: int) -> None:
    """Let a transfer of ``bits`` at ``rate`` bit/s take its time on the board's clock."""
    board.clock.sleep_us(bits * 1_000_000 // max(rate, 1))


# -- microbit.i2c -------------------------------------------------------------------------
@api_class
class MicroBitI2C:
    """``microbit.i2c``."""

    __slots__ = ("_board", "_freq")
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, board: Board) -> None:
        self._board = board
        self._freq = 100_000

    def __repr__(self) -> str:
        return "<MicroBitI2C>"

    def init(self, *args: Any, **kwargs: Any) -> None:
        """init(freq=100000, sda=pin20, scl=pin19)."""
        a = parse_args(args, kwargs, (("freq", "int", 100_000), ("sda", "obj", None),
                                      ("scl", "obj", None)))
        for pin in (a["sda"], a["scl"]):
            if pin is not None:
                require_pin(self._board, pin)
        self._freq = a["freq"]

    def scan(self) -> list[int]:
        """The 7-bit addresses (0x08–0x77) that answer."""
        _bus_time(self._board, 112 * 10, self._freq)
        return sorted(a for a in i2c_bus(self._board).devices if 0x08 <= a < 0x78)

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        """read(addr, n, repeat=False): ``n`` bytes from the device at ``addr``."""
        a = parse_args(args, kwargs, (("addr", "int", REQUIRED), ("n", "int", REQUIRED),
                                      ("repeat", "bool", False)))
        dev = self._find(a["addr"], "read")
        _bus_time(self._board, (a["n"] + 1) * 9, self._freq)
        return bytes(dev.read(a["n"]))[:a["n"]].ljust(a["n"], b"\0")

    def write(self, *args: Any, **kwargs: Any) -> None:
        """write(addr, buf, repeat=False): send ``buf`` to the device at ``addr``."""
        a = parse_args(args, kwargs, (("addr", "int", REQUIRED), ("buf", "obj", REQUIRED),
                                      ("repeat", "bool", False)))
        data = buffer_bytes(a["buf"])
        dev = self._find(a["addr"], "write")
        _bus_time(self._board, (len(data) + 1) * 9, self._freq)
        dev.write(data)

    def _find(self, addr: int, what: str) -> I2CDevice:
        dev = i2c_bus(self._board).devices.get(addr & 0x7F)
        if dev is None:
            _bus_time(self._board, 9, self._freq)  # the address byte goes unanswered
            if self._board.spec.i2c_dal_errors:
                raise OSError(f"I2C {what} error {DAL_I2C_ERROR}")
            raise os_error(self._board.spec, ENODEV)
        return dev


# -- microbit.spi -------------------------------------------------------------------------
@api_class
class MicroBitSPI:
    """``microbit.spi``."""

    __slots__ = ("_board", "_baudrate")
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, board: Board) -> None:
        self._board = board
        self._baudrate = 0  # 0: init() never called

    def __repr__(self) -> str:
        return "<MicroBitSPI>"

    def init(self, *args: Any, **kwargs: Any) -> None:
        """init(baudrate=1000000, bits=8, mode=0, *, sclk=pin13, mosi=pin15, miso=pin14)."""
        a = parse_args(args, kwargs, (("baudrate", "int", 1_000_000), ("bits", "int", 8),
                                      ("mode", "int", 0), ("sclk", "*obj", None),
                                      ("mosi", "*obj", None), ("miso", "*obj", None)))
        board = self._board
        default = {"sclk": "pin13", "mosi": "pin15", "miso": "pin14"}
        chosen = {key: default[key] if a[key] is None else require_pin(board, a[key])
                  for key in default}
        for ident in chosen.values():  # as the firmware: old SPI pins are never freed
            claim(board, ident, "spi")
        if a["bits"] != 8 and board.spec.spi_checked:
            raise os_error(board.spec, DEVICE_INVALID_PARAMETER)
        self._baudrate = max(1, a["baudrate"])

    def _ready(self) -> None:
        if not self._baudrate:
            raise ValueError("SPI not initialised")

    def _transfer(self, out: bytes) -> bytes:
        _bus_time(self._board, len(out) * 8, self._baudrate)
        return bytes(spi_bus(self._board).transfer(out))[:len(out)].ljust(len(out), b"\0")

    def write(self, buf: Any) -> None:
        """Send ``buf``."""
        self._ready()
        self._transfer(buffer_bytes(buf))

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        """read(nbytes[, out]): ``nbytes`` bytes, clocking out ``out`` (positional only)."""
        if kwargs:
            raise no_keywords()
        if not 1 <= len(args) <= 2:
            raise TypeError(f"function expected at most 3 arguments, got {len(args) + 1}"
                            if args else "function missing 1 required positional arguments")
        self._ready()
        n = to_int(args[0])
        out = to_int(args[1]) & 0xFF if len(args) == 2 else 0
        if n < 0:
            raise MemoryError(f"memory allocation failed, allocating {n & 0xFFFFFFFF} bytes")
        return self._transfer(bytes([out]) * n)

    def write_readinto(self, out: Any, into: Any) -> None:
        """Send ``out`` while reading as many bytes into ``into``."""
        self._ready()
        data = buffer_bytes(out)
        view = writable_buffer(into)
        if len(data) != len(view):
            if self._board.spec.spi_checked:
                raise ValueError("write and read buffers must be the same length")
            data = data[:len(view)]  # V1 doesn't check (and overruns); keep within bounds
        got = self._transfer(data)
        view[:len(got)] = got


# -- microbit.uart ------------------------------------------------------------------------
@api_class
class MicroBitUART:
    """``microbit.uart``: the USB serial port unless moved to other pins."""

    __slots__ = ("_board", "_timeout_ms", "_part", "ODD", "EVEN")
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, board: Board) -> None:
        self._board = board
        self._timeout_ms = 0  # the inter-character wait: none until init()
        self._part = uart_part.of(board)  # the pins in use (None: the USB serial port's)
        # V2 defines 1/0; V1 takes mbed's SerialParity (ParityOdd=1, ParityEven=2).
        self.ODD, self.EVEN = board.spec.uart_parity

    def __repr__(self) -> str:
        return "<MicroBitUART>"

    def init(self, *args: Any, **kwargs: Any) -> None:
        """init(baudrate=9600, bits=8, parity=None, stop=1, *, pins=None, tx=None, rx=None)."""
        a = parse_args(args, kwargs, (("baudrate", "int", 9600), ("bits", "int", 8),
                                      ("parity", "obj", None), ("stop", "int", 1),
                                      ("pins", "*obj", None), ("tx", "*obj", None),
                                      ("rx", "*obj", None)))
        if a["parity"] is not None:
            to_int(a["parity"])
        board = self._board
        tx = require_pin(board, a["tx"]) if a["tx"] is not None else None
        rx = require_pin(board, a["rx"]) if a["rx"] is not None else None
        if a["pins"] is not None:
            tx, rx = (require_pin(board, p) for p in _pair(a["pins"], board))
        self._timeout_ms = 13000 // a["baudrate"] + 1 if a["baudrate"] > 0 else 1
        self._part.configure(a["baudrate"], tx, rx)

    def any(self) -> bool:
        """Whether at least one byte is waiting."""
        self._board.clock.poll()
        return self._part.rx is None and self._board.serial.any() > 0

    def _take(self, size: int) -> bytes | None:
        """Up to ``size`` waiting bytes, waiting the inter-character time for more; None if none."""
        serial, clock = self._board.serial, self._board.clock
        clock.poll()
        if self._part.rx is not None or not serial.any():
            return None
        data = bytearray()
        while len(data) < size:
            chunk = serial.read(size - len(data), timeout=0)
            if not chunk:
                if not self._timeout_ms:
                    break
                clock.sleep_ms(self._timeout_ms)
                if not serial.any():
                    break
                continue
            data += chunk
        return bytes(data)

    def read(self, nbytes: Any = None) -> bytes | None:
        """Up to ``nbytes`` bytes (all waiting by default), or None if nothing has arrived."""
        size = 1 << 30 if nbytes is None or to_int(nbytes) < 0 else to_int(nbytes)
        if size == 0:
            return b""
        return self._take(size)

    def readinto(self, buf: Any, nbytes: Any = None) -> int | None:
        """Read into ``buf`` (at most ``nbytes``); the count, or None if nothing arrived."""
        view = writable_buffer(buf)
        room = len(view) if nbytes is None else min(len(view), max(0, to_int(nbytes)))
        if room == 0:
            return 0
        data = self._take(room)
        if data is None:
            return None
        view[:len(data)] = data
        return len(data)

    def readline(self) -> bytes | None:
        """Bytes up to and including ``\\n``; None if nothing has arrived."""
        line = bytearray()
        while not line.endswith(b"\n"):
            byte = self._take(1)
            if byte is None:
                break
            line += byte
        return bytes(line) if line else None

    def write(self, buf: Any) -> int:
        """Send a str or bytes as they are (no newline translation); the number of bytes."""
        data = buffer_bytes(buf)
        board = self._board
        if self._part.tx is None:
            board.serial.write(data)
        else:  # the REPL's UART now drives an edge pin
            self._part.send(data)
        board.clock.poll()
        return len(data)


def _pair(value: Any, board: Board) -> tuple[Any, Any]:
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"object '{type(value).__name__}' {board.spec.is_not} a tuple or list")
    if len(value) != 2:
        raise ValueError(f"requested length 2 but object has length {len(value)}")
    return value[0], value[1]


def send_ws2812(board: Board, ident: str, data: bytes, bpp: int = 3) -> None:
    """Clock GRB(W) bytes out to NeoPixels on pin ``ident``; publish them as RGB(W) colours."""
    board.clock.sleep_us(len(data) * 10 + 50)  # 1.25 µs a bit, then the 50 µs latch
    neopixel_part.of(board).write(ident, data, bpp)


def ws2812_write(board: Board, pin: Any, buf: Any) -> None:
    """``microbit.ws2812_write(pin, buf)`` (V2): raw GRB bytes to NeoPixels on ``pin``."""
    ident = require_pin(board, pin)
    send_ws2812(board, ident, buffer_bytes(buf))


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``i2c``, ``spi``, ``uart`` (and V2's ``ws2812_write``)."""
    ns["i2c"] = MicroBitI2C(board)
    ns["spi"] = MicroBitSPI(board)
    ns["uart"] = MicroBitUART(board)
    if board.spec.ws2812_write:
        def write(pin: Any, buf: Any) -> None:
            """ws2812_write(pin, buf): send raw GRB bytes to NeoPixels."""
            ws2812_write(board, pin, buf)

        write.__name__ = write.__qualname__ = "ws2812_write"
        ns["ws2812_write"] = api(write)
