"""The device layer's pure parts: encodings, the raw REPL protocol on a scripted port, discovery."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from ubit.cli.exec import LineEndings
from ubit.device import rawrepl
from ubit.device.discovery import find_microbits, pick_port, version_from_serial
from ubit.device.fs import (
    BoardFullError,
    NoSuchFileError,
    check_name,
    chunks_for,
    decode_repr,
    encode_pieces,
    translate,
)
from ubit.device.rawrepl import RawRepl, RemoteError
from ubit.errors import DeviceError, UsageError

HEADER = b"raw REPL; CTRL-B to exit\r\n>"


class ScriptedPort:
    """A transport whose board answers each write through ``respond(written) -> reply``."""

    name = "scripted"

    def __init__(self, respond: Callable[[bytes], bytes]) -> None:
        self.respond = respond
        self.pending = bytearray()
        self.written: list[bytes] = []
        self.closed = False

    def read(self, timeout: float) -> bytes:
        data, self.pending = bytes(self.pending), bytearray()
        return data

    def write(self, data: bytes) -> None:
        self.written.append(data)
        self.pending += self.respond(data)

    def close(self) -> None:
        self.closed = True


def v1_board(output: bytes = b"hi\r\n", traceback: bytes = b"") -> Callable[[bytes], bytes]:
    """A V1-like board: no raw-paste (the header again), plain raw REPL exec."""
    def respond(data: bytes) -> bytes:
        if data.endswith(b"\x01"):
            return HEADER
        if data.endswith(b"\x04"):
            return b"OK" + output + b"\x04" + traceback + b"\x04>"
        return b""
    return respond


def test_encoded_pieces_are_bytes_literals_of_every_byte():
    data = bytes(range(256)) * 3 + b"'\\\"\r\n"
    pieces = encode_pieces(data, budget=100)
    assert all(len(text) <= 100 for text, _ in pieces)
    assert sum(count for _, count in pieces) == len(data)
    decoded = b"".join(eval("b'" + text + "'") for text, _ in pieces)  # as the board does
    assert decoded == data
    assert encode_pieces(b"", 100) == []


def test_printed_bytes_decode_back():
    assert decode_repr(b"b'a\\x00\\'\\\\\\r\\n\\t'") == b"a\x00'\\\r\n\t"
    assert decode_repr(b'b"it\'s"') == b"it's"
    with pytest.raises(DeviceError, match="unexpected output"):
        decode_repr(b"Traceback")


def test_chunks_and_names():
    assert chunks_for("a.txt", 0) == 1
    # a chunk filled exactly already takes the next one (firmware-v1-observed.md)
    assert chunks_for("a.txt", 126 - 2 - 5 - 1) == 1
    assert chunks_for("a.txt", 126 - 2 - 5) == 2
    assert check_name("main.py") == "main.py"
    for bad in ("", "x" * 121, "a\nb"):
        with pytest.raises(UsageError):
            check_name(bad)


@pytest.mark.parametrize(("line", "kind"), [
    ("OSError: file not found", NoSuchFileError),  # V1
    ("OSError: [Errno 2] ENOENT", NoSuchFileError),  # V2
    ("OSError: no more storage space", BoardFullError),  # V1, open
    ("OSError: 28", BoardFullError),  # V1, write
    ("OSError: [Errno 28] ENOSPC", BoardFullError),  # V2
])
def test_board_errors_become_host_errors(line, kind):
    error = RemoteError(f"Traceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\n"
                        f"{line}\r\n")
    assert isinstance(translate(error, "x.txt"), kind)
    assert str(translate(error, "x.txt")).startswith("x.txt: ")


def test_plain_raw_repl_on_v1():
    port = ScriptedPort(v1_board())
    repl = RawRepl(port)
    repl.enter()
    assert repl.exec("print('hi')") == b"hi\r\n"
    assert repl.raw_paste is False  # learnt from the header coming back
    assert port.written[:2] == [b"\r\x03\x03", b"\x01"]
    repl.close()
    assert port.written[-1] == b"\x02" and port.closed


def test_tracebacks_raise_remote_error():
    repl = RawRepl(ScriptedPort(v1_board(b"", b"Traceback (most recent call last):\r\n"
                                             b"  File \"<stdin>\", line 1\r\n"
                                             b"OSError: file not found\r\n")))
    repl.enter()
    with pytest.raises(RemoteError) as caught:
        repl.exec("open('x')")
    assert (caught.value.name, caught.value.message) == ("OSError", "file not found")
    assert caught.value.exception == "OSError: file not found"
    assert "\r" not in caught.value.traceback


def test_raw_paste_keeps_within_the_window():
    window = 16
    received = bytearray()
    state = {"unread": 0, "pasting": False}  # bytes in its 2-window buffer, not yet taken

    def respond(data: bytes) -> bytes:
        if not state["pasting"]:
            if data == b"\x05A\x01":  # window size, then one \x01: the buffer holds two
                state["pasting"] = True
                return b"R\x01" + window.to_bytes(2, "little") + b"\x01"
            return HEADER if data == b"\x01" else b""
        if data == b"\x04":
            return b"\x04out\r\n\x04\x04>"
        received.extend(data)
        state["unread"] += len(data)
        assert state["unread"] <= 2 * window, "sent more than the board's buffer holds"
        freed, state["unread"] = divmod(state["unread"], window)  # it takes whole windows
        return b"\x01" * freed

    repl = RawRepl(ScriptedPort(respond))
    repl.enter()
    source = b"x = 1\n" * 20
    assert repl.exec(source) == b"out\r\n"
    assert bytes(received) == source and repl.raw_paste is True


def test_lost_end_of_source_is_reported(monkeypatch):
    monkeypatch.setattr(rawrepl, "OK_TIMEOUT", 0.05)

    def respond(data: bytes) -> bytes:  # never answers OK: the Ctrl-D was "lost"
        return HEADER if data.endswith(b"\x01") else b""
    repl = RawRepl(ScriptedPort(respond))
    repl.enter()
    repl.raw_paste = False
    with pytest.raises(rawrepl.InputLostError):
        repl.exec("1")


def test_silence_means_no_micropython(monkeypatch):
    monkeypatch.setattr(rawrepl, "ENTER_ATTEMPT", 0.05)
    with pytest.raises(DeviceError, match="no answer within 0.2 s"):
        RawRepl(ScriptedPort(lambda data: b"")).enter(timeout=0.2)
    with pytest.raises(DeviceError, match="answers, but not like MicroPython"):
        RawRepl(ScriptedPort(lambda data: b"ERR\r\n")).enter(timeout=0.2)


def port_info(device: str, vid: int | None, pid: int | None, serial: str | None):
    return SimpleNamespace(device=device, vid=vid, pid=pid, serial_number=serial)


def test_discovery_by_usb_id_and_serial_number():
    ports = [
        port_info("/dev/ttyACM1", 0x0D28, 0x0204, "9904360250974e450024600b00000042"),
        port_info("/dev/ttyACM0", 0x0D28, 0x0204, "9900000037024e450034200b0000004e"),
        port_info("/dev/ttyACM2", 0x0D28, 0x0204, "0240000034544e45001b00028d4e0011"),  # K64F
        port_info("/dev/ttyUSB0", 0x0403, 0x6001, "A50285BI"),  # an FTDI cable
    ]
    found = find_microbits(ports)
    assert [(m.port, m.version) for m in found] == [("/dev/ttyACM0", "V1"),
                                                    ("/dev/ttyACM1", "V2")]
    assert found[1].describe() == "/dev/ttyACM1  V2  9904360250974e450024600b00000042"
    assert [version_from_serial(s) for s in ("9901abc", "9906abc", "9902abc", None)] == \
        ["V1", "V2", None, None]
    with pytest.raises(DeviceError, match="2 micro:bits found"):
        pick_port(None, ports)
    assert pick_port(None, ports[:1]) == "/dev/ttyACM1"
    assert pick_port("/dev/ttyS0", ports) == "/dev/ttyS0"
    with pytest.raises(DeviceError, match="--port.*--sim"):
        pick_port(None, ports[2:])


def test_output_line_endings_across_pieces():
    out = io.BytesIO()
    write = LineEndings(out)
    for piece in (b"a\r", b"\nb\r\n", b"c\r"):
        write(piece)
    write.finish()
    assert out.getvalue() == b"a\nb\nc\r"


def test_devices_command(monkeypatch, capsys):
    from ubit.cli.main import main
    from ubit.device import discovery

    monkeypatch.setattr(discovery, "find_microbits", lambda ports=None: [])
    assert main(["devices"]) == 1
    assert capsys.readouterr().out == "no micro:bit found\n"
    board = discovery.Microbit("/dev/ttyACM0", "9906360200052820a8f4", "V2")
    monkeypatch.setattr(discovery, "find_microbits", lambda ports=None: [board])
    assert main(["devices"]) == 0
    assert capsys.readouterr().out == "/dev/ttyACM0  V2  9906360200052820a8f4\n"


def test_a_chatty_port_still_times_out(monkeypatch):
    """A device that streams text (not MicroPython) can't keep ``enter`` waiting for ever."""
    monkeypatch.setattr(rawrepl, "ENTER_ATTEMPT", 0.05)

    class Chatty(ScriptedPort):
        def read(self, timeout: float) -> bytes:
            return b"$GPGGA,123519,4807.038,N\r\n"

    with pytest.raises(DeviceError, match="answers, but not like MicroPython"):
        RawRepl(Chatty(lambda data: b"")).enter(timeout=0.3)
