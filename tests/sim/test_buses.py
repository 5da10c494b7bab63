"""``microbit.i2c``, ``spi`` and ``uart``: documented behaviour and the firmware's errors.

Reference §16–18; V1/V2 firmware sources as the sheet cites them (V1's missing-device
error is the DAL's MICROBIT_I2C_ERROR, -1010).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.sim.runner import run_program
from tests.sim.test_files import make_device
from tests.sim.test_neopixel import FakePin
from ubit.sim.micropython.api import buses


def microbit_names(board: str = "v2", serial_input: bytes = b"") -> tuple[dict[str, Any], Any,
                                                                          list[Any]]:
    """The bus objects of a fresh in-process board, the board, and its published states."""
    device, states = make_device(board, serial_input=serial_input)
    names: dict[str, Any] = {}
    buses.contribute(device, names)
    return names, device, states


# -- uart -----------------------------------------------------------------------------------
def test_uart_write_reaches_the_serial_port_raw():
    result = run_program("from microbit import uart\nprint(uart.write('a\\nb'))\n"
                         "uart.write(b'\\x00\\xff')\nuart.write(bytearray(b'!'))\n")
    # no "\r" added to uart output (print's newline is cooked); 0xff isn't UTF-8 for the reader
    assert result.output == "a\nb3\r\n\x00\ufffd!"


def test_uart_with_nothing_received():
    result = run_program("from microbit import uart\nuart.init(115200)\n"
                         "print(uart.any(), uart.read(), uart.read(5), uart.readline(), "
                         "uart.readinto(bytearray(4)), uart.read(0))\n"
                         "print(uart.ODD, uart.EVEN, uart)\nuart.write(5)\n")
    assert result.text.splitlines()[:2] == ["False None None None None b''",
                                            "1 0 <MicroBitUART>"]
    assert result.text.endswith("TypeError: object with buffer protocol required\n")
    v1 = run_program("from microbit import uart\nprint(uart.ODD, uart.EVEN)\n", board="v1")
    assert v1.text == "1 2\n"  # mbed's SerialParity values


def test_uart_reads_what_has_arrived():
    names, _, _ = microbit_names(serial_input=b"hello\nworld")
    uart = names["uart"]
    assert uart.any() is True
    assert uart.read(3) == b"hel"
    assert uart.readline() == b"lo\n"
    buf = bytearray(3)
    assert uart.readinto(buf) == 3 and buf == bytearray(b"wor")
    assert uart.read() == b"ld"
    assert (uart.read(), uart.readline(), uart.any()) == (None, None, False)


def test_uart_init_arguments_and_moving_it_to_pins():
    names, device, states = microbit_names()
    uart = names["uart"]
    uart.init(9600, 8, None, 1)
    uart.init(baudrate=9600, parity=uart.ODD, tx=FakePin("pin0"), rx=FakePin("pin1"))
    assert uart.write("hi") == 2
    assert bytes(device.serial.out) == b""  # the USB port no longer carries it
    assert states[-1] == ("uart", {"baudrate": 9600, "tx": "pin0", "rx": "pin1",
                                   "data": base64.b64encode(b"hi").decode()})
    assert ("uart", {"baudrate": 9600, "tx": "pin0", "rx": "pin1", "data": None}) in states
    assert uart.read() is None
    uart.init(115200)  # back on the USB pins
    uart.write(b"ok")
    assert bytes(device.serial.out) == b"ok"
    for call, message in [(lambda: uart.init(tx="pin0"), "expecting a pin"),
                          (lambda: uart.init(9600, 8, None, 1, None), "extra positional"),
                          (lambda: uart.init(speed=1), "extra keyword arguments given"),
                          (lambda: uart.init(pins=(FakePin("pin0"),)),
                           "requested length 2 but object has length 1"),
                          (lambda: uart.init("fast"), "can't convert str to int")]:
        with pytest.raises((TypeError, ValueError), match=message):
            call()


# -- i2c ------------------------------------------------------------------------------------
def test_i2c_on_an_empty_v2_bus_and_the_v1_bus_with_its_sensors():
    program = ("from microbit import i2c\nprint(i2c.scan(), i2c)\n"
               "for call in (lambda: i2c.read(0x40, 2), lambda: i2c.write(0x40, b'x')):\n"
               "    try:\n        call()\n    except OSError as e:\n        print(e)\n")
    v2 = run_program(program)
    assert v2.text == "[] <MicroBitI2C>\n[Errno 19] ENODEV\n[Errno 19] ENODEV\n"
    v1 = run_program(program + "i2c.write(0x1d, bytes([0x0d]))\nprint(i2c.read(0x1d, 1))\n"
                     "i2c.read(0x41, 1)\n", board="v1")
    assert v1.text.splitlines() == [
        "[14, 29] <MicroBitI2C>", "I2C read error -1010", "I2C write error -1010",
        "b'Z'", "Traceback (most recent call last):", '  File "__main__", line 10, in <module>',
        "OSError: I2C read error -1010"]
    uncaught = run_program("from microbit import i2c\ni2c.read(0x40, 1)\n")
    assert uncaught.text.endswith("OSError: [Errno 19] ENODEV\n")


def test_i2c_devices_and_arguments():
    names, device, _ = microbit_names()
    i2c = names["i2c"]
    sensor = buses.RegisterDevice({0x00: 0x12, 0x01: 0x34})
    buses.i2c_bus(device).attach(0x48, sensor)
    assert i2c.scan() == [0x48]
    i2c.write(0x48, b"\x00")
    assert i2c.read(0x48, 2) == b"\x12\x34"
    i2c.write(addr=0x48, buf=bytearray([0x05, 7, 8]), repeat=True)
    i2c.write(0x48, b"\x05")
    assert i2c.read(n=2, addr=0x48) == b"\x07\x08"
    i2c.init(freq=400_000)
    for call, message in [(lambda: i2c.read(0x48), "'n' argument required"),
                          (lambda: i2c.read(0x48, 1, False, 3), "extra positional"),
                          (lambda: i2c.read(0x48, 1, stop=True), "extra keyword"),
                          (lambda: i2c.write(0x48, 5), "buffer protocol required"),
                          (lambda: i2c.init(sda=3), "expecting a pin")]:
        with pytest.raises(TypeError, match=message):
            call()


def test_i2c_takes_bus_time():
    names, device, _ = microbit_names()
    buses.i2c_bus(device).attach(0x10, buses.RegisterDevice())
    before = device.clock.now_us()
    names["i2c"].read(0x10, 9)
    assert device.clock.now_us() - before >= 10 * 9 * 10  # 10 bytes of 9 bits at 100 kHz


# -- spi ------------------------------------------------------------------------------------
def test_spi_end_to_end_per_version():
    program = ("from microbit import spi\ntry:\n    spi.write(b'x')\nexcept ValueError as e:\n"
               "    print(e)\nspi.init()\nspi.write(b'abc')\n"
               "print(spi.read(3), spi.read(2, 0xff))\n"
               "buf = bytearray(2)\ntry:\n    spi.write_readinto(b'abc', buf)\n"
               "    print('no check')\nexcept ValueError as e:\n    print(e)\n"
               "try:\n    spi.read(1, out=0)\nexcept TypeError as e:\n    print(e)\n"
               "spi.init(bits=16)\n")
    v2 = run_program(program)
    assert v2.text.splitlines() == [
        "SPI not initialised", "b'\\x00\\x00\\x00' b'\\x00\\x00'",
        "write and read buffers must be the same length",
        "function doesn't take keyword arguments",
        "Traceback (most recent call last):", '  File "main.py", line 19, in <module>',
        "OSError: -1001"]
    v1 = run_program(program, board="v1")
    assert v1.text.splitlines() == [
        "SPI not initialised", "b'\\x00\\x00\\x00' b'\\x00\\x00'", "no check",
        "function does not take keyword arguments"]


def test_spi_talks_to_what_is_attached():
    names, device, _ = microbit_names()
    spi = names["spi"]
    sent: list[bytes] = []

    def loopback(out: bytes) -> bytes:
        sent.append(out)
        return bytes(b ^ 0xFF for b in out)

    buses.spi_bus(device).transfer = loopback
    spi.init(baudrate=500_000, mode=3, sclk=FakePin("pin13"), mosi=FakePin("pin15"),
             miso=FakePin("pin14"))
    into = bytearray(2)
    spi.write_readinto(b"\x0f\xf0", into)
    assert into == bytearray(b"\xf0\x0f")
    assert spi.read(2, 0x55) == b"\xaa\xaa"
    assert sent == [b"\x0f\xf0", b"\x55\x55"]
    with pytest.raises(TypeError, match="extra positional arguments given"):
        spi.init(1, 8, 0, FakePin("pin13"))


def test_ws2812_write_is_in_microbit_on_v2_only():
    v2, _, states = microbit_names("v2")
    v2["ws2812_write"](FakePin("pin1"), b"\x01\x02\x03")
    assert states[-1] == ("neopixel", {"pin1": [[2, 1, 3]]})
    v1, _, _ = microbit_names("v1")
    assert "ws2812_write" not in v1
