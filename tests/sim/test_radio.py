"""``radio`` on one board (§21): settings, what goes on air, the receive queue, errors.

Expected behaviour is the fact sheet's §21, checked against the firmware sources it
cites (V2 ``modradio.c``/``drv_radio.c`` of v2.1.2, V1 ``modradio.cpp`` of v1.1.1).
In-process tests put a ``RadioLink`` at the board's edge: what the board transmits
is captured, and packets are handed to ``link.arrive`` as the host would.
"""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass, field
from textwrap import dedent
from types import SimpleNamespace
from typing import Any

import pytest

from tests.sim.runner import run_program
from ubit.sim.board.board import Board, install
from ubit.sim.board.clock import POLL_COST_US, Clock
from ubit.sim.board.parts import radio as radio_part
from ubit.sim.board.radiolink import Packet, RadioLink, decode_payload, encode_payload
from ubit.sim.micropython.modules import radio as radio_module
from ubit.sim.shared import rf
from ubit.sim.shared.boards import V1, V2, BoardSpec

DEFAULT_ADDRESS = 0x75626974  # "uBit"


@dataclass
class RadioRig:
    """An in-process board in virtual time with ``radio`` imported, and its radio edge."""

    device: Board
    radio: Any  # the module's names as attributes
    link: RadioLink
    sent: list[Packet] = field(default_factory=list)
    published: list[Any] = field(default_factory=list)

    @property
    def payloads(self) -> list[bytes]:
        """The payloads transmitted so far."""
        return [decode_payload(p) for p in self.sent]

    def hear(self, data: bytes, **fields: Any) -> None:
        """A packet reaches the antenna now (default: this board's default settings)."""
        self.link.arrive(packet(data, **fields))

    @property
    def part(self) -> radio_part.Radio:
        """The radio part."""
        return radio_part.of(self.device)


def board(spec: BoardSpec = V2) -> RadioRig:
    """A fresh device whose program has just done ``import radio``."""
    clock = Clock(virtual=True)
    published: list[Any] = []
    device = install(Board(spec, clock, None, {},  # type: ignore[arg-type]
                            lambda part, value: published.append(value)
                            if part == "radio" else None))  # errors use its wording
    sent: list[Packet] = []
    device.radio_link = RadioLink(clock, sent.append)
    names = radio_module.create(device)
    return RadioRig(device, SimpleNamespace(**names), device.radio_link, sent, published)


def packet(data: bytes, **fields: Any) -> Packet:
    """A packet as the host delivers it, on the default channel/address/group/rate."""
    base = {"data": encode_payload(data), "channel": 7, "address": DEFAULT_ADDRESS,
            "group": 0, "rate": 0, "power": 6, "rssi": -42}
    base.update(fields)
    return base


def run(source: str, board: str = "v2") -> str:
    """Run a dedented program; its output with plain newlines."""
    return run_program(dedent(source), board=board).text


BOTH = pytest.mark.parametrize("spec", [V1, V2], ids=["v1", "v2"])


# -- config ---------------------------------------------------------------------------------
def test_defaults_on_air_and_import_turns_the_radio_on():
    b = board()
    assert b.part.on
    b.radio.send_bytes(b"x")
    assert {k: v for k, v in b.sent[0].items() if k not in ("data", "t")} == {
        "channel": 7, "address": DEFAULT_ADDRESS, "group": 0, "rate": 0, "power": 6}
    assert b.part.settings == {"length": 32, "queue": 3, "channel": 7, "power": 6,
                               "address": DEFAULT_ADDRESS, "group": 0, "data_rate": 0}


