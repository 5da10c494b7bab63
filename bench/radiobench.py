"""Radio between virtual boards: messages delivered per second, latency, idle CPU (10 boards).

No peer tool runs several boards that hear each other (the official simulator has a
single board), so these figures are printed against the issue's targets instead.
Boards run in real time, as a person sees them: the figures are wall-clock ones.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

BOARDS = 10
MESSAGES = 1000
PINGS = 300
IDLE_SECONDS = 5.0

SENDER = f"""import radio
from microbit import *
radio.config(queue=254)
sleep(300)
print('start')
for i in range({MESSAGES}):
    radio.send(str(i))
sleep(200)
radio.send('END')
"""
RECEIVER = """import radio
from microbit import *
radio.config(queue=254)
n = 0
while True:
    m = radio.receive()
    if m == 'END':
        break
    if m:
        n += 1
print('count', n)
"""
PINGER = f"""import radio
from microbit import *
import utime
radio.config(queue=254)
sleep(300)
half = []
for i in range({PINGS}):
    t0 = utime.ticks_us()
    radio.send(str(i))
    while radio.receive() != str(i):
        pass
    half.append(utime.ticks_diff(utime.ticks_us(), t0) // 2)
half.sort()
print('latency', half[len(half) // 2], half[len(half) * 99 // 100])
"""
ECHO = """import radio
radio.config(queue=254)
while True:
    m = radio.receive()
    if m:
        radio.send(m)
"""
LISTENER = """import radio
radio.config(queue=254)
while True:
    radio.receive()
"""
IDLE = """import radio
from microbit import *
while True:
    sleep(1000)
"""


def _fleet(programs: list[str]):  # noqa: ANN202 - a Fleet, imported lazily
    from ubit.sim.host.fleet import Fleet
    from ubit.sim.host.start import BoardOptions

    plans = [BoardOptions(files={"main.py": p.encode()}, clock="real", label=f"b{i}")
             for i, p in enumerate(programs)]
    return Fleet(plans).start()


def _wait_for(board, text: bytes, timeout: float = 60) -> bytes:  # noqa: ANN001
    data = b""
    deadline = time.monotonic() + timeout
    while text not in data:
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: radio: no {text!r} from a board (got {data[-200:]!r})")
        data += board.read_serial(timeout=0.5)
    return data


def throughput() -> tuple[float, int]:
    """Messages received by programs per wall second, one sender and nine receivers."""
    fleet = _fleet([SENDER] + [RECEIVER] * (BOARDS - 1))
    try:
        _wait_for(fleet.boards[0], b"start")
        start = time.perf_counter()
        counts = []
        for board in fleet.boards[1:]:
            out = _wait_for(board, b"count").decode()
            while not out.rstrip().split("count")[-1].strip():
                out += board.read_serial(timeout=0.5).decode()
            counts.append(int(out.split("count")[-1].split()[0]))
        elapsed = time.perf_counter() - start - 0.2  # the sender waits 0.2 s before END
        return sum(counts) / elapsed, sum(counts)
    finally:
        fleet.close()


def latency() -> tuple[float, float]:
    """Median and 99th-percentile one-way latency (half a ping's round trip), in ms."""
    fleet = _fleet([PINGER, ECHO] + [LISTENER] * (BOARDS - 2))
    try:
        out = _wait_for(fleet.boards[0], b"latency", timeout=120).decode()
        out += fleet.boards[0].read_serial(timeout=0.5).decode()
        median_us, p99_us = (int(v) for v in out.split("latency")[-1].split()[:2])
        return median_us / 1000, p99_us / 1000
    finally:
        fleet.close()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu() -> tuple[float, float]:
    """CPU share of one core used by 10 idle boards' processes, and by the host."""
    fleet = _fleet([IDLE] * BOARDS)
    try:
        time.sleep(1.0)  # past start-up
        pids = [board._proc.pid for board in fleet.boards]  # noqa: SLF001 - measuring only
        before = [_cpu_seconds(pid) for pid in pids]
        host_before = sum(os.times()[:2])
        time.sleep(IDLE_SECONDS)
        used = sum(_cpu_seconds(pid) - b for pid, b in zip(pids, before, strict=True))
        host = sum(os.times()[:2]) - host_before
        return used / IDLE_SECONDS, host / IDLE_SECONDS
    finally:
        fleet.close()


def main() -> None:
    """Print the radio figures for 10 boards."""
    rate, count = throughput()
    print(f"\nRadio: {BOARDS} virtual boards in real time (no peer tool simulates this)")
    print(f"  1 sender, {BOARDS - 1} receivers: {count} messages received by programs, "
          f"{rate:.0f} msg/s (target >= 1000: {'met' if rate >= 1000 else 'NOT met'})")
    runs = [latency() for _ in range(3)]
    median = statistics.median(r[0] for r in runs)
    p99 = statistics.median(r[1] for r in runs)
    print(f"  latency, send to receive (half a ping round trip, {BOARDS - 2} boards listening): "
          f"median {median:.2f} ms, 99th percentile {p99:.2f} ms "
          f"(target median < 5 ms: {'met' if median < 5 else 'NOT met'})")
    boards_cpu, host_cpu = idle_cpu()
    print(f"  {BOARDS} idle boards (sleep loops): {boards_cpu * 100:.1f}% of one core in all "
          f"({boards_cpu * 100 / BOARDS:.2f}% each), host {host_cpu * 100:.1f}%")


if __name__ == "__main__":
    main()
