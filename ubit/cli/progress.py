"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

BAR_MIN, BAR_MAX = 10, 40


def _size(n: int) -> str:
    """A byte count for people: ``512 B``, ``12.5 KB``, ``1.9 MB``."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


class ProgressBar:
    """``bar(done, total)`` redraws ``label [#####.....]  50%  1.0 MB / 1.9 MB``; silent off a TTY.

    Use ``bar.finish()`` (or ``with ProgressBar(...) as bar:``) to clear the line afterwards.
    """

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        """A bar titled ``label`` on ``stream`` (default: stderr)."""
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.enabled = False
        self._last: tuple[int, int] | None = None
        self._width = 0  # characters drawn on the line so far

    def __call__(self, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` units (bytes) are through."""
        if not self.enabled:
            return
        columns = shutil.get_terminal_size((80, 24)).columns
        bar_len = max(BAR_MIN, min(BAR_MAX, columns - len(self.label) - 32))
        filled = bar_len if total <= 0 else min(bar_len, bar_len * done // total)
        percent = 100 if total <= 0 else min(100, 100 * done // total)
        if self._last == (filled, percent):
            return  # nothing visible changed; don't flood slow terminals
        self._last = (filled, percent)
        line = (f"{self.label} [{'#' * filled}{'.' * (bar_len - filled)}] {percent:3d}%  "
                f"{_size(done)} / {_size(total)}")
        line = line[:max(1, columns - 1)]
        pad = " " * max(0, self._width - len(line))
        self._write(f"\r{line}{pad}")
        self._width = len(line)

    def finish(self) -> None:
        """Clear the bar's line, so the next message starts on a clean line."""
        if self.enabled and self._width:
            self._write("\r" + " " * self._width + "\r")
        self._width = 0
        self._last = None

    def __enter__(self) -> ProgressBar:
        """Use as a context manager; ``finish`` runs on the way out, even on errors."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Clear the line."""
        self.finish()

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False  # a closed or broken terminal: stop drawing, don't fail
