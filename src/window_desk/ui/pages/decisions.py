"""The two decisions other than acceptance, asked for by keyboard: 不予受理 and 一次性告知."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from window_desk import vocab
from window_desk.ui.pages.assessment_panel import _ok_cancel
from window_desk.ui.widgets.inputs import CheckGroup, DateField


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RejectDialog(QDialog):
    """Reasons (one a line) and the policy basis of a rejection."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("不予受理")
        self.setObjectName("reject_dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("不予受理的理由（每行一条，将逐条印在不予受理告知书上）："))
        self.reasons_text = QPlainTextEdit()
        self.reasons_text.setObjectName("reject_reasons")
        self.reasons_text.setTabChangesFocus(True)
        layout.addWidget(self.reasons_text)
        layout.addWidget(QLabel("政策依据（文件及条款）："))
        self.basis_text = QLineEdit()
        self.basis_text.setObjectName("reject_basis")
        self.basis_text.setPlaceholderText("例如：《社会救助暂行办法》第十一条")
        layout.addWidget(self.basis_text)
        layout.addWidget(QLabel("救济途径（行政复议机关、行政诉讼法院）按“设置”中的名称印出。"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        layout.addWidget(_ok_cancel(self, "登记并开具告知书", self._accept))
        self.resize(520, 320)

    def reasons(self) -> list[str]:
        return _lines(self.reasons_text.toPlainText())

    def basis(self) -> str:
        return self.basis_text.text().strip()

    def _accept(self) -> None:
        if not self.reasons():
            self.message.setText("不予受理理由：请至少写明一条")
            self.reasons_text.setFocus()
            return
        if len(self.basis()) < 2:
            self.message.setText("政策依据：请写明文件及条款")
            self.basis_text.setFocus()
            return
        self.accept()


class MissingMaterialsDialog(QDialog):
    """Every missing material at once (the list, and more typed one a line) and the supplement-by date."""

    def __init__(self, received: list[str], default_by: date, earliest: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("一次性告知")
        self.setObjectName("missing_dialog")
        self.earliest = earliest
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("需补齐的材料（空格勾选；一次列全）："))
        choices = {code: label for code, label in vocab.MATERIALS.items() if code not in received}
        self.items = CheckGroup(choices, columns=2)
        layout.addWidget(self.items)
        layout.addWidget(QLabel("其他需补齐的材料（每行一项）："))
        self.other = QPlainTextEdit()
        self.other.setObjectName("missing_other")
        self.other.setTabChangesFocus(True)
        self.other.setMaximumHeight(80)
        layout.addWidget(self.other)
        layout.addWidget(QLabel("补齐期限："))
        self.by = DateField()
        self.by.setObjectName("supplement_by")
        self.by.set_day(default_by)
        layout.addWidget(self.by)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        layout.addWidget(_ok_cancel(self, "登记并开具告知书", self._accept))
        self.resize(520, 420)

    def missing(self) -> list[str]:
        return [vocab.MATERIALS[c] for c in self.items.codes()] + _lines(self.other.toPlainText())

    def supplement_by(self) -> date:
        return self.by.day()

    def _accept(self) -> None:
        if not self.missing():
            self.message.setText("需补齐材料：请至少勾选或写明一项")
            return
        if self.supplement_by() < self.earliest:
            self.message.setText(f"补齐期限：不能早于{self.earliest.isoformat()}")
            self.by.setFocus()
            return
        self.accept()
