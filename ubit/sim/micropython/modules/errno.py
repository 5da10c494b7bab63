"""``uerrno`` / ``errno`` (V2 only, reference §31): the port's error numbers.

The list is the port's ``MICROPY_PY_UERRNO_LIST`` (v2.1.2 ``mpconfigport.h``)
with MicroPython's own numbering (``py/mperrno.h``); V1 has no such module.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.shared.typenames import Any

CODES = {"EPERM": 1, "ENOENT": 2, "EIO": 5, "EBADF": 9, "EAGAIN": 11, "ENOMEM": 12,
         "EACCES": 13, "EEXIST": 17, "ENODEV": 19, "EISDIR": 21, "EINVAL": 22, "ENOSPC": 28,
         "EOPNOTSUPP": 95, "ENOTCONN": 107, "ETIMEDOUT": 110, "EALREADY": 114,
         "EINPROGRESS": 115}


def create(board: Board) -> dict[str, Any]:
    """The names of ``uerrno`` on ``device``."""
    names: dict[str, Any] = {"__name__": "uerrno",
                             "errorcode": {number: name for name, number in CODES.items()}}
    names.update(CODES)
    return names
