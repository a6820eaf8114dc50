"""One case, opened from the register: household, assessment with overrides, measures, referrals,
documents, payments and audit trail; close （办结） or withdraw （撤回） it with a written reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk import permissions, vocab
from window_desk.errors import UserError
from window_desk.services.register import CLOSE_OUTCOMES, CaseDetail, case_detail, close_case, reveal_member_numbers
from window_desk.ui.context import DeskContext


def _table(headers: tuple[str, ...], rows: list[tuple[Any, ...]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()  # a case has a handful of rows: measuring them is cheap
    return table


class ReasonDialog(QDialog):
    """Asks for the reason of closing, withdrawing or showing full numbers; Ctrl+Enter accepts.

    An empty reason is refused here with a message (the service refuses it too)."""

    def __init__(self, title: str, parent: QWidget | None = None, name: str = "close_reason") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName(name)
        self.message = QLabel()
        self.message.setObjectName("reason_message")
        self.message.setStyleSheet("color: #c62828;")
        self.reason.setPlaceholderText("请写明理由（至少两个字），Ctrl+回车确定")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{title}的理由："))
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if len(self.reason.toPlainText().strip()) < 2:
            self.message.setText("理由：请写明理由（至少两个字）")
            self.reason.setFocus()
            return
        super().accept()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.accept()
            return
        super().keyPressEvent(event)


class CaseDetailDialog(QDialog):
    sig_changed = Signal(int)
    """Emitted with the case id after the case was closed or withdrawn."""

    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.case_number = case_number
        self.detail: CaseDetail | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.documents_dialog: QWidget | None = None
        self.setObjectName("case_detail")
        self.setWindowTitle(f"个案 {case_number}")
        self.resize(980, 640)
        self.summary = QLabel("正在读取…")
        self.summary.setObjectName("case_summary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.close_button = QPushButton("办结（&J）…")
        self.close_button.setObjectName("close_case")
        self.withdraw_button = QPushButton("撤回申请（&W）…")
        self.withdraw_button.setObjectName("withdraw_case")
        self.documents_button = QPushButton("文书（&D）…")
        # The only way to a full ID number: this case's members, with a reason, logged.
        self.reveal_button = QPushButton("显示完整号码（&K）…")
        self.reveal_button.setObjectName("reveal_numbers")
        self.reveal_button.setToolTip("显示本个案家庭成员的完整身份证号码（需写明理由，记入审计日志）")
        self.reveal_button.setVisible(permissions.allowed(ctx.user.role, "person.reveal"))
        self.revealed: dict[int, str] = {}  # member row -> full number, for this dialog only
        self.done_button = QPushButton("关闭")
        for b in (self.close_button, self.withdraw_button, self.reveal_button):
            b.setEnabled(False)
        buttons = QHBoxLayout()
        for b in (self.close_button, self.withdraw_button, self.reveal_button, self.documents_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.close_button.clicked.connect(lambda: self.ask_reason("closed"))
        self.withdraw_button.clicked.connect(lambda: self.ask_reason("withdrawn"))
        self.documents_button.clicked.connect(self.open_documents)
        self.reveal_button.clicked.connect(self.ask_reveal)
        self.done_button.clicked.connect(self.reject)
        self.load()

    def _run(self, fn: Any, on_done: Any, on_error: Any = None) -> None:
        self.ctx.tasks.run(fn, on_done=on_done, on_error=on_error, owner=self)

    def load(self) -> None:
        def fetch() -> CaseDetail:
            with self.ctx.uow(write=False) as uow:
                return case_detail(uow, self.case_id)

        self._run(fetch, self._show)

    def _show(self, d: CaseDetail) -> None:
        self.detail = d
        self.case_number = d.number  # opened by id alone (from the daily review): the number arrives here
        self.setWindowTitle(f"个案 {d.number}")
        tier = vocab.TIERS.get(d.tier or "none", "")
        status = vocab.CASE_STATUSES.get(d.status, d.status)
        reason = f"；结案理由：{d.decision_reason}" if d.decision_reason and not d.is_open else ""
        self.summary.setText(
            f"<b>{d.number}</b>  {status}  类别：{tier}  申请日期：{d.application_date.isoformat()}  "
            f"办理期限：{d.deadline.isoformat() if d.deadline else '无'}  经办：{d.clerk}<br>申请事项：{d.matter}{reason}")
        current = self.tabs.currentIndex()
        old = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.tabs.clear()  # removes the pages without deleting them: a reload must not pile up old tables
        for widget in old:
            widget.deleteLater()
        self.tabs.addTab(self._household_tab(d), "家庭")
        self.tabs.addTab(self._assessment_tab(d), "评估与调整")
        self.tabs.addTab(_table(("措施", "承办部门", "期限", "理由"),
                                [(m["name"], m["department"], m["due_date"], m["reason"]) for m in d.measures],
                                "measures_table"), "救助措施")
        self.tabs.addTab(_table(("措施", "部门", "状态", "期限", "结果"),
                                [(vocab.MEASURES.get(r["code"], r["code"]), r["department"],
                                  r["status_label"] + ("（逾期）" if r["overdue"] else ""), r["due_date"].isoformat(),
                                  r["result"]) for r in d.referrals], "referrals_table"), "转介")
        self.tabs.addTab(_table(("文书编号", "种类", "作废"),
                                [(x["number"], x["kind"], "已作废" if x["voided"] else "") for x in d.documents],
                                "documents_table"), "文书")
        if d.payments:
            payments: QWidget = _table(("日期", "金额", "经办"), [(p["day"], p["amount"], p["by"]) for p in d.payments],
                                       "payments_table")
        else:
            payments = QLabel("暂无发放记录（备用金功能启用后在此显示）。")
            payments.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tabs.addTab(payments, "救助金发放")
        self.tabs.addTab(_table(("时间", "操作人", "操作"), [(e["at"], e["actor"], e["action"]) for e in d.audit],
                                "audit_table"), "审计记录")
        self.tabs.setCurrentIndex(max(current, 0))
        for b in (self.close_button, self.withdraw_button):
            b.setEnabled(d.is_open)
        self.reveal_button.setEnabled(not self.revealed)

    def _household_tab(self, d: CaseDetail) -> QWidget:
        h = d.household
        household = QWidget()
        box = QVBoxLayout(household)
        box.addWidget(QLabel(f"{h['area']}  住址：{h['address']}  电话：{h['phone']}"))
        box.addWidget(_table(("姓名", "关系", "身份证号"),
                             [(m["name"], m["relation"], self.revealed.get(i, m["id_number"]))
                              for i, m in enumerate(d.members)], "members_table"), 1)
        return household

    @staticmethod
    def _assessment_tab(d: CaseDetail) -> QWidget:
        assessment = QWidget()
        box = QVBoxLayout(assessment)
        a = d.assessment
        if a is None:
            box.addWidget(QLabel("尚无评估记录。"))
        else:
            note = "" if a["matches"] else "（按所存政策重算与原建议不一致，以原建议为准）"
            box.addWidget(QLabel(f"建议类别：{vocab.TIERS.get(a['proposed_tier'], a['proposed_tier'])}；"
                                 f"政策：{a['policy'].get('locality', '')} 自 {a['policy'].get('effective_from', '')} 起{note}"))
            box.addWidget(QLabel("人工调整：" if d.overrides else "人工调整：无"))
            if d.overrides:
                box.addWidget(_table(("调整", "措施", "理由", "经办"),
                                     [(o["action"], o["name"], o["reason"], o["by"]) for o in d.overrides],
                                     "overrides_table"))
        box.addStretch(1)
        return assessment

    def ask_reason(self, outcome: str) -> None:
        dialog = ReasonDialog(CLOSE_OUTCOMES[outcome], self)
        self.reason_dialog = dialog
        dialog.accepted.connect(lambda: self._close(outcome, dialog.reason.toPlainText()))
        dialog.open()
        dialog.reason.setFocus()

    def _close(self, outcome: str, reason: str) -> None:
        def work() -> str:
            with self.ctx.uow() as uow:
                return close_case(uow, self.case_id, outcome, reason)

        def done(_outcome: str) -> None:
            self.sig_changed.emit(self.case_id)
            self.load()

        self._run(work, done, self._failed)

    def ask_reveal(self) -> None:
        dialog = ReasonDialog("显示完整号码", self, name="reveal_reason")
        self.reason_dialog = dialog
        dialog.accepted.connect(lambda: self._reveal(dialog.reason.toPlainText()))
        dialog.open()
        dialog.reason.setFocus()

    def _reveal(self, reason: str) -> None:
        def work() -> list[dict[str, Any]]:
            with self.ctx.uow() as uow:
                return reveal_member_numbers(uow, self.case_id, reason)

        def done(numbers: list[dict[str, Any]]) -> None:
            self.revealed = {i: n["id_number"] for i, n in enumerate(numbers)}
            if self.detail is not None:
                self._show(self.detail)
            self.load()  # the audit tab shows the new entry

        self._run(work, done, self._failed)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            self.summary.setText(f"<span style='color:#c62828'>{exc.field + '：' if exc.field else ''}{exc.message}</span>")
            return True
        return False

    def open_documents(self) -> None:
        from window_desk.ui.case_documents import CaseDocumentsDialog

        dialog = CaseDocumentsDialog(self.ctx, self.case_id, self.case_number, self)
        self.documents_dialog = dialog
        dialog.open()
