"""The snippets panel's data: short programs for every part of the micro:bit.

One TOML file per topic in ``ubit/editor/snippets/`` (shipped with the package)::

    topic = "Display"          # the topic's name, as the panel shows it
    order = 1                  # where the topic comes in the panel

    [[snippet]]
    title = "Scroll a message"
    description = "Slide words across the LED screen, one letter after another."
    boards = ["v1", "v2"]      # or ["v2"] for a snippet that needs a V2
    needs = "Press button A."  # optional: what a person does for it to show something
    inputs = [[500, "button_a", true], [600, "button_a", false]]  # optional: for the tests
    code = '''
    from microbit import *
    display.scroll('Hello!')
    '''

``inputs`` are timed inputs in the virtual board's terms (board ms, input id, value) that
make the snippet do what it is for when tests run it (tests/editor/test_snippets.py).
Every file is checked as it loads; a broken one is a ``SnippetError`` naming the file and
the snippet, never a half-filled panel.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ubit.errors import UbitError

SNIPPETS = Path(__file__).parent / "snippets"
BOARDS = (["v1", "v2"], ["v2"])  # the only ``boards`` a snippet may have
TOPIC_KEYS = {"topic", "order", "snippet"}
REQUIRED = {"title": str, "description": str, "code": str, "boards": list}
OPTIONAL = {"needs": str, "inputs": list}

TimedInput = tuple[float, str, Any]


class SnippetError(UbitError):
    """A snippet file that isn't what the panel and the tests need."""


@dataclass(frozen=True)
class Snippet:
    """One snippet, as its topic file describes it."""

    topic: str
    file: str  # its topic file's name, e.g. "display.toml"
    title: str
    description: str
    code: str
    boards: tuple[str, ...]
    needs: str = ""
    inputs: tuple[TimedInput, ...] = ()

    @property
    def v2_only(self) -> bool:
        return self.boards == ("v2",)

    def public(self) -> dict[str, Any]:
        """What the page gets: ``{topic, title, description, code, boards, needs}``."""
        return {"topic": self.topic, "title": self.title, "description": self.description,
                "code": self.code, "boards": list(self.boards), "needs": self.needs}


def load_snippets(folder: Path = SNIPPETS) -> list[Snippet]:
    """Every snippet of every topic file in ``folder``: topics in their order, snippets in
    their file's order. ``SnippetError`` names the first file that is wrong."""
    topics: list[tuple[int, str, list[Snippet]]] = []
    seen: dict[str, str] = {}  # topic name -> its file
    for path in sorted(folder.glob("*.toml")):
        order, topic, snippets = load_topic(path)
        if topic in seen:
            raise SnippetError(f"{path.name}: topic {topic!r} is {seen[topic]}'s topic too")
        seen[topic] = path.name
        topics.append((order, topic, snippets))
    if not topics:
        raise SnippetError(f"no snippet files (*.toml) in {folder}")
    return [snippet for _, _, snippets in sorted(topics, key=lambda t: (t[0], t[1]))
            for snippet in snippets]


def load_topic(path: Path) -> tuple[int, str, list[Snippet]]:
    """(order, topic, snippets) of one topic file; ``SnippetError`` naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SnippetError(f"{path.name}: can't be read as TOML: {exc}") from None
    where = path.name
    unknown = sorted(set(data) - TOPIC_KEYS)
    if unknown:
        raise SnippetError(f"{where}: unknown key {unknown[0]!r} (a file has "
                           f"{', '.join(sorted(TOPIC_KEYS))})")
    topic = data.get("topic")
    if not isinstance(topic, str) or not topic.strip() or "\n" in topic:
        raise SnippetError(f"{where}: 'topic' must be the topic's name, one line of text")
    order = data.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        raise SnippetError(f"{where}: 'order' must be a whole number")
    entries = data.get("snippet")
    if not isinstance(entries, list) or not entries:
        raise SnippetError(f"{where}: no snippets: each one starts with [[snippet]]")
    snippets: list[Snippet] = []
    titles: set[str] = set()
    for number, entry in enumerate(entries, 1):
        snippet = _snippet(entry, topic, path.name, f"{where}: snippet {number}")
        if snippet.title in titles:
            raise SnippetError(f"{where}: two snippets are called {snippet.title!r}")
        titles.add(snippet.title)
        snippets.append(snippet)
    return order, topic, snippets


def _snippet(entry: Any, topic: str, file: str, where: str) -> Snippet:
    if not isinstance(entry, dict):
        raise SnippetError(f"{where}: not a table: each snippet starts with [[snippet]]")
    title = entry.get("title")
    if isinstance(title, str) and title.strip():
        where = f"{where} ({title!r})"
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SnippetError(f"{where}: unknown key {unknown[0]!r} (a snippet has "
                           f"{', '.join([*REQUIRED, *OPTIONAL])})")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise SnippetError(f"{where}: no {missing[0]!r}")
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key in entry and not isinstance(entry[key], kind):
            raise SnippetError(f"{where}: {key!r} must be {_kind_name(kind)}, "
                               f"not {type(entry[key]).__name__}")
    for key in ("title", "description", "needs"):
        text = entry.get(key, "x")
        if not text.strip() or "\n" in text:
            raise SnippetError(f"{where}: {key!r} must be one line of text")
    code = entry["code"]
    if not code.strip():
        raise SnippetError(f"{where}: 'code' is empty")
    if "\t" in code:
        raise SnippetError(f"{where}: 'code' has a tab: indent with 4 spaces")
    if entry["boards"] not in BOARDS:
        raise SnippetError(f"{where}: 'boards' must be [\"v1\", \"v2\"] or [\"v2\"], "
                           f"not {entry['boards']!r}")
    return Snippet(topic=topic, file=file, title=entry["title"],
                   description=entry["description"], code=code.rstrip("\n") + "\n",
                   boards=tuple(entry["boards"]), needs=entry.get("needs", ""),
                   inputs=_inputs(entry.get("inputs", []), where))


def _inputs(entries: list[Any], where: str) -> tuple[TimedInput, ...]:
    """``[[ms, input id, value], ...]`` as the virtual board's timed inputs."""
    inputs: list[TimedInput] = []
    for number, entry in enumerate(entries, 1):
        if not (isinstance(entry, list) and len(entry) == 3):
            raise SnippetError(f"{where}: input {number} must be [ms, input, value]")
        ms, name, value = entry
        if isinstance(ms, bool) or not isinstance(ms, int | float) or not \
                math.isfinite(ms) or ms < 0:
            raise SnippetError(f"{where}: input {number}: {ms!r} is not a time in ms")
        if not isinstance(name, str) or not name:
            raise SnippetError(f"{where}: input {number}: {name!r} is not an input's id "
                               "(button_a, pin0, temperature, gesture ...)")
        if not isinstance(value, bool | int | float | str):
            raise SnippetError(f"{where}: input {number}: {value!r} is not a value an "
                               "input takes (true/false, a number, a gesture's name)")
        inputs.append((float(ms), name, value))
    return tuple(inputs)


def _kind_name(kind: type) -> str:
    return {str: "text", list: "a list"}.get(kind, kind.__name__)


async def snippets_route(request: Request) -> JSONResponse:
    """``GET /api/snippets``: ``[{topic, title, description, code, boards, needs}]``."""
    return JSONResponse([snippet.public() for snippet in load_snippets()])
