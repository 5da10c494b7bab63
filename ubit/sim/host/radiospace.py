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

The boards' control channels are read by one thread (``channels.ChannelLoop``), which
takes every line waiting when it wakes and answers the requests among them together;
an answer's packets are encoded as they are sent, once, not again for every board.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ubit.sim.host.channels import ChannelLoop
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
        # shared time: packets on their way here, (at, from, seq, rssi, the rest of the
        # packet as a grant carries it: ``protocol.grant_packet_fields``)
        self.inbox: list[tuple[int, int, int, int, bytes]] = []


class RadioSpace:
    """The air around a set of boards run by this host."""

    def __init__(self, shared_time: bool = False, on_output: Output | None = None,
                 ether: Any = None) -> None:
        self.shared_time = shared_time
        self.on_output = on_output
        self.ether = ether  # boards in other processes (``ether.Ether``), real time only
        self.members: list[Member] = []
        self._live: list[Member] = []  # shared time: the members still running
        self._waiting: list[Member] = []  # shared time: those waiting for an answer
        self.rounds = 0  # shared time: answers to ``sync`` (each lets one board go on)
        self.sent = 0
        self.delivered = 0
        self._outbox: list[tuple[int, int, str]] = []  # shared time: (µs, member, text)
        self._seq = 0
        self._reach: dict[tuple[int, int, int], list[tuple[Member, int]]] = {}  # ``_heard_by``
        self._lock = threading.Lock()
        # shared time: boards are still joining (``gathering``); none may run ahead alone
        self._gathering = False
        # shared time: the channel thread is taking the lines of one wake-up; the requests
        # among them are answered once it has taken them all
        self._batching = False
        self._channels = ChannelLoop(before=self._begin_batch, after=self._end_batch)
        if ether is not None:
            ether.on_packet = self.hear

    def join(self, board: VirtualBoard, label: str = "",
             position: rf.Position | None = None) -> Member:
        """Put ``board`` (not started yet) into this space."""
        member = Member(len(self.members), label or f"board {len(self.members) + 1}",
                        board, position)
        with self._lock:
            self.members.append(member)
            self._live.append(member)
            self._reach.clear()
        if self.shared_time:
            board.config["shared_time"] = True
            board.control_reader = self._channels.add
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
                grants = self._maybe_advance()
            self._send_grants(grants)

    def _begin_batch(self) -> None:
        with self._lock:
            self._batching = True

    def _end_batch(self) -> None:
        with self._lock:
            self._batching = False
            grants = self._maybe_advance()
        self._send_grants(grants)

    # -- messages from the boards ------------------------------------------------------------
    def _on_air(self, member: Member, message: protocol.Message) -> None:
        kind = message["kind"]
        if kind == protocol.RADIO:
            self._transmit(member, message["packet"])
        elif kind == protocol.SYNC:
            with self._lock:
                if member.want is None and member.live:
                    self._waiting.append(member)
                member.want = want = int(message["want"])
                member.now = int(message["now"])
                # a board that doesn't say (an older one): its program may run at ``want``
                next_ = message.get("next")
                member.next = max(member.next, want if next_ is None else int(next_))
                out = message.get("out")
                if out:
                    self._collect_output(member, out)
                grants = self._maybe_advance()
            self._send_grants(grants)
        elif kind == protocol.EXIT:
            with self._lock:
                if not member.live:
                    return
                member.live = False
                self._live.remove(member)
                if member in self._waiting:
                    self._waiting.remove(member)
                self._collect_output(member, message.get("out", ()))
                grants = self._maybe_advance()
            self._send_grants(grants)

    def _transmit(self, sender: Member, packet: dict[str, Any]) -> None:
        with self._lock:
            self._transmit_locked(sender, packet)
        if self.ether is not None and not self.shared_time:
            self.ether.send({**packet, "pos": sender.position})

    def _transmit_locked(self, sender: Member, packet: dict[str, Any]) -> None:
        self.sent += 1
        heard = self._heard_by(sender, packet["power"], packet["rate"])
        if self.shared_time:
            delay = max(LOOKAHEAD_US, rf.air_time_us(_payload_length(packet), packet["rate"]))
            self._seq += 1
            at = int(packet["t"]) + delay
            fields = protocol.grant_packet_fields(packet)
            for member, rssi in heard:
                if member.live:
                    member.inbox.append((at, sender.index, self._seq, rssi, fields))
            return
        for member, rssi in heard:
            if member.live:
                self._send_now(member, {**packet, "rssi": rssi})

    def hear(self, packet: dict[str, Any]) -> None:
        """A packet from a board in another process (real time): it reaches ours in range."""
        with self._lock:
            position = packet.pop("pos", None)
            for member, rssi in self._listeners(position, packet):
                self._send_now(member, {**packet, "rssi": rssi})

    # -- delivery ------------------------------------------------------------------------------
    def _heard_by(self, sender: Member, power: int, rate: int) -> list[tuple[Member, int]]:
        """The other boards in range of ``sender`` at ``power`` and ``rate``, with the RSSI
        there (live or not: the caller asks): the boards stand still, so it is worked out
        once, not for every packet."""
        key = (sender.index, power, rate)
        heard = self._reach.get(key)
        if heard is None:
            heard = self._reach[key] = self._listeners(
                sender.position, {"power": power, "rate": rate}, exclude=sender, live=False)
        return heard

    def _listeners(self, position: rf.Position | None, packet: dict[str, Any],
                   exclude: Member | None = None,
                   live: bool = True) -> list[tuple[Member, int]]:
        """The (live) boards in range of a packet sent from ``position``, with its RSSI there."""
        heard = []
        for member in self.members:
            if (member.live or not live) and member is not exclude:
                rssi = rf.rssi_dbm(packet["power"], rf.distance_m(position, member.position))
                if rf.heard(rssi, packet["rate"]):
                    heard.append((member, rssi))
        return heard

    def _send_now(self, member: Member, packet: dict[str, Any]) -> None:
        self.delivered += 1
        member.board.send_control({"kind": protocol.RADIO, "packet": packet})

    # -- shared virtual time -------------------------------------------------------------------
    def _maybe_advance(self) -> list[tuple[Member, bytes]]:
        """Let go on every waiting board whose horizon now passes the instant it needs.

        A board's horizon is one µs before the earliest instant a packet from another
        board could arrive: the earliest ``next`` among the other live boards plus
        ``LOOKAHEAD_US``. Every packet arriving by then has been sent, so it is here.
        """
        if self._gathering or self._batching:
            return []
        grants = []
        live = self._live
        if self._waiting:
            # the earliest two ``next``: each board's horizon comes from the others' earliest
            first = second = FOREVER_US
            earliest = None
            for member in live:
                if member.next < first:
                    first, second, earliest = member.next, first, member
                elif member.next < second:
                    second = member.next
            waiting = []
            for member in self._waiting:
                others_next = second if member is earliest else first
                horizon = FOREVER_US if others_next == FOREVER_US else \
                    others_next + LOOKAHEAD_US - 1
                if horizon < member.want:
                    waiting.append(member)  # it would have to ask again at once: it waits
                    continue
                inbox = member.inbox
                packets: list[tuple[int, int, bytes]] = []
                if inbox:
                    inbox.sort()  # as they arrive: by instant, then sender, then as sent
                    due = 0
                    while due < len(inbox) and inbox[due][0] <= horizon:
                        due += 1
                    if due:
                        packets = [(at, rssi, fields) for at, _, _, rssi, fields in inbox[:due]]
                        del inbox[:due]
                        self.delivered += due
                self.rounds += 1
                member.want = None
                grants.append((member, protocol.encode_grant(horizon, packets)))
            self._waiting = waiting
        if self._outbox:
            self._flush_output(min((m.now for m in live), default=None))
        return grants

    @staticmethod
    def _send_grants(grants: list[tuple[Member, bytes]]) -> None:
        """Send the answers ``_maybe_advance`` made, once the space's lock is let go: the
        boards answered first run (and ask again) while the others' answers are sent.
        A board has at most one answer on the way (it asks again only once answered)."""
        for member, message in grants:
            member.board.send_control(message)

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
