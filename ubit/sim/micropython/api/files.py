"""``open()`` and its file objects (reference §28.2; firmware-v1-observed.md "Filesystem").

Not part of the ``microbit`` module (no ``contribute``): the boot puts ``open``
into the user's builtins with ``install(builtins, device)``. Files are
``TextIO`` (str in and out) or, in binary mode, ``FileIO`` on V2 and ``BytesIO``
on V1. Errors are the firmware's: V2 ``OSError: [Errno 2] ENOENT``, V1
``OSError: file not found``; a full filesystem deletes the file being written.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import filesystem as filesystem_part
from ubit.sim.board.parts.filesystem import MAX_NAME, Filesystem, NoSpace, StaleHandle, encode_name
from ubit.sim.micropython import heapmodel
from ubit.sim.micropython.args import no_keywords
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

MAIN = "main.py"
ENOENT, EIO, EBADF, EAGAIN, ENODEV, ENOSPC = 2, 5, 9, 11, 19, 28

# errno names V2 prints ("[Errno 28] ENOSPC"): the port's list (reference §31).
V2_ERRNO_NAMES = {1: "EPERM", 2: "ENOENT", 5: "EIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM",
                  13: "EACCES", 17: "EEXIST", 19: "ENODEV", 21: "EISDIR", 22: "EINVAL",
                  28: "ENOSPC", 95: "EOPNOTSUPP", 107: "ENOTCONN", 110: "ETIMEDOUT",
                  114: "EALREADY", 115: "EINPROGRESS"}


def os_error(spec: BoardSpec, code: int) -> OSError:
    """``OSError(code)`` as the board prints it: V2 ``[Errno 28] ENOSPC``, V1 ``28``."""
    exc = OSError(code)  # args stay (code,) as on the device
    if not spec.errno_names:
        exc.errno = code  # the traceback shows the bare number
    elif code in V2_ERRNO_NAMES:
        exc.errno, exc.strerror = code, V2_ERRNO_NAMES[code]
    return exc


def not_found(spec: BoardSpec) -> OSError:
    """A missing file: V2 ``OSError: [Errno 2] ENOENT``, V1 ``OSError: file not found``."""
    return fs_error(spec, ENOENT)


def fs_error(spec: BoardSpec, code: int) -> OSError:
    """The filesystem's error ``code``: V1 has its own words for some (``fs_errors``)."""
    text = spec.fs_errors.get(code)
    return os_error(spec, code) if text is None else OSError(text)


def str_arg(value: Any) -> str:
    """A name argument as the firmware takes it: str or bytes, else TypeError."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "surrogateescape")
    raise TypeError(f"can't convert '{type(value).__name__}' object to str implicitly")


def buffer_bytes(value: Any) -> bytes:
    """The bytes of a str or bytes-like object, as MicroPython's buffer protocol gives them."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    try:
        return memoryview(value).cast("B").tobytes()
    except TypeError:
        raise TypeError("object with buffer protocol required") from None


def writable_buffer(value: Any) -> memoryview:
    """A writable byte view of ``value`` (bytearray, array, memoryview), else TypeError."""
    try:
        view = memoryview(value)
    except TypeError:
        view = None
    if view is None or view.readonly:
        raise TypeError("object with buffer protocol required")
    return view.cast("B")


def filesystem(board: Board) -> Filesystem:
    """The board's filesystem part."""
    return filesystem_part.of(board)


