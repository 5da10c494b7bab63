"""Device tools: put and get of a 10 KB file, ubit vs microfs2 vs mpremote, whole processes.

Targets: the virtual micro:bit V2 on a pty (``ubit sim``) and the real V1 firmware under
QEMU (``-serial pty``, skipped without qemu-system-arm). A peer that fails on a target
(mpremote's fs commands need ``os.stat``, which V1 lacks) is reported as n/a.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.common import RUNS, tool

PY = sys.executable
NAME = "ten.txt"
RUN_TIMEOUT = 60  # s for one peer process; longer counts as a failure


def make_file(folder: Path) -> bytes:
    """A 10,240-byte text file of plausible lines."""
    text = "".join(f"line {i:04d}: the quick brown fox jumps over the lazy dog\n"
                   for i in range(300))[:10240]
    (folder / NAME).write_text(text)
    return text.encode()


@contextlib.contextmanager
def sim_target() -> Iterator[str]:
    """A ``ubit sim`` V2 board; yields its pty."""
    proc = subprocess.Popen([tool("ubit"), "sim"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if " on " not in line:
            raise SystemExit(f"bench: ubit sim did not start: {line!r}")
        yield line.split(" on ", 1)[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def qemu_target() -> Iterator[str]:
    """The official V1 firmware under QEMU; yields its pty."""
    from ubit.device.qemu import QemuBoard
    from ubit.hexfile import V1, bundled_runtime_path

    with QemuBoard(bundled_runtime_path(V1).read_text(), serial="pty") as board:
        assert board.pty_path is not None
        # Keep the pty open between the tools' runs: QEMU looks for a reconnected
        # terminal only once a second, which would add ~1 s to every process alike. Raw, or
        # the terminal would echo the board's output back to it as input.
        holder = os.open(board.pty_path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(holder)
        try:
            yield board.pty_path
        finally:
            os.close(holder)


def board_files(port: str, action: Callable[..., object]) -> object:
    """Run ``action(BoardFiles)`` on the board at ``port`` (to prepare and check runs)."""
    from ubit.device.fs import BoardFiles
    from ubit.device.rawrepl import RawRepl
    from ubit.device.transport import SerialTransport

    repl = RawRepl(SerialTransport(port))
    try:
        repl.enter()
        return action(BoardFiles(repl))
    finally:
        # back at the friendly REPL, and its banner read: a peer started next must not
        # find our leftovers waiting on the port (microfs2 then fails to enter raw REPL)
        repl.leave(quiet=True)
        repl.close()


def remove_file(port: str) -> None:
    """Make sure the board has no ten.txt (so every put starts alike)."""
    def rm(files: object) -> None:
        if NAME in files.ls():  # type: ignore[attr-defined]
            files.rm(NAME)  # type: ignore[attr-defined]
    board_files(port, rm)


def timed(argv: list[str], cwd: Path, before: Callable[[], None],
          check: Callable[[], str | None]) -> tuple[float | None, str]:
    """Median seconds of ``argv`` over RUNS runs, or None and why it failed.

    ``check`` says what is wrong with a run's result (None: nothing).
    """
    times = []
    for _ in range(RUNS):
        try:
            before()
        except Exception as exc:  # the board stopped answering after the last run
            return None, f"board unusable after a run: {exc}"[:90]
        start = time.perf_counter()
        try:
            proc = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, f"took over {RUN_TIMEOUT} s"
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()
            return None, lines[-1][:70] if lines else f"exit status {proc.returncode}"
        try:
            wrong = check()
        except Exception as exc:  # noqa: BLE001 - the board stopped answering: say so, go on
            return None, f"exit status 0, but checking the board failed: {exc}"[:90]
        if wrong:
            return None, f"exit status 0, but {wrong}"
    return statistics.median(times), ""


def contenders(op: str, port: str) -> dict[str, list[str]]:
    """The command line of each tool for ``op`` (put or get) on ``port``."""
    if op == "put":
        return {
            "ubit fs put": [tool("ubit"), "fs", "put", NAME, "--port", port],
            "microfs2 put": [PY, "-m", "microfs", "-s", port, "put", NAME],
            "mpremote fs cp": [PY, "-m", "mpremote", "connect", port, "fs", "cp", NAME,
                               ":" + NAME],
        }
    return {
        "ubit fs get": [tool("ubit"), "fs", "get", NAME, "-o", "out.txt", "--port", port],
        "microfs2 get": [PY, "-m", "microfs", "-s", port, "get", NAME, "out.txt"],
        "mpremote fs cp": [PY, "-m", "mpremote", "connect", port, "fs", "cp", ":" + NAME,
                           "out.txt"],
    }


def wire_floor_s(data: bytes) -> float:
    """Seconds the virtual board's serial output needs for ``data`` alone: it paces its
    output as the real board's UART does, 10 bits a byte at 115200 baud."""
    from ubit.sim.micropython.firmware import SERIAL_BYTE_US

    return len(data) * SERIAL_BYTE_US / 1e6


