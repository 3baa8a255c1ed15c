"""The house rules of docs/architecture.md, read from the code: no import circle among nrrkit's
modules (imports inside functions count too) and no module taking another module's private name."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "nrrkit"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path):
    """(target module, imported name, line) for every import of an nrrkit module in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("nrrkit"):
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                yield (sub if sub in MODULES else module), alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nrrkit"):
                    yield alias.name, "", node.lineno


def test_no_module_takes_another_modules_private_name():
    taken = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line} takes {target}.{what}"
             for name, path in MODULES.items() for target, what, line in _imports(name, path)
             if what.startswith("_") and not what.startswith("__") and target != name]
    assert taken == []


def test_no_import_circle():
    graph = {name: {t for t, _w, _l in _imports(name, path) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    # nrrkit/__init__ names every module for type checkers only (its names load lazily): leave it out
    graph["nrrkit"] = set()
    circles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(trail[trail.index(nxt):] + [node, nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert circles == []


def test_every_imported_module_is_in_the_package():
    """An import of a module that was removed or renamed fails here, whatever else is installed."""
    missing = []
    for name, path in MODULES.items():
        for target, _what, line in _imports(name, path):
            if target.startswith("nrrkit") and target not in MODULES:
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert missing == []
