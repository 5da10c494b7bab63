"""The board's antenna: packets out to the host's radio space, packets in at their instants.

The radio part (``ubit.sim.board.parts.radio``) calls ``transmit`` with a packet; the
host's radio space (``ubit.sim.radio``) decides who hears it and sends it back to
each listening board, where ``arrive`` hands it to the part — at once in real time,
or at its delivery instant on the board clock in virtual time.

A packet is a dict, as it crosses the control channel:
``data`` (payload, base64), ``channel``, ``address``, ``group``, ``rate``, ``power``
(the sender's radio settings), ``t`` (the send time, µs on the sender's clock);
on arrival also ``rssi`` (dBm, negative) and, in virtual time, ``at`` (the delivery
time, µs on the receiver's clock).
"""

from __future__ import annotations

import binascii
import threading
from collections.abc import Callable
from typing import Any

from ubit.sim.board.clock import Clock

Packet = dict[str, Any]


def encode_payload(data: bytes) -> str:
    """A payload as it crosses the control channel."""
    return binascii.b2a_base64(data, newline=False).decode()


def decode_payload(packet: Packet) -> bytes:
    """The payload bytes of a packet."""
    return binascii.a2b_base64(packet["data"])


class RadioLink:
    """Where a board's radio sends packets to and receives them from."""

    def __init__(self, clock: Clock, send: Callable[[Packet], None]) -> None:
        self.clock = clock
        self._send = send
        self._receiver: Callable[[Packet], None] | None = None
        self._lock = threading.Lock()

    def listen(self, receiver: Callable[[Packet], None] | None) -> None:
        """Hand arriving packets to ``receiver`` (the radio part); None: nobody listens."""
        with self._lock:
            self._receiver = receiver

    def transmit(self, packet: Packet) -> None:
        """Send ``packet`` into the radio space (stamped with the board time)."""
        self._send({**packet, "t": self.clock.now_us()})

    def arrive(self, packet: Packet) -> None:
        """A packet from the radio space: deliver it now, or at its instant in virtual time."""
        at = packet.get("at")
        if at is not None and self.clock.virtual:
            # rank 1: after the board's own timers due at the same instant, so the order
            # doesn't depend on when the packet became known (shared time: any round)
            self.clock.call_at(max(int(at), self.clock.now_us()),
                               lambda: self._deliver(packet), rank=1)
        else:
            self._deliver(packet)

    def _deliver(self, packet: Packet) -> None:
        with self._lock:
            receiver = self._receiver
        if receiver is not None:
            receiver(packet)


def of(board: Any) -> RadioLink:
    """The device's radio link (one that goes nowhere if the host gave none)."""
    link = getattr(board, "radio_link", None)
    if link is None:
        link = board.radio_link = RadioLink(board.clock, lambda packet: None)
    return link
