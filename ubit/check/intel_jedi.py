"""What jedi may import for one board: the micro:bit's stubs and the project's unsaved files.

jedi looks modules up through its "environment" (normally the host Python's ``sys.path``,
compiled-in modules and ``sys.modules``) and then lays a stub over what it found. Left
alone it would complete ``random.`` with CPython's ``gauss`` and ``time.`` with
``clock_gettime``, and offer ``import subprocess``. So this module hands jedi an
environment whose module look-up answers from two places only:

- a micro:bit module (``microbit``, ``random``, ``time``…) is an empty module "beside"
  its board's stub (``stub_folder(board)/random.py``, never on disk), so the stub is all
  jedi sees of it: no host names merged in;
- a project module is the editor's text of that file, held in memory (``ProjectFiles``),
  under a folder that doesn't exist, so unsaved edits count and nothing is written.

Anything else is not found, except ``builtins`` (jedi builds literals from it). CPython's
typeshed stubs, which jedi still reads for modules it can't find, are kept out of results by
``ubit.check.intel`` (it drops names whose module isn't the board's or the project's).

This leans on jedi's environment hook (``get_inference_state_subprocess``) and file
objects, which are jedi internals: pyproject.toml pins jedi to the tested minor versions,
and tests/check/test_intel.py fails if the look-up stops being the board's.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jedi import InterpreterEnvironment
from jedi.file_io import KnownContentFileIO
from jedi.inference.compiled.subprocess import InferenceStateSameProcess

from ubit.check import stubs

# Modules jedi itself needs from the host to work (literals are built from ``builtins``).
_HOST_MODULES = frozenset({"builtins"})
_engines = itertools.count()


class _MemoryFile(KnownContentFileIO):
    """A module's text held in memory, with the time it last changed.

    parso keeps parsed files by path and reparses when the file's time is newer than its
    copy, so the time must move when (and only when) the text does.
    """

    def __init__(self, path: str, content: str, changed: float) -> None:
        super().__init__(path, content)
        self._changed = changed

    def get_last_modified(self) -> float:
        """When this text was first seen (parso's cache key)."""
        return self._changed


class ProjectFiles:
    """The project's ``.py`` files as the editor holds them, under a folder never created."""

    def __init__(self) -> None:
        # unique per engine: parso also pickles parsed files by path, and two processes
        # with different texts under one path could read each other's
        self.root = Path(tempfile.gettempdir()) / f"ubit-intel-{os.getpid()}-{next(_engines)}"
        self._files: dict[str, tuple[str, float]] = {}

    def update(self, files: dict[str, str]) -> None:
        """Hold these texts (file name -> text); files not named are forgotten."""
        kept: dict[str, tuple[str, float]] = {}
        for name, text in files.items():
            if not name.endswith(".py"):
                continue  # data files can't be imported
            old = self._files.get(name[:-3])
            kept[name[:-3]] = old if old and old[0] == text else (text, time.time())
        self._files = kept

    def modules(self) -> frozenset[str]:
        """The module names the project's files give (``helper.py`` -> ``helper``)."""
        return frozenset(self._files)

    def file(self, module: str) -> _MemoryFile | None:
        """The in-memory file of a project module, or None."""
        held = self._files.get(module)
        if held is None:
            return None
        return _MemoryFile(str(self.root / f"{module}.py"), *held)

    def name_of(self, path: Path | str | None) -> str | None:
        """The project file name a path jedi reports stands for, or None."""
        if path is None:
            return None
        path = Path(path)
        return path.name if path.parent == self.root else None


class BoardWorld:
    """Everything jedi may import for one board: its stubs and the project's files."""

    def __init__(self, board: str) -> None:
        self.board = board
        self.stub_folder = stubs.stub_folder(board)
        self.stub_modules = stubs.board_modules(board) - _HOST_MODULES
        self.project = ProjectFiles()
        self.lock = threading.Lock()  # jedi isn't thread-safe; the editor's server may be

    def stub_file(self, module: str) -> Path | None:
        """The .pyi of a (dotted) micro:bit module on this board, or None."""
        parts = module.split(".")
        for path in (self.stub_folder.joinpath(*parts[:-1], parts[-1] + ".pyi"),
                     self.stub_folder.joinpath(*parts, "__init__.pyi")):
            if path.is_file():
                return path
        return None

    def stub_module_of(self, path: Path | str | None) -> str | None:
        """The module name of a file in this board's stub folder, or None."""
        if path is None:
            return None
        try:
            relative = Path(path).relative_to(self.stub_folder)
        except ValueError:
            return None
        parts = list(relative.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts) or None

    def environment(self) -> InterpreterEnvironment:
        """A jedi environment whose imports are this board's and this project's."""
        return _BoardEnvironment(self)


class _BoardEnvironment(InterpreterEnvironment):
    """jedi's in-process environment, with module look-up limited to a ``BoardWorld``."""

    def __init__(self, world: BoardWorld) -> None:
        super().__init__()
        self._world = world

    def get_inference_state_subprocess(self, inference_state: Any) -> InferenceStateSameProcess:
        """The look-up functions jedi calls, answering from the board's world."""
        return _BoardLookup(inference_state, self._world)


class _BoardLookup(InferenceStateSameProcess):
    """jedi's module look-up (``functions.py`` in-process), limited to the board and project."""

    def __init__(self, inference_state: Any, world: BoardWorld) -> None:
        super().__init__(inference_state)
        self._world = world

    def get_module_info(self, string: str, full_name: str | None = None,
                        **kwargs: Any) -> tuple[Any, bool | None]:
        """(file, is_package) for a module, or (None, None) when the board hasn't it."""
        name = full_name or string
        top = name.split(".")[0]
        world = self._world
        if top in world.stub_modules:
            stub = world.stub_file(name)
            if stub is None:
                return None, None
            # an empty module beside the stub: jedi takes the stub (PEP 561 style) and
            # has nothing of the host's to merge into it
            return _MemoryFile(str(stub.with_suffix(".py")), "", 1.0), \
                stub.name == "__init__.pyi"
        if "." not in name:
            held = world.project.file(name)
            if held is not None:
                return held, False
        if top in _HOST_MODULES:
            return self.__getattr__("get_module_info")(string=string, full_name=full_name,
                                                       **kwargs)
        return None, None

    def get_builtin_module_names(self) -> tuple[str, ...]:
        """The board's modules, offered after ``import`` (instead of the host's built-ins)."""
        return tuple(sorted(stubs.board_modules(self._world.board)))

    def iter_module_names(self, search_path: list[str]) -> list[str]:
        """The project's modules for the top level; nothing else is listed."""
        root = str(self._world.project.root)
        return sorted(self._world.project.modules()) if root in map(str, search_path) else []
