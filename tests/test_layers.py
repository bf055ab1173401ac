"""The apps are layers: an app imports only apps below it, at module level or inside a function.

    departments (core)  <  budgets (money)  <  indicators (indicators, scoring)
        <  flow  <  overview  <  reports  <  demo

The order is ``LAYERS`` below and that of ``INSTALLED_APPS``. Cross-layer calls upward go through a
function the upper layer registers (e.g. ``departments.access.register_group_roles``) or are
moved up. ``perfeval`` (settings, formatting, xlsx helpers) sits below every app and imports none.
The rule is for the apps' code. Their ``tests/`` folders are exempt: a test sets up the year it
needs with whatever layer does that best (the demo loader, the flow's services), and end-to-end
page tests live with the app whose page they test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("departments", "budgets", "indicators", "flow", "overview", "reports", "demo")
RANK = {app: rank for rank, app in enumerate(LAYERS)}
SKIP_DIRS = {"migrations", "tests"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in the file, nested ones included, plus
    ``apps.get_model("app", …)`` calls (a string import is still an import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


def _python_files(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if not SKIP_DIRS & set(p.relative_to(ROOT).parts)]


def upward_imports(app: str) -> list[str]:
    """Every import in ``app`` of an app above it, as "path:line imports X"."""
    problems = []
    for path in _python_files(app):
        for line, package in _imports(path):
            if package in RANK and RANK[package] > RANK[app]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {package}")
    return problems


def test_layers_follow_installed_apps():
    ours = [label.split(".")[0] for label in settings.INSTALLED_APPS if label.split(".")[0] in RANK]
    assert tuple(ours) == LAYERS


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_an_app_above_it(app):
    assert upward_imports(app) == []


def test_perfeval_imports_no_app():
    problems = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in (ROOT / "perfeval").rglob("*.py")
        for line, package in _imports(path)
        if package in RANK
    ]
    assert problems == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The rule is not vacuous: a core module importing the flow (even inside a function) is
    reported."""
    fake_root = tmp_path
    (fake_root / "departments").mkdir()
    (fake_root / "departments" / "bad.py").write_text(
        "def f():\n    from flow.services import year_submit\n    return year_submit\n", encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", fake_root)
    assert upward_imports("departments") == ["departments/bad.py:2 imports flow"]
