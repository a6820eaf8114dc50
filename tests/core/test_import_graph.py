"""The one-way imports of docs/architecture.md: no cycle inside window_desk, and no module importing
a layer above its own (domain → db → services/forms → ui → cli; the command line is the entry point
and starts the desk, the desk never calls the command line).

Imports made only for type checking (``if TYPE_CHECKING:``) are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "window_desk"

# The layer of each top-level part of the package; a module may import its own layer or lower ones.
LAYERS = {"domain": 0, "db": 1, "uow": 1, "services": 2, "forms": 2, "ui": 3, "cli": 4}
# Of the top-level modules, these sit above the domain: the audit chain, the unit of work and the
# change notices work on database sessions.
TOP_LEVEL = {"uow": "uow", "audit": "db", "changes": "db", "__main__": "cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "domain"
    head = parts[1]
    if head in LAYERS:
        return head
    if head in TOP_LEVEL:
        return TOP_LEVEL[head]
    return "domain"  # a domain module or package (idnumber, assessment/, cardreader/, ...)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The window_desk modules ``path`` imports (at any depth: a lazy import is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.add(alias.name)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                found.add(target)
                for alias in child.names:  # ``from pkg import module``
                    found.add(f"{target}.{alias.name}")
            visit(child)

    visit(tree)
    return {m for m in found if m in modules and m != this}


def graph() -> dict[str, set[str]]:
    paths = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def _parent_packages(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules, or None. A package importing its own submodules (to
    re-export them) is not a cycle with those submodules importing siblings through it."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt in _parent_packages(node):
                continue  # importing one's own package (its __init__) is how submodules share names
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = dfs(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if state.get(start) is None:
            cycle = dfs(start)
            if cycle:
                return cycle
    return None


def test_the_walk_sees_the_package() -> None:
    edges = graph()
    assert "window_desk.assessment" in edges and "window_desk.ui.app" in edges
    assert "window_desk.assessment.income" in edges["window_desk.assessment"]


def test_no_import_cycle_inside_window_desk() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_module_imports_a_layer_above_its_own() -> None:
    offenders = []
    for module, targets in graph().items():
        mine = LAYERS[layer_of(module)]
        for target in targets:
            if LAYERS[layer_of(target)] > mine:
                offenders.append(f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})")
    assert offenders == []


def test_the_checks_catch_a_cycle_and_an_upward_import() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert LAYERS[layer_of("window_desk.ui.app")] > LAYERS[layer_of("window_desk.services.intake")]
    assert LAYERS[layer_of("window_desk.services.intake")] > LAYERS[layer_of("window_desk.idnumber")]
