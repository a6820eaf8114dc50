"""The decisions of the intake page other than the acceptance itself, asked for by keyboard.

``RejectDialog`` (不予受理: reasons and the policy basis) and ``MissingMaterialsDialog`` (一次性告知:
every missing material and a supplement-by date) ask what the paper needs; ``DecisionsMixin`` gives
the intake page F8 and F7 with them, the reason asked before going on past a duplicate-assistance
warning, and the papers dialog opened after every decision.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from window_desk import vocab
from window_desk.services import intake, settings
from window_desk.timeutil import today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.assessment_panel import ReasonDialog, _ok_cancel
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


class DecisionsMixin:
    """F8 不予受理, F7 一次性告知, the duplicate reason and the papers dialog, for the intake page
    (which provides the attributes below)."""

    ctx: DeskContext
    form: Any  # the HouseholdForm
    documents_dialog: QWidget | None
    decision_dialog: QDialog
    reason_dialog: QDialog
    _form_ok: Callable[[str], bool]
    _run_decision: Callable[[Callable[[], intake.CaseDecided], str], None]

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    def open_documents(self, case_id: int, number: str, message: str | None = None) -> None:
        """The papers to hand out now: the decision's notice first, then the others."""
        from window_desk.ui.case_documents import CaseDocumentsDialog

        dialog = CaseDocumentsDialog(self.ctx, case_id, number, self._widget())
        dialog.message.setText(message or f"已受理，个案编号 {number}。请开具受理通知书等文书。")
        self.documents_dialog = dialog
        dialog.open()

    def _duplicate_reason(self, payload: dict[str, Any], findings: list[intake.DuplicateFinding]) -> bool:
        dialog = ReasonDialog("可能重复救助", "可能重复救助：\n" + "\n".join(f.text for f in findings)
                              + "\n\n如确需继续受理，请写明理由（记入个案和审计日志，审核人可见）：", self._widget())
        dialog.setObjectName("duplicate_dialog")
        self.reason_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        payload["duplicate_reason"] = dialog.reason()
        return True

    def reject_case(self) -> None:
        """不予受理：reasons and policy basis → the case records it → 不予受理告知书."""
        if not self._form_ok("无法登记不予受理"):
            return
        dialog = RejectDialog(self._widget())
        self.decision_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        payload = copy.deepcopy(self.form.payload)
        reasons, basis = dialog.reasons(), dialog.basis()

        def submit() -> intake.CaseDecided:
            with self.ctx.uow() as uow:
                return intake.reject_case(uow, payload, settings.get(uow, "office_name"), reasons, basis)

        self._run_decision(submit, "不予受理")

    def notify_missing(self) -> None:
        """一次性告知：every missing material at once and a supplement-by date → 一次性告知书."""
        if not self._form_ok("无法一次性告知"):
            return
        day = self.form.application_day()
        dialog = MissingMaterialsDialog(self.form.payload.get("materials", []),
                                        intake.default_supplement_by(day, today()), max(day, today()), self._widget())
        self.decision_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        payload = copy.deepcopy(self.form.payload)
        missing, by = dialog.missing(), dialog.supplement_by()

        def submit() -> intake.CaseDecided:
            with self.ctx.uow() as uow:
                return intake.notify_missing(uow, payload, settings.get(uow, "office_name"), missing, by)

        self._run_decision(submit, "一次性告知")
