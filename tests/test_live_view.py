"""The live view of ``ubit run``: pure drawing in-process, and the real command in tmux."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.ubitcli import ROOT, run_ubit
from ubit.cli import live
from ubit.cli.liveview import (
    ENDED,
    LED_COLOURS,
    Frame,
    SerialLog,
    parse_keys,
    render,
)
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.host.controller import Controller
from ubit.sim.shared.boards import V1, V2


# -- drawing (in-process) -----------------------------------------------------------------------
def ready(spec=V2) -> dict:
    """The ``ready`` message of a fresh board (its parts made in this process)."""
    board = Board(spec, Clock(virtual=True), None, {}, lambda part, value: None)
    board.build_parts()
    return {"kind": "ready", **board.describe()}


def frame(state: dict, output: bytes = b"", spec=V2, **kw) -> Frame:
    log = SerialLog()
    log.feed(output)
    inputs = frozenset(i["id"] for i in ready(spec)["inputs"])
    return Frame({**ready(spec)["state"], **state}, log, board=spec.label, inputs=inputs,
                 colour=kw.pop("colour", False), **kw)


def render_text(state: dict, **kw) -> str:
    return "\n".join(render(frame(state, **kw), 100, 30))


def test_render_shows_every_part_in_plain_text():
    state = {"display": [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [0] * 5, [0] * 5, [9] * 5],
             "button_a": True, "pin_logo": {"mode": "touch", "value": None, "touched": True},
             "pin1": {"mode": "touch", "value": 0, "touched": True},
             "accelerometer_x": 256, "accelerometer_y": -512, "accelerometer_z": -900,
             "temperature": 30, "light": 12, "sound": 200,
             "radio": {"on": True, "channel": 7, "group": 3, "sent": 2, "received": 5,
                       "dropped": 0}}
    lines = render(frame(state, b"hello\r\n"), 100, 30)
    assert len(lines) == 30 and all(len(line) == 100 for line in lines)
    text = "\n".join(lines)
    assert "│ ·  1  2  3  4  │" in text and "│ 5  6  7  8  9  │" in text
    assert "A down  B --  logo down" in text
    assert "pins 0 -- 1 down 2 --" in text
    assert "tilt x 256 y -512 z -900 mg" in text
    assert "temp 30°C  light 12  sound 200" in text
    assert "radio ch 7 grp 3 tx 2 rx 5" in text
    assert "hello" in text and "q: quit" in text and "running" in text


def test_render_a_fresh_v1_from_its_description_no_logo_no_sound():
    text = "\n".join(render(frame({}, spec=V1), 80, 24))
    assert "micro:bit V1" in text and "logo" not in text and "sound" not in text
    assert "tilt x 0 y 0 z -1024 mg" in text and "temp 21°C  light 127" in text
    assert "radio off" in text
    assert text.count("·  ·  ·  ·  ·") == 5  # all LEDs off


def test_render_ten_distinct_led_colours():
    line = render(frame({"display": [list(range(5)), list(range(5, 10))] + [[0] * 5] * 3},
                        colour=True), 100, 30)
    colours = re.findall(r"\x1b\[38;5;(\d+)m██", "".join(line[3:5]))
    assert [int(c) for c in colours] == list(LED_COLOURS)
    assert len(set(LED_COLOURS)) == 10


def test_render_latched_typing_ended_and_narrow():
    f = frame({"button_b": True}, latched={"button_b"}, typing=True)
    text = "\n".join(render(f, 100, 30))
    assert "B HELD" in text and "TYPING TO SERIAL" in text and "Tab: back to board keys" in text
    f = frame({}, b"x" * 150, ended="(error)")
    lines = render(f, 50, 40)  # narrow: serial under the board, wrapped
    assert any(line.startswith(" " + ENDED) for line in lines)
    assert sum(1 for line in lines if line.strip() and set(line.strip()) == {"x"}) == 4


def test_serial_log_is_a_small_terminal():
    log = SerialLog()
    log.feed(b"one\r\ntw")
    log.feed(b"o\r\nname? bo\x08 \x08b\x1b[31mred\xe2\x9c")
    log.feed(b"\x93\r\n100%\r 50%\r\n")
    assert list(log.lines) == ["one", "two", "name? bbred✓", " 50%"]
    assert log.tail(3, 5) == [" bbre", "d✓", " 50%"]
    log = SerialLog()
    for chunk in (b"ab", b"c\r\nde", b"f\r\n\r\ng", b"\r", b"\nxy\rz"):
        log.feed(chunk)
    assert list(log.lines) == ["abc", "def", "", "g"] and log.tail(1, 80) == ["zy"]


def test_parse_keys():
    assert parse_keys(b"aA \t\r\x03\x1b[A\x1bOB\x1b[C\x1b[D\x7f") == (
        ["a", "A", " ", "tab", "enter", "ctrl-c", "up", "down", "right", "left", "backspace"],
        b"")
    assert parse_keys(b"q\x1b[") == (["q"], b"\x1b[")
    assert parse_keys(b"\x1b[1;5A") == (["unknown"], b"")


class FakeBoard:
    """The board end of the keys: what the view sends (a fake: no process behind it)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def set(self, part, value):
        self.calls.append(("set", part, value))

    def interrupt(self):
        self.calls.append(("interrupt",))

    def write_serial(self, data):
        self.calls.append(("serial", data))

    def reset(self):
        self.calls.append(("reset",))


