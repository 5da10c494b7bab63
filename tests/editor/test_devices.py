"""The editor's device channel (/ws/device) against `ubit sim` on a pseudo-terminal: the REPL,
Files requests, Flash over serial, Flash through a (fake) MICROBIT drive, a lost port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.editor.serverclient import BASE, PORT, TOKEN, make_client, make_store
from ubit.editor.projects import OPENED
from ubit.sim.shared.protocol import b64, unb64

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"Origin": BASE, "Host": f"127.0.0.1:{PORT}"}


class SimPort:
    """A `ubit sim` process and its pty."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "ubit", "sim", *args], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert " on /dev/" in line, line
        self.path = line.split(" on ", 1)[1].strip()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimPort]:
    port = SimPort(tmp_path)
    yield port
    port.stop()


class Page:
    """The page's side of /ws/device: send requests, collect what comes back."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.serial = b""
        self.seen: list[dict[str, Any]] = []

    def send(self, **message: Any) -> None:
        self.ws.send_text(json.dumps(message))

    def until(self, test: Any, what: str, limit: int = 5000) -> dict[str, Any]:
        """Messages until one passes ``test`` (serial output collected on the way)."""
        for _ in range(limit):
            message = self.ws.receive_json()
            self.seen.append(message)
            if message["kind"] == "serial_out":
                self.serial += unb64(message["data"])
            if test(message):
                return message
        raise AssertionError(f"no {what}: {self.seen[-5:]}")

    def answer(self, request_id: str) -> dict[str, Any]:
        return self.until(lambda m: m.get("id") == request_id and m["kind"] != "progress",
                          f"answer to {request_id}")

    def printed(self, text: bytes) -> None:
        self.until(lambda m: text in self.serial, f"{text!r} printed")


@pytest.fixture
def page(tmp_path: Path) -> Iterator[tuple[Page, Any]]:
    store = make_store(tmp_path)
    client = make_client(store)
    with client.websocket_connect(f"/ws/device?token={TOKEN}", headers=HEADERS) as ws:
        yield Page(ws), store


def test_repl_through_the_server(sim: SimPort, page: tuple[Page, Any]) -> None:
    p, _ = page
    p.send(kind="connect", port=sim.path)
    assert p.until(lambda m: m["kind"] == "status", "status")["state"] == "connected"
    p.send(kind="serial_in", data=b64(b"\r6*7\r"))
    p.printed(b"42\r\n>>> ")
    p.send(kind="serial_in", data=b64(b"while True: pass\r\r"))
    time.sleep(0.3)
    p.send(kind="serial_in", data=b64(b"\x03"))
    p.printed(b"KeyboardInterrupt")
    p.send(kind="serial_in", data=b64(b"\x04"))
    p.printed(b"soft reboot")


def test_files_round_trip_of_a_binary_file(sim: SimPort, page: tuple[Page, Any]) -> None:
    p, store = page
    blob = bytes((i * 7 + i // 256) % 256 for i in range(20_000))  # 20 KB: a V2 holds 20,160
    store.write(OPENED, "blob.bin", blob)
    p.send(kind="connect", port=sim.path)
    p.send(kind="put", id="1", name="blob.bin", project=OPENED)
    answer = p.answer("1")
    assert answer["kind"] == "done", answer
    progress = [m for m in p.seen if m["kind"] == "progress" and m["id"] == "1"]
    assert progress and progress[-1]["done"] == progress[-1]["total"] == len(blob)
    p.send(kind="files", id="2")
    listing = p.answer("2")
    assert {"name": "blob.bin", "size": len(blob)} in listing["files"]
    assert listing["version"] == "V2" and 0 < listing["free"] < 160 * 126 - len(blob)
    store.delete_file(OPENED, "blob.bin")
    p.send(kind="get", id="3", name="blob.bin", project=OPENED, to="back.bin")
    assert p.answer("3")["kind"] == "done"
    assert store.read(OPENED, "back.bin") == blob
    p.send(kind="rm", id="4", name="blob.bin")
    assert p.answer("4")["kind"] == "done"
    p.send(kind="files", id="5")
    assert all(f["name"] != "blob.bin" for f in p.answer("5")["files"])
    # the transfers' raw REPL talk, and the banner of going back, stayed off the terminal
    # (the one banner there is the board's own, from its start)
    assert b"raw REPL" not in p.serial and p.serial.count(b"help()") <= 1, p.serial
    # the terminal still works after the transfers, at the friendly prompt
    p.send(kind="serial_in", data=b64(b"\r1+1\r"))
    p.printed(b"2\r\n>>> ")


def test_a_missing_board_file_is_a_clear_error(sim: SimPort, page: tuple[Page, Any]) -> None:
    p, store = page
    p.send(kind="connect", port=sim.path)
    p.send(kind="get", id="x", name="nothere.py", project=OPENED)
    answer = p.answer("x")
    assert answer["kind"] == "error" and "nothere.py" in answer["message"]
    assert "nothere.py" not in store.contents(OPENED)


def test_flash_over_serial_sends_the_files_and_restarts(sim: SimPort,
                                                        page: tuple[Page, Any]) -> None:
    p, store = page
    store.write(OPENED, "main.py", b"import helper\nprint('flashed', helper.N)\n")
    store.write(OPENED, "helper.py", b"N = 42\n")
    p.send(kind="connect", port=sim.path)
    p.send(kind="flash", id="f", project=OPENED)
    answer = p.answer("f")
    assert answer["kind"] == "done" and answer["method"] == "serial", answer
    p.printed(b"flashed 42")
    stages = [m.get("message") for m in p.seen if m["kind"] == "progress"]
    assert any(s and "sending main.py" in s for s in stages), stages


def test_a_lost_port_is_said_and_typing_then_goes_nowhere(tmp_path: Path,
                                                         page: tuple[Page, Any]) -> None:
    p, _ = page
    sim = SimPort(tmp_path)
    p.send(kind="connect", port=sim.path)
    p.until(lambda m: m["kind"] == "status", "connected")
    sim.stop()
    lost = p.until(lambda m: m["kind"] == "status" and m["state"] == "lost", "lost")
    assert sim.path in lost["message"]
    p.send(kind="files", id="n")
    assert p.answer("n")["kind"] == "error"


def test_a_busy_port_names_the_program_holding_it(sim: SimPort,
                                                  page: tuple[Page, Any]) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom ubit.device.transport import "
         "SerialTransport\nt = SerialTransport(sys.argv[1])\nprint('held', flush=True)\n"
         "time.sleep(60)", sim.path], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        p, _ = page
        p.send(kind="connect", port=sim.path)
        error = p.until(lambda m: m["kind"] == "error", "error")
        assert "in use by python" in error["message"] and f"pid {holder.pid}" in error["message"]
    finally:
        holder.kill()
        holder.wait()


def fake_drive(root: Path, label: str = "9904") -> Path:
    """A folder that looks like a MICROBIT drive (MICROBIT.HTM, DETAILS.TXT)."""
    drive = root / "MICROBIT"
    drive.mkdir(parents=True)
    (drive / "MICROBIT.HTM").write_text("<html></html>")
    (drive / "DETAILS.TXT").write_text(f"Unique ID: {label}0000000000000000\n")
    return drive


def test_flash_with_no_serial_board_goes_through_the_drive(
        tmp_path: Path, page: tuple[Page, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """No micro:bit answers on serial (none on USB here): the universal hex goes to the
    drive, and Flash waits until 'DAPLink' (a thread here) has taken it."""
    drive = fake_drive(tmp_path / "mnt")
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", str(tmp_path / "mnt"))
    taken: list[bytes] = []

    def daplink() -> None:
        target = drive / "micropython.hex"
        for _ in range(400):
            time.sleep(0.05)
            if target.exists() and target.stat().st_size > 1_000_000:
                time.sleep(0.2)  # let the copy finish
                taken.append(target.read_bytes())
                target.unlink()
                return

    watcher = threading.Thread(target=daplink)
    watcher.start()
    p, store = page
    store.write(OPENED, "main.py", b"print('from the drive')\n")
    p.send(kind="flash", id="d", project=OPENED)
    answer = p.answer("d")
    watcher.join()
    assert answer["kind"] == "done" and answer["method"] == "drive", answer
    assert "restarted" in answer["message"]
    hex_path = tmp_path / "taken.hex"
    hex_path.write_bytes(taken[0])
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "ubit", "hex", "extract", str(hex_path),
                           "-o", str(out)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "UBIT_MOUNT_ROOTS": ""})
    assert proc.returncode == 0, proc.stderr
    assert (out / "main.py").read_bytes() == b"print('from the drive')\n"


def test_flash_with_nothing_plugged_in_says_what_to_do(
        tmp_path: Path, page: tuple[Page, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", str(tmp_path / "nothing"))
    p, _ = page
    p.send(kind="flash", id="e", project=OPENED)
    answer = p.answer("e")
    assert answer["kind"] == "error" and "no micro:bit found" in answer["message"]


def test_a_virtual_boards_files_answer_the_same_requests(tmp_path: Path) -> None:
    """The Files pane of a virtual board: the same requests on /ws/boards, with board_id."""
    store = make_store(tmp_path)
    client = make_client(store)
    with client.websocket_connect(f"/ws/boards?token={TOKEN}", headers=HEADERS) as ws:
        p = Page(ws)
        p.send(kind="play", board_id="b1", project=OPENED, version="v1")
        p.until(lambda m: m["kind"] == "ready", "ready")
        data = b"line\n" * 1000
        p.send(kind="put", id="1", board_id="b1", name="notes.txt", data=b64(data))
        answer = p.answer("1")
        assert (answer["kind"], answer["board_id"]) == ("done", "b1"), answer
        p.send(kind="files", id="2", board_id="b1")
        listing = p.answer("2")
        assert {"name": "notes.txt", "size": len(data)} in listing["files"]
        assert listing["version"] == "V1"
        p.send(kind="get", id="3", board_id="b1", name="notes.txt", project=OPENED)
        assert p.answer("3")["kind"] == "done"
        assert store.read(OPENED, "notes.txt") == data
        # the raw REPL's talk never reached the page's terminal
        assert b"raw REPL" not in p.serial
        p.send(kind="files", id="4", board_id="b9")
        assert "no such board" in p.answer("4")["message"]


def test_a_port_that_comes_back_is_taken_up_again(tmp_path: Path,
                                                 page: tuple[Page, Any]) -> None:
    """Unplugged and plugged in again: the same port name returns (a link here, re-pointed
    at a new board, as a USB board comes back as the same /dev/ttyACM0)."""
    p, _ = page
    first = SimPort(tmp_path)
    port = tmp_path / "ttyACM0"
    port.symlink_to(first.path)
    p.send(kind="connect", port=str(port))
    p.until(lambda m: m["kind"] == "status", "connected")
    first.stop()
    port.unlink()
    p.until(lambda m: m["kind"] == "status" and m["state"] == "lost", "lost")
    second = SimPort(tmp_path)
    try:
        port.symlink_to(second.path)
        back = p.until(lambda m: m["kind"] == "status" and m["state"] == "connected", "back")
        assert "is back" in back["message"]
        p.send(kind="serial_in", data=b64(b"\r6*7\r"))
        p.printed(b"42\r\n>>> ")
    finally:
        second.stop()
