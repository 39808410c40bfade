"""The house: one package per stage, data flows one way. Imports are read from the source (ast), not run."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "probe"

# The stage each module belongs to: its first part below `probe` (a package or a single module).
# What each stage may import of probe: the stages before it, never one after it (no import up the pipeline).
ALLOWED: dict[str, set[str]] = {
    "version": set(),
    "errors": set(),
    "models": {"errors"},
    "timing": {"models"},
    "request": {"errors", "models", "timing"},
    "money": {"errors", "models"},
    "safety": {"errors", "models"},
    "walk": {"errors", "models", "safety"},
    "detect": {"errors", "models", "money", "safety", "timing"},
    "decide": {"errors", "models", "money"},
    "report": {"errors", "models", "version"},
    "history": {"errors", "models", "request"},
    "run": {
        "errors",
        "models",
        "money",
        "timing",
        "version",
        "request",
        "safety",
        "walk",
        "detect",
        "decide",
        "report",
        "history",
    },
    "api": {"errors", "models", "request", "run", "timing"},
    "cli": {"errors", "models", "money", "request", "walk", "decide", "report", "run", "history"},
    "pytest_plugin": {"models", "api"},
    "__init__": {"version", "api"},
    "__main__": {"entry"},
    "entry": {"errors", "run", "cli"},
}
BROWSER_FREE = ("models", "money", "timing", "request", "safety", "decide", "history")
# Third-party packages a stage must never import (typer only in the CLI; rules and models stay browser-free).
FORBIDDEN: dict[str, set[str]] = {
    stage: {"typer"} | ({"playwright", "fastapi", "uvicorn"} if stage in BROWSER_FREE else set())
    for stage in ALLOWED
    if stage != "cli"
}
BUNDLED_STORE = "probe.run.store"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports, at the top, inside functions and under TYPE_CHECKING alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, f"{path}: relative import of {node.module}; write it absolute"
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                known = submodule.startswith("probe.") and (PACKAGE.parent / (submodule.replace(".", "/") + ".py"))
                yield submodule if known and known.exists() else node.module


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): set(imports_of(path)) for path in sorted(PACKAGE.rglob("*.py"))}


GRAPH = import_graph()


def test_every_module_belongs_to_a_known_stage() -> None:
    assert {stage_of(m) for m in GRAPH} <= set(ALLOWED), "add the new stage to ALLOWED, in pipeline order"
    assert {"probe.request", "probe.run.store", "probe.run.sync", "probe.decide.choose"} <= set(GRAPH)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_up_the_pipeline(module: str) -> None:
    stage = stage_of(module)
    mine = {m for m in GRAPH[module] if m == "probe" or m.startswith("probe.")}
    upward = sorted(m for m in mine if stage_of(m) != stage and stage_of(m) not in ALLOWED[stage])
    assert upward == [], f"{module} ({stage}) may import only {sorted(ALLOWED[stage])} of probe"
    banned = sorted(m for m in GRAPH[module] if m.split(".")[0] in FORBIDDEN.get(stage, set()))
    assert banned == [], f"{module} ({stage}) must not import {banned}"


def test_only_one_module_knows_the_bundled_store() -> None:
    knowing = sorted(m for m, imported in GRAPH.items() if any(i.split(".")[0] == "mock_store" for i in imported))
    assert knowing == [BUNDLED_STORE]


def test_no_import_cycles() -> None:
    graph = {m: {i for i in imported if i in GRAPH and i != m} for m, imported in GRAPH.items()}
    # A package's __init__ is imported with each of its modules: an edge to a module is an edge to its package too.
    for module, imported in graph.items():
        for target in list(imported):
            parent = target.rsplit(".", 1)[0]
            if parent in graph and parent != module and not module.startswith(parent + "."):
                imported.add(parent)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_check_graph_itself_sees_imports() -> None:
    """The table above is only worth something if the parser finds the imports it judges."""
    assert "probe.run.pipeline" in GRAPH["probe.run.check"]
    assert "probe.run.check" in GRAPH["probe.run.sync"]  # imported inside a function
    assert "playwright.async_api" in GRAPH["probe.walk.flow"]  # imported under TYPE_CHECKING
    assert "probe.version" in GRAPH["probe"]
