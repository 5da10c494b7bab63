"""Live playback: what a board plays, heard through the computer's sound output as it runs.

``LivePlayer`` takes a board's ``audio`` state events (as ``AudioRecorder.listener``
does) and renders them with ``mixer.StreamRenderer`` in small blocks as board time
passes, writing signed 16-bit mono samples at ``synth.SAMPLE_RATE`` to an output. It
runs ``LATENCY_MS`` behind the board: events are queued and applied in board-time order
when their time comes, so one that arrives a little late (a frame the program fetched
late) still sounds in its place. Board time is read from the events themselves: each
carries the board's clock, and the earliest arrival relative to it fixes the offset.

The output is ``sounddevice`` (the optional ``ubit[audio]`` dependency) or, failing
that, a command-line player fed raw samples (``pw-play``, ``paplay``, ``aplay``).
``open_player()`` finds one; with none it returns a note for the user instead.
For real-time runs only: a headless run's virtual time has no pace to follow.
"""

from __future__ import annotations

import heapq
import itertools
import shutil
import subprocess
import threading
import time
from array import array
from collections.abc import Callable

from ubit.sim.shared.protocol import AUDIO, RESET, Message
from ubit.sim.shared.sound import synth
from ubit.sim.shared.sound.mixer import StreamRenderer
from ubit.sim.shared.typenames import Any

RATE = synth.SAMPLE_RATE
LATENCY_MS = 60.0  # how far behind the board the sound runs (events this late still fit)
BLOCK_S = 0.01  # the player renders and writes every 10 ms
PREFILL_MS = 30.0  # silence queued at the start so the device never runs dry
MAX_BACKLOG_MS = 250.0  # further behind than this (the computer stalled): skip ahead
NOTE_INSTALL = ("ubit: no audio device: sound is not played "
                "(pip install 'ubit[audio]', or use --audio FILE.wav)")
NOTE_NO_DEVICE = "ubit: no audio device: sound is not played (use --audio FILE.wav to record it)"

Write = Callable[[bytes], Any]  # takes signed 16-bit little-endian mono samples

# Command-line players reading raw samples from stdin, with a small buffer of their own.
PIPE_PLAYERS = (
    ("pw-play", ["--rate", str(RATE), "--channels", "1", "--format", "s16",
                 "--latency", "40ms", "-"]),
    ("paplay", ["--raw", f"--rate={RATE}", "--channels=1", "--format=s16le",
                "--latency-msec=40"]),
    ("aplay", ["-q", "-t", "raw", "-f", "S16_LE", "-r", str(RATE), "-c", "1",
               "--buffer-time=60000"]),
)


def _index(t_ms: float) -> int:
    return round(t_ms * RATE / 1000)


