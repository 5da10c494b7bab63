"""MicroPython runtimes for builds: the bundled ones or a user's, prepared once and cached.

Preparing a runtime decodes 1–2 MB of hex (see ``ubit.hexfile.runtime``); the
result is kept as JSON in the user's cache folder (``$UBIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/ubit``, else ``~/.cache/ubit``) so later builds skip it. A cache
that can't be written is only slower, never an error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ubit.errors import BuildError, HexError
from ubit.fileio import atomic_write, read_input_bytes
from ubit.hexfile import Board, PreparedRuntime, bundled_runtime_path, ensure_text, prepare_runtime

CACHE_FORMAT = 2
MAX_RUNTIME_SIZE = 4 * 1024 * 1024
TEXT_FIELDS = ("body", "section")  # kept as plain text files: JSON-decoding 2 MB is slow


def cache_dir() -> Path:
    """Where prepared runtimes are kept."""
    if os.environ.get("UBIT_CACHE_DIR"):
        return Path(os.environ["UBIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ubit"


def _cache_files(key: str) -> dict[str, Path]:
    stem = str(cache_dir() / f"runtime-{CACHE_FORMAT}-{key}")
    return {"meta": Path(stem + ".json"),
            **{name: Path(f"{stem}.{name}.hex") for name in TEXT_FIELDS}}


def _load(key: str) -> PreparedRuntime | None:
    paths = _cache_files(key)
    try:
        data = json.loads(paths["meta"].read_text())
        for name in TEXT_FIELDS:
            data[name] = paths[name].read_text()
        return PreparedRuntime.from_json(data)
    except (OSError, ValueError, TypeError):
        return None


def _store(key: str, runtime: PreparedRuntime) -> None:
    paths = _cache_files(key)
    data = runtime.to_json()
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        for name in TEXT_FIELDS:  # the texts first: the meta file marks a complete entry
            atomic_write(paths[name], data.pop(name).encode())
        atomic_write(paths["meta"], json.dumps(data).encode())
    except Exception:  # a cache that can't be written only costs speed
        pass


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{path.name}-{st.st_size}-{st.st_mtime_ns}"


def bundled_runtime(board: Board) -> PreparedRuntime:
    """The official runtime for ``board`` (V1 1.1.1 / V2 2.1.2), prepared."""
    path = bundled_runtime_path(board)
    key = _stat_key(path)
    runtime = _load(key)
    if runtime is None:
        runtime = prepare_runtime(path.read_text())
        _store(key, runtime)
    return runtime


def user_runtime(path: str | os.PathLike[str]) -> PreparedRuntime:
    """A runtime hex the user gave with ``--runtime``, prepared (and cached by content)."""
    import hashlib

    data = read_input_bytes(path, MAX_RUNTIME_SIZE)
    key = "user-" + hashlib.sha256(data).hexdigest()[:32]
    runtime = _load(key)
    if runtime is not None:
        return runtime
    try:
        runtime = prepare_runtime(ensure_text(data))
    except (HexError, BuildError) as exc:
        raise BuildError(f"--runtime {path}: {exc}") from None
    _store(key, runtime)
    return runtime
