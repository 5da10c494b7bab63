"""A radio space: the boards one host runs, hearing each other as real ones would.

Every packet a board sends reaches every other board in range, with an RSSI from
the distance between them (``rf``); the receiving board's radio then keeps it only
if its channel, address, group and data rate match, as the hardware filter does.

In real time a packet is passed on as it comes. In **shared virtual time** (a
headless multi-board run) each board runs up to its own *horizon*, then asks for
more (``sync``), saying the earliest instant its program can run again (``next``):
only a program sends packets, and a packet arrives ``LOOKAHEAD_US`` or its air time
after it was sent, whichever is later. So a board may run until just before the
earliest ``next`` of the *other* boards plus ``LOOKAHEAD_US``: no packet it hasn't
been given can arrive by then. Display frames, sounds and the rest of a board's own
timers never hold anyone up; a board is answered as soon as its horizon can pass the
instant it needs, without waiting for the others to ask. No packet arrives in a
board's past, and the same programs give the same run every time, at any speed
(``docs/board-protocol.md``, *Shared virtual time*). The boards' serial output,
stamped with board time, comes with each request, and is printed in board-time
order once no board can print anything earlier.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ubit.sim.host.handle import VirtualBoard
from ubit.sim.shared import protocol, rf

LOOKAHEAD_US = 1000  # the shortest time from a send to its arrival (≥ a packet's air time)
FOREVER_US = 2 ** 62  # a horizon with no other board left to wait for
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
        self.now = 0  # shared time: its board time at its last request (it prints no earlier)
        self.next = 0  # shared time: the earliest instant its program may run (and send)
        self.inbox: list[tuple[int, int, int, dict[str, Any]]] = []  # (at, from, seq, packet)


class RadioSpace:
    """The air around a set of boards run by this host."""

    def __init__(self, shared_time: bool = False, on_output: Output | None = None,
                 ether: Any = None) -> None:
        self.shared_time = shared_time
        self.on_output = on_output
        self.ether = ether  # boards in other processes (``ether.Ether``), real time only
        self.members: list[Member] = []
        self.rounds = 0  # shared time: answers to ``sync`` (each lets one board go on)
        self.sent = 0
        self.delivered = 0
        self._outbox: list[tuple[int, int, str]] = []  # shared time: (µs, member, text)
        self._seq = 0
        self._lock = threading.Lock()
        # shared time: boards are still joining (``gathering``); none may run ahead alone
        self._gathering = False
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

    @contextlib.contextmanager
    def gathering(self) -> Iterator[None]:
        """Boards join and start inside this; in shared time none is let past its start
        until all have joined (a board alone could otherwise run to its end before the
        next joins, and miss its packets)."""
        with self._lock:
            self._gathering = True
        try:
            yield
        finally:
            with self._lock:
                self._gathering = False
                self._maybe_advance()

    # -- messages from the boards ------------------------------------------------------------
    def _on_air(self, member: Member, message: protocol.Message) -> None:
        kind = message["kind"]
        if kind == protocol.RADIO:
            self._transmit(member, message["packet"])
        elif kind == protocol.SYNC:
            with self._lock:
                member.want = int(message["want"])
                member.now = int(message["now"])
                # a board that doesn't say (an older one): its program may run at ``want``
                member.next = max(member.next, int(message.get("next", member.want)))
                self._collect_output(member, message.get("out", ()))
                self._maybe_advance()
        elif kind == protocol.EXIT:
            with self._lock:
                if not member.live:
                    return
                member.live = False
                self._collect_output(member, message.get("out", ()))
                self._maybe_advance()

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
        """Let go on every waiting board whose horizon now passes the instant it needs.

        A board's horizon is one µs before the earliest instant a packet from another
        board could arrive: the earliest ``next`` among the other live boards plus
        ``LOOKAHEAD_US``. Every packet arriving by then has been sent, so it is here.
        """
        if self._gathering:
            return
        live = [m for m in self.members if m.live]
        firsts = sorted(live, key=lambda m: m.next)[:2]  # the earliest two: "the others'"
        for member in live:
            if member.want is None:
                continue
            others = [m for m in firsts if m is not member]
            horizon = others[0].next + LOOKAHEAD_US - 1 if others else FOREVER_US
            if horizon < member.want:
                continue  # it would have to ask again at once: wait for the others
            member.inbox.sort(key=lambda item: item[:3])
            due = 0
            while due < len(member.inbox) and member.inbox[due][0] <= horizon:
                due += 1
            packets = [{**packet, "at": at} for at, _, _, packet in member.inbox[:due]]
            del member.inbox[:due]
            self.delivered += len(packets)
            self.rounds += 1
            member.want = None
            member.board.send_control({"kind": protocol.GRANT, "horizon": horizon,
                                       "packets": packets})
        self._flush_output(min((m.now for m in live), default=None))

    def _collect_output(self, member: Member, out: Any) -> None:
        self._outbox.extend((int(t), member.index, text) for t, text in out)

    def _flush_output(self, before: int | None = None) -> None:
        """Print the output stamped before ``before`` (None: all), in board-time order.

        No live board can still print earlier than the time it last asked at, so what
        is printed never changes with the order the boards happened to ask in.
        """
        if not self._outbox:
            return
        self._outbox.sort(key=lambda item: item[:2])
        if before is None:
            batch, self._outbox = self._outbox, []
        else:
            cut = 0
            while cut < len(self._outbox) and self._outbox[cut][0] < before:
                cut += 1
            batch, self._outbox = self._outbox[:cut], self._outbox[cut:]
        if self.on_output is not None:
            for t, index, text in batch:
                member = self.members[index]
                self.on_output(index, member.label, t, text)


def _payload_length(packet: dict[str, Any]) -> int:
    """Payload bytes of a packet (from its base64 length, without decoding it)."""
    data = packet["data"]
    return len(data) * 3 // 4 - data.count("=")
