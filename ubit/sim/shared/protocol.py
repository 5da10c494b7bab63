"""The board protocol: every message between a virtual board and whoever drives it.

Documented for front-end authors in ``docs/board-protocol.md``; this module owns the
schema, and ``tests/sim/test_protocol.py`` checks every message a board sends against it.

A message is a JSON object keyed by ``kind``; on the board's control channel each is
one line of JSON. There are two vocabularies:

* **UI** — what any front end (the terminal view, the browser editor, tests, marking)
  and a board say to each other: ``ready``, ``state``, ``audio``, ``serial_out``,
  ``error``, ``reset``, ``exit`` from the board; ``start``, ``set``, ``serial_in``,
  ``interrupt``, ``reset``, ``stop`` to it. A front end needs nothing else.
* **Link** — between boards and the radio space their host keeps: ``radio`` (a packet,
  both ways), ``sync`` and ``grant`` (shared virtual time). Front ends never see these.

The board describes itself in ``ready`` (its parts and inputs as data, see
``PartSpec``/``InputSpec``), so a front end draws its controls from the description
and needs no table of its own. Version ``VERSION`` is sent in ``ready``; a change that
would break a front end raises it.
"""

from __future__ import annotations

import binascii
import math
from collections.abc import Iterator, Mapping

from ubit.sim.shared.typenames import Any

VERSION = 1

# -- message kinds -----------------------------------------------------------------------------
# board → host (UI)
READY, STATE, AUDIO, SERIAL_OUT, ERROR, EXIT = ("ready", "state", "audio", "serial_out",
                                                "error", "exit")
# host → board (UI); RESET goes both ways: pressed by the host, done by the board
START, SET, SERIAL_IN, INTERRUPT, RESET, STOP = ("start", "set", "serial_in", "interrupt",
                                                 "reset", "stop")
# the link between boards and their radio space
RADIO, SYNC, GRANT = "radio", "sync", "grant"

# A packet in a ``grant`` may be a list of these fields, in this order, instead of the
# ``radio`` message's dict: shorter, and quicker to make and read (a radio space sends
# every board some each round in shared time)
GRANT_PACKET = ("at", "rssi", "data", "channel", "address", "group", "rate", "power", "t")

BOARD, HOST = "board", "host"  # who sends a message
UI = frozenset({READY, STATE, AUDIO, SERIAL_OUT, ERROR, EXIT, START, SET, SERIAL_IN,
                INTERRUPT, RESET, STOP})
LINK = frozenset({RADIO, SYNC, GRANT})

# How a board's program ended (``exit.status``).
STATUSES = ("ok", "error", "timeout", "panic", "stopped", "refused")
# A board whose program held on past its time limit is ended by the kernel's timer
# (``ubit.sim.board.deadline``): what it then writes to stderr begins so. Its host
# reports that as ``exit`` status "stopped", error ``TIME_LIMIT``.
DEADLINE_MARK, TIME_LIMIT = "Timeout (", "time limit"
DEADLINE_GRACE_S = 2.0  # how long past its limit a program may hold on before that

Message = dict[str, Any]

# The fields of each message, by sender and kind: name → type. Types: str, int, number,
# bool, dict, list, base64 (a str of base64), any; "?" after a type: it may be null;
# a name ending "?" may be left out.
SCHEMA: dict[tuple[str, str], dict[str, str]] = {
    (BOARD, READY): {"protocol": "int", "board": "dict", "parts": "list", "inputs": "list",
                     "state": "dict", "t": "int", "sandbox?": "dict"},
    (BOARD, STATE): {"part": "str", "value": "any", "t": "int"},
    (BOARD, AUDIO): {"event": "dict", "t": "int"},
    (BOARD, SERIAL_OUT): {"data": "base64"},
    (BOARD, ERROR): {"message": "str", "input?": "str", "index?": "int"},
    (BOARD, RESET): {"state": "dict", "t": "int"},
    (BOARD, EXIT): {"status": "str", "error": "str?", "t": "int", "peak_rss_kb?": "int?",
                    "out?": "list"},
    (HOST, START): {"config": "dict"},
    (HOST, SET): {"input": "str", "value": "any"},
    (HOST, SERIAL_IN): {"data": "base64"},
    (HOST, INTERRUPT): {},
    (HOST, RESET): {},
    (HOST, STOP): {},
    (BOARD, RADIO): {"packet": "dict"},
    (HOST, RADIO): {"packet": "dict"},
    (BOARD, SYNC): {"now": "int", "want": "int", "next?": "int", "out": "list"},
    (HOST, GRANT): {"horizon": "int", "packets": "list"},
}

