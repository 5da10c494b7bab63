"""The editor in a real browser: ``ubit editor`` started as a user would, and Debian's chromium
driven by Playwright (its own browser download isn't reachable here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ubitcli import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STATIC = ROOT / "ubit" / "editor" / "static" / "app.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--autoplay-policy=no-user-gesture-required"]

needs_browser = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and STATIC.exists()),
    reason="needs Debian's chromium (make test installs it) and the built page (make)")


class Editor:
    """A running ``ubit editor`` and the address it printed."""

    def __init__(self, projects: Path, folder: Path | None) -> None:
        argv = [sys.executable, "-m", "ubit", "editor", "--no-browser", "--projects",
                str(projects)]
        if folder is not None:
            argv.append(str(folder))
        self.proc = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[^#\s]+)(#\S*)?", line)
        assert found, line + (self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.url = found.group(1)
        self.project_url = self.url + (found.group(2) or "")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[Editor]:
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "main.py").write_text("from microbit import *\ndisplay.show(Image.HEART)\n")
    running = Editor(tmp_path / "library", folder)
    yield running
    running.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def wait_open(page: object) -> None:
    """Wait until the page has opened its project: the code shown and the page's parts
    (``window.ubit``) there, so a test never reads a workspace still loading its files."""
    page.wait_for_selector(".cm-content")  # type: ignore[attr-defined]
    page.wait_for_function("() => window.ubit && window.ubit.workspace")  # type: ignore[attr-defined]
