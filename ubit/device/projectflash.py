"""Sending a project to a micro:bit, the quick way when it can be taken.

A board that already runs the MicroPython release ubit bundles for it needs only the
project's files: they go over serial through the raw REPL and the board restarts, in
seconds (what Mu and uflash do). Any other board — another release, no MicroPython, no
answer on its serial port — gets the project's whole ``.hex`` through its USB drive, which
DAPLink flashes; then we wait for the board to come back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ubit.device.drives import Drive, find_drives
from ubit.device.flash import DEFAULT_NAME, copy_hex
from ubit.device.fs import BoardFiles
from ubit.device.rawrepl import CTRL_D, RawRepl
from ubit.device.transport import Transport
from ubit.errors import DeviceError, DriveNotFoundError
from ubit.hexfile.targets import BUNDLED_VERSIONS

# done, total, what is happening ("sending main.py")
Progress = Callable[[int, int, str], None]

# One statement that fits a V1's 63-byte input buffer (rawrepl.INPUT_BUFFER).
IDENTIFY = "import os;_u=os.uname();print(_u[2]);print(_u[4]);del _u"
RESTART_WAIT_S = 30.0  # how long a drive flash waits for the board to come back
POLL_S = 0.25


@dataclass(frozen=True)
class Flashed:
    """How a project reached the board: ``method`` "serial" or "drive", and a sentence."""

    method: str
    message: str


def identify(repl: RawRepl) -> tuple[str | None, str]:
    """The board's generation ("V1", "V2" or None) and MicroPython release, from os.uname()."""
    lines = repl.exec(IDENTIFY, timeout=5.0).decode("utf-8", "replace").splitlines()
    release = lines[0].strip() if lines else ""
    machine = lines[1] if len(lines) > 1 else ""
    generation = "V1" if "nRF51" in machine else "V2" if "nRF52" in machine else None
    return generation, release


def bundled_release(generation: str) -> str:
    """The micro:bit MicroPython release ubit builds hexes with for ``generation``."""
    return {board.label: version for board, version in BUNDLED_VERSIONS.items()}[generation]


def send_files(repl: RawRepl, files: Mapping[str, bytes], progress: Progress) -> None:
    """Write each file to the board (entered raw REPL), reporting bytes sent of the total."""
    board = BoardFiles(repl)
    total = sum(len(data) for data in files.values()) or 1
    base = 0
    existing = board.sizes()
    for name, data in files.items():
        board.put(data, name, progress=lambda done, _t, name=name, base=base:
                  progress(base + done, total, f"sending {name}"), existing=existing)
        existing[name] = len(data)
        base += len(data)
    progress(total, total, "restarting the board")


def restart(repl: RawRepl) -> None:
    """Soft-reboot from the friendly REPL, so the board runs its (new) main.py.

    Ctrl-B and Ctrl-D go together: the board takes them in order, the first in the raw
    REPL and the second in the friendly one, where it reboots into main.py.
    """
    repl.leave()
    repl.transport.write(CTRL_D)


def try_serial(transport: Transport, files: Mapping[str, bytes],
               progress: Progress) -> Flashed | str:
    """Send ``files`` over serial if the board runs ubit's release: ``Flashed``, else why not.

    The board is left at its friendly REPL when it isn't flashed this way.
    """
    repl = RawRepl(transport)
    progress(0, 1, f"asking {transport.name} which MicroPython it runs")
    try:
        repl.enter()
        generation, release = identify(repl)
    except DeviceError as exc:
        return f"it doesn't answer as MicroPython ({exc})"
    if generation is None:
        repl.leave()
        return f"it runs an unknown MicroPython (release {release!r})"
    wanted = bundled_release(generation)
    if release != wanted:
        repl.leave()
        return f"it runs MicroPython {release}, not {wanted}"
    send_files(repl, files, progress)
    restart(repl)
    names = ", ".join(files)
    return Flashed("serial", f"sent {names} to the {generation} on {transport.name} over "
                             f"serial (it already runs MicroPython {release}) and restarted it")


def pick_flash_drive(serial_number: str | None = None) -> Drive:
    """The MICROBIT drive to flash: the board's own (by USB serial number) or the only one."""
    drives = find_drives()
    if serial_number:
        own = [d for d in drives
               if d.details.get("Unique ID", "").lower() == serial_number.lower()]
        if own:
            return own[0]
    if not drives:
        raise DriveNotFoundError("no MICROBIT drive found to flash through: plug the "
                                 "micro:bit in with a USB data cable (it shows up as a drive "
                                 "called MICROBIT)")
    if len(drives) > 1:
        listing = ", ".join(d.describe() for d in drives)
        raise DriveNotFoundError(f"{len(drives)} micro:bit drives found ({listing}): "
                                 "connect to the board you mean first, or unplug the others")
    return drives[0]


def flash_drive(hex_data: bytes, drive: Drive, progress: Progress,
                wait_s: float = RESTART_WAIT_S) -> Flashed:
    """Copy the hex onto ``drive`` and wait until DAPLink has taken it (the board restarts)."""
    where = drive.describe()
    copy_hex(hex_data, drive.path,
             progress=lambda done, total: progress(done, total, f"copying to {where}"))
    progress(len(hex_data), len(hex_data), "waiting for the micro:bit to restart")
    if wait_for_restart(drive.path, DEFAULT_NAME, wait_s):
        return Flashed("drive", f"flashed {len(hex_data):,} bytes through {where}; "
                                "the board has restarted")
    return Flashed("drive", f"copied {len(hex_data):,} bytes to {where}; the board didn't "
                            "show it restarted: if the program doesn't run, unplug the "
                            "micro:bit, plug it in again and flash again")


def wait_for_restart(folder: Path, name: str, wait_s: float) -> bool:
    """True once DAPLink has taken the hex: the drive went away, or came back without it."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        try:
            if not os.path.exists(folder / name):
                return True  # flashed: the drive remounts empty (or is still away)
        except OSError:
            return True
    return False