class _File:
    """A file opened by ``open``; the subclass name is what the firmware calls its type."""

    __slots__ = ("_fs", "_spec", "_name", "_id", "_writing", "_open", "_pos", "_board")
    _text = False
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, fs: Filesystem, spec: BoardSpec, name: str, file_id: int,
                 writing: bool) -> None:
        self._fs, self._spec, self._name, self._id = fs, spec, name, file_id
        self._writing = writing
        self._open = True
        self._pos = 0
        self._board: Board | None = None  # set by open(): its heap model checks read()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def name(self) -> str:
        """The file's name."""
        return self._name

    def writable(self) -> bool:
        """Whether the file was opened for writing."""
        return self._writing

    def close(self) -> None:
        """Close the file (a file being written gets its end marker)."""
        if self._open and self._writing:
            self._fs.close(self._name, self._id)
        self._open = False

    def __enter__(self) -> _File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------
    def _data(self) -> bytes:
        """The readable bytes, after the firmware's checks (closed, write-only, stale)."""
        if not self._open:
            raise ValueError("I/O operation on closed file")
        if self._writing:
            raise os_error(self._spec, EBADF)
        try:
            return self._fs.contents(self._name, self._id)
        except StaleHandle:
            raise os_error(self._spec, EBADF) from None

    def _result(self, data: bytes) -> str | bytes:
        return data.decode("utf-8", "surrogateescape") if self._text else data

    def read(self, size: Any = -1) -> str | bytes:
        """Up to ``size`` characters (text) or bytes; everything left by default."""
        size = _int(size)
        data = self._data()
        start = self._pos
        if size < 0:
            end = len(data)
        elif self._text:
            end = _after_chars(data, start, size)
        else:
            end = min(len(data), start + size)
        self._pos = end
        result = self._result(data[start:end])
        if size < 0 and self._board is not None:
            check = heapmodel.read_check(self._board)
            if check is not None:  # the firmware's buffer grows as it reads: it may not fit
                return check(result, end - start)
        return result

    def readinto(self, buf: Any, nbytes: Any = None) -> int:
        """Read into ``buf`` (at most ``nbytes``); the number of bytes read."""
        view = writable_buffer(buf)
        room = len(view) if nbytes is None else min(len(view), max(0, _int(nbytes)))
        data = self._data()
        chunk = data[self._pos:self._pos + room]
        view[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def readline(self, size: Any = -1) -> str | bytes:
        """The next line, with its ``\\n`` (at most ``size`` bytes)."""
        size = _int(size)
        data = self._data()
        end = data.find(b"\n", self._pos)
        end = len(data) if end < 0 else end + 1
        if size >= 0:
            end = min(end, self._pos + size)
        start, self._pos = self._pos, end
        return self._result(data[start:end])

    # -- writing -----------------------------------------------------------------------------
    def write(self, buf: Any, *limits: Any) -> int:
        """Write str or bytes; the number of bytes written (``write(buf, [off,] n)``)."""
        data = buffer_bytes(buf)
        if len(limits) == 1:
            data = data[:max(0, _int(limits[0]))]
        elif len(limits) == 2:
            data = data[max(0, _int(limits[0])):][:max(0, _int(limits[1]))]
        elif limits:
            raise TypeError(f"function expected at most 4 arguments, got {len(limits) + 2}")
        if not self._open:
            raise ValueError("I/O operation on closed file")
        if not self._writing:
            raise os_error(self._spec, EBADF)
        try:
            self._fs.append(self._name, self._id, data)
        except StaleHandle:
            raise os_error(self._spec, EBADF) from None
        except NoSpace:
            self._open = False  # the firmware closes it and deletes what was written
            raise os_error(self._spec, ENOSPC) from None
        return len(data)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "NoneType" if value is None else type(value).__name__
        raise TypeError(f"can't convert {kind} to int")
    return value


def _after_chars(data: bytes, start: int, count: int) -> int:
    """The index just past ``count`` UTF-8 characters from ``start`` (text ``read(n)``)."""
    pos = start
    while pos < len(data) and count > 0:
        pos += 1
        while pos < len(data) and data[pos] & 0xC0 == 0x80:  # continuation bytes
            pos += 1
        count -= 1
    return pos


@api_class
class TextIO(_File):
    """A file opened in text mode."""

    __slots__ = ()
    _text = True


@api_class
class FileIO(_File):
    """A file opened in binary mode (V2)."""

    __slots__ = ()


@api_class
class BytesIO(_File):
    """A file opened in binary mode (V1)."""

    __slots__ = ()


api_class(_File)
_BINARY = {"FileIO": FileIO, "BytesIO": BytesIO}  # by BoardSpec.binary_file_type


def parse_mode(mode: str) -> tuple[bool, bool]:
    """(writing, binary) from a mode: at most one of r/w and one of b/t, nothing else."""
    writing: bool | None = None
    binary: bool | None = None
    for ch in mode:
        if ch in "rw" and writing is None:
            writing = ch == "w"
        elif ch in "bt" and binary is None:
            binary = ch == "b"
        else:
            raise ValueError("illegal mode")
    return bool(writing), bool(binary)


def make_open(board: Board) -> Any:
    """The ``open`` builtin of user code on ``device``."""
    spec = board.spec

    def open(*args: Any, **kwargs: Any) -> _File:
        """open(name, mode='r'): a file of the board's filesystem."""
        if kwargs:
            raise no_keywords()
        if not args:
            raise TypeError("function missing 1 required positional arguments")
        if len(args) > 2:
            raise TypeError(f"function expected at most 2 arguments, got {len(args)}")
        writing, binary = parse_mode(str_arg(args[1])) if len(args) == 2 else (False, False)
        name = str_arg(args[0])
        board.clock.poll()
        fs = filesystem(board)
        if len(encode_name(name)) > MAX_NAME:
            raise not_found(spec)
        if writing:
            file_id = _create(board, fs, name)
        else:
            found = fs.file_id(name)
            if found is None:
                raise not_found(spec)
            file_id = found
        kind = TextIO if not binary else _BINARY[spec.binary_file_type]
        opened = kind(fs, spec, name, file_id, writing)
        opened._board = board
        return opened

    return api(open)


def _create(board: Board, fs: Filesystem, name: str) -> int:
    """Open ``name`` for writing; on V2, writing main.py erases the data log (reference §23)."""
    try:
        file_id = fs.create(name)
    except NoSpace:
        raise fs_error(board.spec, ENOSPC) from None
    log = board.parts.get("log")
    if name == MAIN and log is not None:
        log.erase()
    return file_id


def install(builtins: dict[str, Any], board: Board) -> None:
    """Put the board's ``open`` into a user builtins dict (replacing CPython's)."""
    builtins["open"] = make_open(board)
