"""The board protocol (docs/board-protocol.md): what any front end can rely on.

Every test here speaks to a real board process through the protocol, as the editor
and the marking tools will: the ``ready`` description, the schema of every message,
bad input refused without harm, serial as messages, stop, and one way to start.
"""

from __future__ import annotations

import math
import re
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.ubitcli import ROOT, run_ubit
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts.base import Part
from ubit.sim.host.fleet import Fleet
from ubit.sim.host.handle import VirtualBoard
from ubit.sim.host.radiospace import RadioSpace
from ubit.sim.host.start import BoardOptions, start_board
from ubit.sim.shared import protocol
from ubit.sim.shared.boards import V1, V2, BoardSpec
from ubit.sim.shared.protocol import InputError, PartSpec, range_input

COMMON_PARTS = {"display", "buttons", "pins", "accelerometer", "compass", "thermometer",
                "light", "filesystem", "radio", "neopixel", "uart", "audio"}
V2_PARTS = {"microphone", "speaker", "log", "power"}
COMMON_INPUTS = {"button_a", "button_b", "pin0", "pin1", "pin2", "accelerometer_x",
                 "accelerometer_y", "accelerometer_z", "accelerometer", "gesture", "compass_x",
                 "compass_y", "compass_z", "compass_heading", "temperature", "light"}
V2_INPUTS = {"pin_logo", "sound"}


def started(source: str, **options: Any) -> tuple[VirtualBoard, list[dict[str, Any]]]:
    """A board running ``source``, and the list every message from it goes to."""
    messages: list[dict[str, Any]] = []
    board = start_board(BoardOptions(files={"main.py": source.encode()}, **options),
                        [messages.append])
    return board, messages


def wait_until(condition: Any, timeout: float = 10) -> None:
    """Wait for ``condition()`` to hold (the board answers on another thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


# -- ready: the board describes itself -------------------------------------------------------------
@pytest.mark.parametrize("spec", [V1, V2], ids=["v1", "v2"])
def test_ready_describes_every_part_and_input(spec: BoardSpec) -> None:
    board, messages = started("x = 1\n", board=spec.name)  # a program that touches no part
    with board:
        ready = board.wait_ready(timeout=10)
        board.wait(timeout=10)
    assert messages[0] is ready and ready["protocol"] == protocol.VERSION
    assert ready["board"]["name"] == spec.name and ready["board"]["label"] == spec.label
    parts = {part["id"]: part for part in ready["parts"]}
    inputs = {spec_["id"]: spec_ for spec_ in ready["inputs"]}
    v2 = spec is V2
    assert set(parts) == COMMON_PARTS | (V2_PARTS if v2 else set())
    assert set(inputs) == COMMON_INPUTS | (V2_INPUTS if v2 else set())
    for description in inputs.values():
        assert description["kind"] in protocol.KINDS and description["label"]
        assert description["id"] in parts[description["part"]]["inputs"]
        if description["kind"] in (protocol.RANGE, protocol.PIN):
            assert description["min"] < description["max"] and description["nudge"] > 0
        if description["kind"] == protocol.RANGE:
            assert description["min"] <= description["default"] <= description["max"]
    assert {k: inputs["temperature"][k] for k in ("min", "max", "default", "unit", "step")} \
        == {"min": -5, "max": 50, "default": 21, "unit": "°C", "step": 1}
    assert ("2g" in inputs["gesture"]["choices"]) is v2
    # the snapshot is complete before the first line runs: every state every part publishes
    state = ready["state"]
    assert set(state) == {sid for part in parts.values() for sid in part["state"]}
    assert state["display"] == [[0] * 5] * 5 and state["button_a"] is False
    assert state["pin0"] == {"mode": "unused", "value": None, "touched": False}
    assert state["pin3"]["mode"] == "display"
    assert (state["temperature"], state["light"], state["accelerometer_z"]) == (21, 127, -1024)
    assert state["radio"]["on"] is False and state["neopixel"] == {}
    assert state["filesystem"]["files"] == {"main.py": 6}
    assert ("sound" in state) is v2 and ("pin_logo" in state) is v2
    for message in messages:
        assert protocol.check(message, protocol.BOARD) == [], message


def test_a_part_described_once_appears_in_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new part is one module: its description reaches ready, its input the table."""

    class Barometer(Part):
        part_id = "barometer"

        def __init__(self, publish: Any) -> None:
            super().__init__(publish)
            self.hpa = 1013

        def snapshot(self) -> dict[str, Any]:
            return {"pressure": self.hpa}

    pressure = range_input("pressure", "Air pressure", 300, 1100, 1013, "hPa", nudge=10)
    module = ModuleType("ubit.sim.board.parts.barometer")
    module.PART = PartSpec("barometer", "Barometer", state=("pressure",), inputs=(pressure,))
    module.of = lambda board: board.part("barometer", lambda: _with_input(board, Barometer))

    def _with_input(board: Board, cls: type) -> Any:
        part = cls(board.publish)
        board.inputs.add("barometer", pressure, lambda value: setattr(part, "hpa", value))
        return part

    monkeypatch.setitem(sys.modules, "ubit.sim.board.parts.barometer", module)
    spec = BoardSpec(**{**V2.__dict__, "parts": V2.parts + ("barometer",)})
    board = Board(spec, Clock(virtual=True), None, {}, lambda part, value: None)  # type: ignore[arg-type]
    board.build_parts()
    ready = board.describe()
    assert {"id": "barometer", "label": "Barometer", "state": ["pressure"],
            "inputs": ["pressure"], "events": []} in ready["parts"]
    assert {"id": "pressure", "part": "barometer", "kind": "range", "label": "Air pressure",
            "default": 1013, "min": 300, "max": 1100, "step": 1, "nudge": 10,
            "unit": "hPa"} in ready["inputs"]
    assert ready["state"]["pressure"] == 1013
    board.set_input("pressure", 990)
    assert board.snapshot()["pressure"] == 990
    with pytest.raises(InputError, match="pressure: out of range: 2000; it takes a number "
                                         "from 300 to 1100 hPa"):
        board.set_input("pressure", 2000)