def keys_for(spec=V2) -> tuple[live.BoardKeys, FakeBoard]:
    controller = Controller(FakeBoard())
    controller.on_message(ready(spec))
    return live.BoardKeys(controller), controller.board


def test_keys_tap_latch_tilt_sensors_gestures():
    keys, board = keys_for()
    c = keys.controller
    keys.handle("a", 0.0)
    keys.handle("a", 0.1)  # a repeat keeps the button down, no second press
    c.release_due(0.3)
    c.release_due(0.4)
    keys.handle("B", 1.0)
    keys.handle(")", 1.0)
    c.release_due(9.0)  # latched parts stay down
    assert board.calls == [("set", "button_a", True), ("set", "button_a", False),
                           ("set", "button_b", True), ("set", "pin0", True)]
    assert c.state["button_b"] is True and c.latched == {"button_b", "pin0"}
    board.calls.clear()
    for key in ("right", "up", "t", "J", "n", "s", "d", "l"):
        keys.handle(key, 10.0)
    # tilts set the three axes at one instant, keeping 1 g; steps are the inputs' nudges
    assert board.calls == [
        ("set", "accelerometer", {"x": 256, "y": 0, "z": -991}),
        ("set", "accelerometer", {"x": 256, "y": -256, "z": -958}),
        ("set", "temperature", 20), ("set", "light", 143), ("set", "sound", 0),
        ("set", "gesture", "shake"), ("set", "gesture", "face down"), ("set", "pin_logo", True)]
    assert render_text(c.state).count("tilt x 256 y -256 z -958 mg") == 1


def test_sensor_steps_stop_at_the_ends_of_the_described_range():
    keys, board = keys_for()
    for _ in range(40):
        keys.handle("T", 0.0)
    assert board.calls[-1] == ("set", "temperature", 50)  # the thermometer's top
    for _ in range(20):
        keys.handle("j", 0.0)
    assert board.calls[-1] == ("set", "light", 0)


def test_keys_v1_typing_interrupt_quit():
    keys, board = keys_for(V1)
    for key in ("l", "L", "N"):  # no logo, no microphone on V1: its description says so
        keys.handle(key, 0.0)
    assert board.calls == []
    assert keys.handle("ctrl-c", 0.0) is False and board.calls == [("interrupt",)]
    keys.handle("tab", 0.0)
    for key in ("q", "é", "unknown", "enter", "backspace"):
        assert keys.handle(key, 0.0) is False  # typing mode: q is a letter for input()
    assert board.calls[1:] == [("serial", b"q"), ("serial", "é".encode()),
                               ("serial", b"\r"), ("serial", b"\x7f")]
    keys.handle("tab", 0.0)
    assert keys.handle("q", 0.0) is True
    keys.ended = True
    calls = len(board.calls)
    for key in ("a", "tab", "up", "t"):  # the final state stays as it was
        assert keys.handle(key, 0.0) is False
    assert len(board.calls) == calls and not keys.typing
    assert keys.handle("ctrl-c", 0.0) is True


