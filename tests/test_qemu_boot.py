"""Hexes built by ``ubit hex build`` run on the real micro:bit V1 MicroPython firmware (QEMU).

Each test builds with the command line, as a user would, boots the hex under
``qemu-system-arm -M microbit`` and compares what main.py printed, exactly. The
outputs are the firmware's, not CPython's: floats print with 6 significant digits
and tracebacks name ``__main__``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from universal_hex import IndividualHex, create_uhex

from ubit.device.qemu import (
    PROMPT,
    QemuBoard,
    SerialTimeout,
    find_qemu,
    program_output,
    qemu_ready_hex,
    run_hex,
)
from ubit.errors import DeviceError
from ubit.hexfile import decode

ROOT = Path(__file__).resolve().parent.parent
requires_qemu = pytest.mark.skipif(
    find_qemu() is None,
    reason="qemu-system-arm is not installed (apt-get install qemu-system-arm; `make apt` as root)",
)

# The official V1 runtime's filesystem region (DeviceInfo fs_start_address..fs_end_address).
V1_FS_START, V1_FS_END = 0x38800, 0x40000

PROGRAM = 'print("hello from main.py")\nprint(6 * 7)\nprint(1 / 3)\nprint(2 ** 0.5, "ab" * 3)\n'
PROGRAM_OUTPUT = "hello from main.py\n42\n0.333333\n1.41421 ababab\n"  # CPython: 0.3333333333333333


def build(tmp_path: Path, files: dict[str, str], *options: str) -> str:
    """Write ``files`` into ``tmp_path``, run ``ubit hex build`` on them, return the hex text."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                                   os.environ.get("PYTHONPATH")])))
    proc = subprocess.run(
        [sys.executable, "-m", "ubit", "hex", "build", *files, "-o", "out.hex", *options],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return (tmp_path / "out.hex").read_text()


@pytest.mark.qemu
@requires_qemu
def test_v1_hex_prints_exactly(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": PROGRAM}, "--target", "v1")
    assert not decode(text).is_universal
    assert run_hex(text) == PROGRAM_OUTPUT


@pytest.mark.qemu
@requires_qemu
def test_program_in_two_files(tmp_path: Path) -> None:
    files = {
        "main.py": "import helper\nimport os\nprint(helper.greet('micro:bit'))\n"
                   "print(sorted(os.listdir()))\n",
        "helper.py": "def greet(name):\n    return 'hello, ' + name + ' from ' + __name__\n",
    }
    text = build(tmp_path, files, "--target", "v1")
    assert run_hex(text) == "hello, micro:bit from helper\n['helper.py', 'main.py']\n"


@pytest.mark.qemu
@requires_qemu
def test_an_empty_project_file_is_an_empty_file_on_the_firmware(tmp_path: Path) -> None:
    # micropython-microbit-fs won't lay out an empty file; ubit writes its one chunk, which
    # the firmware reads (and rewrites) as a file it made itself
    files = {"main.py": "import os\nprint(sorted(os.listdir()), os.size('scores.txt'), "
                        "repr(open('scores.txt').read()))\n"
                        "with open('scores.txt', 'w') as f:\n    f.write('7')\n"
                        "print(repr(open('scores.txt').read()))\n",
             "scores.txt": ""}
    text = build(tmp_path, files, "--target", "v1")
    assert run_hex(text) == "['main.py', 'scores.txt'] 0 ''\n'7'\n"


@pytest.mark.qemu
@requires_qemu
def test_v1_half_of_universal_hex(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": PROGRAM})  # the default target: universal
    assert decode(text).is_universal
    assert run_hex(text) == PROGRAM_OUTPUT


@pytest.mark.qemu
@requires_qemu
def test_uncaught_exception_prints_firmware_traceback(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": "print('before')\ny = 1\nprint(x)\nprint('after')\n"},
                 "--target", "v1")
    # After the traceback the firmware scrolls the error for ~28 s of virtual time: 1-4 s here.
    assert run_hex(text, timeout=60) == (
        "before\n"
        "Traceback (most recent call last):\n"
        '  File "__main__", line 3, in <module>\n'
        "NameError: name 'x' is not defined\n"
    )


@pytest.mark.qemu
@requires_qemu
def test_raw_serial_bytes_and_paced_input(tmp_path: Path) -> None:
    """The boot's exact bytes (leading NUL, CRLF, banner right after the output), then the REPL."""
    text = build(tmp_path, {"main.py": "print('a', end='')\nprint(6 * 7)\n"}, "--target", "v1")
    with QemuBoard(text) as board:
        raw = board.read_until(PROMPT, 10)
        assert raw.startswith(b"\x00a42\r\nMicroPython v1.9.2-")
        assert raw.endswith(b" with nRF51822\r\n" + PROMPT)
        assert program_output(raw) == "a42\n"
        # 300 characters in one line: sent unpaced, the firmware would lose most of them.
        board.write(b"print(len('" + b"z" * 300 + b"'))\r")
        assert board.read_until(b">>> ", 10).endswith(b"'))\r\n300\r\n>>> ")


@pytest.mark.qemu
@requires_qemu
def test_serial_on_a_pseudo_terminal(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": "print('ready')\n"}, "--target", "v1")
    with QemuBoard(text, serial="pty") as board:
        assert board.pty_path is not None and Path(board.pty_path).exists()
        board.write(b"print(6 * 7)\r")
        board.read_until(b"print(6 * 7)\r\n42\r\n>>> ", 10)  # the echo, then the answer


@pytest.mark.qemu
@requires_qemu
def test_filesystem_region_reads_erased(tmp_path: Path) -> None:
    """Unwritten filesystem flash reads 0xFF as on a flashed chip (QEMU alone gives 0x00)."""
    probe = "import machine\nprint([machine.mem8[a] for a in (0x3a000, 0x3ffff)])\n"
    assert run_hex(build(tmp_path, {"main.py": probe}, "--target", "v1")) == "[255, 255]\n"


@pytest.mark.qemu
@requires_qemu
def test_a_program_that_never_ends_times_out(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": "print('started')\nwhile True:\n    pass\n"},
                 "--target", "v1")
    with pytest.raises(SerialTimeout) as caught:
        run_hex(text, timeout=1)
    assert caught.value.output == b"\x00started\r\n"
    assert isinstance(caught.value, DeviceError)


def test_qemu_ready_hex_fills_only_the_filesystem(tmp_path: Path) -> None:
    text = build(tmp_path, {"main.py": PROGRAM}, "--target", "v1")
    before, after = decode(text).images[None], decode(qemu_ready_hex(text)).images[None]
    region = range(V1_FS_START, V1_FS_END)
    unwritten = [a for a in region if not before.has_data(a, 1)]
    assert 0 < len(unwritten) < len(region)  # main.py is in the region, and free space
    assert all(after.has_data(a, 1) for a in region)
    # FlashImage.read gives 0xFF for unwritten bytes: the fill is 0xFF and the files stay.
    assert after.read(V1_FS_START, len(region)) == before.read(V1_FS_START, len(region))
    assert after.size == before.size + len(unwritten)  # and nothing outside the region


def test_hexes_without_a_v1_part_are_refused(tmp_path: Path) -> None:
    v2 = build(tmp_path, {"main.py": PROGRAM}, "--target", "v2")
    with pytest.raises(DeviceError, match="V2 hex; QEMU can only run the micro:bit V1"):
        qemu_ready_hex(v2)
    v2_only_universal = create_uhex([IndividualHex(v2, 0x9903)])
    with pytest.raises(DeviceError, match=r"no V1 part \(board ids 0x9903\)"):
        qemu_ready_hex(v2_only_universal)
