"""The radio space's parts on their own: the signal model and the machine-wide transport."""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any

import pytest

from ubit.sim.host import ether
from ubit.sim.shared import rf


def test_signal_falls_with_distance_and_range_follows_power() -> None:
    near, far = rf.rssi_dbm(6, 1), rf.rssi_dbm(6, 30)
    assert near == -40 and far < near  # 0 dBm, 40 dB lost over the first metre
    assert rf.rssi_dbm(7, 1) == near + 4 and rf.rssi_dbm(0, 1) == near - 30  # §21.1 table
    assert 50 < rf.range_m(7) < 70 and 40 < rf.range_m(6) < 50  # full power, default
    assert rf.range_m(0) < 10 < rf.range_m(7)
    assert rf.heard(rf.rssi_dbm(6, rf.range_m(6) * 0.9), 0)
    assert not rf.heard(rf.rssi_dbm(6, rf.range_m(6) * 1.1), 0)
    assert rf.range_m(6, rate=2) > rf.range_m(6, rate=0) > rf.range_m(6, rate=1)
    assert rf.distance_m((0, 0), (3, 4)) == 5 and rf.distance_m(None, (3, 4)) == 1


def test_air_time_grows_with_length_and_shrinks_with_rate() -> None:
    assert rf.air_time_us(32, 0) > rf.air_time_us(1, 0)
    assert rf.air_time_us(32, 2) > rf.air_time_us(32, 0) > rf.air_time_us(32, 1)
    assert rf.air_time_us(32, 0) == rf.RAMP_UP_US + (32 + 9) * 8  # 1 bit a µs at 1 Mbit/s


@pytest.fixture
def space(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    return f"t-{uuid.uuid4().hex[:6]}"


def test_ether_passes_packets_between_hosts_and_not_to_the_sender(space: str) -> None:
    a, b = ether.Ether(space), ether.Ether(space)
    heard_a: list[dict[str, Any]] = []
    heard_b: list[dict[str, Any]] = []
    a.on_packet, b.on_packet = heard_a.append, heard_b.append
    try:
        a.send({"data": "aGk=", "pos": [1, 2]})
        deadline = time.monotonic() + 5
        while not heard_b and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heard_b == [{"data": "aGk=", "pos": [1, 2]}] and heard_a == []
    finally:
        a.close()
        b.close()
    assert not any(ether.folder(space).iterdir())  # closing leaves nothing behind


def test_ether_removes_the_socket_of_a_host_that_died(space: str) -> None:
    a = ether.Ether(space)
    dead = ether.folder(space) / f"{os.getpid()}-dead.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(dead))
    sock.close()  # the file stays, nobody reads it: as after a crash
    try:
        a.send({"data": ""})
        assert not dead.exists()
    finally:
        a.close()
