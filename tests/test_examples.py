"""The programs in examples/ run as their comments say (the README points people at them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def ubit_run(*args: str) -> subprocess.CompletedProcess[str]:
    """``ubit run ARGS --headless`` on the examples."""
    return subprocess.run([sys.executable, "-m", "ubit", "run", *args, "--headless"],
                          capture_output=True, text=True, timeout=60, cwd=EXAMPLES)


def test_hello() -> None:
    result = ubit_run("hello.py")
    assert result.returncode == 0 and result.stdout == "Hello from the micro:bit\n"


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_sounds_records_music_speech_and_effects(board: str, tmp_path: Path) -> None:
    from ubit.sim.shared.sound.wav import read_wav

    result = ubit_run("sounds.py", "--board", board, "--audio", str(tmp_path / "out.wav"))
    assert result.returncode == 0 and result.stdout == "done\n", result.stderr
    rate, samples = read_wav(tmp_path / "out.wav")
    # BA_DING (~0.5 s), the spoken sentence and the sung notes, and on V2 a 0.5 s sweep
    assert len(samples) / rate > 3.5 and max(samples) > 5000


def test_radio_pair_heart_on_button_a(tmp_path: Path) -> None:
    (tmp_path / "taps.txt").write_text("500 press A\n600 release A\n")
    result = ubit_run("radio_send.py", "radio_recv.py", "--time", "2",
                      "--inputs", str(tmp_path / "taps.txt"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "radio_send.py: sent heart\nradio_recv.py: got heart at -40 dBm\n"
