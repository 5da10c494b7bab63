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
from functools import partial

from ubit.sim.board.clock import Clock
from ubit.sim.shared.protocol import GRANT_PACKET
from ubit.sim.shared.typenames import Any

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

    def arrive_all(self, packets: list[Any]) -> None:
        """The packets of a ``grant`` (dicts, or lists of ``protocol.GRANT_PACKET``), in
        order: as ``arrive`` for each, on one lock."""
        clock = self.clock
        if clock.virtual and all(type(packet) is list for packet in packets):
            # as a radio space sends them: each with its instant (a round's work, for
            # every board, so made straight from the lists)
            self._arrive_at([{"at": at, "rssi": rssi, "data": data, "channel": channel,
                              "address": address, "group": group, "rate": rate,
                              "power": power, "t": t}
                             for at, rssi, data, channel, address, group, rate, power, t
                             in packets])  # protocol.GRANT_PACKET
            return
        packets = [packet if isinstance(packet, dict) else
                   dict(zip(GRANT_PACKET, packet, strict=True)) for packet in packets]
        if not clock.virtual or any(packet.get("at") is None for packet in packets):
            for packet in packets:
                self.arrive(packet)
            return
        self._arrive_at(packets)

    def _arrive_at(self, packets: list[Packet]) -> None:
        """Virtual time: packets (each with its ``at``, in order) to arrive at their instants.

        Packets arriving at one instant are handed over by one timer, in their order (a
        packet's delivery starts no timer due at its own instant: nothing can come between
        them).
        """
        clock = self.clock
        now = clock.now_us()
        batches: list[tuple[int, list[Packet]]] = []
        last, batch = None, []
        for packet in packets:
            at = max(int(packet["at"]), now)
            if at == last:
                batch.append(packet)
            else:
                batch = [packet]
                batches.append((at, batch))
                last = at
        clock.call_all([(at, partial(self._deliver_all, batch)) for at, batch in batches],
                       rank=1)

    def _deliver_all(self, packets: list[Packet]) -> None:
        for packet in packets:
            self._deliver(packet)

    def _deliver(self, packet: Packet) -> None:
        receiver = self._receiver  # one read: ``listen`` may change it meanwhile
        if receiver is not None:
            receiver(packet)


def of(board: Any) -> RadioLink:
    """The device's radio link (one that goes nowhere if the host gave none)."""
    link = getattr(board, "radio_link", None)
    if link is None:
        link = board.radio_link = RadioLink(board.clock, lambda packet: None)
    return link
