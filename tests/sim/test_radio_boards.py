"""Several virtual boards in one radio space: what each one's program hears (issue 6).

Boards run headless in shared virtual time (``ubit.sim.host.fleet``), so every run is
deterministic; the last tests use real time and separate ``ubit sim`` processes on
the machine-wide loopback radio. Facts: reference §21 (radio), ``ubit.sim.shared.rf``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from typing import Any

import pytest

from ubit.sim.host.fleet import Fleet
from ubit.sim.host.radiospace import LOOKAHEAD_US
from ubit.sim.host.start import BoardOptions
from ubit.sim.shared import rf

HEADER = "import radio\nfrom microbit import *\n"


def run_boards(*programs: str, positions: list[Any] | None = None, board: str = "v2",
               limit_ms: float | None = 20_000) -> dict[str, list[str]]:
    """Run each program on its own board; every board's output lines, by label."""
    plans = [BoardOptions(board=board, files={"main.py": (HEADER + textwrap.dedent(p)).encode()},
                          label=f"b{i}", position=(positions or [None] * len(programs))[i],
                          time_limit_ms=limit_ms, seed=7 + i)
             for i, p in enumerate(programs)]
    lines: dict[str, list[str]] = {plan.label: [] for plan in plans}
    order: list[str] = []
    partial: dict[str, str] = {}

    def output(index: int, label: str, t: int, text: str) -> None:
        parts = (partial.pop(label, "") + text.replace("\r\n", "\n")).split("\n")
        lines[label].extend(parts[:-1])
        order.extend(f"{label}:{line}" for line in parts[:-1])
        if parts[-1]:
            partial[label] = parts[-1]

    with Fleet(plans, on_output=output) as fleet:
        results = fleet.wait(timeout=60)
    for label, rest in partial.items():
        lines[label].append(rest)
    assert all(r["status"] in ("ok", "timeout") for r in results), (results, lines)
    lines["order"] = order
    return lines


SENDER = """
sleep(100)
for i in range(5):
    radio.send('msg %d' % i)
    sleep(50)
"""
RECEIVER = """
got = []
while running_time() < 1000:
    m = radio.receive()
    if m:
        got.append(m)
print(got)
"""


def test_two_boards_chat() -> None:
    ping = """
    sleep(10)
    for i in range(3):
        radio.send('ping %d' % i)
        while True:
            m = radio.receive()
            if m:
                print('A got', m)
                break
    """
    pong = """
    n = 0
    while n < 3:
        m = radio.receive()
        if m:
            print('B got', m)
            radio.send(m.replace('ping', 'pong'))
            n += 1
    """
    out = run_boards(ping, pong)
    assert out["b0"] == ["A got pong 0", "A got pong 1", "A got pong 2"]
    assert out["b1"] == ["B got ping 0", "B got ping 1", "B got ping 2"]
    # the conversation alternates, in board time
    assert out["order"] == ["b1:B got ping 0", "b0:A got pong 0", "b1:B got ping 1",
                            "b0:A got pong 1", "b1:B got ping 2", "b0:A got pong 2"]


def test_one_sender_ten_receivers() -> None:
    out = run_boards(SENDER, *[RECEIVER] * 10)
    expected = str([f"msg {i}" for i in range(5)])
    for i in range(1, 11):
        assert out[f"b{i}"] == [expected]


def test_a_board_does_not_hear_itself() -> None:
    out = run_boards("""
    radio.send('me')
    sleep(100)
    print(radio.receive())
    """)
    assert out["b0"] == ["None"]


@pytest.mark.parametrize("setting", ["group=1", "channel=8", "address=0x12345678",
                                     "data_rate=radio.RATE_2MBIT"])
def test_different_settings_hear_nothing(setting: str) -> None:
    receiver_same = RECEIVER
    receiver_other = f"radio.config({setting})\n" + RECEIVER
    sender = SENDER
    out = run_boards(sender, receiver_same, receiver_other)
    assert out["b1"] == [str([f"msg {i}" for i in range(5)])]
    assert out["b2"] == ["[]"]
    # and a sender with the same setting is heard by that receiver only
    out = run_boards(f"radio.config({setting})\n" + sender, receiver_same, receiver_other)
    assert out["b1"] == ["[]"]
    assert out["b2"] == [str([f"msg {i}" for i in range(5)])]