def test_reset_key_and_a_restarted_board_forget_what_was_held():
    keys, board = keys_for()
    c = keys.controller
    keys.handle("A", 0.0)
    keys.handle("T", 0.0)
    keys.handle("r", 0.0)
    assert board.calls[-1] == ("reset",)
    fresh = ready()["state"]
    c.on_message({"kind": "reset", "state": fresh, "t": 5})
    assert c.state == fresh and not c.latched
    assert "A --" in "\n".join(render(frame(c.state), 100, 30))


def test_nothing_happens_before_the_board_is_ready():
    c = Controller(FakeBoard())
    assert not c.tap("button_a", 0.0) and not c.step("temperature", 1) and not c.tilt(1, 0)
    assert c.board.calls == []


# -- the real command in a real terminal (tmux) -----------------------------------------------
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install tmux): "
                                       "the live view is tested in a real terminal")


class Pane:
    """``ubit run ARGS`` in a detached tmux session of fixed size, then ``stty -a``."""

    def __init__(self, tmp: Path, *args: str, width: int = 100, height: int = 30) -> None:
        # A private server on a short socket path: no user config, no clash with other tmux.
        self.dir = Path(tempfile.mkdtemp(prefix="ubit-tmux-"))
        self.tmux = ["tmux", "-S", str(self.dir / "s"), "-f", "/dev/null"]
        self.stty = tmp / "stty.txt"
        ubit = shlex.join([sys.executable, "-m", "ubit", "run", *args])
        script = (f"cd {shlex.quote(str(ROOT))}; {ubit}; echo EXIT=$?; "
                  f"stty -a > {shlex.quote(str(self.stty))}; echo DONE; sleep 60")
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "t", "-x", str(width),
                        "-y", str(height), script], check=True, env=_env())

    def capture(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "t"], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 8) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}")
            time.sleep(0.05)

    def send(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "t", *keys], check=True)

    def tty_modes(self) -> str:
        tty = subprocess.run([*self.tmux, "display", "-p", "-t", "t", "#{pane_tty}"],
                             check=True, capture_output=True, text=True).stdout.strip()
        return subprocess.run(["stty", "-a", "-F", tty], capture_output=True, text=True).stdout

    def ubit_pid(self) -> int:
        shell = subprocess.run([*self.tmux, "display", "-p", "-t", "t", "#{pane_pid}"],
                               check=True, capture_output=True, text=True).stdout.strip()
        return int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "UBIT_"))}
    env["TERM"] = "xterm-256color"
    return env


def modes(stty: str) -> set[str]:
    """The on/off flags of ``stty -a`` output ("icanon", "-echo", ...)."""
    return set(re.findall(r"(?<![\w-])-?[a-z]+\d?(?=\s|$)", stty))


@pytest.fixture
def pane(tmp_path):
    panes: list[Pane] = []

    def start(source: str, *args: str, **size: int) -> Pane:
        (tmp_path / "prog.py").write_text(source)
        panes.append(Pane(tmp_path, str(tmp_path / "prog.py"), *args, **size))
        return panes[-1]

    yield start
    for p in panes:
        p.close()


LOOP = "import time\nprint('hello board')\nn = 0\nwhile True:\n" \
       "    print('tick', n)\n    n += 1\n    time.sleep(0.1)\n"


@needs_tmux
def test_serial_output_then_q_quits_and_restores_the_terminal(pane):
    p = pane(LOOP)
    screen = p.wait_for("tick 3")
    assert "hello board" in screen and "micro:bit V2" in screen and "q: quit" in screen
    assert {"-icanon", "-echo"} <= modes(p.tty_modes())  # raw while the view runs
    p.send("q")
    screen = p.wait_for("DONE", 5)
    assert "EXIT=0" in screen
    assert {"icanon", "echo", "isig"} <= modes(p.stty.read_text())


