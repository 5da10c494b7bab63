"""Shared virtual time's cheaper rounds (issue 17): one host thread reads every board's
channel, answers carry packets encoded once, boards take them straight from the lists.

What the programs see must not change (``test_radio_time_golden`` holds the whole runs);
these tests hold the parts: lines come whole and in order however the channel cuts them,
a board whose process dies leaves the others running, a grant's packets are the
protocol's, and a board takes list packets as it takes the dicts.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from ubit.sim.board.clock import Clock
from ubit.sim.board.radiolink import RadioLink
from ubit.sim.host.channels import ChannelLoop
from ubit.sim.host.fleet import Fleet
from ubit.sim.host.radiospace import LOOKAHEAD_US, RadioSpace
from ubit.sim.host.start import BoardOptions
from ubit.sim.shared import protocol, rf


class _Reader:
    """Just enough of a ``VirtualBoard`` for a ``ChannelLoop``: the lines it was given."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.ended = threading.Event()

    def take_line(self, line: bytes) -> None:
        self.lines.append(line)

    def channel_ended(self) -> None:
        self.ended.set()


def test_lines_come_whole_in_order_however_the_channel_cuts_them() -> None:
    batches: list[str] = []
    loop = ChannelLoop(before=lambda: batches.append("("), after=lambda: batches.append(")"))
    readers, ends = [], []
    for _ in range(2):
        ours, theirs = socket.socketpair()
        reader = _Reader()
        loop.add(reader, ours)  # type: ignore[arg-type]
        readers.append(reader)
        ends.append((ours, theirs))
    first, second = ends[0][1], ends[1][1]
    first.sendall(b'{"a":1}\n{"b"')
    second.sendall(b"one\n")
    time.sleep(0.05)
    first.sendall(b':2}\n{"c":3}\n')
    first.sendall(b"cut short")  # a dying board's last, unfinished line
    first.close()
    second.close()
    for reader in readers:
        assert reader.ended.wait(5)
    assert readers[0].lines == [b'{"a":1}\n', b'{"b":2}\n', b'{"c":3}\n', b"cut short"]
    assert readers[1].lines == [b"one\n"]
    deadline = time.monotonic() + 5
    while loop._thread is not None and time.monotonic() < deadline:  # noqa: SLF001
        time.sleep(0.01)
    assert loop._thread is None  # noqa: SLF001 - no channel left: the thread has gone
    assert batches and batches.count("(") == batches.count(")")  # each wake-up answered
    for ours, _ in ends:
        ours.close()


EXCHANGE = """import radio
from microbit import *
radio.on()
got = 0
for i in range(40):
    radio.send(str(i))
    sleep(20)
    while radio.receive():
        got += 1
print('got', got)
"""


def test_a_board_that_dies_leaves_the_others_running() -> None:
    plans = [BoardOptions(files={"main.py": EXCHANGE.encode()}, label=f"b{i}", seed=i,
                          time_limit_ms=20_000) for i in range(3)]
    with Fleet(plans, on_output=lambda *_: None) as fleet:
        for board in fleet.boards:
            board.wait_ready(30)
        fleet.boards[0].kill()  # its process ends: its channel ends with nothing said
        results = [board.wait(timeout=30) for board in fleet.boards[1:]]
    assert [r["status"] for r in results] == ["ok", "ok"]


class _Board:
    """Just enough of a ``VirtualBoard`` for the radio space: what it was sent."""

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}
        self.sent: list[Any] = []
        self.on_air: Any = None
        self.control_reader: Any = None

    def send_control(self, message: Any) -> None:
        self.sent.append(message)


def test_a_grant_carries_each_packet_as_the_protocol_lists_it() -> None:
    space = RadioSpace(shared_time=True)
    sender, hearer = _Board(), _Board()
    space.join(sender, position=(0, 0))  # type: ignore[arg-type]
    space.join(hearer, position=(3, 4))  # type: ignore[arg-type]
    packets = [{"data": protocol.b64(payload), "channel": 7, "address": 0x75626974,
                "group": group, "rate": 1, "power": 6, "t": 1000 + i}
               for i, (payload, group) in enumerate([(b"hi", 0), (b'"\\/\xff\n', 255)])]
    for packet in packets:
        sender.on_air({"kind": protocol.RADIO, "packet": packet})
    sender.on_air({"kind": protocol.SYNC, "now": 2000, "want": 9_000_000,
                   "next": 9_000_000, "out": []})
    hearer.on_air({"kind": protocol.SYNC, "now": 0, "want": 5000, "next": 5000, "out": []})
    [line] = hearer.sent
    grant = protocol.decode(line)
    assert protocol.check(grant, protocol.HOST) == []
    assert grant["horizon"] == 9_000_000 + LOOKAHEAD_US - 1
    rssi = rf.rssi_dbm(6, 5)  # 5 m away
    expected = [[packet["t"] + LOOKAHEAD_US, rssi, packet["data"], packet["channel"],
                 packet["address"], packet["group"], packet["rate"], packet["power"],
                 packet["t"]] for packet in packets]
    assert grant["packets"] == expected
    assert line == protocol.encode({"kind": protocol.GRANT, "horizon": grant["horizon"],
                                    "packets": expected})  # byte for byte json's own


def test_a_board_takes_list_packets_as_it_takes_dicts() -> None:
    fields = protocol.GRANT_PACKET
    lists = [[3000, -50, protocol.b64(b"a"), 7, 1, 0, 1, 6, 2000],
             [3000, -60, protocol.b64(b"b"), 7, 1, 0, 1, 6, 2000],
             [4500, -70, protocol.b64(b"c"), 9, 2, 3, 2, 7, 3500]]
    taken = []
    for packets in (lists, [dict(zip(fields, each, strict=True)) for each in lists]):
        clock = Clock(virtual=True)
        link = RadioLink(clock, lambda packet: None)
        heard: list[tuple[int, dict[str, Any]]] = []
        link.listen(lambda packet, clock=clock, heard=heard:
                    heard.append((clock.now_us(), packet)))
        link.arrive_all(packets)
        clock.sleep_us(10_000)
        taken.append(heard)
    assert taken[0] == taken[1]
    assert [(t, p["data"], p["rssi"]) for t, p in taken[0]] == \
        [(3000, protocol.b64(b"a"), -50), (3000, protocol.b64(b"b"), -60),
         (4500, protocol.b64(b"c"), -70)]
