"""A radio space: the boards one host runs, hearing each other as real ones would.

Every packet a board sends reaches every other board in range, with an RSSI from
the distance between them (``rf``); the receiving board's radio then keeps it only
if its channel, address, group and data rate match, as the hardware filter does.

In real time a packet is passed on as it comes. In **shared virtual time** (a
headless multi-board run) the boards move through time together: each may run up
to a common *horizon*, then asks for more (``sync``); when all have asked, the
space delivers the packets sent meanwhile — each to arrive ``LOOKAHEAD_US`` or its
air time after it was sent, whichever is later — and moves the horizon to the
earliest instant any board needs plus ``LOOKAHEAD_US``. No packet can arrive in a
board's past, and the same programs give the same run every time, at any speed.
The boards' serial output, stamped with board time, comes with each request, so
it can be printed in board-time order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ubit.sim.host.handle import VirtualBoard
from ubit.sim.shared import protocol, rf

LOOKAHEAD_US = 1000  # the shortest time from a send to its arrival (≥ a packet's air time)
Output = Callable[[int, str, int, str], None]  # (board index, label, µs, text)


class Member:
    """One board in a radio space."""

    def __init__(self, index: int, label: str, board: VirtualBoard,
                 position: rf.Position | None) -> None:
        self.index = index
        self.label = label
        self.board = board
        self.position = position
        self.live = True
        self.want: int | None = None  # shared time: waiting to go on to this instant
        self.inbox: list[tuple[int, int, int, dict[str, Any]]] = []  # (at, from, seq, packet)


class RadioSpace:
    """The air around a set of boards run by this host."""

    def __init__(self, shared_time: bool = False, on_output: Output | None = None,
                 ether: Any = None) -> None:
        self.shared_time = shared_time
        self.on_output = on_output
        self.ether = ether  # boards in other processes (``ether.Ether``), real time only
        self.members: list[Member] = []
        self.horizon = 0
        self.rounds = 0
        self.sent = 0
        self.delivered = 0
        self._outbox: list[tuple[int, int, str]] = []  # shared time: (µs, member, text)
        self._seq = 0
        self._lock = threading.Lock()
        if ether is not None:
            ether.on_packet = self.hear

    def join(self, board: VirtualBoard, label: str = "",
             position: rf.Position | None = None) -> Member:
        """Put ``board`` (not started yet) into this space."""
        member = Member(len(self.members), label or f"board {len(self.members) + 1}",
                        board, position)
        self.members.append(member)
        if self.shared_time:
            board.config["shared_time"] = True
        board.on_air = lambda message: self._on_air(member, message)
        return member

    # -- messages from the boards ------------------------------------------------------------
    def _on_air(self, member: Member, message: protocol.Message) -> None:
        kind = message["kind"]
        if kind == protocol.RADIO:
            self._transmit(member, message["packet"])
        elif kind == protocol.SYNC:
            with self._lock:
                member.want = int(message["want"])
                self._collect_output(member, message.get("out", ()))
                self._maybe_advance()
        elif kind == protocol.EXIT:
            with self._lock:
                if not member.live:
                    return
                member.live = False
                self._collect_output(member, message.get("out", ()))
                self._maybe_advance()
                if not any(m.live for m in self.members):
                    self._flush_output()

    def _transmit(self, sender: Member, packet: dict[str, Any]) -> None:
        with self._lock:
            self.sent += 1
            if self.shared_time:
                delay = max(LOOKAHEAD_US, rf.air_time_us(_payload_length(packet), packet["rate"]))
                self._seq += 1
                for member, rssi in self._listeners(sender.position, packet, exclude=sender):
                    member.inbox.append((int(packet["t"]) + delay, sender.index, self._seq,
                                         {**packet, "rssi": rssi}))
                return
            for member, rssi in self._listeners(sender.position, packet, exclude=sender):
                self._send_now(member, {**packet, "rssi": rssi})
        if self.ether is not None:
            self.ether.send({**packet, "pos": sender.position})

    def hear(self, packet: dict[str, Any]) -> None:
        """A packet from a board in another process (real time): it reaches ours in range."""
        with self._lock:
            position = packet.pop("pos", None)
            for member, rssi in self._listeners(position, packet):
                self._send_now(member, {**packet, "rssi": rssi})

    # -- delivery ------------------------------------------------------------------------------
    def _listeners(self, position: rf.Position | None, packet: dict[str, Any],
                   exclude: Member | None = None) -> list[tuple[Member, int]]:
        """The live boards in range of a packet sent from ``position``, with its RSSI there."""
        heard = []
        for member in self.members:
            if member.live and member is not exclude:
                rssi = rf.rssi_dbm(packet["power"], rf.distance_m(position, member.position))
                if rf.heard(rssi, packet["rate"]):
                    heard.append((member, rssi))
        return heard

    def _send_now(self, member: Member, packet: dict[str, Any]) -> None:
        self.delivered += 1
        member.board.send_control({"kind": protocol.RADIO, "packet": packet})

    # -- shared virtual time -------------------------------------------------------------------
    def _maybe_advance(self) -> None:
        """When every live board waits, move the horizon on and hand out the packets."""
        live = [m for m in self.members if m.live]
        if not live or any(m.want is None for m in live):
            return
        earliest = min(m.want for m in live if m.want is not None)
        self.horizon = max(self.horizon, earliest) + LOOKAHEAD_US
        self.rounds += 1
        self._flush_output()
        for member in live:
            member.inbox.sort(key=lambda item: item[:3])
            packets = [{**packet, "at": at} for at, _, _, packet in member.inbox]
            self.delivered += len(packets)
            member.inbox.clear()
            member.want = None
            member.board.send_control({"kind": protocol.GRANT, "horizon": self.horizon,
                                       "packets": packets})

    def _collect_output(self, member: Member, out: Any) -> None:
        self._outbox.extend((int(t), member.index, text) for t, text in out)

    def _flush_output(self) -> None:
        if not self._outbox:
            return
        self._outbox.sort(key=lambda item: item[:2])
        batch, self._outbox = self._outbox, []
        if self.on_output is not None:
            for t, index, text in batch:
                member = self.members[index]
                self.on_output(index, member.label, t, text)


def _payload_length(packet: dict[str, Any]) -> int:
    """Payload bytes of a packet (from its base64 length, without decoding it)."""
    data = packet["data"]
    return len(data) * 3 // 4 - data.count("=")
