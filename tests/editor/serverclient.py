"""The editor's server in-process for route tests: a project store and a client with the token."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from ubit.editor.projects import ProjectStore
from ubit.editor.server import build_app

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "t0ken-for-tests"


def make_store(tmp_path: Path, files: dict[str, str] | None = None) -> ProjectStore:
    """A library under ``tmp_path`` and an opened folder ``game`` holding a heart program
    (and ``files``: name → text)."""
    opened = tmp_path / "game"
    opened.mkdir()
    (opened / "main.py").write_text("from microbit import *\ndisplay.show(Image.HEART)\n")
    for name, text in (files or {}).items():
        (opened / name).write_text(text)
    return ProjectStore(tmp_path / "library", opened)


def make_client(store: ProjectStore) -> TestClient:
    """A client of the editor's app that sends the session's token."""
    return TestClient(build_app(store, TOKEN, lambda: PORT), base_url=BASE,
                      headers={"X-Ubit-Token": TOKEN})
