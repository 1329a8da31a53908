"""The lock file installs exactly what pyproject.toml pins, each package with its hashes.

`make` installs from requirements.lock with --require-hashes; a pin changed in
pyproject.toml without `make lock` would be silently ignored, so this test fails until
the lock agrees."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, tuple[str, int]]:
    """Each locked package: its version and how many hashes it has."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\;]+)", block)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            locked[name] = (match.group(2), block.count("--hash=sha256:"))
    return locked


def _pinned() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "postgres"):
        wanted += project["optional-dependencies"][extra]
    return [Requirement(r) for r in wanted]


def test_every_pin_in_pyproject_is_locked_at_its_version():
    locked = _locked()
    differences = []
    for requirement in _pinned():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        (version,) = [s.version for s in requirement.specifier]
        if locked.get(name, (None, 0))[0] != version:
            differences.append(f"{name}: pyproject {version}, lock {locked.get(name)}")
    assert differences == [], "run `make lock`"


def test_every_locked_package_has_a_hash():
    assert all(hashes for _version, hashes in _locked().values())
    assert len(_locked()) > 50
