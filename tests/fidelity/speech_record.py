"""Record what the real V1 firmware's ``speech`` module does (QEMU), for the speech tests.

Run from the repository root::

    .venv/bin/python -m tests.fidelity.speech_record            # record both files
    .venv/bin/python -m tests.fidelity.speech_record --check    # compare, write nothing

Three programs are built into V1 hexes and booted in ``qemu-system-arm -M microbit``
(about 2 s each):

* ``speech.translate`` of every text in ``TEXTS`` (read from a file on the board, one
  boot for all), each result as ``repr`` or the error line, into
  ``expected/speech_translate.json``; a text that hangs the firmware is recorded as
  such and the texts after it are translated in a new boot;
* how long ``say``/``pronounce``/``sing`` block (``time.ticks_ms``, QEMU's virtual time
  runs at about the real board's speed) for ``TIMED`` calls, the errors of ``ERRORS``,
  and the ``debug=True`` printout of ``DEBUG`` calls, into ``expected/speech_say.json``.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSLATE_FILE = HERE / "expected" / "speech_translate.json"
SAY_FILE = HERE / "expected" / "speech_say.json"
TIMEOUT_S = 120.0
CALLS_PER_BOOT = 8
HANG_TIMEOUT_S = 20.0  # translating every text takes about 2 s
FIRMWARE = "micro:bit MicroPython v1.1.1 (V1) under qemu-system-arm -M microbit"

TEXTS: list[str] = [
    # common words and sentences
    "hello world", "Hello", "hello", "the", "a", "I", "you", "yes", "no", "please",
    "thank you", "goodbye", "good morning", "speech", "computer", "python", "micro:bit",
    "The quick brown fox jumps over the lazy dog", "I am a robot", "how are you",
    "one two three four five", "What is your name", "My name is SAM",
    # numbers
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "42", "64", "100", "1234",
    "3.14", "1st", "2nd", "3rd", "5th", "8th", "10th", "-5", "1,000", "$5", "50%", "007",
    # punctuation
    "Hello, world!", "What?", "Wait... what?", "a-b", "a - b", "it's", "don't",
    '"quoted"', "a & b", "a+b=c", "x<y>z", "@home", "#1", "*star*", "a/b", "a;b:c",
    "(parens)", "[brackets]", "ab{cd", "~tilde", "back\\slash", "under_score", "pipe|pipe",
    "`tick`", "^caret", "end.", "Mr. Smith", "Dr. Who", "Mrs. Jones",
    # capitals
    "HELLO WORLD", "MiXeD CaSe", "NASA", "BBC micro:bit",
    # odd spellings
    "Xylophone", "rhythm", "queue", "psychology", "knight", "gnome", "pneumonia",
    "colonel", "Worcestershire", "supercalifragilistic", "eighth",
    "through though thought tough", "antidisestablishmentarianism", "ok", "txt msg", "zzz",
    "qwerty", "aeiou", "bcdfg", "laugh", "commodore", "atari", "upon", "young",
    # lengths
    "This sentence is exactly eighty characters long, which is the limit for speech.",
    "This sentence is seventy nine characters long and it is just under the limit..",
    "This sentence is eighty one characters long, which is one more than the limit!!",
    "a" * 100,
    # empty, spaces and non-letters
    "", " ", "   ", "\t", "123abc", "!!!", "...", "?!", "\x01\x02", "\x7f",
    "\u00e9", "na\u00efve caf\u00e9", "\u65e5\u672c", "\U0001f600", "\u00db",
    # runaway output (more phonemes than the 128-byte buffer holds)
    "1" * 80, "1 " * 40, "w" * 80, "w " * 40, "9" * 30, "hello " * 13,
    "x" * 60, "0." * 12, "0." * 20, "0." * 26,
]

# (label, call) with the call's source; each prints how many ms it took.
TIMED: list[tuple[str, str]] = [
    ("say hello world", "speech.say('hello world')"),
    ("say hello world speed=36", "speech.say('hello world', speed=36)"),
    ("say hello world speed=144", "speech.say('hello world', speed=144)"),
    ("say hello world speed=255", "speech.say('hello world', speed=255)"),
    ("say hello world speed=0", "speech.say('hello world', speed=0)"),
    ("say hello world pitch=20", "speech.say('hello world', pitch=20)"),
    ("say hello world pitch=200", "speech.say('hello world', pitch=200)"),
    ("say hello world mouth=200 throat=50", "speech.say('hello world', mouth=200, throat=50)"),
    ("pronounce AA", "speech.pronounce('AA')"),
    ("pronounce AAAAAAAAAAAAAAAAAAAA", "speech.pronounce('AAAAAAAAAAAAAAAAAAAA')"),
    ("pronounce AAAAAAAAAAAAAAAAAAAA speed=36", "speech.pronounce('AA' * 10, speed=36)"),
    ("pronounce S", "speech.pronounce('S')"),
    ("pronounce SSSSSSSSSS", "speech.pronounce('SSSSSSSSSS')"),
    ("pronounce SSSSSSSSSS speed=36", "speech.pronounce('SSSSSSSSSS', speed=36)"),
    ("pronounce YEHS", "speech.pronounce('YEHS')"),
    ("pronounce ZZZZZZZZZZ", "speech.pronounce('ZZZZZZZZZZ')"),
    ("pronounce empty", "speech.pronounce('')"),
    ("say yes", "speech.say('yes')"),
    ("say long", "speech.say('The quick brown fox jumps over the lazy dog, and the cat sat on')"),
    ("say question", "speech.say('how are you?')"),
    ("sing scale", "speech.sing('#115DOWWWWWW #103REYYYYYY #94MIYYYYYY #88FAOAOAOAOR')"),
    ("sing one note", "speech.sing('#70AAAAAAAAAAAAAAAAAAAA')"),
    ("pronounce with pitch mark", "speech.pronounce('#70AAAAAAAAAAAAAAAAAAAA')"),
    ("say three groups", "speech.say('Hello, how are you? I am fine.')"),
    ("say one two three", "speech.say('one, two, three, four')"),
    ("say then say", "speech.say('yes'); speech.say('no')"),
]

# (label, call): the error (or "ok") each raises.
ERRORS: list[tuple[str, str]] = [
    ("pronounce bad phoneme", "speech.pronounce('XYZ')"),
    ("pronounce lowercase", "speech.pronounce('aa')"),
    ("pronounce pitch 256", "speech.pronounce('#256AA')"),
    ("pronounce pitch 255", "speech.pronounce('#255AA')"),
    ("pronounce pitch no digits", "speech.pronounce('#AA')"),
    ("pronounce pitch at end", "speech.pronounce('AA#')"),
    ("pronounce leading stress", "speech.pronounce('5AA')"),
    ("pronounce star", "speech.pronounce('*')"),
    ("pronounce too long", "speech.pronounce('AA' * 130)"),
    ("pronounce 127 phonemes", "speech.pronounce('AX' * 127)"),
    ("pronounce 128 phonemes", "speech.pronounce('AX' * 128)"),
    ("pronounce bytes", "speech.pronounce(b'AA')"),
    ("translate bytes", "print(repr(speech.translate(b'hello')))"),
    ("translate int", "speech.translate(123)"),
    ("translate no argument", "speech.translate()"),
    ("pronounce int", "speech.pronounce(123)"),
    ("say no argument", "speech.say()"),
    ("say positional option", "speech.say('hi', 72)"),
    ("say mode on V1", "speech.say('hi', mode=1)"),
    ("say pin on V1", "speech.say('hi', pin=None)"),
    ("say volume on V1", "speech.say('hi', volume=4)"),
    ("say unknown keyword", "speech.say('hi', loud=1)"),
    ("say speed str", "speech.say('hi', speed='x')"),
    ("say speed float", "speech.say('hi', speed=1.5)"),
    ("say speed 300", "speech.say('hi', speed=300)"),
    ("say pitch -1", "speech.say('hi', pitch=-1)"),
    ("say text too long", "speech.say('a' * 81)"),
    ("sing bad pitch", "speech.sing('#999AA')"),
    ("pin modes after say", "pin1.write_digital(1); pin2.read_digital(); speech.say('a'); "
     "raise ValueError(pin0.get_mode() + ' ' + pin1.get_mode() + ' ' + pin2.get_mode())"),
    ("say after music", "music.play('c:1'); speech.say('a'); raise ValueError(pin0.get_mode())"),
    ("translate keyword", "speech.translate(words='a')"),
    ("translate two arguments", "speech.translate('a', 'b')"),
    ("say bytes", "speech.say(b'hello')"),
    ("sing no pitch", "speech.sing('AA')"),
]

# (label, call) printed with debug=True.
DEBUG: list[tuple[str, str]] = [
    ("pronounce AA", "speech.pronounce('AA', debug=True)"),
    ("say hello world", "speech.say('hello world', debug=True)"),
    ("say question", "speech.say('is it?', debug=True)"),
    ("sing", "speech.sing('#115DOWWW #94MIY', debug=True)"),
    ("stress and plosives", "speech.pronounce('KAE4T STAA5P DRAY TREY', debug=True)"),
]

TRANSLATE_PROGRAM = r"""
import speech
f = open('texts.txt')
i = 0
while True:
    line = f.readline()
    if not line:
        break
    text = line[:-1]
    try:
        print('%d\t%r' % (i, speech.translate(text)))
    except ValueError as e:
        print('%d\t!ValueError: %s' % (i, e))
    except TypeError as e:
        print('%d\t!TypeError: %s' % (i, e))
    i += 1
