"""``radio`` (reference §21): settings, sending and the receive queue of the board's radio.

What the functions accept and the errors they raise follow the firmware's bindings
(V2 ``src/codal_port/modradio.c``, micropython-microbit-v2 v2.1.2; V1
``source/microbit/modradio.cpp``, bbcmicrobit/micropython v1.1.1); the radio itself
is the part ``ubit.sim.parts.radio``.

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
from typing import Any

from ubit.sim.parts import radio as radio_part
from ubit.sim.runtime.api.files import buffer_bytes, writable_buffer
from ubit.sim.runtime.args import check_count, no_keywords, type_name
from ubit.sim.runtime.boundary import api
from ubit.sim.runtime.device import Device

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


def create(device: Device) -> dict[str, Any]:
    """The names of ``radio`` on ``device`` (importing it resets and turns the radio on)."""
    spec = device.spec
    poll = device.clock.poll
    radio = radio_part.of(device)

    def __init__(*args: Any, **kwargs: Any) -> None:  # noqa: N807 - the module initialiser
        """Reset the settings and turn the radio on (done by the import)."""
        if args or kwargs:
            arity(0, args, kwargs)
        radio.reset_settings()
        radio.turn_on()

    def arity(count: int, args: tuple, kwargs: dict[str, Any]) -> None:
        if kwargs:
            raise no_keywords()
        check_count(len(args), count, count)

    def enabled() -> None:
        if not radio.on:
            raise ValueError("radio is not enabled")

    def reset(*args: Any, **kwargs: Any) -> None:
        """Every setting back to its default (applied when the radio is next turned on)."""
        if args or kwargs:
            arity(0, args, kwargs)
        poll()
        radio.reset_settings()

    def config(*args: Any, **kwargs: Any) -> None:
        """Change settings by keyword: length, queue, channel, power, address, group, data_rate."""
        if args:
            raise TypeError("arguments must be keywords")
        poll()
        radio.configure(checked_settings(radio.settings, kwargs))

    def on(*args: Any, **kwargs: Any) -> None:
        """Turn the radio on (afresh: packets waiting are lost)."""
        if args or kwargs:
            arity(0, args, kwargs)
        poll()
        radio.turn_on()

    def off(*args: Any, **kwargs: Any) -> None:
        """Turn the radio off (packets waiting are lost)."""
        if args or kwargs:
            arity(0, args, kwargs)
        poll()
        radio.turn_off()

    def send_bytes(*args: Any, **kwargs: Any) -> None:
        """Send the bytes of ``message`` (cut to the packet length)."""
        if kwargs or len(args) != 1:
            arity(1, args, kwargs)
        data = buffer_bytes(args[0])
        poll()
        enabled()
        radio.transmit(data)

    def send(*args: Any, **kwargs: Any) -> None:
        """Send a str (or bytes) as a string packet: ``b'\\x01\\x00\\x01'`` and its bytes."""
        if kwargs or len(args) != 1:
            arity(1, args, kwargs)
        data = string_bytes(args[0])
        poll()
        enabled()
        radio.transmit(STRING_HEADER + data)

    def receive_bytes(*args: Any, **kwargs: Any) -> bytes | None:
        """The oldest packet's payload, or None."""
        if args or kwargs:
            arity(0, args, kwargs)
        poll()
        enabled()
        entry = radio.take()
        return None if entry is None else entry[0]

    def receive(*args: Any, **kwargs: Any) -> str | None:
        """The oldest packet as a str, or None; a packet that isn't a string is dropped."""
        if args or kwargs:
            arity(0, args, kwargs)
        poll()
        enabled()
        entry = radio.take()
        if entry is None:
            return None
        payload = entry[0]
        if payload[:3] != STRING_HEADER:
            raise ValueError("received packet is not a string")
        return payload[3:].decode("utf-8", "surrogateescape")

    def receive_bytes_into(*args: Any, **kwargs: Any) -> int | None:
        """Copy the oldest payload into ``buffer`` (as much as fits); its full length, or None."""
        if kwargs or len(args) != 1:
            arity(1, args, kwargs)
        view = writable_buffer(args[0])
        poll()
        enabled()
        entry = radio.take()
        if entry is None:
            return None
        payload = entry[0]
        n = min(len(view), len(payload))
        view[:n] = payload[:n]
        return len(payload)

    def receive_full(*args: Any, **kwargs: Any) -> tuple[bytes, int, int] | None:
        """``(payload, rssi, timestamp_us)`` of the oldest packet, or None."""
        if args or kwargs:
            arity(0, args, kwargs)
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
    names.update((fn.__name__, api(fn)) for fn in functions)
    if spec.name == "v1":  # V2 leaves the constant out (modradio.c) but still takes 2
        names["RATE_250KBIT"] = RATE_250KBIT
    names["RATE_1MBIT"], names["RATE_2MBIT"] = RATE_1MBIT, RATE_2MBIT  # the firmware's order
    return names
