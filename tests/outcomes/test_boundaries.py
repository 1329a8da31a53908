"""`outcomes` is the domain core: it must never reach up into Flask or the app."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import outcomes

PACKAGE = Path(outcomes.__file__).parent
FORBIDDEN = ("flask", "feedback")


def _forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in FORBIDDEN or top.startswith("flask_")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_the_walk_finds_the_modules():
    names = {p.name for p in PACKAGE.rglob("*.py")}
    assert {"__init__.py", "framework.py", "scoring.py", "summaries.py", "writes.py"} <= names


def test_no_module_under_outcomes_imports_flask_or_feedback():
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: import {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, module in _imports(path)
        if _forbidden(module)
    ]
    assert offences == []


def test_the_check_itself_catches_forbidden_imports(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import flask\nfrom flask_login import current_user\n"
        "from feedback.db import session\nimport feedback\nimport os\n"
    )
    assert [m for _, m in _imports(bad) if _forbidden(m)] == [
        "flask",
        "flask_login",
        "feedback.db",
        "feedback",
    ]


_PROBE = """
import importlib, json, pkgutil, sys
import outcomes
names = [m.name for m in pkgutil.walk_packages(outcomes.__path__, "outcomes.")]
for name in names:
    importlib.import_module(name)
loaded = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("flask", "feedback") or m.split(".")[0].startswith("flask_")
)
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def test_importing_every_outcomes_module_loads_no_flask_or_feedback():
    done = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed script
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "outcomes.scoring" in result["imported"]
    assert result["loaded"] == []
