"""Starting board processes: from one long-lived thread, in an empty folder and environment.

Apart from the handle (``handle``) so that the fork server (``forkserver``), which is
started the same way, and the handle can both use it.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections import deque
from typing import Any


class Spawner:
    """Starts board processes from one thread that lives as long as this process.

    A board asks the kernel to end it when the thread that started it ends
    (``PR_SET_PDEATHSIG`` is tied to that thread, not to the process), so boards are
    never started from a thread that may end first.
    """

    def __init__(self) -> None:
        self.jobs: deque[tuple[list[str], dict[str, Any], list[Any], threading.Event]] = deque()
        self.ready = threading.Condition()
        threading.Thread(target=self._loop, name="board-spawner", daemon=True).start()

    def spawn(self, argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
        """``subprocess.Popen(argv, **options)``, run in the spawner's thread."""
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
_spawner_lock = threading.Lock()


def spawn(argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start a board process (from the one spawner thread)."""
    global _spawner
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


# What the board process may be told by the environment: debugging, and the fidelity
# models' off switches (for measuring what each costs, and for finding a model's fault).
PASSED_ON = ("UBIT_SIM_DEBUG", "UBIT_COST_MODEL", "UBIT_STACK_MODEL", "UBIT_HASH_ORDER",
             "UBIT_HEAP_MODEL")


def child_env() -> dict[str, str]:
    """The board process's environment: empty but for ``PASSED_ON`` (nothing else leaks)."""
    return {name: os.environ[name] for name in PASSED_ON if name in os.environ}