"""


def calls_program(kind: str, calls: list[tuple[str, str]], first: int) -> str:
    """A program running ``calls`` (numbered from ``first``): timed (T), errors (E), debug (D)."""
    lines = ["import speech, music, time", "from microbit import *"]
    for i, (_, call) in enumerate(calls, first):
        if kind == "T":
            lines += ["t = time.ticks_ms()", call,
                      f"print('T{i}\\t%d' % time.ticks_diff(time.ticks_ms(), t))"]
        elif kind == "E":
            lines += ["try:", f"    {call}", f"    print('E{i}\\tok')"]
            for error in ("ValueError", "TypeError"):
                lines += [f"except {error} as e:", f"    print('E{i}\\t{error}: %s' % e)"]
        else:
            lines += [f"print('D{i}<')", call, f"print('>D{i}')"]
    return "\n".join(lines) + "\n"


def _run_calls(kind: str, calls: list[tuple[str, str]]) -> str:
    """The output of ``calls``, a few per boot (the V1 compiles main.py in its 10 KB heap)."""
    return "".join(_run({"main.py": calls_program(kind, calls[i:i + CALLS_PER_BOOT], i).encode()})
                   for i in range(0, len(calls), CALLS_PER_BOOT))


def _run(files: dict[str, bytes], timeout: float = TIMEOUT_S) -> str:
    """What the firmware prints running ``files``; a hang ends in ``SerialTimeout``."""
    from ubit.device.qemu import run_hex
    from ubit.hexfile import SourceFile
    from ubit.project import build_hex

    hex_text, _ = build_hex([SourceFile(name, data) for name, data in files.items()],
                            target="v1")
    return run_hex(hex_text, timeout=timeout)


def _translate_from(start: int) -> tuple[dict[int, dict], bool]:
    """Translations of ``TEXTS[start:]`` in one boot; True if the last one asked hung."""
    from ubit.device.qemu import SerialTimeout

    texts = "".join(text + "\n" for text in TEXTS[start:]).encode("utf-8")
    files = {"main.py": TRANSLATE_PROGRAM.encode(), "texts.txt": texts}
    try:
        output, hung = _run(files, HANG_TIMEOUT_S), False
    except SerialTimeout as exc:
        output = exc.output.removeprefix(b"\x00").decode("utf-8", "replace")
        output, hung = output.replace("\r\n", "\n").rpartition("\n")[0], True
    results: dict[int, dict] = {}
    for line in output.splitlines():
        index, _, value = line.partition("\t")
        if value.startswith("!"):
            results[start + int(index)] = {"error": value[1:]}
        else:
            results[start + int(index)] = {"result": ast.literal_eval(value)}
    return results, hung


def record_translate() -> dict:
    """``speech.translate`` of every text on the firmware (a text that hangs it: "hangs")."""
    for text in TEXTS:
        assert "\n" not in text, text
    results: dict[int, dict] = {}
    while len(results) < len(TEXTS):
        found, hung = _translate_from(len(results))
        results.update(found)
        if hung:
            results[len(results)] = {"hangs": True}
        elif len(results) < len(TEXTS):
            raise RuntimeError(f"the firmware answered {len(results)} of {len(TEXTS)}")
    return {"firmware": FIRMWARE,
            "items": [{"text": text, **results[i]} for i, text in enumerate(TEXTS)]}


def record_say() -> dict:
    """Blocking times, errors and debug printouts of the speaking functions on the firmware."""
    output = "".join(_run_calls(kind, calls)
                     for kind, calls in (("T", TIMED), ("E", ERRORS), ("D", DEBUG)))
    found: dict[str, str] = {}
    for line in output.splitlines():
        key, tab, value = line.partition("\t")
        if tab and key[:1] in "TE" and key[1:].isdigit():
            found[key] = value
    debug = {}
    for i, (label, call) in enumerate(DEBUG):
        start, end = output.index(f"D{i}<\n") + len(f"D{i}<\n"), output.index(f">D{i}\n")
        debug[label] = {"call": call, "output": output[start:end]}
    return {
        "firmware": FIRMWARE,
        "timed_ms": [{"label": label, "call": call, "ms": int(found[f"T{i}"])}
                     for i, (label, call) in enumerate(TIMED)],
        "errors": [{"label": label, "call": call, "result": found[f"E{i}"]}
                   for i, (label, call) in enumerate(ERRORS)],
        "debug": debug,
    }


def _write(path: Path, data: dict, check: bool) -> bool:
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        print(f"{path.name}: {'same' if old == text else 'DIFFERENT'}")
        return old == text
    path.write_text(text, encoding="utf-8")
    print(f"{path.name}: {'unchanged' if old == text else 'recorded'}")
    return True


def main(argv: list[str] | None = None) -> int:
    """Record (or with --check compare) both expected files."""
    from ubit.device.qemu import find_qemu

    parser = argparse.ArgumentParser(prog="python -m tests.fidelity.speech_record",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    if find_qemu() is None:
        print("qemu-system-arm not found (apt-get install qemu-system-arm)", file=sys.stderr)
        return 2
    ok = _write(TRANSLATE_FILE, record_translate(), args.check)
    ok = _write(SAY_FILE, record_say(), args.check) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
