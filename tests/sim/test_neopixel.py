"""NeoPixels per version: V1's checks and errors, V2's unchecked bytearray, colours published.

Reference §22; V1 firmware modneopixel, V2 frozen ``neopixel.py`` (both as the sheet cites).
"""

from __future__ import annotations

import importlib.util
import operator
from typing import Any

import pytest

from tests.sim.runner import run_program
from tests.sim.test_files import make_device
from ubit.sim.micropython.modules import neopixel


class FakePin:
    """Stands for ``microbit.pinN`` (a pin object names itself with ``pin_id``)."""

    def __init__(self, ident: str) -> None:
        self.pin_id = ident


def strip(board: str) -> tuple[Any, list[tuple[str, Any]]]:
    """The NeoPixel class of a fresh board, and the list its states go to."""
    device, states = make_device(board)
    return neopixel.create(device)["NeoPixel"], states


def pixels(states: list[tuple[str, Any]]) -> list[Any]:
    return [value for part, value in states if part == "neopixel"]


def test_v1_show_publishes_rgb_colours():
    NeoPixel, states = strip("v1")
    np = NeoPixel(FakePin("pin0"), 3)
    np[0] = (255, 0, 10)
    np[-1] = [1, 2, 3]
    assert (np[0], np[2], len(np), repr(np)) == ((255, 0, 10), (1, 2, 3), 3, "<NeoPixel>")
    assert pixels(states) == []  # nothing lights before show()
    np.show()
    np.clear()
    assert pixels(states) == [
        {"pin0": [[255, 0, 10], [0, 0, 0], [1, 2, 3]]},
        {"pin0": [[0, 0, 0]] * 3},
    ]


def test_v1_checks_and_errors():
    NeoPixel, _ = strip("v1")
    pin = FakePin("pin1")
    np = NeoPixel(pin, 2, bpp=4)
    np[1] = (1, 2, 3, 4)
    assert np[1] == (1, 2, 3, 4)
    cases = [
        (lambda: NeoPixel(pin, 0), ValueError, "invalid number of pixels"),
        (lambda: NeoPixel(pin, 3, 5), ValueError, "invalid bpp"),
        (lambda: NeoPixel("pin0", 3), TypeError, "expecting a pin"),
        (lambda: NeoPixel(pin, 2.0), TypeError, "can't convert float to int"),
        (lambda: NeoPixel(pin, n=3), TypeError, "'' argument required"),
        (lambda: operator.setitem(np, 0, (256, 0, 0, 0)), ValueError, "invalid colour"),
        (lambda: operator.setitem(np, 0, (-1, 0, 0, 0)), ValueError, "invalid colour"),
        (lambda: operator.setitem(np, 0, (1, 2, 3)), ValueError,
         "requested length 4 but object has length 3"),
        (lambda: operator.setitem(np, 0, 7), TypeError, "object 'int' is not a tuple or list"),
        (lambda: operator.setitem(np, 0, (1.5, 0, 0, 0)), TypeError, "can't convert float to int"),
        (lambda: np[2], IndexError, "NeoPixel index out of range"),
        (lambda: np["a"], TypeError, "NeoPixel indices must be integers, not str"),
        (lambda: np.fill((0, 0, 0, 0)), AttributeError, "fill"),
    ]
    for call, kind, message in cases:
        with pytest.raises(kind, match=message):
            call()


def test_v2_bytearray_without_checks():
    NeoPixel, states = strip("v2")
    np = NeoPixel(FakePin("pin2"), 2)
    np[0] = (256, 300, -1)  # bytes wrap, as a bytearray store does on MicroPython
    assert np[0] == (0, 44, 255)
    assert np.buf == bytearray([44, 0, 255, 0, 0, 0])  # sent in GRB order
    np.fill((10, 20, 30))
    np.write()
    np.show()
    assert pixels(states) == [{"pin2": [[10, 20, 30]] * 2}] * 2
    np.clear()
    assert pixels(states)[-1] == {"pin2": [[0, 0, 0]] * 2}
    assert (np.n, np.bpp, len(np), np.ORDER) == (2, 3, 2, (1, 0, 2, 3))
    with pytest.raises(IndexError, match="bytearray index out of range"):
        np[2] = (1, 2, 3)
    with pytest.raises(TypeError, match="can't convert float to int"):
        np[0] = (1.5, 0, 0)


def test_v2_checks_the_pin_only_when_writing_and_supports_rgbw():
    NeoPixel, states = strip("v2")
    loose = NeoPixel("not a pin", 1)
    with pytest.raises(TypeError, match="expecting a pin"):
        loose.show()
    np = NeoPixel(FakePin("pin8"), 1, bpp=4)
    np[0] = (1, 2, 3, 4)
    np.show()
    assert pixels(states) == [{"pin8": [[1, 2, 3, 4]]}]


def test_v2_ws2812_write_sends_raw_grb():
    device, states = make_device("v2")
    names = neopixel.create(device)
    names["ws2812_write"](FakePin("pin0"), bytes([1, 2, 3, 4, 5, 6]))
    assert pixels(states) == [{"pin0": [[2, 1, 3], [5, 4, 6]]}]
    assert "ws2812_write" not in neopixel.create(make_device("v1")[0])


def test_show_takes_the_strip_s_time():
    device, _ = make_device("v2")
    np = neopixel.create(device)["NeoPixel"](FakePin("pin0"), 30)
    before = device.clock.now_us()
    np.show()
    assert device.clock.now_us() - before == 30 * 3 * 10 + 50  # 1.25 µs a bit, 50 µs latch


@pytest.mark.skipif(importlib.util.find_spec("ubit.sim.micropython.api.pins") is None,
                    reason="the board's pins are not there yet")
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_end_to_end_colours_reach_the_host(board):
    result = run_program("from microbit import pin0\nimport neopixel\n"
                         "np = neopixel.NeoPixel(pin0, 2)\nnp[1] = (0, 128, 255)\nnp.show()\n"
                         "print(pin0.get_mode())\n", board=board)
    assert result.text == "unused\n"  # neither firmware gives NeoPixels a pin mode
    assert result.state["neopixel"] == {"pin0": [[0, 0, 0], [0, 128, 255]]}