class LivePlayer:
    """Plays a board's audio events through ``write`` in real time, ``latency_ms`` behind."""

    def __init__(self, write: Write, close: Callable[[], Any] | None = None,
                 latency_ms: float = LATENCY_MS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._write = write
        self._close = close
        self.latency_ms = latency_ms
        self.clock = clock
        self.origin: float | None = None  # wall time (s) of the board's time 0
        self._queue: list[tuple[float, int, str, Any]] = []  # (board ms, seq, kind, value)
        self._seq = itertools.count()
        self._out: list[array] = []
        self._discard = False
        self._renderer = StreamRenderer(self._collect)
        self._started = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- input -----------------------------------------------------------------------------
    def listener(self, message: Message) -> None:
        """A board listener (``VirtualBoard.listen``) feeding this player."""
        arrived = self.clock()
        kind = message["kind"]
        if kind == AUDIO:
            value: Any = message["event"]
            board_ms = float(value["t"])
        elif "t" in message:  # every stamped message tells the board's time
            value, board_ms = None, float(message["t"])
        else:
            return
        with self._lock:
            origin = arrived - board_ms / 1000  # the events' own delay only makes it later
            if self.origin is None or origin < self.origin:
                self.origin = origin
            if kind in (AUDIO, RESET):
                heapq.heappush(self._queue, (board_ms, next(self._seq), kind, value))

    def board_ms(self, now: float | None = None) -> float | None:
        """The board's time (ms) at wall time ``now`` (default: now), once an event told it."""
        if self.origin is None:
            return None
        return ((self.clock() if now is None else now) - self.origin) * 1000

    # -- output ----------------------------------------------------------------------------
    def _collect(self, _t_ms: float, samples: array) -> None:
        if not self._discard:
            self._out.append(samples)

    def pump(self, now: float | None = None) -> int:
        """Render and write what plays up to ``latency_ms`` before the board's time now.

        Returns the number of samples written.
        """
        with self._lock:
            board_ms = self.board_ms(now)
            if board_ms is None:
                return 0
            target = board_ms - self.latency_ms
            renderer = self._renderer
            if not self._started:  # nothing before the first event is heard: start there
                self._started = True
                first = min(target, self._queue[0][0]) if self._queue else target
                renderer.written = _index(first)
                self._out.append(array("h", bytes(2 * _index(PREFILL_MS))))
            behind = target - renderer.written * 1000 / RATE
            self._discard = behind > MAX_BACKLOG_MS  # too late to play: catch up silently
            while self._queue and self._queue[0][0] <= target:
                t_ms, _, kind, value = heapq.heappop(self._queue)
                if kind == RESET:
                    renderer.silence(t_ms)
                else:
                    renderer.apply(value)
            renderer.render_to(target)
            self._discard = False
            chunks, self._out = self._out, []
        data = array("h")
        for chunk in chunks:
            data.extend(chunk)
        if data:
            self._write(synth.to_bytes(data))
        return len(data)

    # -- running ---------------------------------------------------------------------------
    def start(self) -> LivePlayer:
        """Play in a background thread until ``close()``."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="audio-player",
                                            daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(BLOCK_S):
            try:
                self.pump()
            except Exception:  # the device went away: stop playing, keep the run going
                return

    def close(self) -> None:
        """Stop playing and release the output."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        if self._close is not None:
            try:
                self._close()
            except Exception:  # closing a device that already failed
                pass

    def __enter__(self) -> LivePlayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PipeOutput:
    """Raw samples piped to a command-line player."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    def write(self, data: bytes) -> None:
        """Send samples (an ended player just drops them)."""
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            return
        try:
            stdin.write(data)
            stdin.flush()
        except (BrokenPipeError, OSError):
            stdin.close()

    def close(self) -> None:
        """Let the player finish what it has, then end it."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def sounddevice_output() -> tuple[Write, Callable[[], Any]] | None | str:
    """A ``sounddevice`` stream's write and close; None if it isn't installed, else a note."""
    try:
        import sounddevice  # type: ignore[import-not-found]
    except ImportError:
        return None
    except OSError:  # installed, but without its PortAudio library
        return NOTE_NO_DEVICE
    try:
        stream = sounddevice.RawOutputStream(samplerate=RATE, channels=1, dtype="int16",
                                             latency="low")
        stream.start()
    except Exception:  # noqa: BLE001 - PortAudio reports a missing device in many ways
        return NOTE_NO_DEVICE

    def close() -> None:
        stream.stop()
        stream.close()

    return stream.write, close


def pipe_output(which: Callable[[str], str | None] = shutil.which,
                settle_s: float = 0.15) -> PipeOutput | None:
    """The first command-line player on PATH that keeps running; None if none does."""
    for name, args in PIPE_PLAYERS:
        path = which(name)
        if path is None:
            continue
        try:
            process = subprocess.Popen([path, *args], stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            continue
        try:
            process.wait(timeout=settle_s)  # ended at once: no sound server or device
        except subprocess.TimeoutExpired:
            return PipeOutput(process)
    return None


def open_player(latency_ms: float = LATENCY_MS) -> tuple[LivePlayer | None, str | None]:
    """A started player on the computer's sound output, or None and a note for the user."""
    found = sounddevice_output()
    if isinstance(found, tuple):
        write, close = found
        return LivePlayer(write, close, latency_ms).start(), None
    pipe = pipe_output()
    if pipe is not None:
        return LivePlayer(pipe.write, pipe.close, latency_ms).start(), None
    return None, found if isinstance(found, str) else NOTE_INSTALL
