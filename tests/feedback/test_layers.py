"""The app's features are layered: beneath their routes and commands, features' models and
services depend on one another without a circle, and no feature reaches into another's
routes or commands. (Routes and commands sit on top, and may use any feature's services:
the case page shows a case's links and the answers its worker may read.)"""

from __future__ import annotations

import ast
from pathlib import Path

import feedback

PACKAGE = Path(feedback.__file__).parent
# The parts of a feature other features may not import, and that the layering ignores.
TOP = {"routes", "cli", "__init__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _feature(module: str) -> str | None:
    """`feedback.cases.services` -> `feedback.cases`; modules outside a feature package
    (`feedback.db`, `feedback.cli`) have none."""
    parts = module.split(".")
    if len(parts) < 2 or not (PACKAGE / parts[1]).is_dir():
        return None
    return f"{parts[0]}.{parts[1]}"


def _imports(path: Path) -> set[str]:
    """The feedback modules a module imports at run time (not under TYPE_CHECKING)."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                self.generic_visit(node)

        def visit_ImportFrom(self, node):
            if node.level or not node.module:
                return
            subs = {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
            found.update(subs or {node.module})

        def visit_Import(self, node):
            found.update(a.name for a in node.names)

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in MODULES}


def _is_top(module: str) -> bool:
    return module.rsplit(".", 1)[-1] in TOP or _feature(module) == module


def _feature_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        feature = _feature(module)
        if feature is None or _is_top(module):
            continue
        for imported in _imports(path):
            other = _feature(imported)
            if other and other != feature:
                graph.setdefault(feature, set()).add(other)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle found by a depth-first walk, each as the path that closes it."""
    circles, done = [], set()

    def walk(node: str, path: list[str]) -> None:
        if node in path:
            circles.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            walk(nxt, [*path, node])
        done.add(node)

    for start in sorted(graph):
        walk(start, [])
    return circles


def test_features_beneath_their_routes_form_no_circle():
    assert _circles(_feature_graph()) == []


def test_the_check_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_feature_imports_another_features_routes_or_commands():
    offences = [
        f"{module} imports {imported}"
        for module, path in MODULES.items()
        for imported in _imports(path)
        if imported.rsplit(".", 1)[-1] in ("routes", "cli")
        and _feature(imported) not in (None, _feature(module))
        and module not in ("feedback", "feedback.cli")
    ]
    assert offences == []
