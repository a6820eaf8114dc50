"""先行救助 — record a prepayment from the reserve for a case (or an 急难 inquiry), print its voucher.

Opens with the suggestion (the assessment's ``temp_emergency.prepay``, the cap, the
approval limit, the balance, earlier prepayments of the household); Enter records it.
Paid at once, the voucher is previewed for printing; above the limit or a repeat, it
waits in the supervisors' 待审批 list. Errors show in the dialog naming the field, and
the dialog stays open with what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.money import fmt
from window_desk.services import reserve
from window_desk.ui.context import DeskContext
from window_desk.ui.widgets.inputs import CodeCombo, MoneyEdit


class PrepayDialog(QDialog):
    sig_recorded = Signal(object)
    """Emitted with the PrepaymentResult once the prepayment is recorded (paid or waiting)."""

    def __init__(self, ctx: DeskContext, *, case_id: int | None = None, inquiry_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        """The prepayment dialog.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(parent)
        self.setObjectName("prepay_dialog")
        self.setWindowTitle("先行救助（临时救助备用金）")
        self.ctx = ctx
        self.case_id = case_id
        self.inquiry_id = inquiry_id
        self.suggestion: reserve.Suggestion | None = None
        self.result: reserve.PrepaymentResult | None = None
        self.last_preview: QDialog | None = None

        self.who = QLabel("正在读取……")
        self.who.setObjectName("prepay_who")
        self.who.setWordWrap(True)
        self.rules = QLabel()
        self.rules.setObjectName("prepay_rules")
        self.rules.setWordWrap(True)
        self.cause = CodeCombo(reserve.CAUSES)
        self.cause.setObjectName("prepay_cause")
        self.amount = MoneyEdit()
        self.amount.setObjectName("prepay_amount")
        self.reason = QLineEdit()
        self.reason.setObjectName("prepay_reason")
        self.reason.setPlaceholderText("如：家中突发火灾，基本生活陷入困境")
        self.override = QLineEdit()
        self.override.setObjectName("prepay_override")
        self.override.setPlaceholderText("仅在十二个月内同一原因再次救助时填写，须审核人批准")
        self.person_name = QLineEdit()
        self.person_name.setObjectName("prepay_person_name")
        self.person_id_number = QLineEdit()
        self.person_id_number.setObjectName("prepay_person_id")
        self.earlier = QListWidget()
        self.earlier.setObjectName("prepay_earlier")
        self.earlier.setMaximumHeight(90)
        self.message = QLabel()
        self.message.setObjectName("prepay_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        self.form = form
        form.addRow("领取人：", self.who)
        form.addRow("领取人姓名：", self.person_name)
        form.addRow("领取人身份证号：", self.person_id_number)
        form.addRow("致困原因（&C）：", self.cause)
        form.addRow("发放金额（元）（&M）：", self.amount)
        form.addRow("救助事由（&R）：", self.reason)
        form.addRow("重复救助理由：", self.override)
        form.addRow("本户既往先行救助：", self.earlier)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确认发放（Enter）")
        self.ok_button.setObjectName("prepay_ok")
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rules)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._set_person_fields(False)
        self._load()

    def _set_person_fields(self, visible: bool) -> None:
        """Name and ID number are asked only when the inquiry names nobody known yet."""
        for widget in (self.person_name, self.person_id_number):
            widget.setVisible(visible)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(visible)

    def _run(self, fn: Any, on_done: Any) -> None:
        def failed(exc: BaseException) -> bool:
            self.ok_button.setEnabled(self.suggestion is not None)
            if isinstance(exc, UserError):
                self.message.setText(str(exc))
                return True
            return False

        self.ctx.tasks.run(fn, on_done=on_done, on_error=failed, owner=self)

    def _load(self) -> None:
        ctx, case_id, inquiry_id = self.ctx, self.case_id, self.inquiry_id

        def read() -> reserve.Suggestion:
            with ctx.uow(write=False) as uow:
                return reserve.suggest(uow, case_id=case_id, inquiry_id=inquiry_id)

        self._run(read, self._show)

    def _show(self, s: reserve.Suggestion) -> None:
        self.suggestion = s
        case = f"个案 {s.case_number}" if s.case_number else "首问登记（尚未受理）"
        self.who.setText(f"{s.person_name}（{s.id_number_masked}），{case}" if s.person_name else case)
        if s.causes:
            self.cause.set_code(s.causes[0])
        if s.suggested is not None:
            self.amount.set_value(s.suggested)
        self.rules.setText(
            f"建议金额：{fmt(s.suggested) + '元' if s.suggested is not None else '无评估建议'}；"
            f"先行救助上限{fmt(s.cap)}元，超过{fmt(s.approval_limit)}元须审核人审批；"
            f"备用金余额{fmt(s.balance)}元；发放后{s.paperwork_days}个工作日内补齐材料。")
        self._set_person_fields(s.person_id is None)
        self.earlier.clear()
        for item in s.earlier:
            self.earlier.addItem(item.describe())
        if not s.earlier:
            self.earlier.addItem("无")
        self.ok_button.setEnabled(True)
        self.reason.setFocus()

    def submit(self) -> None:
        if self.suggestion is None:
            return
        ctx = self.ctx
        values = dict(amount=self.amount.text().strip() or "0", cause=self.cause.code(), reason=self.reason.text(),
                      override_reason=self.override.text(), case_id=self.suggestion.case_id,
                      inquiry_id=self.inquiry_id, name=self.person_name.text(),
                      id_number=self.person_id_number.text())
        self.ok_button.setEnabled(False)
        self.message.setText("正在保存……")

        def record() -> reserve.PrepaymentResult:
            with ctx.uow() as uow:
                return reserve.record_prepayment(uow, **values)

        self._run(record, self._recorded)

    def _recorded(self, result: reserve.PrepaymentResult) -> None:
        self.result = result
        info = result.prepayment
        self.sig_recorded.emit(result)
        if info.status == "pending":
            self.message.setStyleSheet("color: #1a5e20;")
            self.message.setText(f"已提交审核人审批（¥{fmt(info.amount)}），批准后打印发放凭证。")
            self.accept()
            return
        self.message.setStyleSheet("color: #1a5e20;")
        note = f"已发放，凭证 {info.voucher_number}，备用金余额{fmt(result.balance)}元"
        if result.low_balance:
            note += "（已低于预警线）"
        self.message.setText(note + "。")
        self.accept()
        if result.pdf is not None:
            show_voucher(self.ctx, result.pdf, info.voucher_number, self.parentWidget())


def show_voucher(ctx: DeskContext, pdf: bytes, number: str, parent: QWidget | None) -> QDialog:
    """Preview the voucher for printing (Ctrl+P)."""
    from window_desk.ui.preview import PreviewDialog  # pdfium loads only when a paper is shown

    dialog = PreviewDialog(pdf, number, ctx.tasks, suggested_name=number, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_prepay_dialog(ctx: DeskContext, parent: QWidget | None = None, *, case_id: int | None = None,
                       inquiry_id: int | None = None) -> PrepayDialog:
    """Open the prepayment dialog for a case or an 急难 inquiry (non-modal to the caller; returns it)."""
    dialog = PrepayDialog(ctx, case_id=case_id, inquiry_id=inquiry_id, parent=parent)
    dialog.open()
    return dialog
