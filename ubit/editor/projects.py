"""Projects that last: each a folder of files on disk, as the micro:bit's flat filesystem has them.

The library is a folder of projects (``default_library()``, under the user's data
folder); ``ubit editor FOLDER`` also opens FOLDER itself as a project. Every change is
written at once and atomically, so reloading the page or restarting the server loses
nothing; a deleted project goes to the library's ``.trash`` folder, not away.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ubit.errors import UbitError, UsageError, printable
from ubit.fileio import atomic_write, host_name_problem, read_input_bytes
from ubit.hexfile.fslayout import MAX_NAME

OPENED = "_opened"  # the id of the folder given on the command line
MAX_FILE = 1024 * 1024  # bigger than any micro:bit filesystem
MAX_PROJECT_NAME = 80
TRASH = ".trash"
NEW_PROGRAM = """\
# A program for the micro:bit: press Play to run it on the board beside you.
from microbit import *

while True:
    display.scroll('Hello, World!')
    display.show(Image.HEART)
    sleep(2000)
"""


class ProjectError(UbitError):
    """A project or file operation that can't be done (the message says why)."""


def default_library() -> Path:
    """Where the user's projects live: ``$XDG_DATA_HOME/ubit/projects`` (or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"),
                                                           ".local", "share")
    return Path(base) / "ubit" / "projects"


def check_file_name(name: str) -> str:
    """``name`` if it can be a file of a project and of the board; ``UsageError`` if not."""
    why = host_name_problem(name)
    if why is None and name.startswith("."):
        why = "a name starting with '.' is hidden on this computer"
    if why is None and len(name.encode("utf-8", "surrogateescape")) > MAX_NAME:
        why = f"the micro:bit allows names of at most {MAX_NAME} bytes"
    if why:
        raise UsageError(f"{printable(name)!r}: {why}")
    return name


def check_project_name(name: str) -> str:
    """``name`` if it can name a project folder in the library; ``UsageError`` if not."""
    why = host_name_problem(name)
    if why is None and name.startswith((".", "_")):
        why = "a project's name can't start with '.' or '_'"
    if why is None and not 0 < len(name) <= MAX_PROJECT_NAME:
        why = f"give a name of 1 to {MAX_PROJECT_NAME} characters"
    if why:
        raise UsageError(f"{printable(name)!r}: {why}")
    return name


class ProjectStore:
    """The library of projects, and the folder opened from the command line (if any)."""

    def __init__(self, library: Path, opened: Path | None = None) -> None:
        self.library = Path(library)
        self.opened = Path(opened) if opened is not None else None

    # -- projects ---------------------------------------------------------------------------
    def folder(self, project: str) -> Path:
        """The folder of ``project`` (which must exist)."""
        if project == OPENED and self.opened is not None:
            path = self.opened
        else:
            path = self.library / check_project_name(project)
        if not path.is_dir():
            raise ProjectError(f"no project {printable(project)!r}")
        return path

    def name_of(self, project: str) -> str:
        """What a person calls ``project``: its folder's name."""
        return self.folder(project).name or project

    def projects(self) -> list[dict[str, object]]:
        """Every project: id, name, number of files, last change (the opened folder first)."""
        found = []
        if self.opened is not None and self.opened.is_dir():
            found.append(self._summary(OPENED, self.opened.name or str(self.opened),
                                       self.opened))
        if self.library.is_dir():
            for path in sorted(self.library.iterdir(), key=lambda p: p.name.lower()):
                if path.is_dir() and not path.name.startswith((".", "_")):
                    found.append(self._summary(path.name, path.name, path))
        return found

    def _summary(self, project: str, name: str, path: Path) -> dict[str, object]:
        files = self.files(project)
        changed = max([f["mtime_ns"] for f in files] + [path.stat().st_mtime_ns])
        return {"id": project, "name": name, "files": len(files), "mtime_ns": changed,
                "opened": project == OPENED}

    def create(self, name: str, files: dict[str, bytes] | None = None) -> str:
        """A new project called ``name`` (with a starter main.py unless ``files`` are given)."""
        path = self.library / check_project_name(name)
        if path.exists():
            raise ProjectError(f"there is a project called {printable(name)!r} already")
        for file_name in files or {}:
            check_file_name(file_name)
        path.mkdir(parents=True)
        for file_name, data in (files or {"main.py": NEW_PROGRAM.encode()}).items():
            atomic_write(path / file_name, data)
        return name

    def free_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted 2``, ``wanted 3``… whichever no project has yet."""
        name, number = wanted, 1
        while (self.library / name).exists():
            number += 1
            name = f"{wanted} {number}"
        return name

    def rename(self, project: str, to: str) -> str:
        """Give ``project`` (in the library) a new name."""
        path = self._library_project(project)
        target = self.library / check_project_name(to)
        if target.exists():
            raise ProjectError(f"there is a project called {printable(to)!r} already")
        path.rename(target)
        return to

    def duplicate(self, project: str, to: str) -> str:
        """A copy of ``project`` called ``to``."""
        return self.create(to, self.contents(project))

    def delete(self, project: str) -> None:
        """Move ``project`` to the library's trash (it can be taken back from there)."""
        path = self._library_project(project)
        trash = self.library / TRASH
        trash.mkdir(exist_ok=True)
        shutil.move(str(path), str(trash / f"{path.name} {time.strftime('%Y-%m-%d %H%M%S')}"))

    def _library_project(self, project: str) -> Path:
        if project == OPENED:
            raise ProjectError("the folder ubit editor was started with can't be renamed or "
                               "deleted from here")
        return self.folder(project)

    # -- files ------------------------------------------------------------------------------
    def files(self, project: str) -> list[dict[str, object]]:
        """The project's files: name, size, last change (ns)."""
        found = []
        for path in sorted(self.folder(project).iterdir(), key=lambda p: p.name.lower()):
            if path.is_file() and not path.name.startswith(".") and \
                    host_name_problem(path.name) is None:
                st = path.stat()
                found.append({"name": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
        return found

    def read(self, project: str, name: str) -> bytes:
        """The bytes of one file."""
        path = self.folder(project) / check_file_name(name)
        if not path.is_file():
            raise ProjectError(f"no file {printable(name)!r} in this project")
        return read_input_bytes(path, MAX_FILE)

    def write(self, project: str, name: str, data: bytes) -> int:
        """Save one file (atomically); its new change time (ns)."""
        if len(data) > MAX_FILE:
            raise ProjectError(f"{printable(name)}: {len(data):,} bytes is more than a "
                               "micro:bit could hold")
        path = self.folder(project) / check_file_name(name)
        atomic_write(path, data)
        return path.stat().st_mtime_ns

    def rename_file(self, project: str, name: str, to: str) -> None:
        """Rename one file (refused if ``to`` exists)."""
        folder = self.folder(project)
        source, target = folder / check_file_name(name), folder / check_file_name(to)
        if not source.is_file():
            raise ProjectError(f"no file {printable(name)!r} in this project")
        if target.exists():
            raise ProjectError(f"there is a file called {printable(to)!r} already")
        source.rename(target)

    def delete_file(self, project: str, name: str) -> None:
        """Remove one file."""
        path = self.folder(project) / check_file_name(name)
        if not path.is_file():
            raise ProjectError(f"no file {printable(name)!r} in this project")
        path.unlink()

    def contents(self, project: str) -> dict[str, bytes]:
        """Every file of the project, by name (what a board or a hex gets)."""
        return {f["name"]: self.read(project, str(f["name"])) for f in self.files(project)}
