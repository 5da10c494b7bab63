"""Radio between processes on this machine, with no set-up: one socket per host in a folder.

Every process that runs virtual boards in real time (``ubit sim``, ``ubit run``) binds
a Unix datagram socket in a per-user folder (``$XDG_RUNTIME_DIR/ubit-radio/SPACE`` or
``/tmp/ubit-radio-UID/SPACE``) and sends each packet its boards transmit to every
other socket there, as one small JSON datagram. A socket nobody reads any more (its
process died) is removed by the first sender that finds it dead.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ubit.sim.shared.typenames import Any

DEFAULT_SPACE = "default"
MAX_DATAGRAM = 4096  # a packet (≤ 251 bytes of payload) as JSON is far smaller


def folder(space: str = DEFAULT_SPACE) -> Path:
    """The folder where the hosts of radio space ``space`` keep their sockets."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "ubit-radio" if runtime and os.path.isdir(runtime) else \
        Path(tempfile.gettempdir()) / f"ubit-radio-{os.getuid()}"
    return base / space


class Ether:
    """This process's socket in the machine's radio space."""

    def __init__(self, space: str = DEFAULT_SPACE) -> None:
        self.folder = folder(space)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.on_packet: Callable[[dict[str, Any]], None] | None = None
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self.path = self.folder / f"{os.getpid()}-{id(self):x}.sock"
        self._sock.bind(str(self.path))
        self._out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._out.setblocking(False)  # a slow reader loses packets, never stalls a sender
        self._closed = False
        threading.Thread(target=self._receive_loop, name="ether", daemon=True).start()

    def send(self, packet: dict[str, Any]) -> None:
        """Send ``packet`` to every other host in the space."""
        data = json.dumps(packet, separators=(",", ":")).encode()
        mine = self.path.name
        for name in os.listdir(self.folder):
            if name == mine or not name.endswith(".sock"):
                continue
            path = str(self.folder / name)
            try:
                self._out.sendto(data, path)
            except (ConnectionRefusedError, FileNotFoundError):
                with contextlib.suppress(OSError):
                    os.unlink(path)  # its process has gone
            except OSError:
                pass  # its queue is full: the packet is lost, as on air

    def _receive_loop(self) -> None:
        while not self._closed:
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except OSError:
                return
            try:
                packet = json.loads(data)
            except ValueError:
                continue
            if self.on_packet is not None and isinstance(packet, dict):
                self.on_packet(packet)

    def close(self) -> None:
        """Leave the space."""
        self._closed = True
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self._sock.close()
        self._out.close()


def open_ether(space: str | None, warn: Callable[[str], None] | None = None) -> Ether | None:
    """This process's place in radio space ``space`` (None: none, or when it can't be had)."""
    if not space:
        return None
    try:
        return Ether(space)
    except OSError as exc:  # e.g. no writable temp folder: boards of one run still talk
        if warn:
            warn(f"no machine-wide radio ({exc})")
        return None
