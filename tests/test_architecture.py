"""The layers stay apart: the domain is pure, and the UI never touches the ORM.

The layer contracts are import-linter's (`[tool.importlinter]` in
pyproject.toml): they follow indirect imports too, and a test below plants
each kind of breach in a copy of the package to prove the contracts catch
it. The clock rule is checked on the source with `ast`.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ccm_tui"

DOMAIN_FORBIDDEN = (
    "textual",
    "sqlmodel",
    "sqlalchemy",
    "babel",
    "rich",
    "ccm_tui.store",
    "ccm_tui.screens",
    "ccm_tui.widgets",
    "ccm_tui.app",
)
UI_FORBIDDEN = ("sqlmodel", "sqlalchemy", "ccm_tui.store.tables")
# Reading the clock inside a rule makes it untestable; the clock is an argument
# (a Clock handed in may be asked `clock.now()`; `datetime.now()` may not).
CLOCK_CALLS = {"now", "utcnow", "today"}
CLOCK_CLASSES = {"datetime", "date"}


def python_files(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = PACKAGE.parent) -> Iterator[str]:
    """Every module `path` (a file under `root`) imports, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from ccm_tui import store` imports ccm_tui.store.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def is_under(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


def violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in python_files(folder):
        for module in imported_modules(path):
            for banned in forbidden:
                if is_under(module, banned):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    return found


def test_domain_is_pure() -> None:
    assert python_files("domain"), "the domain package should not be empty"
    assert violations("domain", DOMAIN_FORBIDDEN) == []


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package under `root` with the project's contracts, without a cache."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    command = [sys.executable, "-c", script, "--config", str(PACKAGE.parent / "pyproject.toml"), "--no-cache"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_layer_contracts_hold() -> None:
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("file", "line", "contract"),
    [
        ("screens/help.py", "from ccm_tui.store import customers", "never import the store or ORM"),
        ("domain/hours.py", "from ccm_tui.text import formatting", "The domain is pure"),
        ("store/meta.py", "import ccm_tui.widgets.month_grid", "The store never imports Textual"),
        ("cli/agenda.py", "from ccm_tui.store import tables", "The CLI goes through services"),
        ("widgets/month_grid.py", "from ccm_tui.services import calendar", "Widgets never import"),
        ("store/meta.py", "from ccm_tui.services import open_book", "Layers:"),
        ("services/ics.py", "from sqlmodel import select", "Services write no SQL"),
    ],
    ids=[
        "screen-imports-a-repository",
        "domain-imports-formatting-then-babel",
        "store-imports-textual-through-a-widget",
        "cli-imports-tables",
        "widget-imports-a-service",
        "store-imports-upwards",
        "service-writes-a-query",
    ],
)
def test_the_contracts_catch_a_planted_breach(tmp_path: Path, file: str, line: str, contract: str) -> None:
    copy = tmp_path / "ccm_tui"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    planted = copy / file
    planted.write_text(planted.read_text(encoding="utf-8") + f"\n{line}  # planted by the test\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, f"planting {line!r} in {file} broke no contract"
    broken = [text for text in result.stdout.splitlines() if text.endswith("BROKEN")]
    assert any(contract in text for text in broken), result.stdout


@pytest.mark.parametrize("folder", ["screens", "widgets"])
def test_ui_does_not_touch_the_orm(folder: str) -> None:
    assert violations(folder, UI_FORBIDDEN) == []


def test_workers_are_described_by_name() -> None:
    """Textual's own `work` repr()s every argument on the main thread as a worker starts (a day's hundred events
    cost more than drawing them): the UI takes ccm_tui/widgets/workers.py's, which names the method instead."""
    textual_work = [
        f"{path.relative_to(PACKAGE.parent)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "workers.py" and "textual.work" in set(imported_modules(path))
    ]
    assert textual_work == []


def clock_reads(source: str) -> list[str]:
    """Lines that ask `datetime`/`date` for the current time."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
            and _root_name(node.func.value) in CLOCK_CLASSES
        ):
            found.append(f"{node.lineno}: .{node.func.attr}()")
    return found


def _root_name(node: ast.expr) -> str:
    """`datetime` for `datetime.now` and `datetime.datetime.now` alike."""
    while isinstance(node, ast.Attribute):
        if node.attr in CLOCK_CLASSES:
            return node.attr
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def test_domain_never_reads_the_clock() -> None:
    found = {
        str(path.relative_to(PACKAGE.parent)): reads
        for path in python_files("domain")
        if (reads := clock_reads(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("datetime.now(UTC)", True),
        ("datetime.datetime.utcnow()", True),
        ("date.today()", True),
        ("clock.now()", False),
        ("clock.today()", False),
    ],
    ids=["datetime-now", "module-utcnow", "date-today", "injected-clock-now", "injected-clock-today"],
)
def test_clock_finder(source: str, reads: bool) -> None:
    assert bool(clock_reads(source)) is reads


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("import textual.widgets", "ccm_tui/domain/x.py", "textual.widgets"),
        ("from sqlmodel import Field", "ccm_tui/domain/x.py", "sqlmodel"),
        ("from ..store import tables", "ccm_tui/domain/x.py", "ccm_tui.store.tables"),
        ("from . import model", "ccm_tui/domain/x.py", "ccm_tui.domain.model"),
        ("from ccm_tui import app", "ccm_tui/domain/x.py", "ccm_tui.app"),
        ("from .store import engine", "ccm_tui/domain/__init__.py", "ccm_tui.domain.store.engine"),
    ],
    ids=["plain", "from", "relative-parent", "relative-sibling", "from-package", "relative-in-init"],
)
def test_import_finder_sees_every_form(tmp_path: Path, source: str, name: str, expected: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    assert expected in set(imported_modules(path, root=tmp_path))