def test_config_changes_what_goes_on_air():
    b = board()
    b.radio.config(channel=83, power=0, group=255, address=0x12345678,
                   data_rate=b.radio.RATE_2MBIT)
    b.radio.send_bytes(b"x")
    assert {k: b.sent[0][k] for k in ("channel", "power", "group", "address", "rate")} == {
        "channel": 83, "power": 0, "group": 255, "address": 0x12345678, "rate": 1}


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("length", (1, 251), (0, 252, -1)),
    ("queue", (1, 254), (0, 255)),
    ("channel", (0, 83), (-1, 84, 100)),
    ("power", (0, 7), (-1, 8)),
    ("group", (0, 255), (-1, 256)),
    ("data_rate", (0, 1, 2), (3, -1)),
])
def test_config_ranges(name, good, bad):
    b = board()
    for value in good:
        b.radio.config(**{name: value})
        assert b.part.settings[name] == value
    for value in bad:
        with pytest.raises(ValueError) as info:
            b.radio.config(**{name: value})
        assert str(info.value) == f"value out of range for argument '{name}'"
    assert b.part.settings[name] == good[-1]


def test_config_is_keyword_only_and_checks_names_and_types():
    b = board()
    with pytest.raises(TypeError, match="^arguments must be keywords$"):
        b.radio.config(3)
    with pytest.raises(ValueError, match="^unknown argument 'chanel'$"):
        b.radio.config(chanel=3)
    # every value is converted to an int before its name is looked at
    with pytest.raises(TypeError, match="^can't convert str to int$"):
        b.radio.config(chanel="3")
    with pytest.raises(TypeError, match="^can't convert float to int$"):
        b.radio.config(channel=3.0)
    b.radio.config(channel=True)  # a bool is an int
    assert b.part.settings["channel"] == 1
    b.radio.config()  # nothing to change


def test_config_is_atomic_and_reports_the_first_bad_argument_in_order():
    b = board()
    with pytest.raises(ValueError, match="'power'"):
        b.radio.config(channel=5, power=8, foo=1)
    with pytest.raises(ValueError, match="unknown argument 'foo'"):
        b.radio.config(channel=5, foo=1, power=8)
    assert b.part.settings["channel"] == 7
    b.radio.send_bytes(b"x")
    assert b.sent[0]["channel"] == 7


def test_address_takes_any_int_truncated_to_32_bits():
    b = board()
    b.radio.config(address=0x1_2345_6789)
    b.radio.send_bytes(b"x")
    b.radio.config(address=-1)
    b.radio.send_bytes(b"x")
    assert [p["address"] for p in b.sent] == [0x2345_6789, 0xFFFF_FFFF]
    # channel=2**32 + 5 is 5 once truncated, as mp_obj_get_int_truncated does
    b.radio.config(channel=(1 << 32) + 5)
    assert b.part.settings["channel"] == 5


def test_reset_restores_defaults_on_the_next_on():
    b = board()
    b.radio.config(channel=20, group=9, length=64)
    b.radio.reset()
    assert b.part.settings == radio_part.DEFAULTS
    b.radio.send(b"x" * 100)  # the registers keep the old settings until on()
    assert b.sent[-1]["channel"] == 20 and len(b.payloads[-1]) == 64
    b.radio.on()
    b.radio.send(b"x" * 100)
    assert b.sent[-1]["channel"] == 7 and b.sent[-1]["group"] == 0
    assert len(b.payloads[-1]) == 32


# -- sending ------------------------------------------------------------------------------
def test_send_puts_the_string_header_and_truncates_to_length():
    b = board()
    b.radio.send("hello")
    b.radio.send("é")
    b.radio.send(b"raw")  # bytes are accepted too
    b.radio.send("x" * 40)  # 32-byte packets: 29 text bytes
    b.radio.config(length=5)
    b.radio.send("abcdef")
    b.radio.config(length=2)
    b.radio.send("abcdef")  # even the header is cut
    assert b.payloads == [b"\x01\x00\x01hello", b"\x01\x00\x01\xc3\xa9", b"\x01\x00\x01raw",
                          b"\x01\x00\x01" + b"x" * 29, b"\x01\x00\x01ab", b"\x01\x00"]


def test_send_bytes_sends_any_buffer_as_is_truncated_to_length():
    b = board()
    b.radio.send_bytes(b"\x00\xff")
    b.radio.send_bytes(bytearray(b"ba"))
    b.radio.send_bytes(array("h", [1]))
    b.radio.send_bytes("hé")  # a str has the buffer protocol: its UTF-8 bytes
    b.radio.send_bytes(bytes(range(40)))
    assert b.payloads == [b"\x00\xff", b"ba", b"\x01\x00", b"h\xc3\xa9", bytes(range(32))]