@needs_tmux
def test_ctrl_c_raises_keyboard_interrupt_and_the_view_stays(pane):
    p = pane(LOOP, "--board", "v1", width=70, height=24)
    p.wait_for("tick 2")
    p.send("C-c")
    screen = p.wait_for(ENDED)
    assert "KeyboardInterrupt" in screen and "micro:bit V1" in screen
    time.sleep(0.3)
    assert "DONE" not in p.capture()  # the final state stays until q
    p.send("q")
    assert "EXIT=1" in p.wait_for("DONE", 5)  # as --headless: the program ended with an error


@needs_tmux
def test_tab_types_into_input(pane):
    p = pane("name = input('name? ')\nprint('hello', name)\n")
    p.wait_for("name?")
    p.send("Tab")
    p.wait_for("TYPING TO SERIAL")
    p.send("q", "u", "BSpace", "bit", "Enter")
    screen = p.wait_for("hello qbit")
    assert ENDED in screen and "name? qbit" in screen
    p.send("q")
    assert "EXIT=0" in p.wait_for("DONE", 5)


@needs_tmux
def test_sigterm_restores_the_terminal(pane):
    p = pane(LOOP)
    p.wait_for("tick 1")
    os.kill(p.ubit_pid(), signal.SIGTERM)
    screen = p.wait_for("DONE", 5)
    assert f"EXIT={128 + signal.SIGTERM}" in screen
    assert {"icanon", "echo"} <= modes(p.stty.read_text())


def _has_buttons() -> bool:
    probe = Path(tempfile.mkdtemp(prefix="ubit-probe-")) / "probe.py"
    probe.write_text("from microbit import button_a\nprint(button_a.was_pressed())\n")
    try:
        return run_ubit("run", "--headless", probe).stdout.strip() == "False"
    finally:
        shutil.rmtree(probe.parent, ignore_errors=True)


@needs_tmux
def test_pressing_a_reaches_button_a(pane):
    if not _has_buttons():
        pytest.skip("the virtual board has no microbit.button_a yet")
    p = pane("from microbit import *\nprint('ready')\nwhile True:\n"
             "    if button_a.was_pressed():\n        print('A pressed')\n    sleep(20)\n")
    p.wait_for("ready")
    p.send("a")
    screen = p.wait_for("A pressed")
    assert "A down" in screen or "A --" in screen
    p.send("q")
    assert "EXIT=0" in p.wait_for("DONE", 5)


@needs_tmux
def test_several_boards_live_talk_by_radio_and_brackets_switch_board(pane, tmp_path):
    (tmp_path / "recv.py").write_text(
        "import radio\nfrom microbit import *\nprint('listening')\nwhile True:\n"
        "    m = radio.receive()\n    if m:\n        print('got', m)\n"
        "        display.show(Image.HEART)\n    sleep(10)\n")
    p = pane("import radio\nfrom microbit import *\nprint('sender ready')\nwhile True:\n"
             "    if button_a.was_pressed():\n        radio.send('hello')\n"
             "        print('sent')\n    sleep(20)\n",
             str(tmp_path / "recv.py"), "--radio-space", "none", width=110, height=40)
    screen = p.wait_for("sender ready")
    assert ">prog.py" in screen and "recv.py" in screen  # the strip names every board
    p.send("a")  # keys go to the first board: its button A
    p.wait_for("sent")
    p.send("]")  # now the receiver: its serial pane and big view
    screen = p.wait_for("got hello")
    assert ">recv.py" in screen and "listening" in screen
    p.send("q")
    assert "EXIT=0" in p.wait_for("DONE", 5)


@needs_tmux
def test_without_an_audio_device_a_note_says_sound_was_not_played(pane):
    from ubit.sim.host.player import open_player

    player, note = open_player()
    if player is not None:
        player.close()
        pytest.skip("this machine can play sound")
    p = pane("import music\nmusic.play(music.BA_DING)\nprint('played')\n")
    p.wait_for("played")
    p.send("q")
    screen = p.wait_for("DONE", 5)
    assert "note: no audio device" in screen and "--audio FIL" in screen.replace("\n", "")
