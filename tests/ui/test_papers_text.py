"""Chinese as the desk shows it: full-width punctuation in every UI string, Qt's own dialogs in Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QMessageBox, QTabWidget

from window_desk.punct import half_width_marks, is_cjk, to_fullwidth

UI = Path(__file__).resolve().parents[2] / "src" / "window_desk" / "ui"


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of docstring constants (English prose for developers, not shown to anyone)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            ids.add(id(node.value))
    return ids


def test_normaliser_turns_half_width_marks_next_to_chinese() -> None:
    assert to_fullwidth("慢性病(糖尿病),需长期服药:每月约 300 元;") == "慢性病（糖尿病），需长期服药：每月约 300 元；"
    assert to_fullwidth("综合评估 (F9)") == "综合评估（F9）"
    assert to_fullwidth("真的吗?是!") == "真的吗？是！"
    # Latin text, times and amounts keep their marks.
    assert to_fullwidth("09:15, 2,500.00 (A)") == "09:15, 2,500.00 (A)"
    assert to_fullwidth("时间 09:15") == "时间 09:15"
    assert half_width_marks("已受理:个案") == ["受理:个"]


def test_every_chinese_ui_string_uses_full_width_punctuation() -> None:
    found: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
                continue
            text = node.value
            if "(*" in text:  # a Qt file-dialog filter: its (*.pdf) syntax must stay ASCII
                continue
            if any(is_cjk(c) for c in text) and half_width_marks(text):
                found.append(f"{path.relative_to(UI)}:{node.lineno}: {text!r}")
    assert found == []


def test_shown_texts_of_every_page_are_full_width(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """What is on screen, f-strings filled in: every page's labels, buttons, boxes, tabs, placeholders."""
    seen: list[str] = []
    bad: list[str] = []
    assert len(window.pages) >= 5  # every page is built with the window, so findChildren sees them all
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton) + window.findChildren(QGroupBox):
        text = widget.text() if not isinstance(widget, QGroupBox) else widget.title()
        seen.append(text)
    for tabs in window.findChildren(QTabWidget):
        seen.extend(tabs.tabText(i) for i in range(tabs.count()))
    seen.extend(e.placeholderText() for e in window.findChildren(QLineEdit))
    for text in seen:
        if any(is_cjk(c) for c in text) and half_width_marks(text):
            bad.append(text)
    assert len(seen) > 50
    assert bad == []


def test_standard_buttons_speak_chinese(app, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QMessageBox(QMessageBox.Icon.Information, "提示", "已保存",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
                      | QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    texts = {b: box.button(b).text() for b in (QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel,
                                               QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)}
    assert texts == {QMessageBox.StandardButton.Ok: "确定", QMessageBox.StandardButton.Cancel: "取消",
                     QMessageBox.StandardButton.Yes: "是(&Y)", QMessageBox.StandardButton.No: "否(&N)"}
    # A static box, answered with Enter, as desks call them.
    answered: list[str] = []

    def press_enter() -> None:
        active = app.activeModalWidget()
        if not isinstance(active, QMessageBox):
            QTimer.singleShot(20, press_enter)
            return
        answered.append(active.button(QMessageBox.StandardButton.Ok).text())
        qtbot.keyClick(active, "\r")

    QTimer.singleShot(0, press_enter)
    assert QMessageBox.information(None, "提示", "已保存") == QMessageBox.StandardButton.Ok
    assert answered == ["确定"]