# The start configuration (``start.config``).
CONFIG: dict[str, str] = {
    "board": "str",  # "v1" | "v2"
    "clock": "str",  # "virtual" (deterministic, as fast as it goes) | "real"
    "limit_ms?": "number?",  # board time after which the run ends ("timeout")
    "files?": "dict",  # name → base64: the flash filesystem
    "inputs?": "list",  # [ms, input, value]: inputs at those board times
    "seed?": "int?",  # the board's random numbers
    "repl?": "bool",  # after main.py, the REPL on the serial port
    "serial?": "str",  # "socket" (a byte stream beside the channel) | "messages"
    "shared_time?": "bool",  # virtual time shared with other boards (sync/grant)
    "sandbox?": "bool",  # confine the board process (default true; limits hold either way)
}
CLOCKS = ("virtual", "real")
SERIAL_MODES = ("socket", "messages")

_TYPES: dict[str, Any] = {"str": str, "dict": dict, "list": list, "bool": bool,
                          "base64": str, "any": object}


class ProtocolError(ValueError):
    """A message that isn't one of the protocol's, or whose fields are wrong."""


def _type_ok(value: Any, kind: str) -> bool:
    if kind.endswith("?"):
        if value is None:
            return True
        kind = kind[:-1]
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def check_fields(fields: Mapping[str, str], message: Mapping[str, Any], what: str,
                 extra: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with ``message`` for the field table ``fields`` (empty: nothing)."""
    problems = []
    names = set(extra)
    for name, kind in fields.items():
        optional = name.endswith("?")
        name = name.rstrip("?")
        names.add(name)
        if name not in message:
            if not optional:
                problems.append(f"{what}: no '{name}'")
        elif not _type_ok(message[name], kind):
            problems.append(f"{what}: '{name}' should be {kind}, not {message[name]!r:.40}")
    problems += [f"{what}: unknown field '{name}'" for name in message if name not in names]
    return problems


def check(message: Mapping[str, Any], sender: str) -> list[str]:
    """What is wrong with ``message`` sent by ``sender`` (BOARD or HOST); empty if nothing."""
    kind = message.get("kind")
    fields = SCHEMA.get((sender, kind)) if isinstance(kind, str) else None
    if fields is None:
        return [f"no message kind {kind!r} from the {sender}"]
    problems = check_fields(fields, message, kind, extra=("kind",))
    if kind == START and not problems:
        problems += check_fields(CONFIG, message["config"], "start.config")
    return problems


# The codec is ``json``'s own C half, called as ``json.dumps(message, separators=(",", ":"))``
# and ``json.loads`` call it, byte for byte: ``json`` itself would cost every board process
# its import (and ``re``'s and ``enum``'s with it) before it could start. ``json`` is
# imported only to say what is wrong with a message that fails here.
_INFINITY = float("inf")
_CONSTANTS = {"-Infinity": -_INFINITY, "Infinity": _INFINITY, "NaN": float("nan")}
_WHITESPACE = " \t\n\r"
_BOM = b"\xef\xbb\xbf"


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


class _Decoding:
    """What ``json.JSONDecoder()`` gives its C scanner."""

    strict = True
    object_hook = object_pairs_hook = None
    parse_float, parse_int, parse_constant = float, int, _CONSTANTS.__getitem__


_encoder: Any = None
_scanner: Any = None


def _codec() -> tuple[Any, Any]:
    global _encoder, _scanner
    if _encoder is None:
        import _json

        _encoder = _json.make_encoder({}, _not_serializable, _json.encode_basestring_ascii,
                                      None, ":", ",", False, False, True)
        _scanner = _json.make_scanner(_Decoding)
    return _encoder, _scanner


def encode(message: Message) -> bytes:
    """One message as a JSON line (NaN and infinities pass: the board refuses them itself)."""
    encoder = _encoder or _codec()[0]
    try:
        return "".join(encoder(message, 0)).encode() + b"\n"
    except Exception:  # noqa: BLE001 - json says what is wrong, as it always has
        import json

        return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def grant_packet_fields(packet: Message) -> bytes:
    """A ``radio`` packet's fields of ``GRANT_PACKET`` after ``at`` and ``rssi``, encoded
    for ``encode_grant``: the same for every board that hears the packet, so made once."""
    return encode([packet["data"], packet["channel"], packet["address"], packet["group"],
                   packet["rate"], packet["power"], packet["t"]])[1:-2]


def encode_grant(horizon: int, packets: list[tuple[int, int, bytes]]) -> bytes:
    """A ``grant`` line, byte for byte what ``encode`` makes of it, from each packet's
    ``(at, rssi, grant_packet_fields(packet))``. A radio space sends one to every board
    each round of shared time: made without building and encoding the message."""
    listed = b",".join([b"[%d,%d,%b]" % packet for packet in packets])
    return b'{"kind":"grant","horizon":%d,"packets":[%b]}\n' % (horizon, listed)


def _loads(line: bytes | str) -> Any:
    """``json.loads(line)``."""
    scanner = _scanner or _codec()[1]
    if isinstance(line, bytes | bytearray):
        if line[:3] == _BOM or 0 in line[:4]:  # not UTF-8 without a BOM: json's own way
            raise ValueError
        line = line.decode("utf-8", "surrogatepass")
    start = len(line) - len(line.lstrip(_WHITESPACE))
    value, end = scanner(line, start)
    if end < len(line) and line[end:].lstrip(_WHITESPACE):
        raise ValueError  # something after the value
    return value


def decode(line: bytes) -> Message:
    """A JSON line back into a message; ``ProtocolError`` if it isn't one."""
    try:
        message = _loads(line)
    except Exception:  # noqa: BLE001 - json.loads refuses it the same way, and says why
        import json

        try:
            message = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(message, dict) or not isinstance(message.get("kind"), str):
        raise ProtocolError("a message is a JSON object with a 'kind'")
    return message


def b64(data: bytes) -> str:
    """Bytes as the protocol carries them (base64)."""
    return binascii.b2a_base64(data, newline=False).decode()


def unb64(text: str) -> bytes:
    """Bytes back from the protocol's base64."""
    return binascii.a2b_base64(text)


# -- describing a board: parts and inputs --------------------------------------------------------
# Input kinds, and the values a ``set`` of each takes:
SWITCH = "switch"  # true/false: held (buttons) or touched (the logo)
PIN = "pin"  # true/false (touched), a number min…max (an analog level), or null (no level)
RANGE = "range"  # a number min…max (in unit; step is the smallest change that counts)
VECTOR = "vector"  # {axis: number min…max} for some of ``axes``: the inputs ``of`` at one instant
EVENT = "event"  # one of ``choices``: it happens now (gestures); it has no lasting value
KINDS = (SWITCH, PIN, RANGE, VECTOR, EVENT)


class InputSpec:
    """One input a host can set: what a UI needs to draw a control for it.

    A plain class rather than a NamedTuple or dataclass: every board process makes
    these at start, and both of those cost milliseconds to define.
    """

    __slots__ = ("id", "kind", "label", "default", "min", "max", "step", "nudge", "unit",
                 "choices", "axes", "of")

    def __init__(self, id: str, kind: str, label: str, default: Any = None,  # noqa: A002
                 min: float | None = None, max: float | None = None,  # noqa: A002
                 step: float | None = None, nudge: float | None = None, unit: str = "",
                 choices: tuple[str, ...] = (), axes: tuple[str, ...] = (),
                 of: tuple[str, ...] = ()) -> None:
        self.id, self.kind, self.label, self.default = id, kind, label, default
        self.min, self.max = min, max
        self.step = step  # the smallest change the board tells apart
        self.nudge = nudge  # what one press of a +/- control changes
        self.unit = unit
        self.choices = choices  # EVENT: what may happen
        self.axes = axes  # VECTOR: the keys of its value ("x", "y", "z")
        self.of = of  # VECTOR: the RANGE input each axis sets, in the same order

    def __repr__(self) -> str:
        return f"InputSpec({self.id!r}, {self.kind!r})"

    def describe(self, part: str) -> dict[str, Any]:
        """The input as ``ready`` describes it (fields that don't apply left out)."""
        out: dict[str, Any] = {"id": self.id, "part": part, "kind": self.kind,
                               "label": self.label, "default": self.default}
        for name in ("min", "max", "step", "nudge"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.unit:
            out["unit"] = self.unit
        if self.choices:
            out["choices"] = list(self.choices)
        if self.axes:
            out["axes"], out["of"] = list(self.axes), list(self.of)
        return out

    def clamp(self, value: float) -> float:
        """``value`` limited to the input's range."""
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        return min(high, max(low, value))


class PartSpec:
    """One part of a board: its id, the state ids it publishes and the inputs it takes."""

    __slots__ = ("id", "label", "state", "inputs", "events")

    def __init__(self, id: str, label: str, state: tuple[str, ...] = (),  # noqa: A002
                 inputs: tuple[InputSpec, ...] = (), events: tuple[str, ...] = ()) -> None:
        self.id, self.label, self.state, self.inputs = id, label, state, inputs
        self.events = events  # message kinds it sends besides state (``audio``)

    def __repr__(self) -> str:
        return f"PartSpec({self.id!r})"

    def describe(self) -> dict[str, Any]:
        """The part as ``ready`` describes it."""
        return {"id": self.id, "label": self.label, "state": list(self.state),
                "inputs": [spec.id for spec in self.inputs], "events": list(self.events)}


def range_input(id: str, label: str, low: float, high: float, default: float, unit: str = "",
                step: float = 1, nudge: float | None = None) -> InputSpec:
    """A number input from ``low`` to ``high``."""
    return InputSpec(id, RANGE, label, default, low, high, step, nudge or step, unit)


class InputError(ValueError):
    """A value refused for an input; the message names the input and what it takes."""


def allowed(spec: Mapping[str, Any]) -> str:
    """What an input takes, in words (from its description)."""
    kind = spec["kind"]
    unit = f" {spec['unit']}" if spec.get("unit") else ""
    span = f"a number from {_num(spec.get('min'))} to {_num(spec.get('max'))}{unit}"
    if kind == SWITCH:
        return "true or false"
    if kind == PIN:
        return f"true or false (touched), {span} (an analog level), or null"
    if kind == RANGE:
        return span
    if kind == VECTOR:
        return f"an object with some of {', '.join(spec['axes'])}, each {span}"
    return "one of: " + ", ".join(spec.get("choices", ()))


def _num(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _number(value: Any) -> float | None:
    """``value`` if it is a finite number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def check_value(spec: Mapping[str, Any], value: Any) -> Any:
    """``value`` if input ``spec`` (its description) takes it; else ``InputError``."""
    kind, name = spec["kind"], spec["id"]

    def refuse(why: str = "") -> InputError:
        import json

        shown = json.dumps(value) if _jsonable(value) else repr(value)
        return InputError(f"{name}: {why or 'can not take'} {shown:.60}; "
                          f"it takes {allowed(spec)}")

    if kind == SWITCH:
        if not isinstance(value, bool):
            raise refuse()
        return value
    if kind == EVENT:
        if not isinstance(value, str) or value not in spec.get("choices", ()):
            raise refuse()
        return value
    if kind == PIN and (value is None or isinstance(value, bool)):
        return value
    if kind in (RANGE, PIN):
        return _in_range(spec, value, refuse)
    if kind == VECTOR:
        if not isinstance(value, Mapping) or not value or \
                any(axis not in spec["axes"] for axis in value):
            raise refuse()
        return {axis: _in_range(spec, component, refuse) for axis, component in value.items()}
    raise refuse()


def _in_range(spec: Mapping[str, Any], value: Any, refuse: Any) -> float:
    number = _number(value)
    if number is None:
        raise refuse("not a finite number:")
    if not spec["min"] <= number <= spec["max"]:
        raise refuse("out of range:")
    return number


def _jsonable(value: Any) -> bool:
    import json

    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


# -- state values that carry bytes ----------------------------------------------------------------
def files_state(sizes: Mapping[str, int], changed: Mapping[str, bytes | None]) -> dict[str, Any]:
    """The ``filesystem`` state: every file's size, and the files that changed (None: removed)."""
    return {"files": dict(sizes),
            "changed": {name: None if data is None else b64(data)
                        for name, data in changed.items()}}


def file_changes(value: Mapping[str, Any]) -> Iterator[tuple[str, bytes | None]]:
    """(name, contents or None when removed) for each file a ``filesystem`` state changed."""
    for name, data in dict(value.get("changed") or {}).items():
        yield name, None if data is None else unb64(data)
