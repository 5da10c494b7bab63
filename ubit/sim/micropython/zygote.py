"""The board fork server's side: a process that has imported the emulation once, and forks
a board from itself for each request, so a board costs a fork instead of a Python start
and every import (``ubit.sim.host.forkserver`` is the host's side).

The host starts it as ``python -S -P -E -c "…zygote import serve; serve()" FD HOST_PID``
with one end of a ``SOCK_SEQPACKET`` socket pair. It imports what a board imports (at
the module level here and in ``preload``), says ``ready`` and waits. Requests, one
message each:

* ``fork`` with three descriptors (serial, control, stderr): a child takes them and
  runs ``firmware.main`` exactly as a spawned board does (``start``, confine, run);
  the answer is ``forked PID``.
* ``kill PID SIGNAL``: signal a child of its own that hasn't been reaped (no pid reuse).

It says ``exited PID CODE`` (``subprocess``'s return code) for every child that ends,
since only it can wait for them. It never runs a thread (forking a threaded process is
unsafe), is never confined, and runs no program: each board is forked from the state it
had after its imports, so nothing one board does is seen by the next. It dies with its
host (``PR_SET_PDEATHSIG``, and when its socket closes); its children die with it.
"""

from __future__ import annotations

import gc
import importlib
import os
import select
import signal
import socket
import sys
import threading

from ubit.sim.micropython import firmware
from ubit.sim.shared.boards import BOARDS

PR_SET_PDEATHSIG = 1  # linux/prctl.h
MESSAGE_BYTES = 256
# Imported by boards on the way (parts as they are built, the sandbox, the modules a
# program imports): imported once here, they cost a forked board nothing.
PRELOAD = ("ctypes", "resource", "traceback", "opcode", "dis", "inspect", "locale",
           "ubit.errors", "ubit.hexfile.fslayout", "ubit.sim.board.sandbox",
           "ubit.sim.micropython.errorled", "ubit.sim.micropython.session",
           "ubit.sim.micropython.asm.runtime", "ubit.sim.micropython.helptext")
PRELOAD_PACKAGES = ("ubit.sim.board.parts", "ubit.sim.micropython.api")
PRELOAD_MODULES = ("microbit", "music", "musicdata", "radio", "random", "speech", "audio",
                   "audiotypes", "neopixel", "struct", "time", "os", "math", "machine", "log",
                   "power", "gc", "sys", "array", "collections", "errno")


def preload() -> None:
    """Import what boards import later, so each forked board finds it done."""
    import pkgutil

    names = list(PRELOAD)
    for package in PRELOAD_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{info.name}" for info in pkgutil.iter_modules(path)]
    names += [f"ubit.sim.micropython.modules.{name}" for name in PRELOAD_MODULES]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a board imports it itself then
            pass
    from ubit.sim.board import sandbox

    sandbox._preload_unwinder()  # noqa: SLF001 - every board loads it as it is confined
    # what confining a board needs that its start configuration doesn't change: done here
    # once, each forked board finds it done
    sandbox._libc()  # noqa: SLF001
    firmware.readable_folders()
    for board in BOARDS:
        firmware.part_events(board)


def die_with(parent: int) -> None:
    """Be killed when ``parent`` (the thread that started this process) ends; leave now if
    it already has."""
    if sys.platform.startswith("linux"):
        from ubit.sim.board import sandbox

        sandbox._libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)


def serve() -> None:
    """Serve fork requests on the socket ``sys.argv[1]`` until the host goes."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    die_with(int(sys.argv[2]))
    preload()
    if threading.active_count() != 1:
        sock.send(b"failed: threads running")
        os._exit(1)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_write)
    gc.freeze()  # the imported objects: the collector leaves them, so children share them
    children: set[int] = set()
    sock.send(b"ready")
    while True:
        ready, _, _ = select.select([sock, wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 512)
            reap(sock, children)
        if sock not in ready:
            continue
        message, fds, _flags, _addr = socket.recv_fds(sock, MESSAGE_BYTES, 3)
        if not message:
            os._exit(0)  # the host has gone: the children go with this process
        words = message.split()
        if words[0] == b"fork" and len(fds) == 3:
            sys.stderr.flush()
            server = os.getpid()
            try:
                pid = os.fork()
            except OSError as exc:
                sock.send(b"failed: %s" % str(exc).encode())
                pid = -1
            if pid == 0:
                become_board(fds, [sock.detach(), wake_read, wake_write], server)
            if pid > 0:
                children.add(pid)
                sock.send(b"forked %d" % pid)
        elif words[0] == b"kill" and len(words) == 3 and int(words[1]) in children:
            os.kill(int(words[1]), int(words[2]))
        for fd in fds:
            os.close(fd)


def reap(sock: socket.socket, children: set[int]) -> None:
    """Wait for every child that has ended, and tell the host how it ended."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        sock.send(b"exited %d %d" % (pid, os.waitstatus_to_exitcode(status)))


def become_board(fds: list[int], server_fds: list[int], server: int) -> None:
    """In a forked child of ``server``: drop the server's part, run the board on ``fds``."""
    code = 1
    try:
        die_with(server)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in server_fds:
            os.close(fd)
        serial, control, stderr = fds
        os.dup2(stderr, 2)
        os.close(stderr)
        code = firmware.main(["board", str(serial), str(control)])
        sys.stdout.flush()
    except BaseException:  # noqa: BLE001 - said on stderr, as a spawned board would
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)
