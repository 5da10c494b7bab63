"""One way to start a virtual board, for every front end: options in, a running board out.

``ubit run`` (headless and live), ``ubit sim``, fleets of boards and the tests all
call ``start_board``; ``tests/sim/test_protocol.py`` fails if another path appears.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

from ubit.sim.host.handle import Listener, VirtualBoard, spawn_together, timed_inputs
from ubit.sim.shared.typenames import Any

TimedInput = tuple[float, str, Any]  # (board ms, input id, value)
Position = tuple[float, ...]  # metres: x, y (and z)


class BoardOptions:
    """Everything that decides how one board starts (read-only once made).

    A plain class, not a NamedTuple or dataclass: ``ubit run`` makes one at every start,
    and either of those would cost milliseconds to define.
    """

    __slots__ = ("board", "files", "clock", "time_limit_ms", "inputs", "seed", "repl",
                 "serial", "fs_folder", "label", "position", "radio_space", "sandbox")

    def __init__(self, board: str = "v2", files: Mapping[str, bytes] | None = None,
                 clock: str = "virtual", time_limit_ms: float | None = None,
                 inputs: Iterable[TimedInput] = (), seed: int | None = None, repl: bool = False,
                 serial: str = "socket", fs_folder: str | None = None, label: str = "",
                 position: Position | None = None, radio_space: str | None = None,
                 sandbox: bool = True) -> None:
        set_ = object.__setattr__
        set_(self, "board", board)  # "v1" or "v2"
        set_(self, "files", dict(files or {}))  # its flash filesystem
        set_(self, "clock", clock)  # "virtual": deterministic, fast; "real": wall time
        set_(self, "time_limit_ms", time_limit_ms)  # board time after which the run ends
        set_(self, "inputs", tuple(inputs))  # scripted inputs at board times
        set_(self, "seed", seed)  # its random numbers
        set_(self, "repl", repl)  # after main.py, the REPL on the serial port
        set_(self, "serial", serial)  # "socket" (a stream of its own) or "messages"
        set_(self, "fs_folder", fs_folder)  # files kept here: loaded first, changes saved
        set_(self, "label", label)  # its name among several boards
        set_(self, "position", position)  # where it stands, in metres (radio range)
        set_(self, "radio_space", radio_space)  # real time: the machine-wide space it joins
        set_(self, "sandbox", sandbox)  # confined by the OS (resource limits hold anyway)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"BoardOptions are read-only: make new ones ({name})")

    def __repr__(self) -> str:
        return f"BoardOptions({self.board!r}, clock={self.clock!r}, label={self.label!r})"

    def config(self, files: Mapping[str, bytes] | None = None) -> dict[str, Any]:
        """The protocol's start configuration (with ``files`` in place of ``self.files``)."""
        from ubit.sim.shared.protocol import b64

        files = self.files if files is None else files
        return {"board": self.board, "clock": self.clock, "limit_ms": self.time_limit_ms,
                "files": {name: b64(data) for name, data in files.items()},
                "inputs": timed_inputs(self.inputs), "seed": self.seed, "repl": self.repl,
                "serial": self.serial, "sandbox": self.sandbox}


def start_board(options: BoardOptions, listeners: Iterable[Listener] = (), space: Any = None,
                warn: Callable[[str], None] | None = None,
                spares: Spares | None = None, board: VirtualBoard | None = None) -> VirtualBoard:
    """Start a board as ``options`` say; ``listeners`` see every message from its start.

    ``space`` is the ``RadioSpace`` it joins (a fleet's); without one, a board with
    ``radio_space`` joins that machine-wide space. ``warn`` hears what goes wrong
    saving its files to ``fs_folder`` (the board runs on regardless). With ``spares``,
    a process spawned ahead is used if there is one (and another spawned for next time).
    ``board``: one whose process is started already (``spawn_boards``).
    ``ubit.errors.UbitError`` if ``fs_folder`` can't be the board's filesystem.
    """
    files = _folder_files(options) if options.fs_folder else options.files
    if board is None and spares is not None:
        board = spares.take()
    if board is None:
        board = _spawned_ahead() or VirtualBoard({})
    board.config = options.config(files)
    for listener in listeners:
        board.listen(listener)
    if options.fs_folder:
        from ubit.sim.host.fsdir import persister

        board.listen(persister(options.fs_folder, warn or (lambda text: None)))
    if space is None and options.radio_space:
        space = _machine_space(options.radio_space, board, warn)
    if space is not None:
        space.join(board, options.label, options.position)
    return board.start()


