"""``radio`` (reference §21): settings, sending and the receive queue of the board's radio.

What the functions accept and the errors they raise follow the firmware's bindings
(V2 ``src/codal_port/modradio.c``, micropython-microbit-v2 v2.1.2; V1
``source/microbit/modradio.cpp``, bbcmicrobit/micropython v1.1.1); the radio itself
is the part ``ubit.sim.board.parts.radio``.

* Importing the module resets the settings and turns the radio on (its ``__init__``).
* ``config`` takes keywords only; each value is converted to an int (truncated to 32
  bits) before its name is looked at, names are taken in the order given, and the first
  bad one raises — before anything changed.
* ``send`` takes str or bytes and puts ``b'\\x01\\x00\\x01'`` before it; the packet is cut
  to ``length``. ``receive`` drops a packet that doesn't start so and raises.
* The argument is checked before whether the radio is on.
* ``receive_full`` gives the timestamp masked to the ticks period (2**30) and the RSSI
  as a negative number.
* V1 also has ``RATE_250KBIT`` (2); V2 accepts 2 without naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.board.board import Board
from ubit.sim.board.parts import radio as radio_part
from ubit.sim.micropython.api.buttons import fixed_args
from ubit.sim.micropython.api.files import buffer_bytes, writable_buffer
from ubit.sim.micropython.args import type_name
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

RATE_1MBIT, RATE_2MBIT, RATE_250KBIT = 0, 1, 2  # RADIO_MODE_MODE_Nrf_1Mbit, _2Mbit, _250Kbit
STRING_HEADER = b"\x01\x00\x01"  # what send() puts before a string
TICKS_MASK = (1 << 30) - 1  # MICROPY_PY_UTIME_TICKS_PERIOD - 1 (both releases)

# config(): the values each setting accepts (modradio.c / modradio.cpp mod_radio_config)
_IN_RANGE: dict[str, Callable[[int], bool]] = {
    "length": lambda v: 1 <= v <= 251,
    "queue": lambda v: 1 <= v <= 254,
    "channel": lambda v: 0 <= v <= 83,  # MICROBIT_RADIO_MAX_CHANNEL
    "power": lambda v: 0 <= v <= 7,  # an index into [-30, -20, -16, -12, -8, -4, 0, 4] dBm
    "address": lambda v: True,  # any int: the low 32 bits are the base address
    "group": lambda v: 0 <= v <= 255,
    "data_rate": lambda v: v in (RATE_1MBIT, RATE_2MBIT, RATE_250KBIT),
}


def truncated_int(value: Any) -> int:
    """``mp_obj_get_int_truncated``: an int's low 32 bits (signed); bools; else TypeError."""
    if isinstance(value, int):
        value &= 0xFFFFFFFF
        return value - (1 << 32) if value & 0x80000000 else value
    raise TypeError(f"can't convert {type_name(value)} to int")


def string_bytes(value: Any) -> bytes:
    """``mp_obj_str_get_data``: the bytes of a str or bytes object, else TypeError."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"can't convert '{type_name(value)}' object to str implicitly")


def checked_settings(current: dict[str, int], kwargs: dict[str, Any]) -> dict[str, int]:
    """The settings after ``config(**kwargs)``, or the firmware's error (nothing changed)."""
    new = dict(current)
    for name, raw in kwargs.items():
        value = truncated_int(raw)  # converted first, whatever the name
        in_range = _IN_RANGE.get(name)
        if in_range is None:
            raise ValueError(f"unknown argument '{name}'")
        if not in_range(value):
            raise ValueError(f"value out of range for argument '{name}'")
        new[name] = value & 0xFFFFFFFF if name == "address" else value
    return new


def create(board: Board) -> dict[str, Any]:
    """The names of ``radio`` on ``device`` (importing it resets and turns the radio on)."""
    spec = board.spec
    poll = board.clock.poll
    radio = radio_part.of(board)

    def __init__() -> None:  # noqa: N807 - the module initialiser
        """Reset the settings and turn the radio on (done by the import)."""
        radio.reset_settings()
        radio.turn_on()

    def enabled() -> None:
        if not radio.on:
            raise ValueError("radio is not enabled")

    def reset() -> None:
        """Every setting back to its default (applied when the radio is next turned on)."""
        poll()
        radio.reset_settings()

    def config(*args: Any, **kwargs: Any) -> None:
        """Change settings by keyword: length, queue, channel, power, address, group, data_rate."""
        if args:
            raise TypeError("arguments must be keywords")
        poll()
        radio.configure(checked_settings(radio.settings, kwargs))

    def on() -> None:
        """Turn the radio on (afresh: packets waiting are lost)."""
        poll()
        radio.turn_on()

    def off() -> None:
        """Turn the radio off (packets waiting are lost)."""
        poll()
        radio.turn_off()

    def send_bytes(message: Any) -> None:
        """Send the bytes of ``message`` (cut to the packet length)."""
        data = buffer_bytes(message)
        poll()
        enabled()
        radio.transmit(data)

    def send(message: Any) -> None:
        """Send a str (or bytes) as a string packet: ``b'\\x01\\x00\\x01'`` and its bytes."""
        data = string_bytes(message)
        poll()
        enabled()
        radio.transmit(STRING_HEADER + data)

    def receive_bytes() -> bytes | None:
        """The oldest packet's payload, or None."""
        poll()
        enabled()
        entry = radio.take()
        return None if entry is None else entry[0]

    def receive() -> str | None:
        """The oldest packet as a str, or None; a packet that isn't a string is dropped."""
        poll()
        enabled()
        entry = radio.take()
        if entry is None:
            return None
        payload = entry[0]
        if payload[:3] != STRING_HEADER:
            raise ValueError("received packet is not a string")
        return payload[3:].decode("utf-8", "surrogateescape")

    def receive_bytes_into(buffer: Any) -> int | None:
        """Copy the oldest payload into ``buffer`` (as much as fits); its full length, or None."""
        view = writable_buffer(buffer)
        poll()
        enabled()
        entry = radio.take()
        if entry is None:
            return None
        payload = entry[0]
        n = min(len(view), len(payload))
        view[:n] = payload[:n]
        return len(payload)

    def receive_full() -> tuple[bytes, int, int] | None:
        """``(payload, rssi, timestamp_us)`` of the oldest packet, or None."""
        poll()
        enabled()
        entry = radio.take()
        if entry is None:
            return None
        payload, rssi, timestamp = entry
        return payload, rssi, timestamp & TICKS_MASK

    __init__()
    functions = (__init__, reset, config, on, off, send_bytes, receive_bytes, send, receive,
                 receive_bytes_into, receive_full)
    for fn in functions:
        fn.__qualname__ = fn.__name__
    names: dict[str, Any] = {"__name__": "radio"}
    names.update((fn.__name__, api(fixed_args(fn))) for fn in functions)
    if spec.radio_250kbit:  # V2 leaves the constant out (modradio.c) but still takes 2
        names["RATE_250KBIT"] = RATE_250KBIT
    names["RATE_1MBIT"], names["RATE_2MBIT"] = RATE_1MBIT, RATE_2MBIT  # the firmware's order
    return names
