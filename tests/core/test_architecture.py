"""The core never imports Qt: only window_desk.ui may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "window_desk"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _core_modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "ui" not in p.relative_to(SRC).parts[:1]]


def test_no_module_outside_ui_imports_qt() -> None:
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in QT_MODULES:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} imports {name}")
    assert len(_core_modules()) > 10  # the walk really saw the package
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = []
    for path in _core_modules():
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__main__" or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "print(len(sys.modules)); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
