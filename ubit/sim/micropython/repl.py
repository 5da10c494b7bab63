"""The REPL on the board's serial port: friendly, paste mode, raw and raw-paste, byte-exact.

Protocol from reference §2 (MicroPython ``pyexec.c``, V1 1.9.2 and V2 1.18):

* friendly: ``>>> ``/``... `` prompts; Ctrl-A raw REPL, Ctrl-B banner, Ctrl-C cancel,
  Ctrl-D soft reboot (empty line), Ctrl-E paste mode;
* raw: ``raw REPL; CTRL-B to exit\\r\\n>``; source then Ctrl-D → ``OK``, output, ``\\x04``,
  traceback, ``\\x04``, ``>``; an empty Ctrl-D soft-reboots; V2 adds raw-paste
  (``\\x05A\\x01`` → ``R\\x01`` + window + flow control).
"""

from __future__ import annotations

import keyword
import sys

from ubit.sim.board.board import Board
from ubit.sim.micropython import compiler, executor, tracebacks
from ubit.sim.micropython.readline import CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E, LineEditor
from ubit.sim.shared.typenames import Any

SOFT_REBOOT = "soft_reboot"
RAW_HEADER = b"raw REPL; CTRL-B to exit\r\n"
PASTE_HEADER = "paste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
RAW_PASTE_WINDOW = 128  # bytes the host may send before waiting for a \x01 (reference §2.3)
_COMPOUND = ("if", "while", "for", "try", "with", "def", "class", "async")


def needs_more(text: str) -> bool:
    """Whether the friendly REPL asks for another line (MicroPython's rule, not CPython's)."""
    if not text:
        return False
    first = text.split(None, 1)[0] if text.strip() else ""
    compound = text.startswith("@") or first.rstrip(":") in _COMPOUND
    quote, depth, i = "", 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and quote and i + 1 < len(text) and text[i + 1] in "'\"\\":
            i += 2
            continue
        for q in ("'''", '"""', "'", '"'):
            if text.startswith(q, i) and (not quote or quote == q):
                quote = "" if quote else q
                i += len(q) - 1
                break
        else:
            if not quote and ch in "([{":
                depth += 1
            elif not quote and ch in ")]}":
                depth -= 1
        i += 1
    if quote in ("'''", '"""'):
        return True
    if depth > 0 and not quote:
        return True
    if text.endswith("\\"):
        return True
    return compound and not text.endswith("\n")


