"""Finding micro:bits on USB by their serial ports.

A micro:bit's USB interface chip (DAPLink) shows up as a serial port with USB vendor
0x0D28 and product 0x0204, and a serial number that starts with the board ID: 9900 and
9901 are V1 boards, 9903 to 9906 V2. Other DAPLink boards share the USB ids, so a
serial number with another board ID is not a micro:bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ubit.errors import DeviceError

MICROBIT_VID = 0x0D28
MICROBIT_PID = 0x0204
BOARD_IDS = {"9900": "V1", "9901": "V1", "9903": "V2", "9904": "V2", "9905": "V2",
             "9906": "V2"}


@dataclass(frozen=True)
class Microbit:
    """One micro:bit on USB: its serial port, USB serial number and V1/V2 (or None)."""

    port: str
    serial_number: str | None
    version: str | None

    def describe(self) -> str:
        """``/dev/ttyACM0  V2  9904...``: one line for ``ubit devices``."""
        return f"{self.port}  {self.version or '?'}  {self.serial_number or '(no serial number)'}"


def version_from_serial(serial_number: str | None) -> str | None:
    """"V1" or "V2" from a micro:bit's USB serial number (its first 4 digits), else None."""
    return BOARD_IDS.get((serial_number or "")[:4])


def is_microbit(serial_number: str | None) -> bool:
    """Whether a DAPLink with this serial number is a micro:bit (unknown counts as yes)."""
    return not serial_number or serial_number[:4] in BOARD_IDS or serial_number.startswith("99")


def find_microbits(ports: Iterable[Any] | None = None) -> list[Microbit]:
    """The micro:bits plugged in, by port name (``ports``: pyserial ``ListPortInfo``s)."""
    if ports is None:
        from serial.tools import list_ports

        ports = list_ports.comports()
    found = [Microbit(p.device, p.serial_number, version_from_serial(p.serial_number))
             for p in ports
             if p.vid == MICROBIT_VID and p.pid == MICROBIT_PID and is_microbit(p.serial_number)]
    return sorted(found, key=lambda m: m.port)


def pick_port(port: str | None = None, ports: Iterable[Any] | None = None) -> str:
    """``port`` if given, else the one micro:bit on USB; ``DeviceError`` for none or several."""
    if port:
        return port
    found = find_microbits(ports)
    if not found:
        raise DeviceError("no micro:bit found on USB; plug one in (with a data cable), "
                          "give its port with --port, or use --sim for a virtual one")
    if len(found) > 1:
        names = ", ".join(f"{m.port} ({m.version or '?'})" for m in found)
        raise DeviceError(f"{len(found)} micro:bits found ({names}); choose one with --port")
    return found[0].port
