"""Inputs that know their vocabulary: code-backed combo boxes, money fields, check groups."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget


class CodeCombo(QComboBox):
    """A drop-down of Chinese labels that reads and writes the code behind them."""

    def __init__(self, choices: Mapping[Any, str], *, empty_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if empty_label is not None:
            self.addItem(empty_label, None)
        for code, label in choices.items():
            self.addItem(label, code)

    def code(self) -> Any:
        return self.currentData()

    def set_code(self, code: Any) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index if index >= 0 else 0)


class MoneyEdit(QLineEdit):
    """元 with at most two decimals; empty means 0. Typing is restricted so nothing else gets in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$"), self))
        self.setPlaceholderText("0.00")
        self.setMaximumWidth(140)

    def value(self) -> Decimal:
        text = self.text().strip()
        if not text or text == ".":
            return Decimal("0.00")
        try:
            return Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            return Decimal("0.00")

    def set_value(self, value: object) -> None:
        if value in (None, "", 0, "0", "0.00") or (isinstance(value, Decimal) and value == 0):
            self.clear()
        else:
            self.setText(f"{Decimal(str(value)):.2f}")


class CheckGroup(QWidget):
    """A grid of check boxes over a vocabulary; reads and writes a list of codes."""

    sig_changed = Signal()
    """Emitted (no arguments) when any box is toggled."""

    def __init__(self, choices: Mapping[str, str], columns: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(choices.items()):
            box = QCheckBox(label)
            box.setObjectName(f"check_{code}")
            box.toggled.connect(lambda _checked: self.sig_changed.emit())
            layout.addWidget(box, i // columns, i % columns)
            self.boxes[code] = box

    def codes(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_codes(self, codes: list[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)