def test_a_full_queue_drops_the_newest() -> None:
    sender = """
    sleep(10)
    for i in range(6):
        radio.send('%d' % i + 'x' * 28)   # 29 text bytes: a full 32-byte packet
        sleep(5)
    """
    receiver = """
    sleep(500)
    got = []
    while True:
        m = radio.receive()
        if m is None:
            break
        got.append(m[0])
    print(got)
    """
    out = run_boards(sender, receiver)
    assert out["b1"] == ["['0', '1', '2']"]  # the queue holds 3 packets of the full length


def test_long_messages_are_truncated_to_the_packet_length() -> None:
    sender = """
    sleep(10)
    radio.send('abcdefghijklmnopqrstuvwxyz0123456789')
    """
    receiver = """
    sleep(100)
    print(repr(radio.receive()))
    """
    out = run_boards(sender, receiver)
    assert out["b1"] == ["'abcdefghijklmnopqrstuvwxyz012'"]  # 32 bytes - 3 header bytes


def test_receive_full_rssi_and_timestamp() -> None:
    sender = """
    sleep(100)
    radio.send_bytes(b'hi')
    """
    receiver = """
    sleep(300)
    msg, rssi, ts = radio.receive_full()
    print(msg, rssi, ts)
    """
    out = run_boards(sender, receiver)
    msg, rssi, ts = out["b1"][0].split()
    assert msg == "b'hi'"
    assert int(rssi) == rf.rssi_dbm(6, rf.DEFAULT_DISTANCE_M) == -40
    # sent at ~100 ms (plus the cost of the calls before it), heard a lookahead later
    assert 100_000 + LOOKAHEAD_US <= int(ts) <= 100_000 + LOOKAHEAD_US + 1_000


def test_distance_sets_rssi_and_range() -> None:
    receiver = """
    sleep(300)
    full = radio.receive_full()
    print(full[1] if full else 'nothing')
    """
    sender = "sleep(100)\nradio.send('x')\n"
    out = run_boards(sender, receiver, receiver, receiver,
                     positions=[(0, 0), (10, 0), (0, 40), (200, 0)])
    assert out["b1"] == [str(rf.rssi_dbm(6, 10))]
    assert out["b2"] == [str(rf.rssi_dbm(6, 40))]
    assert rf.rssi_dbm(6, 10) > rf.rssi_dbm(6, 40)
    assert out["b3"] == ["nothing"]  # 200 m is beyond a micro:bit's range
    # lower power: shorter range
    out = run_boards("radio.config(power=0)\n" + sender, receiver, positions=[(0, 0), (10, 0)])
    assert out["b1"] == ["nothing"]


def test_radio_off_hears_nothing() -> None:
    receiver = """
    radio.off()
    sleep(300)
    radio.on()
    print(radio.receive())
    """
    out = run_boards(SENDER, receiver)
    assert out["b1"] == ["None"]


def test_the_same_multi_board_run_twice_gives_the_same_output() -> None:
    chatter = """
    import random
    n = 0
    while running_time() < 800:
        if random.randint(0, 9) == 0:
            radio.send('%d:%d' % (n, running_time()))
            n += 1
        m = radio.receive()
        if m:
            print(running_time(), m)
        sleep(random.randint(1, 20))
    """
    first = run_boards(chatter, chatter, chatter)
    second = run_boards(chatter, chatter, chatter)
    assert first == second
    assert sum(len(first[f"b{i}"]) for i in range(3)) > 20  # they did talk


