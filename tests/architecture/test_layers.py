"""The package's layers: folders name them, imports point down only, mkdocs stays on top.

The engine (everything below ``site/``) must stay usable from a notebook or another
site generator, so only the MkDocs face and the command line import ``mkdocs``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "probepress"

#: Top to bottom: a module may import its own layer and the layers after it.
LAYERS = ["cli", "bench", "site", "authoring", "claims", "media", "measure", "probes", "video"]
#: Standalone layers: import nothing of probepress but the base, imported from above.
STANDALONE = {"synth"}
#: Modules every layer may import (they import nothing of probepress).
BASE = {"probepress", "probepress.errors"}
#: The only layers allowed to import mkdocs.
MKDOCS_LAYERS = {"site", "cli"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module a file imports, lazy imports in functions included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; write probepress.<layer>..."
            names.add(node.module or "")
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and module not in BASE else None


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_lives_in_a_layer_folder() -> None:
    loose = [m for m in MODULES if _layer(m) not in {*LAYERS, *STANDALONE} and m not in BASE]
    assert loose == [], f"modules outside the layer folders: {loose}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    own = _layer(module)
    wrong = []
    for name in MODULES[module]:
        if not name.startswith("probepress") or name in BASE:
            continue
        target = _layer(name)
        if target == own:
            continue
        if own in STANDALONE or own is None:
            wrong.append(name)
        elif target in STANDALONE:
            continue
        elif LAYERS.index(target) < LAYERS.index(own):
            wrong.append(name)
    assert wrong == [], f"{module} ({own}) imports a higher layer: {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_mkdocs_face_imports_mkdocs(module: str) -> None:
    if _layer(module) in MKDOCS_LAYERS:
        return
    found = sorted(n for n in MODULES[module] if n == "mkdocs" or n.startswith("mkdocs."))
    assert found == [], f"{module} imports {found}: move that code into probepress.site"


def test_no_import_cycles() -> None:
    graph = {
        module: {name for name in imports if name in MODULES and name != module}
        for module, imports in MODULES.items()
    }
    # A package imports its __init__ implicitly; only explicit edges make a cycle here.
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle.extend(path[path.index(nxt) :] + [node, nxt] if nxt in path else [node, nxt])
                return True
            if nxt not in state and visit(nxt, [*path, node]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if start not in state and visit(start, []):
            break
    assert cycle == [], f"import cycle: {' -> '.join(cycle)}"
