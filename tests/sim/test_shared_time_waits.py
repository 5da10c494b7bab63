"""Shared virtual time while boards are blocked in a scroll (issue 17).

A board waiting for ``display.scroll`` tells the others its program can't run before the
scroll ends, so they don't move in 6 ms steps with its display ticks; packets must still
arrive at the same board times, and a ``run_every`` callback inside the scroll still runs
(and hears the radio) at its own times.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ubit.sim.host.fleet import Fleet
from ubit.sim.host.radiospace import LOOKAHEAD_US, RadioSpace
from ubit.sim.host.start import BoardOptions
from ubit.sim.shared import protocol

HEADER = "import radio\nfrom microbit import *\nradio.on()\nradio.config(queue=60)\n"

SENDER = """
n = 0
while running_time() < 700:
    radio.send('%d:%d' % (n, running_time()))
    n += 1
    sleep(31 + n % 17)
display.scroll('bye')
radio.send('last')
print('sent', n, running_time())
"""

# blocked in a scroll while the packets come: a callback inside it hears some of them
SCROLLER_WITH_CALLBACK = """
def hear():
    m = radio.receive_full()
    if m:
        print('cb', running_time(), m[0][3:], m[2])
run_every(hear, ms=110)
display.scroll('Hello there')
print('scrolled', running_time())
m = radio.receive_full()
while m:
    print(running_time(), m[0][3:], m[2])
    m = radio.receive_full()
sleep(300)
print('end', running_time(), radio.receive())
"""

# blocked in a scroll (and a scroll with a V1-style clear and a show of a string) only
SCROLLER = """
display.scroll('Hi', delay=40)
display.show('abc', delay=130)
display.scroll('World', delay=7)
print('scrolled', running_time())
n = 0
m = radio.receive_full()
while m:
    n += 1
    last = m
    m = radio.receive_full()
print(n, last[0][3:], last[2])
"""

# What the boards printed before a scroll reported its end (each display tick was a
# round, 942 of them): the same programs must print exactly this. Re-recorded when the
# programs' own work started to take board time (the cost model, issue 18): the sender's
# packets leave a little later, still heard at the same instants by both receivers.
EXPECTED: dict[str, list[str]] = {
    'b0': [
        'sent 18 3702',
    ],
    'b1': [
        "cb 110 b'0:0' 1274",
        "cb 220 b'1:32' 33780",
        "cb 330 b'2:66' 67294",
        "cb 440 b'3:100' 101807",
        "cb 550 b'4:136' 137329",
        "cb 660 b'5:172' 173851",
        "cb 770 b'6:210' 211372",
        "cb 880 b'7:248' 249894",
        "cb 990 b'8:288' 289416",
        "cb 1100 b'9:328' 329937",
        "cb 1210 b'10:370' 371459",
        "cb 1320 b'11:412' 413989",
        "cb 1430 b'12:456' 457518",
        "cb 1540 b'13:501' 502048",
        "cb 1650 b'14:546' 547578",
        "cb 1760 b'15:593' 594107",
        "cb 1870 b'16:640' 641637",
        "cb 1980 b'17:672' 673167",
        "cb 3740 b'last' 3703008",
        'scrolled 8250',
        'end 8551 None',
    ],
    'b2': [
        'scrolled 1248',
        "18 b'17:672' 673167",
    ],
    'order': [
        "b1:cb 110 b'0:0' 1274",
        "b1:cb 220 b'1:32' 33780",
        "b1:cb 330 b'2:66' 67294",
        "b1:cb 440 b'3:100' 101807",
        "b1:cb 550 b'4:136' 137329",
        "b1:cb 660 b'5:172' 173851",
        "b1:cb 770 b'6:210' 211372",
        "b1:cb 880 b'7:248' 249894",
        "b1:cb 990 b'8:288' 289416",
        "b1:cb 1100 b'9:328' 329937",
        "b1:cb 1210 b'10:370' 371459",
        'b2:scrolled 1248',
        "b2:18 b'17:672' 673167",
        "b1:cb 1320 b'11:412' 413989",
        "b1:cb 1430 b'12:456' 457518",
        "b1:cb 1540 b'13:501' 502048",
        "b1:cb 1650 b'14:546' 547578",
        "b1:cb 1760 b'15:593' 594107",
        "b1:cb 1870 b'16:640' 641637",
        "b1:cb 1980 b'17:672' 673167",
        'b0:sent 18 3702',
        "b1:cb 3740 b'last' 3703008",
        'b1:scrolled 8250',
        'b1:end 8551 None',
    ],
}


def _run(*programs: str) -> tuple[dict[str, list[str]], int]:
    plans = [BoardOptions(files={"main.py": (HEADER + textwrap.dedent(p)).encode()},
                          label=f"b{i}", time_limit_ms=20_000, seed=3 + i)
             for i, p in enumerate(programs)]
    lines: dict[str, list[str]] = {plan.label: [] for plan in plans}
    order: list[str] = []

    def output(index: int, label: str, t: int, text: str) -> None:
        for line in text.replace("\r\n", "\n").splitlines():
            lines[label].append(line)
            order.append(f"{label}:{line}")

    with Fleet(plans, on_output=output) as fleet:
        results: list[Any] = fleet.wait(timeout=60)
        rounds = fleet.space.rounds
    assert all(r["status"] == "ok" for r in results), (results, lines)
    lines["order"] = order
    return lines, rounds


def test_packets_reach_scrolling_boards_at_the_same_times() -> None:
    lines, _ = _run(SENDER, SCROLLER_WITH_CALLBACK, SCROLLER)
    assert lines == EXPECTED


def test_boards_blocked_in_scrolls_dont_step_through_display_ticks() -> None:
    # three boards scrolling for ~4 s: 6 ms ticks would be ~2,000 rounds (issue 17)
    program = "display.scroll('Hello, world!')\nsleep(100)\ndisplay.scroll('again')\n"
    lines, rounds = _run(program + "print('a')", program + "print('b')",
                         program + "print('c')")
    assert [lines[f"b{i}"] for i in range(3)] == [["a"], ["b"], ["c"]]
    assert rounds < 40, rounds


class _Board:
    """Just enough of a ``VirtualBoard`` for the radio space: what it was sent."""

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}
        self.sent: list[dict[str, Any]] = []
        self.on_air: Any = None

    def send_control(self, message: dict[str, Any] | bytes) -> None:
        self.sent.append(protocol.decode(message) if isinstance(message, bytes) else message)


def test_a_board_that_asks_first_waits_for_the_others_to_join() -> None:
    # a fleet starts its boards one by one: the first to ask for time must not be let run
    # to its end alone (its packets would reach no one) before the others have joined
    space = RadioSpace(shared_time=True)
    first, second = _Board(), _Board()
    with space.gathering():
        space.join(first)  # type: ignore[arg-type]
        first.on_air({"kind": protocol.SYNC, "now": 50, "want": 9_000_000,
                      "next": 9_000_000, "out": []})
        assert first.sent == []
        space.join(second)  # type: ignore[arg-type]
    # the second hasn't run yet: its program may send at 0, heard from LOOKAHEAD_US on
    assert [m["horizon"] for m in first.sent] == []
    second.on_air({"kind": protocol.SYNC, "now": 50, "want": 100, "next": 100, "out": []})
    assert [m["horizon"] for m in second.sent] == [9_000_000 + LOOKAHEAD_US - 1]
    assert [m["horizon"] for m in first.sent] == []  # still to wait: 100 + 999 < 9 s
