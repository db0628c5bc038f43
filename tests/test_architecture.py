"""The shape of the code: imports without a circle, an engine that knows no domain, no module
reaching into another's private names, modules a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "docgen"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names imported from it) for every import in the file, at any depth,
    except those under `if TYPE_CHECKING:` (which never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            if node.module is None:  # from . import x: each name is a module
                found.extend((f"{target}.{n}", []) for n in names)
            else:
                found.append((target, names))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for target, names in _imports(path):
            candidates = [f"{target}.{n}" for n in names] + [target]
            for c in candidates:
                if c in modules and c != name:
                    graph[name].add(c)
                    break
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_the_imports_have_no_circle():
    assert _cycle(_graph()) is None, " → ".join(_cycle(_graph()) or [])


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_engine_knows_no_domain():
    """docgen.render imports nothing of docgen but its own modules and the error base."""
    graph = _graph()
    for module, targets in graph.items():
        if module.startswith("docgen.render"):
            outside = {t for t in targets if not t.startswith("docgen.render") and t != "docgen.errors"}
            assert not outside, f"{module} imports {outside}"


def test_the_coverage_report_reads_only_the_model():
    inside = {t for t in _graph()["docgen.coverage.report"] if t.startswith("docgen.coverage")}
    assert inside == {"docgen.coverage.model"}


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for target, names in _imports(path):
            if target.startswith("docgen"):
                offenders += [f"{_module_name(path)}: {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not offenders


def test_modules_stay_small_and_documented():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= MAX_LINES, f"{path.relative_to(ROOT)} has {len(text.splitlines())} lines"
        assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(ROOT)} has no module docstring"
