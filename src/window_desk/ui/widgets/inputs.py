"""Inputs that know their vocabulary: code-backed combo boxes, money fields, date fields, check groups.

None of them changes a value by itself: a combo box or spin box ignores the mouse wheel unless it has
the keyboard focus （scrolling the page must not turn 有劳动能力 into 无劳动能力），and a money field keeps
exactly what was typed or pasted and says, in Chinese and naming the field, when it is not an amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLineEdit, QSpinBox, QWidget

from window_desk.money import money_error, parse_money


class CodeCombo(QComboBox):
    """A drop-down of Chinese labels that reads and writes the code behind them."""

    def __init__(self, choices: Mapping[Any, str], *, empty_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if empty_label is not None:
            self.addItem(empty_label, None)
        for code, label in choices.items():
            self.addItem(label, code)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the page scrolls instead

    def code(self) -> Any:
        return self.currentData()

    def set_code(self, code: Any) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index if index >= 0 else 0)


class CountSpin(QSpinBox):
    """A small count (vehicles, houses) that ignores the wheel unless focused."""

    def __init__(self, maximum: int = 99, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, maximum)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class DateField(QDateEdit):
    """A date typed as yyyy-MM-dd. Tab leaves the field (it does not walk year → month → day:
    the next digits must not silently change the date); ←/→ move between its parts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802,A002 - Qt override
        return QWidget.focusNextPrevChild(self, next)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def day(self) -> date:
        return self.date().toPython()  # type: ignore[no-any-return]

    def set_day(self, day: date) -> None:
        self.setDate(QDate(day.year, day.month, day.day))


class MoneyEdit(QLineEdit):
    """元：a non-negative amount with at most two decimals; empty means 0.

    What is typed or pasted stays as it is ("-500" is not turned into 500, "12.345" not into 12.34);
    when it is not such an amount the field turns red, its tooltip says why, and ``sig_invalid``
    carries the message so the form can show it. ``error()`` is the message (or None)."""

    sig_invalid = Signal(str)
    """Emitted with the Chinese message (naming the field) when the text stops being an amount."""

    def __init__(self, label: str = "金额", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPlaceholderText("0.00")
        self.setMaximumWidth(140)
        self._shown_error: str | None = None
        self.textChanged.connect(self._check)

    def error(self) -> str | None:
        return money_error(self.text(), self.label)

    def _check(self) -> None:
        message = self.error()
        if message == self._shown_error:
            return
        self._shown_error = message
        self.setProperty("invalid", message is not None)
        self.setStyleSheet("QLineEdit { border: 2px solid #b00020; background: #fff0f0; }" if message else "")
        self.setToolTip(message or "")
        if message:
            self.sig_invalid.emit(message)

    def raw(self) -> str:
        """The text as typed (stripped); the payload keeps this so nothing is changed silently."""
        return self.text().strip()

    def value(self) -> Decimal | None:
        """The amount, or None while the text is not a valid amount."""
        return parse_money(self.text())

    def set_value(self, value: object) -> None:
        text = "" if value is None else str(value).strip()
        amount = parse_money(text)
        if amount is not None and amount == 0:
            self.clear()
        elif amount is not None:
            self.setText(f"{amount:.2f}")
        else:
            self.setText(text)  # a draft keeps what was typed, even when it is wrong


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
