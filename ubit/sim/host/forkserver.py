"""The host's side of the board fork server: boards forked from a process that has
imported the emulation once, instead of a Python start and every import each.

``VirtualBoard.spawn`` asks ``server()`` for this process's fork server and falls back
to spawning when there is none. The server (``ubit.sim.micropython.zygote``) starts the
first time it pays: at the second board of a process (a single ``ubit run`` doesn't wait
for it), or ahead, from ``prepare`` (``Spares.fill``: the editor, marking). One serves
the whole process and ends with it. ``UBIT_BOARD_START=spawn`` always spawns (for
comparison); ``UBIT_BOARD_START=fork`` forks even the first board.

A forked board is the server's child, not ours: ``ForkedProcess`` stands in for its
``subprocess.Popen`` — the server reports its exit, its stderr is a pipe we passed it.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections import deque

from ubit.sim.host import spawner

SERVER_ENTRY = "import sys; sys.path.insert(0, {root!r}); " \
               "from ubit.sim.micropython.zygote import serve; serve()"
READY_TIMEOUT_S = 20.0  # the server's imports, on a loaded machine
REPLY_TIMEOUT_S = 10.0
MESSAGE_BYTES = 256
NO_ANSWER = b"failed: no answer"


class ForkedProcess:
    """A board forked by the fork server, with the part of ``Popen`` the handle uses."""

    def __init__(self, server: ForkServer, pid: int, stderr_fd: int | None) -> None:
        self.server = server
        self.pid = pid
        self.returncode: int | None = None
        self.stderr = open(stderr_fd, "rb") if stderr_fd is not None else None  # noqa: SIM115
        self._ended = threading.Event()

    def ended(self, code: int) -> None:
        """The server says the process ended with ``code`` (negative: killed by a signal)."""
        self.returncode = code
        self._ended.set()

    def poll(self) -> int | None:
        """Its return code, or None while it runs."""
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for it to end; its return code."""
        if not self._ended.wait(timeout):
            import subprocess

            raise subprocess.TimeoutExpired("board", timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """Signal it (through the server, which knows whether it is still its child)."""
        if self.returncode is None:
            self.server.signal(self.pid, sig)

    def kill(self) -> None:
        """End it at once."""
        import signal

        self.send_signal(signal.SIGKILL)


class ForkServer:
    """One fork server process, and the boards it forked for us."""

    def __init__(self) -> None:
        import subprocess  # subprocess and signal: only where a process pays for them

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        debug = os.environ.get("UBIT_SIM_DEBUG")
        self.env = spawner.child_env()  # what its boards inherit: the environment now
        try:
            # started from the spawner thread, so it dies with this process (PDEATHSIG)
            self.proc = spawner.spawn(
                [sys.executable, "-S", "-P", "-E", "-c",
                 SERVER_ENTRY.format(root=spawner.package_root()), str(theirs.fileno()),
                 str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=None if debug else subprocess.DEVNULL,
                env=self.env, cwd=spawner.empty_folder())
        finally:
            theirs.close()
        self.sock = ours
        self.alive = True
        self._replies: deque[bytes] = deque()  # answers to requests, in order
        self._replied = threading.Condition()
        self._fork_lock = threading.Lock()  # one batch of requests waiting for answers at a time
        self._silent = False  # a request went unanswered: the server is closed
        self._table_lock = threading.Lock()
        self._children: dict[int, ForkedProcess] = {}
        self._early: dict[int, int] = {}  # exits reported before ``fork`` took their pid
        threading.Thread(target=self._read, name="fork-server", daemon=True).start()
        reply = self._answer(READY_TIMEOUT_S)
        if reply != b"ready":
            self.close()
            raise OSError(f"the board fork server didn't start ({reply.decode(errors='replace')})")

    def fork(self, serial_fd: int, control_fd: int, stderr: bool = True) -> ForkedProcess:
        """A new board process on these sockets, waiting for its ``start``."""
        proc = self.fork_all([(serial_fd, control_fd)], stderr)[0]
        if isinstance(proc, OSError):
            raise proc
        return proc

    def fork_all(self, sockets: list[tuple[int, int]],
                 stderr: bool = True) -> list[ForkedProcess | OSError]:
        """New board processes, one on each (serial, control) pair of sockets, asked for
        together: the server forks one after another without waiting for us between them
        (a fleet's boards start sooner). What the server refused is an ``OSError``."""
        pipes: list[tuple[int | None, int]] = []
        for _ in sockets:
            if stderr:
                pipes.append(os.pipe())
            else:  # UBIT_SIM_DEBUG: the board writes to our stderr
                pipes.append((None, os.dup(2)))
        try:
            with self._fork_lock:
                if not self.alive:
                    raise OSError("the board fork server has ended")
                for (serial_fd, control_fd), (_, write_fd) in zip(sockets, pipes, strict=True):
                    socket.send_fds(self.sock, [b"fork"], [serial_fd, control_fd, write_fd])
                replies = [self._next_answer() for _ in sockets]
        except OSError:
            for read_fd, _ in pipes:
                if read_fd is not None:
                    os.close(read_fd)
            raise
        finally:
            for _, write_fd in pipes:
                os.close(write_fd)
        return [self._forked(reply, read_fd) for reply, (read_fd, _) in
                zip(replies, pipes, strict=True)]

    def _forked(self, reply: bytes, read_fd: int | None) -> ForkedProcess | OSError:
        """The process the server's ``reply`` to a fork names (an error if it refused)."""
        if not reply.startswith(b"forked "):
            if reply == NO_ANSWER:  # a late answer would be taken for the next's
                self.close()
            if read_fd is not None:
                os.close(read_fd)
            return OSError(f"the board fork server refused: {reply.decode(errors='replace')}")
        proc = ForkedProcess(self, int(reply.split()[1]), read_fd)
        with self._table_lock:
            if proc.pid in self._early:
                proc.ended(self._early.pop(proc.pid))
            else:
                self._children[proc.pid] = proc
        return proc

    def _reply(self, message: bytes) -> None:
        with self._replied:
            self._replies.append(message)
            self._replied.notify_all()

    def _next_answer(self) -> bytes:
        """The answer to the next request of a batch; at once, not after a wait for each,
        once the server has ended or stopped answering."""
        if not self.alive and not self._replies:
            return b"failed: the server has ended"
        if self._silent:
            return NO_ANSWER
        reply = self._answer(REPLY_TIMEOUT_S)
        self._silent = reply == NO_ANSWER
        return reply

    def _answer(self, timeout: float) -> bytes:
        """The server's next answer to a request (a failure if none comes in time)."""
        with self._replied:
            if not self._replied.wait_for(lambda: self._replies, timeout):
                return NO_ANSWER
            return self._replies.popleft()

    def signal(self, pid: int, sig: int) -> None:
        """Ask the server to signal its child ``pid`` (if it hasn't ended)."""
        try:
            self.sock.send(b"kill %d %d" % (pid, sig))
        except OSError:
            pass  # the server has gone, and its children with it

    def _read(self) -> None:
        while True:
            try:
                message = self.sock.recv(MESSAGE_BYTES)
            except OSError:
                message = b""
            if not message:
                break
            if message.startswith(b"exited "):
                _, pid, code = message.split()
                with self._table_lock:
                    proc = self._children.pop(int(pid), None)
                    if proc is None:
                        self._early[int(pid)] = int(code)
                if proc is not None:
                    proc.ended(int(code))
            else:
                self._reply(message)
        # the server has gone: its children died with it (PDEATHSIG)
        self.alive = False
        self._reply(b"failed: the server has ended")
        with self._table_lock:
            orphans, self._children = list(self._children.values()), {}
        import signal

        for proc in orphans:
            proc.ended(-signal.SIGKILL)

    def close(self) -> None:
        """End the server (and so its boards)."""
        self.alive = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.proc.kill()
        self.proc.wait()
        self.sock.close()


_server: ForkServer | None = None
_failed = False  # it couldn't start once: this process spawns its boards
_wanted = 0  # boards asked for so far
_lock = threading.Lock()


def mode() -> str:
    """How boards start: "spawn", "fork" or "auto" (``UBIT_BOARD_START``)."""
    chosen = os.environ.get("UBIT_BOARD_START", "auto")
    return chosen if chosen in ("spawn", "fork") else "auto"


def available() -> bool:
    """Whether this system can run a fork server at all."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def server(ahead: bool = False) -> ForkServer | None:
    """This process's fork server, started if it now pays; None: spawn the board.

    ``ahead``: a board will be wanted soon (spares), so start it now.
    """
    global _server, _failed, _wanted
    how = mode()
    if how == "spawn" or not available():
        return None
    with _lock:
        if not ahead:
            _wanted += 1
        if _server is not None and _server.alive:
            if _server.env == spawner.child_env():
                return _server
            _retire(_server)  # UBIT_* changed since it started: its boards would miss that
            _server = None
        if _failed or (how == "auto" and not ahead and _wanted < 2):
            return None  # one board alone is started sooner by spawning it
        try:
            _server = ForkServer()
        except OSError:
            _server, _failed = None, True
        return _server


def _retire(old: ForkServer) -> None:
    """Close a server no new board will come from, unless boards of its own still run
    (then it ends with this process, as any server does)."""
    with old._table_lock:  # noqa: SLF001 - this module's own server
        idle = not old._children  # noqa: SLF001
    if idle:
        old.close()


def prepare() -> None:
    """Start the fork server now if it will be used (boards are about to be wanted)."""
    server(ahead=True)