# -- bad input: refused at the boundary, never the program's problem ------------------------------
BAD_INPUTS = [
    ("temperature", "hot", "temperature: not a finite number: \"hot\"; it takes a number "
                           "from -5 to 50 °C"),
    ("temperature", 99, "temperature: out of range: 99; it takes a number from -5 to 50 °C"),
    ("temperature", math.nan, "temperature: not a finite number"),
    ("temperature", math.inf, "temperature: not a finite number"),
    ("temperature", True, "temperature: not a finite number: true"),
    ("tempreture", 20, "no input 'tempreture' on this micro:bit V2 (its inputs: button_a"),
    ("gesture", "wobble", "gesture: can not take \"wobble\"; it takes one of: up, down"),
    ("button_a", 1, "button_a: can not take 1; it takes true or false"),
    ("pin0", 5000, "pin0: out of range: 5000; it takes true or false (touched), a number "
                   "from 0 to 1023 (an analog level), or null"),
    ("accelerometer", {"w": 5}, "accelerometer: can not take {\"w\": 5}; it takes an object "
                                "with some of x, y, z"),
    ("accelerometer", {"x": -9000}, "accelerometer: out of range: {\"x\": -9000}; it takes an "
                                    "object with some of x, y, z, each a number from -8000"),
]
WAITS_FOR_SERIAL = "from microbit import *\ninput()\nprint(temperature(), button_a.is_pressed())\n"


@pytest.mark.parametrize("clock", ["virtual", "real"])
def test_bad_inputs_get_an_error_and_the_board_goes_on(clock: str) -> None:
    board, messages = started(WAITS_FOR_SERIAL, clock=clock)
    with board:
        board.wait_ready(timeout=10)
        for input_id, value, _ in BAD_INPUTS:
            board.set(input_id, value)
        # not even a message: the channel still survives
        board.send_control({"kind": "fly"})
        board.send_control({"kind": "set", "input": "temperature"})
        board._control.sendall(b"{not json\n")  # noqa: SLF001 - what no front end should send
        board.set("temperature", 30)  # good input after all that: it works
        board.set("button_a", True)
        wait_until(lambda: len(board.errors) == len(BAD_INPUTS) + 3)
        board.write_serial(b"go\r")
        result = board.wait(timeout=10)
        output = board.read_serial(timeout=2)
    assert result["status"] == "ok" and output.endswith(b"30 True\r\n"), output
    errors = [m for m in messages if m["kind"] == "error"]
    for (input_id, _, words), error in zip(BAD_INPUTS, errors, strict=False):
        assert error["input"] == input_id and error["message"].startswith(words), error
    assert [e.get("input") for e in errors[len(BAD_INPUTS):]] == [None, None, None]
    assert "no message kind 'fly' from the host" in errors[-3]["message"]
    assert "set: no 'value'" in errors[-2]["message"]
    assert errors[-1]["message"].startswith("not a message")
    for message in messages:
        assert protocol.check(message, protocol.BOARD) == [], message


def test_a_value_json_cant_carry_never_leaves_the_host() -> None:
    board, messages = started("pass\n")
    with board:
        board.set("temperature", object())
        board.wait(timeout=10)
    error = next(m for m in messages if m["kind"] == "error")
    assert error["input"] == "temperature" and "can't be sent to a board" in error["message"]


