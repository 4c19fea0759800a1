"""The core must stay importable without Qt, so the CLI and tests never need a display."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_qt_or_gui():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                offenders.append(f"{path.relative_to(CORE)}: {name}")
            if name.startswith("app.gui"):
                offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert offenders == []


def test_core_scan_finds_modules():
    assert len(list(CORE.rglob("*.py"))) > 10