def spawn_boards(count: int) -> list[VirtualBoard]:
    """``count`` board processes for ``start_board(..., board=)``: the one ``ubit run``
    spawned ahead first, the others forked together (``spawn_together``) or spawned."""
    early = _spawned_ahead()
    boards = [early] if early is not None else []
    return boards + spawn_together([VirtualBoard({}) for _ in range(count - len(boards))])


class Spares:
    """Board processes spawned ahead, ready to be given a program at once (the editor's Play).

    A board's process spends most of its start-up importing the emulation (or, forked,
    a few milliseconds); one that has done so waits for its ``start``. ``fill`` spawns in
    the background (starting the fork server first); ``take`` hands one over (None if
    none is ready yet) and fills again. One filler thread serves it while it is wanted
    (a marking run takes thousands of boards: a thread for each would cost more).
    """

    def __init__(self, keep: int = 1) -> None:
        self.keep = keep
        self.ready: list[VirtualBoard] = []
        self.lock = threading.Lock()
        self.wanted = threading.Condition(self.lock)  # the filler waits here while full
        self.filling = False  # the filler thread is running
        self.closed = False

    def fill(self) -> None:
        """Spawn what is missing, in the background."""
        with self.lock:
            self.closed = False
            if self.filling:
                self.wanted.notify()
                return
            if len(self.ready) >= self.keep:
                return
            self.filling = True
        threading.Thread(target=self._fill, name="board-spares", daemon=True).start()

    def _fill(self) -> None:
        from ubit.sim.host import forkserver

        forkserver.prepare()  # boards are wanted: fork them rather than spawn them
        try:
            while True:
                with self.lock:
                    while len(self.ready) >= self.keep and not self.closed:
                        self.wanted.wait()
                    if self.closed:
                        return
                board = VirtualBoard({}).spawn()
                with self.lock:
                    kept = not self.closed
                    if kept:
                        self.ready.append(board)
                if not kept:  # closed while it was being spawned
                    board.close()
                    return
        except OSError:
            pass  # no spare: boards start the usual way
        finally:
            with self.lock:
                self.filling = False

    def take(self) -> VirtualBoard | None:
        """A spawned board, or None; another is spawned for next time."""
        with self.lock:
            board = self.ready.pop(0) if self.ready else None
        if board is not None and not board.running:
            board.close()
            board = None
        self.fill()
        return board

    def close(self) -> None:
        """End the spare processes (and the filler, until ``fill`` is called again)."""
        with self.lock:
            spares, self.ready = self.ready, []
            self.closed = True
            self.wanted.notify_all()
        for board in spares:
            board.close()


def _spawned_ahead() -> VirtualBoard | None:
    """The board process ``ubit run`` spawned as it started, if it is there and alive."""
    from ubit.sim.host import spawner

    early = spawner.take_ahead()
    if early is None:
        return None
    board = VirtualBoard({}).adopt(*early)
    if not board.running:
        board.close()
        return None
    from ubit.sim.host import forkserver

    forkserver.server()  # counted as a board wanted, as spawning it would have been
    return board


def _folder_files(options: BoardOptions) -> dict[str, bytes]:
    """The board's files: the folder's, then the program's on top; checked to fit."""
    from ubit.sim.host import fsdir
    from ubit.sim.shared.boards import board_spec

    spec = board_spec(options.board)
    assert options.fs_folder is not None
    files = {**fsdir.load_folder(options.fs_folder, spec), **options.files}
    fsdir.check_fits(files, spec, options.fs_folder)
    return files



def _machine_space(name: str, board: VirtualBoard, warn: Callable[[str], None] | None) -> Any:
    """A radio space of one board, joined to the machine-wide space ``name`` (real time)."""
    from ubit.sim.host.ether import open_ether
    from ubit.sim.host.radiospace import RadioSpace

    ether = open_ether(name, warn)
    if ether is None:
        return None
    board.closers.append(ether.close)
    return RadioSpace(ether=ether)
