"""Where the inline assembler's CPU emulator (unicorn) is installed.

Apart from ``machine``: the board's sandbox asks at every start, before any program runs,
and mustn't pay for importing the assembler to know.
"""

from __future__ import annotations

import os
import sys


def unicorn_folder() -> str | None:
    """Where the unicorn package is installed beside this Python (None: it isn't)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    # the board runs with -S, so a virtual environment's prefix is found from the executable
    venv = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
    for prefix in dict.fromkeys((venv, sys.prefix, sys.base_prefix)):
        folder = os.path.join(prefix, "lib", version, "site-packages", "unicorn")
        if os.path.isdir(folder):
            return folder
    return None
