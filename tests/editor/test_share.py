"""Share links: the whole project in the link's fragment (#share=…), opened in another browser
(a fresh context: nothing shared with the page that made the link) through the receiver's
own editor, and refused in one line when damaged."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.editor.browser import Editor, needs_browser, wait_open

FILES = {
    "main.py": b"from microbit import *\nimport words\ndisplay.scroll(words.GREETING)\n",
    "words.py": "# Grüße aus Köln ☃\nGREETING = 'héllo, 世界 🎉'\n".encode(),
}


def encode(name: str, files: dict[str, bytes], version: object = 1) -> str:
    """The #share= data as the format documents it (made here, not by the page)."""
    text = json.dumps({"v": version, "name": name,
                       "files": {n: base64.b64encode(b).decode() for n, b in files.items()}})
    return pack(text.encode())


def pack(raw: bytes) -> str:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, like deflate-raw
    packed = squeeze.compress(raw) + squeeze.flush()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(data: str) -> dict:
    """The JSON a link's data holds (read here, not by the page)."""
    packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return json.loads(zlib.decompress(packed, -15))


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def watch_console(page) -> list[str]:
    """Errors the page logs or throws (a damaged link must cause none)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def make_project(tmp_path: Path) -> Path:
    folder = tmp_path / "library" / "Pong"
    folder.mkdir(parents=True)
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    return folder


def one_line_trouble(page) -> str:
    page.wait_for_selector(".status.trouble")
    text = page.inner_text(".status")
    assert text and "\n" not in text, text
    return text


@needs_browser
def test_a_share_link_opened_in_another_browser_imports_the_project_byte_for_byte(
        editor: Editor, browser, page, tmp_path: Path) -> None:
    original = make_project(tmp_path)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(editor.url))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    errors = watch_console(page)
    page.goto(editor.url + "#project=Pong")
    wait_open(page)
    # an edit not saved yet when Share is pressed: the link holds it all the same
    page.click(".cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("# ça va\n")
    page.click("button.share")
    page.wait_for_selector("dialog.share-dialog")
    link = page.input_value("dialog.share-dialog .share-link")
    assert page.get_attribute(".share-link", "readonly") is not None
    # the page's own address without its token (the token is this session's alone)
    assert link.startswith(origin + "/#share=") and "token" not in link
    data = link.split("#share=", 1)[1]
    on_disk = files_of(original)
    assert on_disk["main.py"].endswith("# ça va\n".encode())
    shared = decode(data)
    assert shared["v"] == 1 and shared["name"] == "Pong"
    assert {n: base64.b64decode(b) for n, b in shared["files"].items()} == on_disk
    # a QR code drawn right here (no network)
    qr = page.locator(".share-qr svg")
    assert int(qr.get_attribute("data-modules")) >= 21
    assert page.get_attribute(".share-qr svg path", "d").startswith("M")
    assert page.locator(".share-qr-too-long").count() == 0
    # Copy puts the link on the clipboard; Escape closes the panel, focus back on Share
    page.click(".share-copy")
    page.wait_for_function("() => document.querySelector('.share-note').textContent")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.share-dialog", state="detached")
    assert page.evaluate("() => document.activeElement.className") == "share"

    # someone else's browser: their own editor's page (its token) with the link's fragment
    other = browser.new_context()
    try:
        there = other.new_page()
        there_errors = watch_console(there)
        there.goto(editor.url + "#share=" + data)
        there.wait_for_selector("dialog.share-preview")
        assert there.inner_text(".share-preview .share-name") == "Pong"
        listed = {there.inner_text(f'.share-files li[data-file="{name}"] .share-file'):
                  there.inner_text(f'.share-files li[data-file="{name}"] .share-size')
                  for name in on_disk}
        assert listed == {name: f"{len(data):,} bytes" for name, data in on_disk.items()}
        assert there.evaluate("() => document.activeElement.className") == "share-import"
        there.click("text=Import as a new project")
        wait_open(there)
        assert there.evaluate("() => location.hash") == "#project=Pong%202"
        assert "imported" in there.inner_text(".status")
        assert files_of(tmp_path / "library" / "Pong 2") == on_disk  # byte for byte
        assert there_errors == []
    finally:
        other.close()
    # the link as it is, in the browser where this session's editor runs (its token cookie)
    page.goto(link)
    page.wait_for_selector("dialog.share-preview")
    page.click(".share-cancel")
    page.wait_for_selector("dialog", state="detached")
    assert page.evaluate("() => location.href") == origin + "/"
    assert sorted(p.name for p in (tmp_path / "library").iterdir()) == ["Pong", "Pong 2"]
    assert errors == []


def open_share_panel(page, editor: Editor, project: str) -> str:
    """The link the Share panel of ``project`` shows."""
    page.goto(editor.url + "#project=" + project)
    wait_open(page)
    page.click("button.share")
    page.wait_for_selector("dialog.share-dialog")
    return page.input_value(".share-link")


@needs_browser
def test_a_link_too_long_for_a_qr_code_is_said_so_and_still_shown(editor: Editor, page,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "library" / "Big"
    folder.mkdir(parents=True)
    (folder / "main.py").write_bytes(os.urandom(3000).hex().encode())  # packs badly
    link = open_share_panel(page, editor, "Big")
    assert len(link) > 2953
    assert page.locator(".share-qr svg").count() == 0
    assert "too long for a QR code" in page.inner_text(".share-qr-too-long")
    assert {n: base64.b64decode(b) for n, b in
            decode(link.split("#share=")[1])["files"].items()} == files_of(folder)


@needs_browser
@pytest.mark.skipif(not shutil.which("zbarimg"), reason="needs zbarimg (apt install zbar-tools)")
def test_the_qr_code_reads_back_as_the_link(editor: Editor, page, tmp_path: Path) -> None:
    folder = tmp_path / "library" / "Mid"
    folder.mkdir(parents=True)
    (folder / "main.py").write_bytes(os.urandom(600).hex().encode())  # a QR of over 100 modules
    link = open_share_panel(page, editor, "Mid")
    assert int(page.get_attribute(".share-qr svg", "data-modules")) > 100
    picture = tmp_path / "qr.png"
    page.locator(".share-qr svg").screenshot(path=str(picture))  # as big as the panel shows it
    read = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True,
                          text=True, timeout=60)
    assert read.stdout.strip() == link


@needs_browser
def test_the_format_round_trips_any_bytes(editor: Editor, page) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    files = {"all bytes.bin": bytes(range(256)) * 3, "empty.py": b"",
             "é.py": "π ≈ 3.14159 🥧\r\n\x00".encode(), "noise.bin": os.urandom(200_000)}
    for size in (1, 2, 3, 4, 5):
        files[f"{size}.bin"] = os.urandom(size)
    result = page.evaluate("""async ([name, given]) => {
        const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const b64 = (data) => { let s = ""; for (const b of data) s += String.fromCharCode(b);
                                return btoa(s); };
        const share = window.ubit.share;
        const data = await share.encode({ name, files: new Map(Object.entries(given).map(
            ([n, b]) => [n, bytes(b)])) });
        const back = await share.decode(data);
        return { data, name: back.name, files: Object.fromEntries([...back.files].map(
            ([n, b]) => [n, b64(b)])) };
    }""", ["Ünïcode ☃ project", {n: base64.b64encode(b).decode() for n, b in files.items()}])
    assert result["name"] == "Ünïcode ☃ project"
    assert {n: base64.b64decode(b) for n, b in result["files"].items()} == files
    # the data is exactly the documented format, and what Python makes the page reads
    assert set(result["data"]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_")
    assert {n: base64.b64decode(b) for n, b in decode(result["data"])["files"].items()} == files
    assert decode(result["data"])["v"] == 1
    mine = page.evaluate("async (data) => [...(await window.ubit.share.decode(data)).files.keys()]",
                         encode("p", files))
    assert sorted(mine) == sorted(files)


@needs_browser
def test_damaged_links_are_refused_in_one_line_and_create_nothing(editor: Editor, browser,
                                                                  tmp_path: Path) -> None:
    make_project(tmp_path)
    good = encode("Pong", FILES)
    damaged = {
        "cut short": good[:-12],
        "a character that isn't base64url": good[:20] + "!" + good[21:],
        "not deflate": base64.urlsafe_b64encode(b"\xff" * 40).decode().rstrip("="),
        "not JSON": pack(b"hello, not JSON"),
        "not an object": pack(b"[1, 2]"),
        "a newer version": encode("Pong", FILES, version=2),
        "no version": encode("Pong", FILES, version=None),
        "a file not base64": pack(json.dumps({"v": 1, "name": "x",
                                              "files": {"main.py": "@@"}}).encode()),
        "no files": encode("Pong", {}),
        "no name": encode("", FILES),
        "nothing": "",
        "a bomb": pack(bytes(40 * 1024 * 1024)),
    }
    before = sorted(p.name for p in (tmp_path / "library").iterdir())
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = watch_console(page)
        page.goto(editor.url)
        page.wait_for_selector(".open-share")
        messages = {}
        for why, data in damaged.items():
            page.evaluate("() => { const s = document.querySelector('.status');"
                          " s.textContent = ''; s.className = 'status'; }")
            page.goto(editor.url + "#share=" + data)
            messages[why] = one_line_trouble(page)
            assert page.locator("dialog").count() == 0, why
            assert page.evaluate("() => location.hash") == "", why
        assert "newer ubit" in messages["a newer version"]
        assert all("share link" in m for m in messages.values()), messages
        assert errors == []
    finally:
        context.close()
    assert sorted(p.name for p in (tmp_path / "library").iterdir()) == before


@needs_browser
def test_open_a_share_link_made_on_another_computer(editor: Editor, page, tmp_path: Path) -> None:
    errors = watch_console(page)
    # made by another computer's editor: another port, and no token
    link = "http://127.0.0.1:49999/#share=" + encode("Pong", FILES)
    page.goto(editor.url)
    page.click(".open-share")
    page.wait_for_selector("dialog.share-open-dialog")
    assert page.evaluate("() => document.activeElement.className") == "share-paste"
    page.keyboard.type("hello there")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.share-error').textContent")
    assert "isn't a share link" in page.inner_text(".share-error")
    page.fill(".share-paste", link[:-9])  # cut short when copied
    page.click(".share-open")
    page.wait_for_function("() => document.querySelector('.share-error').textContent"
                           ".includes('damaged')")
    # Cancel at the preview: nothing is made
    page.fill(".share-paste", "  " + link + "\n")
    page.click(".share-open")
    page.wait_for_selector("dialog.share-preview")
    assert page.inner_text(".share-preview .share-name") == "Pong"
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog", state="detached")
    assert not (tmp_path / "library").exists() or not any((tmp_path / "library").iterdir())
    assert page.evaluate("() => location.hash") == ""
    # the fragment alone, pasted, and imported
    page.click(".open-share")
    page.fill(".share-paste", "#share=" + link.split("#share=")[1])
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.share-preview")
    page.click(".share-import")
    wait_open(page)
    assert page.evaluate("() => location.hash") == "#project=Pong"
    assert files_of(tmp_path / "library" / "Pong") == FILES
    assert page.inner_text(".files li button.open") == "main.py"
    assert errors == []
