"""Starting board processes: from one long-lived thread, in an empty folder and environment.

Apart from the handle (``handle``) so that the fork server (``forkserver``), which is
started the same way, and the handle can both use it. Light to import (``os`` and
``sys`` only, the rest when first used): ``ubit run`` spawns its board from here before
it imports anything else (``spawn_ahead``), so the board's start-up runs beside the
host's.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing itself costs `ubit run` milliseconds before its board starts
if TYPE_CHECKING:
    import subprocess
    import threading
    from collections import deque
    from typing import Any, BinaryIO

# The board process finds ubit through the path given here: its environment is empty.
# It makes ready for its ``start`` while it waits (``warmup``), then runs the firmware.
# The cyclic collector waits until the program starts (``firmware.main``): the start-up
# makes long-lived objects only, and collecting among them cost it milliseconds.
BOARD_ENTRY = "import gc, sys; gc.disable(); sys.path.insert(0, {root!r}); " \
              "from ubit.sim.micropython.warmup import prepare; prepare(); " \
              "from ubit.sim.micropython.firmware import entry; entry()"


class Spawner:
    """Starts board processes from one thread that lives as long as this process.

    A board asks the kernel to end it when the thread that started it ends
    (``PR_SET_PDEATHSIG`` is tied to that thread, not to the process), so boards are
    never started from a thread that may end first.
    """

    def __init__(self) -> None:
        import threading
        from collections import deque

        self.jobs: deque[tuple[list[str], dict[str, Any], list[Any], threading.Event]] = deque()
        self.ready = threading.Condition()
        threading.Thread(target=self._loop, name="board-spawner", daemon=True).start()

    def spawn(self, argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
        """``subprocess.Popen(argv, **options)``, run in the spawner's thread."""
        import threading

        answer: list[Any] = []
        done = threading.Event()
        with self.ready:
            self.jobs.append((argv, options, answer, done))
            self.ready.notify()
        done.wait()
        if isinstance(answer[0], BaseException):
            raise answer[0]
        return answer[0]

    def _loop(self) -> None:
        import subprocess

        while True:
            with self.ready:
                self.ready.wait_for(lambda: self.jobs)
                argv, options, answer, done = self.jobs.popleft()
            try:
                answer.append(subprocess.Popen(argv, **options))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller to raise
                answer.append(exc)
            done.set()


_spawner: Spawner | None = None
_spawner_lock: Any = None


