"""What confines this machine's boards, in words: for ``ubit doctor`` and for commands that
run other people's code (they say once when isolation is weaker)."""

from __future__ import annotations

from collections.abc import Mapping

from ubit.sim.shared.typenames import Any

# Landlock ABIs and what each adds (the kernel's landlock.h): what a board is denied.
LANDLOCK_FEATURES = ((1, "files"), (4, "TCP"), (6, "signals and abstract sockets"))


def describe(sandbox: Mapping[str, Any]) -> list[str]:
    """One line per protection, as ``ready`` reported them."""
    abi = int(sandbox.get("landlock") or 0)
    lines = []
    if abi:
        covers = ", ".join(what for since, what in LANDLOCK_FEATURES if abi >= since)
        lines.append(f"Landlock ABI {abi}: only the Python library and ubit can be read; "
                     f"nothing written or run ({covers})")
    else:
        lines.append("Landlock: not available (the kernel is older than 5.13 or has it off)")
    lines.append("seccomp filter: no new programs, processes or sockets, no signals to "
                 "other processes" if sandbox.get("seccomp") else "seccomp filter: not available")
    limits = sandbox.get("limits") or []
    lines.append(f"resource limits: {', '.join(limits)}" if limits else "resource limits: none")
    lines.append("dies with its host: yes" if sandbox.get("dies_with_host") else
                 "dies with its host: only when its control channel closes")
    return lines


def weaker(sandbox: Mapping[str, Any]) -> str | None:
    """A note when the board isn't confined as well as ubit can (None when it is)."""
    missing = [name for name, there in (("Landlock", sandbox.get("landlock")),
                                        ("seccomp", sandbox.get("seccomp"))) if not there]
    if not missing:
        return None
    return (f"note: isolation is weaker on this machine (no {' or '.join(missing)}): a "
            "program run here could read your files; run other people's code on Linux "
            "5.13 or later")
