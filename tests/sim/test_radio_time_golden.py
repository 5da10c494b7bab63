"""Shared virtual time gives the same run as before it was made faster (issue 17).

Boards that talk by radio headless share one virtual clock; how the host and the boards
exchange their requests for time (rounds, batching, running ahead when nothing can
arrive) is free to change, what the programs see is not. Each scenario's whole output —
every board's serial text, the board time it was printed at, and the order the host
printed it in — was recorded before the shared-time exchange was sped up, as a digest:
the same programs must give exactly that. Scenarios: exchanges at each data rate, power
and distance (some boards out of range), random chatter at several send rates, boards
sleeping long or blocked in a scroll while others talk, a callback hearing the radio,
full queues, scripted button presses, and a board that sends and ends at once.

``python -m tests.sim.test_radio_time_golden`` prints the digests (and writes each
transcript to the folder given, to compare two runs line by line).
"""

from __future__ import annotations

import hashlib
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ubit.sim.host.fleet import Fleet
from ubit.sim.host.start import BoardOptions

HEADER = "import radio\nfrom microbit import *\n"

EXCHANGE = """
radio.on()
radio.config(queue=254)
got = 0
for i in range(100):
    radio.send(str(i))
    sleep(20)
    while radio.receive():
        got += 1
print('got', got)
"""


def _rates(rate: int, power: int, length: int, gap: int) -> str:
    return f"""
    radio.config(data_rate={rate}, power={power}, length={length}, queue=20)
    radio.on()
    me = running_time()
    for i in range(25):
        radio.send_bytes(bytes([65 + i % 26]) * ((i * 7) % {length} + 1))
        sleep({gap} + i % 5)
        m = radio.receive_full()
        while m:
            print(running_time(), len(m[0]), m[0][:1], m[1], m[2])
            m = radio.receive_full()
    """


def _chatter(rate: int) -> str:
    return f"""
    import random
    radio.on()
    n = 0
    while running_time() < 900:
        if random.randint(0, {rate}) == 0:
            radio.send('%d:%d' % (n, running_time()))
            n += 1
        m = radio.receive_full()
        while m:
            print(running_time(), m[0], m[1], m[2])
            m = radio.receive_full()
        display.show(n % 10, wait=False)
        sleep(random.randint(0, 12))
    print('sent', n)
    """


SLEEPER = """
radio.config(queue=30)
radio.on()
sleep(700)
n = 0
m = radio.receive_full()
while m:
    n += 1
    print(n, m[0], m[2])
    m = radio.receive_full()
sleep(2000)
print('late', radio.receive())
"""
POLLER = """
radio.on()
count = 0
while running_time() < 600:
    if radio.receive():
        count += 1
print('polled', count, running_time())
"""
CALLBACK = """
radio.on()
def hear():
    m = radio.receive_full()
    if m:
        print('cb', running_time(), m[0], m[2])
run_every(hear, ms=37)
display.scroll('scrolling along', delay=45)
sleep(200)
"""
BURST_THEN_END = """
radio.on()
sleep(123)
for i in range(8):
    radio.send('burst %d' % i)
"""
TALKER = """
radio.on()
for i in range(30):
    radio.send('t%d' % i)
    sleep(17)
    if button_a.was_pressed():
        radio.send('pressed at %d' % running_time())
print('talker done', running_time())
"""
FULL_QUEUE = """
radio.config(queue=2, length=16)
radio.on()
for i in range(40):
    sleep(9)
    if i % 4 == 0:
        radio.send('q%d' % i)
    m = radio.receive_full()
    if m:
        print(running_time(), m[0], m[2])
"""

Scenario = list[tuple[str, Any]]  # (program, position)

SCENARIOS: dict[str, Scenario] = {
    "bench-exchange-10": [(EXCHANGE, None)] * 10,
    **{f"rate{rate}": [(_rates(rate, power, length, gap), pos) for power, length, gap, pos in
                       ((7, 32, 11, (0, 0)), (3, 20, 14, (6, 0)), (6, 64, 9, (0, 25)),
                        (0, 8, 13, (3, 3)), (7, 32, 20, (80, 0)))]
       for rate in (0, 1, 2)},
    **{f"chatter{rate}": [(_chatter(rate), (i * 7.5, 0)) for i in range(5)]
       for rate in (0, 3, 12)},
    "waits": [(TALKER, None), (SLEEPER, None), (POLLER, None), (CALLBACK, None),
              (BURST_THEN_END, None), (FULL_QUEUE, (2, 0)), (FULL_QUEUE, (0, 45))],
}
INPUTS: dict[str, list[list[Any]]] = {"waits": [[150, "button_a", True], [160, "button_a", False],
                                                [333, "button_a", True],
                                                [334, "button_a", False]]}

# sha256 of each scenario's transcript, recorded before issue 17's speed-up
EXPECTED: dict[str, str] = {
    'bench-exchange-10': '3080ac7b56a56d5653b35c512a90ce552f3301572291c7d81ee1c05b41c9d4e9',
    'chatter0': '8473fa3e2c5e6e7f78c46881ae469a1a29e42d0b5becee22a16e431bb11da52b',
    'chatter12': '07e0cb2fe687535f590c69e91f574f5abe1676a5ff840d5ab184f6b565b9d983',
    'chatter3': '04072db1f0dcd8f92b5345b52f80d4752a62d757d6a1057b9ebf88100a34cb0f',
    'rate0': '32724f25f29c9b526e7ed05b3e6dd3fc73e1c0525c64bc59e612e5c530e485ab',
    'rate1': 'c90d3a3e61ac987b7154bf62ba7d08f34e68f7702e0cb2e96ee22828e8318aa4',
    'rate2': '8d26408c3b67cf2e7932b646b38ec5dbad9e32b6737711d2b2711fa555c4a9e5',
    'waits': '580c408f1e12e687589cabdb9d94fe20b8fd96e623c7b50b0b17c8292aee45f9',
}


def transcript(name: str) -> str:
    """Run scenario ``name``: every output as the host printed it (board, time, text)."""
    plans = [BoardOptions(files={"main.py": (HEADER + textwrap.dedent(program)).encode()},
                          label=f"b{i}", position=position, time_limit_ms=20_000, seed=11 + i,
                          inputs=INPUTS.get(name, []) if i == 0 else ())
             for i, (program, position) in enumerate(SCENARIOS[name])]
    out: list[str] = []

    def output(index: int, label: str, t: int, text: str) -> None:
        out.append(f"{index} {label} {t} {text!r}")

    with Fleet(plans, on_output=output) as fleet:
        results = fleet.wait(timeout=120)
    out += [f"exit {i} {r['status']} {r.get('error')} {r['t']}" for i, r in enumerate(results)]
    return "\n".join(out) + "\n"


def digest(text: str) -> str:
    """The digest a transcript is compared by."""
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shared_time_runs_give_the_recorded_output(name: str) -> None:
    text = transcript(name)
    assert text.count("\n") > len(SCENARIOS[name]) + 2, text  # the boards printed something
    assert "error" not in text.split("exit", 1)[-1] or "None" in text, text
    assert digest(text) == EXPECTED[name], text


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for each in sorted(SCENARIOS):
        result = transcript(each)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{each}.txt").write_text(result)
        print(f"    {each!r}: {digest(result)!r},")
