"""Sound on the virtual board: how fast music renders, and how soon play() makes sound."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import RUNS, tool

ALL_TUNES = """import music
for name in ('DADADADUM', 'ENTERTAINER', 'PRELUDE', 'ODE', 'NYAN', 'RINGTONE', 'FUNK',
             'BLUES', 'BIRTHDAY', 'WEDDING', 'FUNERAL', 'PUNCHLINE', 'PYTHON', 'BADDY',
             'CHASE', 'BA_DING', 'WAWAWAWAA', 'JUMP_UP', 'JUMP_DOWN', 'POWER_UP', 'POWER_DOWN'):
    music.play(getattr(music, name))
"""
ONE_NOTE = "import music\nprint('go')\nmusic.play('c4:4')\n"
SPEECH = """import speech
for speed in (72, 120, 50, 100):
    for text in ('Hello world, I am a micro bit.', 'The quick brown fox jumps over the lazy dog.',
                 'Speech synthesis is fun. Is it not?', 'One two three four five six seven eight'):
        speech.say(text, speed=speed)
    speech.sing('#115DOWWWWWW #103REYYYYYY #94MIYYYYYY #88FAOAOAOAOR #78SOHWWWWW #70LAOAOAOAO',
                speed=speed)
"""


def play_latency() -> float:
    """Seconds from the program's `print` just before play() to the first sound event."""
    from ubit.sim.host.start import BoardOptions, start_board

    heard: list[float] = []
    board = start_board(BoardOptions(files={"main.py": ONE_NOTE.encode()}, clock="real"),
                        [lambda m: heard.append(time.perf_counter())
                         if m["kind"] == "audio" and m["event"].get("freq") else None])
    try:
        data = b""
        while b"go" not in data:
            data += board.read_serial(timeout=5)
        said = time.perf_counter()
        deadline = said + 5
        while not heard and time.perf_counter() < deadline:
            time.sleep(0.0005)
        return (heard[0] if heard else deadline) - said
    finally:
        board.close()


def render_speed(work: Path, name: str, program: str) -> tuple[float, float]:
    """Seconds of audio ``program`` makes and the median wall seconds of rendering it to a WAV."""
    from ubit.sim.shared.sound.wav import read_wav

    (work / f"{name}.py").write_text(program)
    walls = []
    for _ in range(max(1, RUNS // 2)):
        start = time.perf_counter()
        subprocess.run([tool("ubit"), "run", "--headless", str(work / f"{name}.py"),
                        "--audio", str(work / f"{name}.wav")], check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    rate, samples = read_wav(work / f"{name}.wav")
    return len(samples) / rate, statistics.median(walls)


def speech_speed(work: Path) -> None:
    """Print how fast speech renders through `ubit run --headless --audio` (V2, SAM)."""
    seconds, wall = render_speed(work, "speech", SPEECH)
    print("\nSpeech: 4 sentences said and a scale sung at 4 speeds, rendered to a WAV "
          "(`ubit run --headless --audio`)")
    print(f"  {seconds:.1f} s of audio in {wall:.2f} s of wall time, whole process = "
          f"{seconds / wall:.0f}x real time (target >= 50x: "
          f"{'met' if seconds / wall >= 50 else 'NOT met'})")
    from ubit.sim.shared.sound import sam

    text = sam.translate("The quick brown fox jumps over the lazy dog, and the cat sat on")
    start = time.perf_counter()
    for _ in range(5):
        pcm, rate = sam.synthesize(text).v2_samples()
    synth = (time.perf_counter() - start) / 5
    print(f"  SAM alone (ubit.sim.shared.sound.sam, CPython): {len(pcm) / rate:.1f} s of speech in "
          f"{synth * 1000:.0f} ms = {len(pcm) / rate / synth:.0f}x real time")


def main() -> None:
    """Print render speed (audio seconds per wall second) and play() latency."""
    work = Path(tempfile.mkdtemp(prefix="ubit-soundbench-"))
    try:
        (work / "tunes.py").write_text(ALL_TUNES)
        from ubit.sim.shared.sound.wav import read_wav

        walls = []
        for _ in range(max(1, RUNS // 2)):
            start = time.perf_counter()
            subprocess.run([tool("ubit"), "run", "--headless", str(work / "tunes.py"),
                            "--audio", str(work / "tunes.wav")], check=True,
                           capture_output=True)
            walls.append(time.perf_counter() - start)
        rate, samples = read_wav(work / "tunes.wav")
        seconds = len(samples) / rate
        wall = statistics.median(walls)
        print("\nMusic: all 21 built-in tunes rendered to a WAV (`ubit run --headless --audio`)")
        print(f"  {seconds:.1f} s of audio in {wall:.2f} s of wall time, whole process = "
              f"{seconds / wall:.0f}x real time (target >= 50x: "
              f"{'met' if seconds / wall >= 50 else 'NOT met'})")
        latency = statistics.median(play_latency() for _ in range(RUNS))
        print(f"  latency from music.play() to its first sound event: {latency * 1000:.1f} ms")
        speech_speed(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