def test_scripted_inputs_the_board_refuses_stop_it_before_the_program_runs() -> None:
    board, messages = started("print('ran')\n", inputs=((0, "button_a", True),
                                                        (100, "temperature", 99)))
    with board:
        result = board.wait(timeout=10)
        output = board.read_serial(timeout=1)
    assert result["status"] == "refused" and output == b""
    assert [(m["index"], m["input"]) for m in messages if m["kind"] == "error"] == \
        [(1, "temperature")]
    assert not any(m["kind"] == "ready" for m in messages)


def test_a_bad_start_configuration_is_refused() -> None:
    board, messages = started("pass\n", board="v3")
    with board:
        result = board.wait(timeout=10)
    assert result["status"] == "refused" and "no board 'v3'" in result["error"]


def test_the_cli_names_the_script_line_the_board_refused(tmp_path: Path) -> None:
    program = tmp_path / "main.py"
    program.write_text("print('never')\n")
    script = tmp_path / "taps.txt"
    script.write_text("# warm\n1000 set temperature 30\n2000 set temperature 99\n")
    proc = run_ubit("run", program, "--headless", "--inputs", script)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (f"ubit: run: {script}: line 3: temperature: out of range: 99; "
                           "it takes a number from -5 to 50 °C\n")
    script.write_text("500 touch logo\n")
    proc = run_ubit("run", program, "--headless", "--inputs", script, "--board", "v1")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"ubit: run: {script}: line 1: no input 'pin_logo' on this "
                                  "micro:bit V1")


# -- serial in messages, stop, reset ---------------------------------------------------------------
def test_serial_as_messages_carries_a_whole_board() -> None:
    board, messages = started("name = input('name? ')\nprint('hello', name)\n",
                              serial="messages")
    with board:
        wait_until(lambda: b"name? " in board.read_serial(timeout=0.1) or False)
        board.write_serial(b"bit\r")
        board.wait(timeout=10)
        rest = board.read_serial(timeout=1)
    assert rest.endswith(b"hello bit\r\n")
    kinds = {m["kind"] for m in messages}
    assert "serial_out" in kinds
    out = b"".join(protocol.unb64(m["data"]) for m in messages if m["kind"] == "serial_out")
    assert out.startswith(b"name? ") and out.endswith(b"hello bit\r\n")


def test_stop_ends_the_program_at_once() -> None:
    board, _ = started("from microbit import *\nwhile True:\n    sleep(10)\n", clock="real")
    with board:
        board.wait_ready(timeout=10)
        began = time.monotonic()
        board.stop()
        result = board.wait(timeout=5)
    assert result["status"] == "stopped" and time.monotonic() - began < 1


def test_reset_sends_the_fresh_state_and_keeps_the_world() -> None:
    board, messages = started("from microbit import *\ndisplay.show(9)\nprint('up')\n"
                              "while True:\n    sleep(10)\n", clock="real")
    with board:
        board.wait_ready(timeout=10)
        board.set("temperature", 35)
        wait_until(lambda: board.state.get("temperature") == 35)
        board.reset()
        wait_until(lambda: any(m["kind"] == "reset" for m in messages))
        board.stop()
    reset = next(m for m in messages if m["kind"] == "reset")
    assert reset["state"]["temperature"] == 35  # the room didn't change
    assert reset["state"]["display"] == [[0] * 5] * 5  # the board did


# -- the schema holds for every message, both ways ------------------------------------------------
def test_every_message_kind_checks_against_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict[str, Any]] = []
    link: list[dict[str, Any]] = []
    send = VirtualBoard.send_control
    monkeypatch.setattr(VirtualBoard, "send_control",  # a grant comes encoded already
                        lambda self, message: (sent.append(
                            protocol.decode(message) if isinstance(message, bytes) else message),
                            send(self, message))[1])
    on_air = RadioSpace._on_air  # noqa: SLF001 - watching the link
    monkeypatch.setattr(RadioSpace, "_on_air",
                        lambda self, member, message: (link.append(message),
                                                       on_air(self, member, message))[1])
    # the UI vocabulary: a board doing everything, with messages for its serial port
    board, messages = started(
        "from microbit import *\nimport music\ndisplay.show(Image.HEART)\n"
        "music.pitch(440, 50)\nprint(input())\nreset()\n", serial="messages", clock="real")
    with board:
        board.wait_ready(timeout=10)
        board.set("button_b", True)
        board.set("button_b", 3)
        board.write_serial(b"hi\r")
        wait_until(lambda: any(m["kind"] == "reset" for m in messages))
        board.reset()
        board.interrupt()
        board.stop()
        board.wait(timeout=5)
    # the link vocabulary: two boards talking in shared virtual time
    talk = "import radio\nradio.on()\nradio.send('x')\nfrom microbit import sleep\nsleep(50)\n" \
           "print(radio.receive())\n"
    for clock in ("virtual", "real"):  # shared time: sync and grant; real time: radio both ways
        with Fleet([BoardOptions(files={"main.py": talk.encode()}, label=f"b{i}", clock=clock,
                                 time_limit_ms=1000) for i in range(2)]) as fleet:
            fleet.wait(timeout=20)
    board_kinds = {m["kind"] for m in messages + link}
    host_kinds = {m["kind"] for m in sent}
    assert board_kinds == {kind for sender, kind in protocol.SCHEMA if sender == protocol.BOARD}
    assert host_kinds == {kind for sender, kind in protocol.SCHEMA if sender == protocol.HOST}
    for message in messages + link:
        assert protocol.check(message, protocol.BOARD) == [], message
    for message in sent:
        assert protocol.check(message, protocol.HOST) == [], message
    assert protocol.check({"kind": "state", "part": 3, "value": 1, "t": 0}, protocol.BOARD)