@BOTH
def test_send_argument_errors(spec):
    b = board(spec)
    with pytest.raises(TypeError, match="^can't convert 'bytearray' object to str implicitly$"):
        b.radio.send(bytearray(b"x"))
    with pytest.raises(TypeError, match="^can't convert 'int' object to str implicitly$"):
        b.radio.send(1)
    with pytest.raises(TypeError, match="^object with buffer protocol required$"):
        b.radio.send_bytes(1)
    with pytest.raises(TypeError, match="^function takes 1 positional arguments but 0 were"):
        b.radio.send()
    with pytest.raises(TypeError, match="^function takes 0 positional arguments but 1 were"):
        b.radio.receive(1)
    word = "does not" if spec is V1 else "doesn't"
    with pytest.raises(TypeError, match=f"^function {word} take keyword arguments$"):
        b.radio.send(message="x")
    assert b.sent == []


def test_sending_takes_the_time_on_air():
    b = board()
    clock = b.device.clock
    start = clock.now_us()
    b.radio.send("hello")  # 8 bytes of payload at 1 Mbit/s, then back to receiving
    assert clock.now_us() - start == POLL_COST_US + rf.air_time_us(8, 0) + rf.RAMP_UP_US
    assert b.sent[0]["t"] == start + POLL_COST_US


# -- receiving ----------------------------------------------------------------------------
def test_receive_functions_take_the_oldest_packet():
    b = board()
    assert b.radio.receive() is None and b.radio.receive_bytes() is None
    assert b.radio.receive_full() is None and b.radio.receive_bytes_into(bytearray(4)) is None
    b.hear(b"\x01\x00\x01hello")
    b.hear(b"\x00\x01")
    b.hear(b"\x01\x00\x01")
    assert b.radio.receive() == "hello"
    assert b.radio.receive_bytes() == b"\x00\x01"
    assert b.radio.receive() == ""
    assert b.radio.receive() is None


def test_receive_drops_a_packet_that_is_not_a_string():
    b = board()
    for data in (b"hi", b"\x01\x00\x02abc", b""):
        b.hear(data)
    b.hear(b"\x01\x00\x01ok")
    for _ in range(3):
        with pytest.raises(ValueError, match="^received packet is not a string$"):
            b.radio.receive()
    assert b.radio.receive() == "ok"  # the bad packets were taken off the queue


def test_receive_bytes_into_copies_what_fits_and_returns_the_full_length():
    b = board()
    b.hear(b"0123456789")
    b.hear(b"ab")
    small, big = bytearray(4), bytearray(b"..........")
    assert b.radio.receive_bytes_into(small) == 10
    assert small == bytearray(b"0123")
    assert b.radio.receive_bytes_into(big) == 2
    assert big == bytearray(b"ab........")
    with pytest.raises(TypeError, match="^object with buffer protocol required$"):
        b.radio.receive_bytes_into(b"read-only")


def test_receive_full_gives_rssi_and_the_board_time_at_delivery():
    b = board()
    clock = b.device.clock
    clock.sleep_us(1_234_567)
    b.hear(b"a", rssi=-42)
    delivered = clock.now_us()
    b.hear(b"b", rssi=-300)  # the firmware's range: 0 to -255
    b.hear(b"c", rssi=3)
    clock.sleep_ms(500)
    assert b.radio.receive_full() == (b"a", -42, delivered)
    assert b.radio.receive_full()[1] == -255
    assert b.radio.receive_full()[1] == 0


def test_receive_full_timestamp_wraps_at_the_ticks_period():
    b = board()
    b.device.clock.sleep_us((1 << 30) + 777)
    b.hear(b"a")
    assert b.radio.receive_full() == (b"a", -42, 777)


def test_delivery_at_an_instant_in_virtual_time():
    b = board()
    clock = b.device.clock
    b.link.arrive(packet(b"later", at=clock.now_us() + 10_000))
    assert b.radio.receive_bytes() is None
    clock.sleep_ms(10)
    _, _, t = b.radio.receive_full()
    assert t == 10_000