class Repl:
    """The REPL of one device, working on the namespace main.py left behind."""

    def __init__(self, board: Board, namespace: dict[str, Any]) -> None:
        self.board = board
        self.serial = board.serial
        self.namespace = namespace
        # the builtins come with the namespace and are taken out of it: the firmware's
        # globals() doesn't list them (executor's module doc)
        self.builtins = executor.take_builtins(namespace, None)
        self.editor = LineEditor(board.serial, self.complete)
        self.raw_mode = False

    # -- output ------------------------------------------------------------------------------
    def banner(self) -> None:
        """The two banner lines (reference §1.5)."""
        self.serial.write(f"{self.board.spec.banner}\r\nType \"help()\" for more "
                          "information.\r\n".encode())

    def _byte(self) -> int:
        """The next input byte (EOFError when the host has closed the port)."""
        data = self.serial.read(1)
        if not data:
            raise EOFError("serial port closed")
        return data[0]

    # -- running code -----------------------------------------------------------------------
    def execute(self, source: str, mode: str) -> bool:
        """Compile and run REPL input; False if it asked for a soft reboot (raw SystemExit)."""
        spec = self.board.spec
        self.serial.interrupt_char = 3
        error: BaseException | None = None
        try:
            code = compiler.compile_user(source, compiler.REPL_SOURCE, spec, mode)
            saved_hook = sys.displayhook
            sys.displayhook = self._display
            try:
                executor.run_code(code, self.namespace, spec, self.builtins)
            finally:
                sys.displayhook = saved_hook
        except BaseException as exc:  # noqa: BLE001 - the REPL reports every error
            error = exc
        finally:
            self.serial.interrupt_char = -1
        if self.raw_mode:
            self.serial.write(b"\x04")
        if error is not None:
            if isinstance(error, SystemExit):
                if self.raw_mode:
                    return False
            else:
                self.serial.write_text(tracebacks.format_traceback(error, spec))
        if self.raw_mode:
            self.serial.write(b"\x04")
        return True

    def _display(self, value: Any) -> None:
        if value is not None:
            text = self.builtins["repr"](value)
            self.serial.write_text(text + "\n")

    # -- friendly ----------------------------------------------------------------------------
    def friendly(self) -> str | None:
        """Run the friendly REPL until it switches to raw (None) or soft-reboots."""
        self.banner()
        while True:
            buffer = [""]
            key = self.editor.read(buffer, ">>> ")
            if key == CTRL_A:
                self.serial.write(b"\r\n")
                self.raw_mode = True
                return None
            if key == CTRL_B:
                self.serial.write(b"\r\n")
                self.banner()
                continue
            if key == CTRL_C:
                self.serial.write(b"\r\n")
                continue
            if key == CTRL_D:
                self.serial.write(b"\r\n")
                return SOFT_REBOOT
            if key == CTRL_E:
                source = self._paste()
                if source is None:
                    continue
                self.execute(source, "exec")
                continue
            if not buffer[0]:
                continue
            cancelled = False
            while needs_more(buffer[0]):
                buffer[0] += "\n"
                key = self.editor.read(buffer, "... ")
                if key == CTRL_C:
                    self.serial.write(b"\r\n")
                    cancelled = True
                    break
                if key == CTRL_D:
                    self.serial.write(b"\r\n")
                    break
            if not cancelled:
                self.execute(buffer[0], "single")

    def _paste(self) -> str | None:
        """Paste mode: everything until Ctrl-D, echoed; None if cancelled with Ctrl-C."""
        self.serial.write(b"\r\n" + PASTE_HEADER.encode())
        text = bytearray()
        while True:
            c = self._byte()
            if c == CTRL_C:
                self.serial.write(b"\r\n")
                return None
            if c == CTRL_D:
                self.serial.write(b"\r\n")
                return text.decode("utf-8", "surrogateescape").replace("\r", "\n")
            text.append(c)
            self.serial.write(b"\r\n=== " if c == ord("\r") else bytes([c]))

    # -- raw ---------------------------------------------------------------------------------
    def raw(self) -> str | None:
        """Run the raw REPL until Ctrl-B (None: back to friendly) or a soft reboot."""
        self.serial.write(RAW_HEADER)
        while True:
            self.serial.write(b">")
            line = bytearray()
            while True:
                c = self._byte()
                if c == CTRL_A:
                    if line == b"\x05A" and self.board.spec.raw_paste:
                        result = self._raw_paste()
                        if result is SOFT_REBOOT:
                            return SOFT_REBOOT
                        line = bytearray()
                        self.serial.write(b">")
                        continue
                    if line[:1] == b"\x05" and len(line) == 2 and self.board.spec.raw_paste:
                        self.serial.write(b"R\x00")  # unknown raw-paste command
                        line = bytearray()
                        continue
                    self.serial.write(RAW_HEADER)
                    self.serial.write(b">")
                    line = bytearray()
                elif c == CTRL_B:
                    self.serial.write(b"\r\n")
                    self.raw_mode = False
                    return None
                elif c == CTRL_C:
                    line = bytearray()
                elif c == CTRL_D:
                    break
                else:
                    line.append(c)
            self.serial.write(b"OK")
            if not line:
                self.serial.write(b"\r\n")
                return SOFT_REBOOT
            if not self.execute(line.decode("utf-8", "surrogateescape"), "exec"):
                return SOFT_REBOOT

    def _raw_paste(self) -> str | None:
        """V2 raw-paste: flow-controlled upload, then compile and run (reference §2.3)."""
        window = RAW_PASTE_WINDOW
        self.serial.write(b"R\x01" + window.to_bytes(2, "little") + b"\x01")
        source = bytearray()
        credit = window
        while True:
            c = self._byte()
            if c == CTRL_D:
                self.serial.write(b"\x04")
                break
            if c == CTRL_C:
                self.serial.write(b"\x04")
                self.serial.write_text(tracebacks.format_traceback(KeyboardInterrupt(),
                                                                 self.board.spec))
                self.serial.write(b"\x04")
                return None
            source.append(c)
            credit -= 1
            if credit == 0:
                credit = window
                self.serial.write(b"\x01")
        if not self.execute(source.decode("utf-8", "surrogateescape"), "exec"):
            return SOFT_REBOOT
        return None

    # -- completion --------------------------------------------------------------------------
    def complete(self, before: str) -> tuple[str, list[str]]:
        """Tab completion of the dotted name that ends ``before``: (text to insert, choices)."""
        i = len(before)
        while i > 0 and (before[i - 1].isalnum() or before[i - 1] in "_."):
            i -= 1
        word = before[i:]
        *path, partial = word.split(".")
        if path:
            obj: Any = self._lookup(path)
            if obj is None:
                return "", []
            names = [n for n in dir(obj) if not n.startswith("__") or partial.startswith("_")]
        else:
            names = list(self.namespace) + list(self.builtins)
            names = [n for n in names if not n.startswith("__") or partial.startswith("_")]
        matches = sorted({n for n in names if n.startswith(partial)})
        if not matches:
            if not path and i == 0 and "import ".startswith(partial):
                return "import "[len(partial):], []
            return "", []
        common = matches[0]
        for m in matches[1:]:
            while not m.startswith(common):
                common = common[:-1]
        if len(matches) == 1 or len(common) > len(partial):
            return common[len(partial):], []
        return "", matches

    def _lookup(self, path: list[str]) -> Any:
        scope = {**self.builtins, **self.namespace}
        if path[0] not in scope or keyword.iskeyword(path[0]):
            return None
        obj = scope[path[0]]
        for name in path[1:]:
            try:
                obj = getattr(obj, name)
            except Exception:  # noqa: BLE001 - completion never raises
                return None
        return obj