# -- one way to start a board --------------------------------------------------------------------
def test_one_way_to_start_a_board() -> None:
    """Only ``start_board`` makes a VirtualBoard; only the handle starts a board process."""
    makers, spawners = [], []
    for path in sorted([*ROOT.joinpath("ubit").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py"),
                        *ROOT.joinpath("bench").rglob("*.py")]):
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        if re.search(r"\bVirtualBoard\(", text) and where != "ubit/sim/host/start.py":
            makers.append(where)
        if "BOARD_ENTRY" in text and where not in ("ubit/sim/host/spawner.py",
                                                   "tests/sim/test_protocol.py"):
            spawners.append(where)
    assert (makers, spawners) == ([], [])


def test_the_front_ends_start_boards_through_start_board(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    """ubit run (one board, several) and the test runner: every board comes from start_board."""
    from tests.sim.runner import run_program
    from ubit.cli import main as cli_main

    callers: list[str] = []
    real = VirtualBoard.start

    def start(self: VirtualBoard) -> VirtualBoard:
        frame = sys._getframe(1)  # noqa: SLF001 - who is starting the board?
        callers.append(f"{frame.f_globals['__name__']}.{frame.f_code.co_name}")
        return real(self)

    monkeypatch.setattr(VirtualBoard, "start", start)
    program = tmp_path / "main.py"
    program.write_text("print('hi')\n")
    assert cli_main.main(["run", "--headless", str(program)]) == 0
    assert cli_main.main(["run", "--headless", str(program), str(program)]) == 0
    run_program("pass\n")
    assert callers == ["ubit.sim.host.start.start_board"] * 4


def test_a_spare_process_spawned_ahead_runs_the_next_program() -> None:
    """The editor's Play: a board process made ahead takes the program it is given, and
    another is spawned for the next; a spare that died is never handed out."""
    from ubit.sim.host.start import Spares

    spares = Spares()
    try:
        spares.fill()
        wait_until(lambda: len(spares.ready) == 1)
        spare = spares.ready[0]
        assert spare.running  # its process is up, with no program yet
        messages: list[dict[str, Any]] = []
        options = BoardOptions(files={"main.py": b"print('from a spare')\n"}, serial="messages")
        board = start_board(options, [messages.append], spares=spares)
        assert board is spare
        assert board.wait(timeout=10)["status"] == "ok"
        out = b"".join(protocol.unb64(m["data"]) for m in messages if m["kind"] == "serial_out")
        assert b"from a spare" in out
        board.close()
        wait_until(lambda: len(spares.ready) == 1)  # the next one, spawned in the background
        dead = spares.ready[0]
        dead.kill()
        wait_until(lambda: not dead.running)
        board = start_board(BoardOptions(files={"main.py": b"print(6 * 7)\n"}, serial="messages"),
                            spares=spares)
        assert board is not dead and board.wait(timeout=10)["status"] == "ok"
        board.close()
    finally:
        spares.close()


@pytest.mark.parametrize("payloads", [[], [b""], [b"hi", b'"\\/\xff\n\x00' * 40]])
def test_a_grant_made_quickly_is_the_grant_encode_makes(payloads: list[bytes]) -> None:
    packets = [{"data": protocol.b64(payload), "channel": 83, "address": 0x75626974,
                "group": index, "rate": 2, "power": 7, "t": 10 ** 12 + index}
               for index, payload in enumerate(payloads)]
    at_rssi = [(2 ** 40 + index, -40 - index) for index in range(len(packets))]
    line = protocol.encode_grant(
        123456789, [(at, rssi, protocol.grant_packet_fields(packet))
                    for (at, rssi), packet in zip(at_rssi, packets, strict=True)])
    listed = [[at, rssi, *(packet[field] for field in protocol.GRANT_PACKET[2:])]
              for (at, rssi), packet in zip(at_rssi, packets, strict=True)]
    assert line == protocol.encode({"kind": protocol.GRANT, "horizon": 123456789,
                                    "packets": listed})
    assert protocol.check(protocol.decode(line), protocol.HOST) == []