@pytest.mark.parametrize("mismatch", [{"channel": 8}, {"address": 0x75626975}, {"group": 1},
                                      {"rate": 1}])
def test_the_hardware_hears_only_its_channel_address_group_and_rate(mismatch):
    b = board()
    b.hear(b"other", **mismatch)
    assert b.radio.receive_bytes() is None
    b.radio.config(**{"address" if k == "address" else "data_rate" if k == "rate" else k: v
                      for k, v in mismatch.items()})
    b.hear(b"other", **mismatch)
    assert b.radio.receive_bytes() == b"other"


def test_a_full_queue_drops_the_newest_packet_by_bytes_not_count():
    b = board()  # queue=3, length=32: 3 × 38 = 114 bytes
    for i in range(20):
        b.hear(bytes([i]))  # 1 + 6 bytes each: 16 fit
    got = []
    while (data := b.radio.receive_bytes()) is not None:
        got.append(data[0])
    assert got == list(range(16))
    for i in range(4):
        b.hear(bytes([i]) * 32)  # full-length packets: 3 fit, the newest is dropped
    assert [b.radio.receive_bytes()[0] for _ in range(3)] == [0, 1, 2]
    assert b.radio.receive_bytes() is None
    b.radio.config(queue=1, length=10)  # 16 bytes: one 10-byte packet, or two of 2
    b.hear(b"a" * 11)  # cut to the length on arrival
    b.hear(b"b")
    assert b.radio.receive_bytes() == b"a" * 10 and b.radio.receive_bytes() is None
    b.hear(b"cc")
    b.hear(b"dd")
    b.hear(b"e")
    assert [b.radio.receive_bytes(), b.radio.receive_bytes(), b.radio.receive_bytes()] == [
        b"cc", b"dd", None]
    assert b.part.dropped == 4 + 1 + 1 + 1


def test_taking_packets_makes_room_again():
    b = board()
    for _ in range(3):
        b.hear(b"x" * 32)
    b.radio.receive_bytes()
    b.hear(b"y" * 32)
    assert [b.radio.receive_bytes()[0] for _ in range(3)] == [ord("x"), ord("x"), ord("y")]


def test_changing_buffer_sizes_or_turning_on_again_loses_queued_packets():
    b = board()
    b.hear(b"kept")
    b.radio.config(channel=7, power=3, group=0)  # registers only: the queue stays
    assert b.radio.receive_bytes() == b"kept"
    for change in ({"length": 33}, {"queue": 4}):
        b.hear(b"lost")
        b.radio.config(**change)
        assert b.radio.receive_bytes() is None
    b.hear(b"lost")
    b.radio.on()
    assert b.radio.receive_bytes() is None


def test_a_packet_queued_before_a_channel_change_stays():
    b = board()
    b.hear(b"old")
    b.radio.config(channel=9)
    b.hear(b"new on 7")
    assert b.radio.receive_bytes() == b"old" and b.radio.receive_bytes() is None


@BOTH
def test_off_hears_nothing_and_refuses_to_send_or_receive(spec):
    b = board(spec)
    b.hear(b"queued")
    b.radio.off()
    b.hear(b"while off")
    calls = [lambda: b.radio.send("x"), lambda: b.radio.send_bytes(b"x"), b.radio.receive,
             b.radio.receive_bytes, b.radio.receive_full,
             lambda: b.radio.receive_bytes_into(bytearray(1))]
    for call in calls:
        with pytest.raises(ValueError, match="^radio is not enabled$"):
            call()
    with pytest.raises(TypeError):  # the argument is checked first
        b.radio.send(1)
    b.radio.config(channel=10)  # allowed while off: kept for on()
    b.radio.on()
    assert b.radio.receive_bytes() is None
    b.radio.send("x")
    assert len(b.sent) == 1 and b.sent[0]["channel"] == 10


def test_nothing_is_heard_while_sending():
    b = board()
    clock = b.device.clock
    b.link.arrive(packet(b"during", at=clock.now_us() + 200))
    b.link.arrive(packet(b"after", at=clock.now_us() + 5_000))
    b.radio.send("x")
    clock.sleep_ms(10)
    assert b.radio.receive_bytes() == b"after" and b.radio.receive_bytes() is None


