"""The import contract: lower layers never import higher ones (docs/board-protocol.md, README).

Every ``import`` in ``ubit/`` is read from the source (module level and inside functions,
where the lazy imports live), so a crossing fails here even if it is only reached at run
time. Layers, lowest first:

    errors, fileio                 the project's base
    hexfile, runtimes, project     pure functions over hex text, and builds
    device                         real boards, QEMU (never sim)
    sim.shared                     protocol, specs, radio physics, sound synthesis
    sim.board                      the board process's plumbing and parts
    sim.micropython                the emulation, over the board
    sim.host                       the host side: speaks the protocol, never imports the board
    check                          code intelligence: stubs, checks, completion, tidy
    testing                        driving virtual boards from tests, marking (over sim.host)
    editor                         the browser editor's server (over sim.host, device, check,
                                   testing)
    cli                            the command; nothing imports it
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ubit"

BASE = ("ubit.errors", "ubit.fileio")
HEX = (*BASE, "ubit.hexfile", "ubit.runtimes", "ubit.project")
SHARED = (*BASE, "ubit.hexfile", "ubit.sim.shared")
# what each layer (the longest matching prefix) may import from ubit
ALLOWED: dict[str, tuple[str, ...]] = {
    "ubit.errors": (),
    "ubit.fileio": ("ubit.errors",),
    "ubit.hexfile": ("ubit.errors", "ubit.hexfile"),
    "ubit.runtimes": HEX,
    "ubit.project": HEX,
    "ubit.device": (*HEX, "ubit.device"),
    "ubit.sim.shared": SHARED,
    "ubit.sim.board": (*SHARED, "ubit.sim.board"),
    "ubit.sim.micropython": (*SHARED, "ubit.sim.board", "ubit.sim.micropython"),
    "ubit.sim.host": (*SHARED, "ubit.sim.host"),
    "ubit.sim": ("ubit.sim",),  # the package docstring only
    "ubit.check": (*HEX, "ubit.sim.shared", "ubit.check"),  # the built-in types table
    "ubit.testing": (*HEX, "ubit.sim.host", "ubit.sim.shared", "ubit.check", "ubit.testing"),
    "ubit.editor": (*HEX, "ubit.device", "ubit.sim.host", "ubit.sim.shared", "ubit.check",
                    "ubit.testing", "ubit.editor"),
    "ubit.cli": ("ubit",),
    "ubit": ("ubit.cli",),  # ubit/__main__.py starts the command
}


def module_name(path: Path) -> str:
    """``ubit/sim/host/fleet.py`` → ``ubit.sim.host.fleet``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer a module belongs to: the longest prefix in ``ALLOWED``."""
    matches = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    return max(matches, key=len)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ubit import in the file, lazy ones included."""
    tree = ast.parse(path.read_text(), str(path))
    package = module_name(path) if path.name == "__init__.py" else \
        module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            # ``from ubit.sim import shared`` imports the module ubit.sim.shared
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in found if name == "ubit" or name.startswith("ubit.")]


def allowed(importer: str, imported: str) -> bool:
    """Whether module ``importer`` may import ``imported`` (or a name from it)."""
    if imported == "ubit":
        return True  # the package itself holds nothing but its version
    return any(imported == ok or imported.startswith(ok + ".")
               for ok in ALLOWED[layer_of(importer)])


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    """A new top-level module must be given its place in the layers."""
    for path in SOURCES:
        assert layer_of(module_name(path)), path


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path) -> None:
    """No module imports a layer above its own (or sideways: sim ↔ device, host → board)."""
    importer = module_name(path)
    bad = [f"{path.relative_to(ROOT)}:{line}: {importer} imports {name}"
           for line, name in imports_of(path) if not allowed(importer, name)]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_crossing(tmp_path: Path) -> None:
    """The checker itself: a host module importing a part is caught, lazy or not."""
    fake = PACKAGE / "sim" / "host" / "_probe_crossing.py"
    source = "def f():\n    from ubit.sim.board.parts import display\n"
    fake.write_text(source)
    try:
        names = imports_of(fake)
        assert names == [(2, "ubit.sim.board.parts.display")]
        assert not allowed(module_name(fake), names[0][1])
        assert not allowed("ubit.sim.board.clock", "ubit.device.transport")
        assert not allowed("ubit.device.fs", "ubit.sim.host.handle")
        assert not allowed("ubit.sim.shared.rf", "ubit.sim.board.clock")
        assert allowed("ubit.sim.micropython.boot", "ubit.sim.board.clock")
    finally:
        fake.unlink()


def import_graph() -> dict[str, set[str]]:
    """Module → the ubit modules it imports (a name imported from a module counts as it)."""
    modules = {module_name(path) for path in SOURCES}
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        edges = set()
        for _, name in imports_of(path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != "ubit":
                edges.add(name)
        graph[module_name(path)] = edges - {module_name(path)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    """No two modules import each other, even through lazy imports or a chain."""
    assert cycles(import_graph()) == []