def spawn(argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start a board process (from the one spawner thread)."""
    global _spawner, _spawner_lock
    import threading

    if _spawner_lock is None:  # the first call is made before any board thread exists
        _spawner_lock = threading.Lock()
    with _spawner_lock:
        if _spawner is None:
            _spawner = Spawner()
    return _spawner.spawn(argv, **options)


def empty_folder() -> str:
    """An empty folder of this user's to be the boards' working folder."""
    base = os.environ.get("TMPDIR") or "/tmp"  # tempfile would cost every start a few ms
    path = os.path.join(base, f"ubit-empty-{os.getuid()}")
    try:
        os.mkdir(path, 0o500)
    except FileExistsError:
        pass
    except OSError:
        return "/"
    return path


def package_root() -> str:
    """The folder that holds the ubit package."""
    import ubit

    return os.path.dirname(os.path.dirname(os.path.abspath(ubit.__file__)))


def board_argv(serial_fd: int, control_fd: int) -> list[str]:
    """The command line of a board process on these two sockets."""
    # -S: the board needs only the standard library and ubit; skipping site-packages
    # saves a tenth of its start-up. -c rather than -m, which imports runpy; -P keeps
    # the working folder off sys.path. -E: no PYTHON* variables.
    return [sys.executable, "-S", "-P", "-E", "-c", BOARD_ENTRY.format(root=package_root()),
            str(serial_fd), str(control_fd)]


# What the board process may be told by the environment: debugging, and the fidelity
# models' off switches (for measuring what each costs, and for finding a model's fault).
PASSED_ON = ("UBIT_SIM_DEBUG", "UBIT_COST_MODEL", "UBIT_STACK_MODEL", "UBIT_HASH_ORDER",
             "UBIT_HEAP_MODEL", "UBIT_MP_SEMANTICS", "UBIT_FLOAT32", "UBIT_F32_NATIVE",
             "UBIT_RANDOM_NATIVE", "UBIT_HASH_NATIVE", "UBIT_CONFINE_NATIVE")


def child_env() -> dict[str, str]:
    """The board process's environment: empty but for ``PASSED_ON`` (nothing else leaks)."""
    return {name: os.environ[name] for name in PASSED_ON if name in os.environ}


# -- a board spawned ahead, before the host's own imports -----------------------------------------
class EarlyProcess:
    """A board process spawned by ``spawn_ahead``, with the part of ``Popen`` the handle uses.

    ``subprocess`` would cost the host its import (and ``selectors``') before the board
    could start; this needs only ``os``.
    """

    def __init__(self, pid: int, stderr_fd: int | None) -> None:
        import _thread

        self.pid = pid
        self.returncode: int | None = None
        self.stderr: BinaryIO | None = open(stderr_fd, "rb") if stderr_fd is not None \
            else None  # noqa: SIM115 - read by the handle for the board's life
        self._lock = _thread.allocate_lock()  # one waitpid at a time (no pid reuse)

    def _reap(self, flags: int) -> None:
        if self.returncode is not None:
            return
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): as Popen says
            self.returncode = 0
            return
        if pid == self.pid:
            self.returncode = os.waitstatus_to_exitcode(status)

    def poll(self) -> int | None:
        """Its return code, or None while it runs."""
        if self.returncode is None and self._lock.acquire(False):
            try:
                self._reap(os.WNOHANG)
            finally:
                self._lock.release()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for it to end; its return code (``subprocess.TimeoutExpired`` after ``timeout``)."""
        if timeout is not None and self.returncode is None and not self._ends_within(timeout):
            import subprocess

            raise subprocess.TimeoutExpired("board", timeout)
        with self._lock:
            self._reap(0)
        assert self.returncode is not None
        return self.returncode

    def _ends_within(self, timeout: float) -> bool:
        """Whether it ends within ``timeout`` seconds: woken by its pidfd the moment it does
        (``Popen.wait`` polls, sleeping up to 50 ms at a time, after the board has gone)."""
        import select

        try:
            pidfd = os.pidfd_open(self.pid)
        except ProcessLookupError:  # already reaped by another thread
            return True
        except (AttributeError, OSError):  # no pidfd here: poll, as Popen does
            import time

            deadline = time.monotonic() + timeout
            delay = 0.0005
            while self.poll() is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.05)
            return True
        try:
            return bool(select.select([pidfd], [], [], timeout)[0])
        finally:
            os.close(pidfd)

    def send_signal(self, sig: int) -> None:
        """Signal it, unless it has been reaped (its pid may be another's by then)."""
        with self._lock:
            if self.returncode is None:
                try:
                    os.kill(self.pid, sig)
                except ProcessLookupError:
                    pass

    def kill(self) -> None:
        """End it at once."""
        import signal

        self.send_signal(signal.SIGKILL)


_early: tuple[EarlyProcess, int, int] | None = None


def spawn_ahead() -> bool:
    """Spawn a board process now, for the next board this process starts (``take_ahead``).

    Only from a process with no other thread yet (``ubit run`` as it starts): the main
    thread outlives every board, so the board may die with it (``PR_SET_PDEATHSIG``),
    and the working folder can be changed for the spawn and back. False if not spawned.
    """
    global _early
    if _early is not None or os.environ.get("UBIT_BOARD_START") == "fork" or \
            not hasattr(os, "posix_spawn") or not _alone():
        return False
    import _socket

    ours: list[int] = []
    theirs: list[int] = []
    try:
        for _ in range(2):  # the serial stream, then the control channel
            a, b = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)
            ours.append(a.detach())
            theirs.append(b.detach())
        debug = bool(os.environ.get("UBIT_SIM_DEBUG"))
        read_fd, write_fd = (None, None) if debug else os.pipe()
        if write_fd is not None:
            theirs.append(write_fd)
        try:
            pid = _posix_spawn(board_argv(*theirs[:2]), theirs[:2], write_fd)
        except OSError:
            if read_fd is not None:
                os.close(read_fd)
            raise
    except OSError:
        for fd in ours:
            os.close(fd)
        return False
    finally:
        for fd in theirs:
            os.close(fd)
    _early = (EarlyProcess(pid, read_fd), ours[0], ours[1])
    _pause_collector()
    return True


_collector_paused = False


def _pause_collector() -> None:
    """Keep the cyclic collector off until the board is taken (``take_ahead``): until
    then the host imports what its run needs, long-lived objects only, and collecting among
    them would cost the board's ``start`` a millisecond."""
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def _resume_collector() -> None:
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()  # the start-up's objects stay: later collections needn't look at them
        gc.enable()


def _alone() -> bool:
    """Whether this process runs no thread but this one."""
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _posix_spawn(argv: list[str], pass_fds: list[int], stderr_fd: int | None) -> int:
    """``Popen(argv, pass_fds=…, stdin/stdout=DEVNULL, stderr=…, env=child_env(),
    cwd=empty_folder())``, as ``os.posix_spawn``: the pid."""
    import _signal  # not signal, whose enums cost milliseconds here

    actions: list[tuple[Any, ...]] = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    if stderr_fd is not None:
        actions.append((os.POSIX_SPAWN_DUP2, stderr_fd, 2))
    # Python opens its files close-on-exec; what it inherited open must not reach the board
    # either (Popen closes every descriptor but pass_fds)
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        fd = int(name)
        try:
            if fd > 2 and fd not in pass_fds and os.get_inheritable(fd):
                actions.append((os.POSIX_SPAWN_CLOSE, fd))
        except OSError:
            pass  # the listing's own descriptor, closed by now
    here = os.open(".", os.O_PATH)  # posix_spawn has no cwd: change it around the spawn
    try:
        for fd in pass_fds:
            os.set_inheritable(fd, True)
        os.chdir(empty_folder())
        try:
            return os.posix_spawn(argv[0], argv, child_env(), file_actions=actions,
                                  setsigdef=(_signal.SIGPIPE, _signal.SIGXFSZ))
        finally:
            os.fchdir(here)
    finally:
        os.close(here)


def take_ahead() -> tuple[EarlyProcess, int, int] | None:
    """The board process ``spawn_ahead`` spawned (process, serial fd, control fd), once."""
    global _early
    early, _early = _early, None
    _resume_collector()
    return early


def discard_ahead() -> None:
    """End the board process spawned ahead if no board took it."""
    early = take_ahead()
    if early is None:
        return
    proc, serial_fd, control_fd = early
    proc.kill()
    proc.wait()
    for fd in (serial_fd, control_fd):
        os.close(fd)
    if proc.stderr is not None:
        proc.stderr.close()
