"""What ``ubit check`` finds: one problem at a place in a file, and its two printed forms."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ubit.errors import printable

ERROR = "error"  # the board refuses the program or stops with an error
WARNING = "warning"  # the program runs, but something is probably not what was meant
LEVELS = (ERROR, WARNING)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where (1-based line and column), how bad, a stable code and the words.

    ``board`` is "v1", "v2" or "both": the boards the problem is true for.
    """

    file: str
    line: int
    col: int
    level: str
    code: str
    message: str
    board: str = "both"

    def text(self) -> str:
        """``file:line:col: level: message``, made safe for a terminal."""
        return printable(f"{self.file}:{self.line}:{self.col}: {self.level}: {self.message}")


def has_errors(findings: Iterable[Finding]) -> bool:
    """True if any finding is an error (``ubit check`` then exits 1)."""
    return any(f.level == ERROR for f in findings)


def to_json(findings: Iterable[Finding]) -> str:
    """The findings as a JSON list of objects (file, line, col, level, code, message, board)."""
    return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