def test_receive_polls_so_busy_loops_move_time():
    b = board()
    clock = b.device.clock
    b.link.arrive(packet(b"\x01\x00\x01go", at=3_000))
    start = clock.now_us()
    for calls in range(1000):  # noqa: B007 - the count is the point
        message = b.radio.receive()
        if message is not None:
            break
    assert message == "go" and clock.now_us() >= 3_000
    assert calls == -(-(3_000 - start) // POLL_COST_US) - 1


def test_packets_from_another_thread_keep_the_accounting_right():
    b = board()
    b.radio.config(queue=254, length=251)
    got: list[bytes] = []

    def sender() -> None:
        for i in range(2000):
            b.part.receive_packet(packet(bytes([i % 256]) * (i % 7 + 1)))

    thread = threading.Thread(target=sender)
    thread.start()
    while thread.is_alive() or b.part.queued:
        entry = b.part.take()
        if entry is not None:
            got.append(entry[0])
    thread.join()
    assert len(got) == 2000 and b.part._used == 0


def test_after_a_board_reset_the_new_radio_listens():
    b = board()
    old = b.part
    b.device.reset()  # the radio is off until the program imports radio again
    b.hear(b"nobody")
    names = SimpleNamespace(**radio_module.create(b.device))
    b.hear(b"new")
    assert b.part is not old and old.queued == 0
    assert names.receive_bytes() == b"new" and names.receive_bytes() is None


@BOTH
def test_rate_constants(spec):
    b = board(spec)
    assert (b.radio.RATE_1MBIT, b.radio.RATE_2MBIT) == (0, 1)
    assert hasattr(b.radio, "RATE_250KBIT") == (spec is V1)  # V2 leaves the name out
    b.radio.config(data_rate=2)  # but takes the value
    b.radio.send_bytes(b"x")
    assert b.sent[0]["rate"] == 2


def test_state_for_the_host_view():
    b = board()
    assert b.published[-1] == {"on": True, "channel": 7, "group": 0, "sent": 0,
                               "received": 0, "dropped": 0}
    b.radio.config(channel=12, group=3)
    assert b.published[-1]["channel"] == 12 and b.published[-1]["group"] == 3
    count = len(b.published)
    for _ in range(50):  # counts are throttled: not one publication per packet
        b.radio.send("x")
        b.hear(b"x", channel=12, group=3)
        assert b.radio.receive_bytes() == b"x"
    assert len(b.published) < count + 5
    b.device.clock.sleep_ms(200)
    assert b.published[-1]["sent"] == 50 and b.published[-1]["received"] == 50
    b.radio.off()
    assert b.published[-1]["on"] is False


# -- whole programs: errors as the firmware prints them ----------------------------------------
@pytest.mark.parametrize(("board_name", "where"), [("v1", "__main__"), ("v2", "main.py")])
def test_uncaught_config_error_traceback(board_name, where):
    assert run("import radio\nradio.config(3)\n", board_name) == (
        "Traceback (most recent call last):\n"
        f'  File "{where}", line 2, in <module>\n'
        "TypeError: arguments must be keywords\n")


@pytest.mark.parametrize("board_name", ["v1", "v2"])
def test_printed_errors(board_name):
    output = run("""\
        import radio
        for f in (lambda: radio.config(channel=84), lambda: radio.config(foo=1),
                  lambda: radio.config(length='a'), lambda: radio.send(1)):
            try:
                f()
            except Exception as e:
                print(type(e) is ValueError, e)
        radio.off()
        try:
            radio.receive()
        except ValueError as e:
            print(e)
        radio.on()
        radio.send('ok')
        print(radio, radio.receive(), radio.RATE_2MBIT)
        """, board_name)
    assert output == ("True value out of range for argument 'channel'\n"
                      "True unknown argument 'foo'\n"
                      "False can't convert str to int\n"
                      "False can't convert 'int' object to str implicitly\n"
                      "radio is not enabled\n"
                      "<module 'radio'> None 1\n")
