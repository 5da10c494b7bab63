"""The error numbers of ``OSError``, e.g. ``errno.ENOENT`` (file not found). (V2 only)"""

errorcode: dict[int, str]
"""The name of each error number, e.g. ``errorcode[2]`` is ``'ENOENT'``."""
EPERM: int
"""Operation not permitted (1)."""
ENOENT: int
"""No such file (2)."""
EIO: int
"""Input/output error (5)."""
EBADF: int
"""Bad file: reading a file opened for writing, or the other way round (9)."""
EAGAIN: int
"""Try again (11)."""
ENOMEM: int
"""Out of memory (12)."""
EACCES: int
"""Permission denied (13)."""
EEXIST: int
"""Already exists (17)."""
ENODEV: int
"""No such device, e.g. nothing answered on I2C (19)."""
EISDIR: int
"""Is a directory (21)."""
EINVAL: int
"""Invalid argument (22)."""
ENOSPC: int
"""No space left: the micro:bit's storage is full (28)."""
EOPNOTSUPP: int
"""Operation not supported (95)."""
ENOTCONN: int
"""Not connected (107)."""
ETIMEDOUT: int
"""Timed out (110)."""
EALREADY: int
"""Already in progress (114)."""
EINPROGRESS: int
"""In progress (115)."""