def bench_target(label: str, target: Callable[[], contextlib.AbstractContextManager[str]],
                 work: Path, data: bytes, paced: bool = False) -> None:
    """Time put and get on one kind of target (a fresh board per tool) and print ratios
    (``paced``: the board's output goes at the real UART's speed, a floor for every get)."""
    def got() -> str | None:
        out = work / "out.txt"
        wrong = None if out.exists() and out.read_bytes() == data else "a wrong copy"
        out.unlink(missing_ok=True)
        return wrong

    for op in ("put", "get"):
        results = {}
        for name in contenders(op, "PORT"):
            with target() as port:  # a peer may leave a board that no longer answers
                argv = contenders(op, port)[name]
                if op == "put":
                    results[name] = timed(argv, work, lambda p=port: remove_file(p),
                                          lambda p=port: on_board(p, data))
                else:
                    board_files(port, lambda files: files.put(data, NAME))  # type: ignore
                    results[name] = timed(argv, work, lambda: None, got)
        print_results(f"{op} a 10 KB file, {label} (median of {RUNS} whole processes)", results)
        if op == "get" and paced:
            print_floor(results, wire_floor_s(data))


def on_board(port: str, data: bytes) -> str | None:
    """What is wrong with ten.txt on the board, if anything."""
    from ubit.errors import UbitError

    try:
        same = board_files(port, lambda files: files.get(NAME)) == data  # type: ignore
    except UbitError as exc:
        return "the board no longer answers" if "no answer" in str(exc) else str(exc)[:60]
    return None if same else "a wrong copy on the board"


def print_results(title: str, results: dict[str, tuple[float | None, str]]) -> None:
    """ubit's median first, then each peer's with how many times faster ubit is."""
    print(f"\n{title}")
    (ours_name, (ours, why)), *peers = results.items()
    width = max(map(len, results))
    if ours is None:
        print(f"  {ours_name:<{width}}  FAILED: {why}")
        return
    print(f"  {ours_name:<{width}}  {ours * 1000:8.1f} ms")
    for name, (median, why) in peers:
        if median is None:
            print(f"  {name:<{width}}       n/a   ({why})")
            continue
        ratio = median / ours
        target = 3.0 if name.startswith("microfs") else 1.0
        print(f"  {name:<{width}}  {median * 1000:8.1f} ms   ubit is {ratio:5.2f}x faster   "
              f"(target >= {target:g}x: {'met' if ratio >= target else 'NOT met'})")


def print_floor(results: dict[str, tuple[float | None, str]], floor: float) -> None:
    """How close each get came to the serial line's floor, and which targets lie below it."""
    print(f"  the file alone takes {floor * 1000:.0f} ms on the wire (the virtual board's "
          "output is paced as the real one's 115200 baud UART), a floor for every tool:")
    for name, (median, _) in results.items():
        if median is not None:
            print(f"    {name:<16} {median / floor:5.2f}x the floor")
    for name, (median, _) in list(results.items())[1:]:
        if median is not None and name.startswith("microfs") and median / 3 < floor:
            print(f"    3x faster than {name} would be {median / 3 * 1000:.0f} ms, below the "
                  "floor: out of reach on a board as fast as the real one")


def main() -> None:
    """Run the device benchmarks on every target available."""
    work = Path(tempfile.mkdtemp(prefix="ubit-devbench-"))
    try:
        data = make_file(work)
        bench_target("virtual micro:bit V2 (ubit sim pty)", sim_target, work, data, paced=True)
        from ubit.device.qemu import find_qemu

        if find_qemu() is None:
            print("\n(QEMU not installed: the V1 firmware benchmarks are skipped)")
        else:
            bench_target("V1 firmware under QEMU (pty)", qemu_target, work, data)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
