"""The shape of the code, checked: layers, who may speak SQL, no Textual in the core, no import cycles.

Every module of the package is found with :mod:`pkgutil` and its imports read with :mod:`ast` (those
inside functions too), so an import added anywhere is seen without running it.

Layers, high to low: the CLI, the UI, ``core.operations`` (the use cases), ``core.sync`` (the news servers'
APIs), ``core.store`` (the only
code that speaks SQL), ``core.search`` (pure search functions), ``core.web``, ``core.article``, and the
core's top-level modules (errors, paths, config, navigation, limits). A module may import its own
layer and those below it, never one above.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import pozirk_reader

PACKAGE = "pozirk_reader"

LAYERS = [
    ("pozirk_reader.__main__", "pozirk_reader.cli"),
    ("pozirk_reader.ui",),
    ("pozirk_reader.core.operations",),
    ("pozirk_reader.core.sync",),
    ("pozirk_reader.core.store",),
    ("pozirk_reader.core.search",),
    ("pozirk_reader.core.web",),
    ("pozirk_reader.core.article",),
    ("pozirk_reader.core", "pozirk_reader.samples", "pozirk_reader"),
]
"""Prefixes of module names, highest layer first; a module belongs to the layer of its longest prefix."""


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is, and whether it runs only for type checkers."""

    module: str
    importer: str
    line: int
    type_checking: bool


@cache
def modules() -> tuple[str, ...]:
    """Every module of the package (packages' ``__init__`` included), by name."""
    found = [PACKAGE]
    found += [info.name for info in pkgutil.walk_packages(pozirk_reader.__path__, PACKAGE + ".")]
    return tuple(sorted(found))


@cache
def imports_of(name: str) -> tuple[Import, ...]:
    """What module ``name`` imports: absolute names, relative ones resolved, ``from p import m`` as ``p.m``."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"), spec.origin)
    package = name if spec.submodule_search_locations is not None else name.rpartition(".")[0]
    known = set(modules())
    found: list[Import] = []

    def visit(node: ast.AST, type_checking: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_checking)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, name, node.lineno, type_checking) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append(Import(target if target in known else base, name, node.lineno, type_checking))
        for child in ast.iter_child_nodes(node):
            visit(child, type_checking)

    visit(tree, False)
    return tuple(found)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def every_import() -> list[Import]:
    return [found for name in modules() for found in imports_of(name)]


def layer(name: str) -> int:
    """The layer of a module of the package: 0 is the highest."""
    best = max(
        ((index, prefix) for index, prefixes in enumerate(LAYERS) for prefix in prefixes if _within(name, prefix)),
        key=lambda pair: len(pair[1]),
    )
    return best[0]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _top(name: str) -> str:
    return name.partition(".")[0]


def test_the_walk_finds_every_part_of_the_package() -> None:
    names = set(modules())
    for expected in (
        "pozirk_reader.cli.commands",
        "pozirk_reader.ui.app",
        "pozirk_reader.core.operations.importing",
        "pozirk_reader.core.store.writing",
        "pozirk_reader.core.search.query",
        "pozirk_reader.core.web.fetch",
        "pozirk_reader.core.article.plaintext",
        "pozirk_reader.core.limits",
    ):
        assert expected in names
    # function-level imports are read too: the CLI opens the UI only inside a command
    assert any(found.module == "pozirk_reader.ui.app" for found in imports_of("pozirk_reader.cli.commands"))


def test_every_module_has_a_layer() -> None:
    for name in modules():
        assert 0 <= layer(name) < len(LAYERS), name


def test_the_core_never_imports_textual() -> None:
    offenders = [
        f"{found.importer}:{found.line} imports {found.module}"
        for found in every_import()
        if _within(found.importer, "pozirk_reader.core") and _top(found.module) == "textual"
    ]
    assert offenders == []


def test_only_the_store_imports_sqlite3() -> None:
    importers = {found.importer for found in every_import() if _top(found.module) == "sqlite3"}
    assert importers, "the store imports sqlite3: the walk must see it"
    assert {name for name in importers if not _within(name, "pozirk_reader.core.store")} == set()


def test_no_layer_imports_a_higher_one() -> None:
    offenders = [
        f"{found.importer}:{found.line} imports {found.module}"
        for found in every_import()
        if _top(found.module) == PACKAGE and found.module in modules() and layer(found.module) < layer(found.importer)
    ]
    assert offenders == []


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its nodes in order, the first repeated at the end), or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := walk(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def _runtime_graph() -> dict[str, set[str]]:
    """Module -> modules of the package it imports when run (imports for type checkers only left out)."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for found in every_import():
        if not found.type_checking and found.module in graph and found.module != found.importer:
            graph[found.importer].add(found.module)
    return graph


@pytest.mark.parametrize("root", ["pozirk_reader.core", "pozirk_reader.cli", "pozirk_reader"])
def test_no_import_cycles_between_modules(root: str) -> None:
    graph = {
        name: {target for target in targets if _within(target, root)}
        for name, targets in _runtime_graph().items()
        if _within(name, root)
    }
    assert _cycle(graph) is None


def _package_of(name: str) -> str:
    spec = importlib.util.find_spec(name)
    assert spec is not None
    return name if spec.submodule_search_locations is not None else name.rpartition(".")[0]


def test_no_import_cycles_between_the_core_packages() -> None:
    graph: dict[str, set[str]] = {}
    for name, targets in _runtime_graph().items():
        if not _within(name, "pozirk_reader.core"):
            continue
        source = _package_of(name)
        graph.setdefault(source, set())
        graph[source].update(
            package
            for target in targets
            if _within(target, "pozirk_reader.core") and (package := _package_of(target)) != source
        )
    assert set(graph) >= {"pozirk_reader.core", "pozirk_reader.core.store", "pozirk_reader.core.search"}
    assert _cycle(graph) is None


def test_core_imports_without_textual_or_the_feed_libraries() -> None:
    """Importing any core module (or the CLI's) loads neither Textual nor, until they are used, the web libraries."""
    core = [name for name in modules() if _within(name, "pozirk_reader.core")] + ["pozirk_reader.cli.commands"]
    code = (
        "import sys\n"
        f"for name in {core!r}: __import__(name)\n"
        "heavy = ('textual', 'feedparser', 'httpx', 'trafilatura', 'lxml')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
