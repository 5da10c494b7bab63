"""The message vocabulary between a virtual board and its host, keyed by ``kind``.

Messages are small dicts, sent as JSON lines on the board's control channel.

Board → host:
  ready        the runtime is up                       {board}
  state        a part changed                          {part, value, t}
  exit         the program ended                       {status: ok|error|timeout|panic,
                                                        error: str|None, t, peak_rss_kb}
  radio        the radio sent a packet                 {packet} (``ubit.sim.board.radiolink``)
  sync         virtual time shared with other boards:  {now, want}
               may time pass beyond the horizon?
Host → board:
  start        run this configuration                  {config}
  set          change an input or sensor               {part, value}
  gesture      perform a gesture now                   {name}
  reset        press the reset button: main.py runs again from the start
  radio        a packet reaches the board's antenna    {packet}
  grant        time may pass up to ``horizon``;        {horizon, packets}
               the packets arrive at their instants
"""

from __future__ import annotations

import json
from typing import Any

READY, STATE, EXIT, SYNC = "ready", "state", "exit", "sync"
START, SET, GESTURE, RESET, GRANT = "start", "set", "gesture", "reset", "grant"
RADIO = "radio"  # both ways

Message = dict[str, Any]


def encode(message: Message) -> bytes:
    """One message as a JSON line."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> Message:
    """A JSON line back into a message."""
    return json.loads(line)