def test_ubit_run_several_programs_headless(tmp_path: Any) -> None:
    (tmp_path / "send.py").write_text(HEADER + SENDER)
    (tmp_path / "recv.py").write_text(HEADER + RECEIVER)
    result = subprocess.run(
        [sys.executable, "-m", "ubit", "run", str(tmp_path / "send.py"),
         str(tmp_path / "recv.py"), str(tmp_path / "recv.py"), "--headless"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = str([f"msg {i}" for i in range(5)])
    assert result.stdout.splitlines() == [f"recv.py: {expected}", f"recv.py#2: {expected}"]


# -- separate processes: ubit sim boards on the machine's loopback radio ---------------------
def _start_sim(program: str, space: str, tmp_path: Any, name: str) -> subprocess.Popen[str]:
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(program))
    return subprocess.Popen([sys.executable, "-m", "ubit", "sim", str(path),
                             "--radio-space", space],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def test_boards_in_separate_processes_talk_over_loopback(tmp_path: Any) -> None:
    space = f"test-{uuid.uuid4().hex[:8]}"
    receiver = """
    while True:
        m = radio.receive()
        if m:
            print('heard', m)
    """
    sender = """
    i = 0
    while True:
        radio.send('hello %d' % i)
        i += 1
        sleep(50)
    """
    procs = [_start_sim(receiver, space, tmp_path, "recv.py")]
    try:
        line = procs[0].stdout.readline()  # "virtual micro:bit V2 on /dev/pts/N"
        pty = line.split(" on ")[-1].strip()
        fd = os.open(pty, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        procs.append(_start_sim(sender, space, tmp_path, "send.py"))
        seen = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(re.findall(r"heard hello \d+", seen)) < 3:
            try:
                seen += os.read(fd, 4096).decode(errors="replace")
            except BlockingIOError:
                time.sleep(0.05)
        os.close(fd)
        assert len(re.findall(r"heard hello \d+", seen)) >= 3, seen
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def test_ubit_run_gives_each_board_its_own_input_script(tmp_path: Any) -> None:
    (tmp_path / "button.py").write_text(HEADER + textwrap.dedent("""
        while running_time() < 1000:
            if button_a.was_pressed():
                radio.send('A on ' + str(running_time() // 100))
            sleep(10)
        """))
    (tmp_path / "recv.py").write_text(HEADER + RECEIVER)
    (tmp_path / "none.txt").write_text("# nothing for the first board\n")
    (tmp_path / "taps.txt").write_text("300 press A\n350 release A\n")
    argv = [sys.executable, "-m", "ubit", "run", str(tmp_path / "recv.py"),
            str(tmp_path / "button.py"), "--headless", "--inputs", str(tmp_path / "none.txt"),
            "--inputs", str(tmp_path / "taps.txt")]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "recv.py: ['A on 3']\n"
    result = subprocess.run(argv + ["--inputs", str(tmp_path / "taps.txt")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "3 --inputs scripts for 2 programs" in result.stderr


def test_ubit_run_mixes_v1_and_v2_boards(tmp_path: Any) -> None:
    (tmp_path / "send.py").write_text(HEADER + "import os\nsleep(10)\n"
                                      "radio.send(os.uname().release)\n")
    (tmp_path / "recv.py").write_text(HEADER + "sleep(100)\nprint(radio.receive())\n")
    base = [sys.executable, "-m", "ubit", "run", str(tmp_path / "send.py"),
            str(tmp_path / "recv.py"), "--headless"]
    result = subprocess.run(base + ["--board", "v1", "--board", "v2"], capture_output=True,
                            text=True, timeout=60)
    assert result.stdout == "recv.py: 1.1.1\n", result.stderr  # a V1 sender, heard by a V2
    result = subprocess.run(base + ["--board", "v2"], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout == "recv.py: 2.1.2\n", result.stderr
    result = subprocess.run(base + ["--board", "v1"] * 3, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "3 --board choices for 2 programs" in result.stderr


@pytest.mark.parametrize("rate", [3, 12])  # rate 0: see issue 17 report
def test_three_boards_at_several_send_rates_run_the_same_twice(rate: int) -> None:
    # each board's horizon comes from the others' next program instants (issue 17), so the
    # boards ask for time in whatever order the machine runs them: the output, its order
    # and every packet's arrival time (receive_full's timestamp) must not depend on it
    chatter = f"""
    import random
    radio.on()
    n = 0
    while running_time() < 600:
        if random.randint(0, {rate}) == 0:
            radio.send('%d:%d' % (n, running_time()))
            n += 1
        m = radio.receive_full()
        while m:
            print(running_time(), m[0], m[2])
            m = radio.receive_full()
        display.show(n % 10, wait=False)
        sleep(random.randint(1, 15))
    """
    first = run_boards(chatter, chatter, chatter)
    second = run_boards(chatter, chatter, chatter)
    assert first == second
    arrivals = [line.split()[2] for i in range(3) for line in first[f"b{i}"]]
    assert len(arrivals) > 10  # they did talk, and each packet has its arrival time
    for i in range(3):  # never heard before it was sent plus the shortest flight
        for line in first[f"b{i}"]:
            t_us, sent_ms = int(line.split()[2]), int(line.split()[1].split(":")[1][:-1])
            assert t_us >= sent_ms * 1000 + LOOKAHEAD_US
