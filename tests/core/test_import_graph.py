"""The core's modules import each other without circles, read with ``ast`` (imports under ``if
TYPE_CHECKING:`` do not count; the package ``zoo_core`` itself, the public facade that re-exports,
is left out of the graph). At module level there is no circle at all; counting imports deferred
into functions too (a deferred import only hides a circle), the registry, the training flow and
the hub are in none."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "zoo_core"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in CORE.rglob("*.py")}


def type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(inner) for inner in ast.walk(node)}
    return hidden


def known(name: str) -> str | None:
    """The core module ``name`` is, or is inside (``zoo_core.hub.pull.pull`` → its module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str, path: Path, deferred: bool = True) -> set[str]:
    tree = ast.parse(path.read_text())
    hidden = type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str | None] = set()
    nodes = (
        ast.walk(tree)
        if deferred
        else (
            n
            for top in tree.body
            for n in ast.walk(top)
            if not isinstance(top, ast.FunctionDef | ast.ClassDef)
        )
    )
    for node in nodes:
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found |= {known(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found |= {known(f"{base}.{alias.name}") for alias in node.names}
    return {module for module in found if module and module not in (name, "zoo_core")}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def core_graph(deferred: bool = True) -> dict[str, set[str]]:
    return {
        name: imports(name, path, deferred) for name, path in MODULES.items() if name != "zoo_core"
    }


def test_the_core_has_no_import_circles_at_module_level() -> None:
    graph = core_graph(deferred=False)
    assert len(graph) > 40 and graph["zoo_core.train_flow"] >= {"zoo_core.registry"}
    circles = cycles(graph)
    assert not circles, "import circles: " + "; ".join(" ↔ ".join(c) for c in circles)


def test_registry_training_and_hub_are_in_no_circle_even_through_deferred_imports() -> None:
    graph = core_graph()
    assert graph["zoo_core.checkpoint"] >= {"zoo_core.registry"}
    kept_out = ("zoo_core.registry", "zoo_core.train_flow", "zoo_core.training", "zoo_core.hub")
    circles = [c for c in cycles(graph) if any(m.startswith(kept_out) for m in c)]
    assert not circles, "import circles: " + "; ".join(" ↔ ".join(c) for c in circles)


def test_the_checker_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_core_imports_no_first_party_plugin() -> None:
    plugins = {path.name for path in (CORE.parent / "plugins").iterdir() if path.is_dir()}
    named = {
        f"{name}: {alias.name if isinstance(node, ast.Import) else node.module}"
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if ((alias.name if isinstance(node, ast.Import) else node.module) or "").split(".")[0]
        in plugins
    }
    assert not named, named
