"""受理 — the "一证一书" intake: household, history check, assessment, acceptance.

Every edit is saved as a draft (ui/draft_saver.py: within a second even while typing, on every focus
change, retried until saved), so a crash, a power cut or a closed window loses nothing; reopening the
page brings it back.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.cardreader import CardData
from window_desk.errors import DatabaseBusy, UserError
from window_desk.overrides import measure_key
from window_desk.services import case_documents, drafts, intake, settings
from window_desk.services.policy_store import ActivePolicy, active_policy
from window_desk.timeutil import format_local, today
from window_desk.ui.card_reader import CardReading
from window_desk.ui.context import DeskContext
from window_desk.ui.draft_saver import DraftSaver
from window_desk.ui.pages.assessment_panel import AssessmentPanel, ReasonDialog
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.decisions import MissingMaterialsDialog, RejectDialog
from window_desk.ui.pages.household_form import HouseholdForm
from window_desk.uow import run_in_uow

DRAFT_KIND = "intake"
UI_KIND = "ui"  # per-user layout (the history panel's width), kept like a draft
UI_REF = "intake"
KIND_LABELS = {"case": "个案", "benefit": "待遇", "inquiry": "首问", "referral": "转介"}


class IntakePage(Page):
    page_id = "intake"
    title = "受理"
    shortcut = "Ctrl+2"

    sig_case_accepted = Signal(object)
    """Emitted with the CaseAccepted of a newly accepted case."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.result: dict[str, Any] | None = None
        self._policy: ActivePolicy | None = None
        self._policy_generation = -1
        self._draft_restored = False
        self.documents_dialog: QWidget | None = None
        self._draft_restoring = False
        self._pending_prefill: tuple[int, Any, str] | None = None

        self.tabs = QTabWidget()
        self.form = HouseholdForm()
        self.panel = AssessmentPanel(complete_added=self._complete_added)
        self.tabs.addTab(self.form, "1 申请家庭（Alt+1）")
        self.tabs.addTab(self.panel, "2 综合评估（Alt+2）")

        self.history = QTableWidget(0, 4)
        self.history.setObjectName("history_list")
        self.history.setHorizontalHeaderLabels(["日期", "姓名", "类别", "内容"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setTabKeyNavigation(False)
        self.history.setWordWrap(True)  # readable: long lines wrap, never cut off
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.setAlternatingRowColors(True)
        self.history.verticalHeader().setVisible(False)
        self.history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.history.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.duplicates = QLabel()
        self.duplicates.setObjectName("duplicate_warning")
        self.duplicates.setWordWrap(True)
        self.duplicates.setStyleSheet("color: #b00020; font-weight: bold;")
        history_box = QWidget()
        history_box.setMinimumWidth(220)
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_title = QLabel("<b>历史记录</b>（录入身份证号后自动查询本人及家庭成员的既往个案、待遇、转介、首问登记；"
                               "未办结的排在前面，红色）")
        history_title.setWordWrap(True)
        history_layout.addWidget(history_title)
        history_layout.addWidget(self.duplicates)
        history_layout.addWidget(self.history, 1)
        self.findings: list[intake.DuplicateFinding] = []

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("intake_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tabs)
        splitter.addWidget(history_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(500)
        self._layout_timer.timeout.connect(self._save_layout)
        splitter.splitterMoved.connect(lambda *_: self._layout_timer.start())

        self.status = QLabel()
        self.status.setObjectName("intake_status")
        self.new_button = QPushButton("新建受理")
        self.authorization_button = QPushButton("打印授权书（F4）")
        self.authorization_button.setObjectName("authorization_button")
        self.assess_button = QPushButton("综合评估（F9）")
        self.assess_button.setObjectName("assess_button")
        self.missing_button = QPushButton("一次性告知（F7）")
        self.missing_button.setObjectName("missing_button")
        self.reject_button = QPushButton("不予受理（F8）")
        self.reject_button.setObjectName("reject_button")
        self.accept_button = QPushButton("确认受理（Ctrl+Enter）")
        self.accept_button.setObjectName("accept_button")
        self.card_status = QLabel()
        self.card_status.setObjectName("card_status")
        self.card_status.setWordWrap(True)
        self.card_button = QPushButton("读卡（F2）")
        self.card_button.setObjectName("card_button")
        self.card_reading = CardReading(ctx)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.card_status, 1)
        for b in (self.card_button, self.new_button, self.authorization_button, self.assess_button, self.missing_button,
                  self.reject_button, self.accept_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bar.addWidget(b)
        self.last_preview: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)

        self.drafts = DraftSaver(ctx, self, DRAFT_KIND, lambda: self.form.payload, self._draft_status)

        self.form.sig_changed.connect(self._form_changed)
        self.form.sig_id_entered.connect(self._lookup_history)
        self.panel.sig_overrides_changed.connect(self._overrides_changed)
        self.new_button.clicked.connect(self.new_intake)
        self.authorization_button.clicked.connect(self.print_authorization)
        self.assess_button.clicked.connect(self.assess)
        self.missing_button.clicked.connect(self.notify_missing)
        self.reject_button.clicked.connect(self.reject_case)
        self.accept_button.clicked.connect(self.accept_case)
        self.card_button.clicked.connect(self.read_card)
        self._install_prepay_hook(bar)
        for keys, slot in (("F2", self.read_card), ("F9", self.assess), ("Ctrl+Return", self.accept_case), ("Ctrl+Enter", self.accept_case),
                           ("F4", self.print_authorization), ("F7", self.notify_missing), ("F8", self.reject_case),
                           ("Alt+1", lambda: self.tabs.setCurrentIndex(0)),
                           ("Alt+2", lambda: self.tabs.setCurrentIndex(1))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # --- 先行救助（ui/prepay_dialog.py）：F6 or the button, for the case accepted last
    def _install_prepay_hook(self, bar: QHBoxLayout) -> None:
        self.last_case_id: int | None = None
        self.prepay_dialog: QWidget | None = None
        self.prepay_button = QPushButton("先行救助（F6）")
        self.prepay_button.setObjectName("prepay_button")
        bar.addWidget(self.prepay_button)
        self.prepay_button.clicked.connect(self.open_prepay)
        shortcut = QShortcut(QKeySequence("F6"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open_prepay)
        self.sig_case_accepted.connect(lambda accepted: setattr(self, "last_case_id", accepted.case_id))

    def open_prepay(self) -> None:
        if self.last_case_id is None:
            QMessageBox.information(self, "先行救助", "请先确认受理，再为该个案办理先行救助。")
            return
        from window_desk.ui.prepay_dialog import open_prepay_dialog

        self.prepay_dialog = open_prepay_dialog(self.ctx, self, case_id=self.last_case_id)

    # --- lifecycle
    def on_shown(self) -> None:
        if not self._draft_restored:
            self._draft_restored = True
            self._restore_draft()
            self._restore_layout()
        focused = QApplication.focusWidget()
        # Switching pages moves Qt's focus to the page's first focusable widget (the tab bar):
        # only a field of the form or the panel counts as where the clerk was.
        if focused is None or not (self.form.isAncestorOf(focused) or self.panel.isAncestorOf(focused)):
            self.tabs.setCurrentIndex(0)
            self.form.matter.setFocus()  # the first thing asked at the window: what is the application for
        self._preload_policy()

    def _preload_policy(self) -> None:
        """Read and parse the policy in force on a worker, so F9 never waits on the database."""
        generation = self.ctx.policy_generation
        if self._policy is not None and self._policy_generation == generation:
            return
        path = self.ctx.policy_path

        def load() -> ActivePolicy:
            with self.ctx.uow(write=False) as uow:
                return active_policy(uow, path)

        def keep(active: ActivePolicy) -> None:
            if self.ctx.policy_generation == generation:
                self._policy, self._policy_generation = active, generation

        self.run_task(load, on_done=keep)

    def _restore_draft(self) -> None:
        def load() -> tuple[dict[str, Any], Any] | None:
            with self.ctx.uow(write=False) as uow:
                return drafts.load(uow, DRAFT_KIND)

        self._draft_restoring = True

        def done(found: tuple[dict[str, Any], Any] | None) -> None:
            self._draft_restoring = False
            if found is None:
                self._apply_prefill()
                return
            payload, saved_at = found
            self.form.load(payload)
            self.panel.show_result(None, payload["members"], [])
            self.status.setText(f"已恢复 {format_local(saved_at, seconds=True)} 保存的未完成录入")
            self._lookup_history_all()
            self._apply_prefill()

        self.run_task(load, on_done=done)

    # --- 当场受理 from the 首问登记 page
    def prefill_from_inquiry(self, inquiry_id: int, visitor: Any, matter: str = "") -> None:
        """Start an intake for the visitor of a first inquiry (name, ID number, phone, address);
        accepting it links the case to the inquiry (the payload carries ``inquiry_id``)."""
        self._pending_prefill = (inquiry_id, visitor, matter)
        if not self._draft_restoring:  # else applied once the draft has been read
            self._apply_prefill()

    def _apply_prefill(self) -> None:
        if self._pending_prefill is None:
            return
        inquiry_id, visitor, matter = self._pending_prefill
        self._pending_prefill = None
        if self._has_content() and QMessageBox.question(
            self, "当场受理", "当前有尚未确认受理的录入，放弃它并按首问登记新建受理吗？"
        ) != QMessageBox.StandardButton.Yes:
            return
        self._reset()
        payload = intake.blank_payload(today())
        payload.update(address=visitor.address, phone=visitor.phone, matter=matter, inquiry_id=inquiry_id)
        payload["members"][0].update(name=visitor.name, id_number=visitor.id_number)
        self.form.load(payload)
        self.status.setText(f"按首问登记（第{inquiry_id}号）当场受理：请核对申请人并录入家庭情况")
        self._schedule_draft()
        if visitor.id_number:
            self._lookup_history_all()

    # --- layout (the history panel remembers its width)
    def _restore_layout(self) -> None:
        def load() -> tuple[dict[str, Any], Any] | None:
            with self.ctx.uow(write=False) as uow:
                return drafts.load(uow, UI_KIND, UI_REF)

        def done(found: tuple[dict[str, Any], Any] | None) -> None:
            sizes = (found or ({}, None))[0].get("splitter")
            if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(v, int) and v > 0 for v in sizes):
                self.splitter.setSizes(sizes)

        self.run_task(load, on_done=done)

    def _save_layout(self) -> None:
        sizes = [int(v) for v in self.splitter.sizes()]

        def save() -> Any:
            with self.ctx.uow() as uow:
                return drafts.save(uow, UI_KIND, {"splitter": sizes}, UI_REF)

        self.run_task(save)

    def new_intake(self) -> None:
        if self._has_content() and QMessageBox.question(
            self, "新建受理", "当前录入尚未确认受理，放弃并新建吗？（草稿将删除）"
        ) != QMessageBox.StandardButton.Yes:
            return
        self._reset()

        def discard() -> None:
            with self.ctx.uow() as uow:
                drafts.discard(uow, DRAFT_KIND)

        self.run_task(discard)

    def _reset(self) -> None:
        self.drafts.cancel()
        self.result = None
        self.form.load(intake.blank_payload(today()))
        self.panel.show_result(None, [], [])
        self.history.setRowCount(0)
        self.findings = []
        self.duplicates.clear()
        self.tabs.setCurrentIndex(0)
        self.form.scroll_top()
        self.form.matter.setFocus()

    def _has_content(self) -> bool:
        return not intake.is_blank(self.form.payload)

    # --- drafts
    def _form_changed(self) -> None:
        self.panel.mark_stale()
        self._schedule_draft()

    def _overrides_changed(self, overrides: list[dict[str, Any]]) -> None:
        self.form.payload["overrides"] = overrides
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        self.drafts.changed()

    def save_draft(self) -> None:
        """Save what is on screen now (a worker does the writing)."""
        self.drafts.save_now()

    def _draft_status(self, text: str, failed: bool) -> None:
        self.status.setStyleSheet("color: #b00020;" if failed else "")
        self.status.setText(text)

    def flush(self) -> None:
        """Called before the window closes: nothing typed may be lost."""
        self.drafts.flush()

    # --- card reader
    def read_card(self) -> None:
        """F2: read the card on the reader into the member being edited (or a new member)."""
        if not self.card_reading.read(self, self._card_read, self._card_failed):
            return
        self.card_status.setStyleSheet("")
        self.card_status.setText("正在读卡……")

    def _card_read(self, card: CardData) -> None:
        self.tabs.setCurrentIndex(0)
        done = self.form.fill_from_card(card)
        if card.warning:
            self.card_status.setStyleSheet("color: #8a6d00;")
            self.card_status.setText(f"{done}。⚠ {card.warning}")
        else:
            self.card_status.setStyleSheet("color: #1b5e20;")
            self.card_status.setText(done)

    def _card_failed(self, message: str) -> None:
        self.card_status.setStyleSheet("color: #b00020;")
        self.card_status.setText(f"{message}（也可直接手工录入）")

    # --- history
    def _lookup_history(self, _id_number: str) -> None:
        self._lookup_history_all()

    def _lookup_history_all(self) -> None:
        ids = [m["id_number"] for m in self.form.payload["members"] if m["id_number"]]

        payload = copy.deepcopy(self.form.payload)

        def find() -> tuple[list[intake.HistoryItem], list[intake.DuplicateFinding]]:
            with self.ctx.uow(write=False) as uow:
                return intake.history_for(uow, ids), intake.duplicate_check(uow, payload)

        def show(found: tuple[list[intake.HistoryItem], list[intake.DuplicateFinding]]) -> None:
            items, findings = found
            self.findings = findings
            self.duplicates.setText("\n".join(("⚠ " if f.blocking else "注意：") + f.text for f in findings))
            self.history.setRowCount(0)
            rows = [([f"{i.day:%Y-%m-%d}", i.name,
                      intake.HISTORY_KINDS.get(i.kind, KIND_LABELS.get(i.kind, i.kind)), i.text], i.open)
                    for i in items] or [(["", "", "", "无既往记录"], False)]
            self.history.setRowCount(len(rows))
            for r, (values, is_open) in enumerate(rows):
                for col, value in enumerate(values):
                    cell = QTableWidgetItem(value)
                    if col == 3:
                        cell.setToolTip(value)
                    if is_open:
                        cell.setForeground(QBrush(QColor("#b00020")))
                    self.history.setItem(r, col, cell)
            self.history.resizeRowsToContents()

        self.run_task(find, on_done=show)

    # --- assessment
    def policy(self) -> ActivePolicy:
        """The policy in force; read here only if the preload has not arrived yet (a short read)."""
        if self._policy is None or self._policy_generation != self.ctx.policy_generation:
            with self.ctx.uow(write=False) as uow:
                self._policy = active_policy(uow, self.ctx.policy_path)
            self._policy_generation = self.ctx.policy_generation
        return self._policy

    def assess(self) -> None:
        payload = self.form.payload
        if not self._form_ok("无法评估"):
            return
        try:
            result = intake.run_assessment(payload, self.policy().policy)
        except UserError as exc:
            QMessageBox.warning(self, "无法评估", str(exc))
            return
        self.result = result
        # A drop of a measure no longer proposed means nothing now; additions stay.
        proposed = {measure_key(m) for m in result["measures"]}
        previous = payload.get("overrides", [])
        kept = [o for o in previous if o["action"] == "add" or measure_key(o) in proposed]
        self.panel.show_result(result, intake.assessment_input(payload)["members"], kept)
        if kept != previous:
            self._overrides_changed(kept)
        self.tabs.setCurrentIndex(1)

    def _complete_added(self, override: dict[str, Any]) -> dict[str, Any]:
        return intake.complete_added_measure(self.form.payload, self.policy().policy, override)

    # --- errors
    def _form_ok(self, title: str) -> bool:
        """Every problem of the form in one message; then the focus goes to the first field named."""
        problems = intake.form_errors(self.form.payload, today())
        if not problems:
            return True
        self._show_problems(title, problems)
        return False

    def _show_problems(self, title: str, problems: list[intake.FieldProblem]) -> None:
        self.tabs.setCurrentIndex(0)
        text = "\n".join(f"{i + 1}. {p.text()}" for i, p in enumerate(problems))
        QMessageBox.warning(self, title, f"请更正以下{len(problems)}处后再继续：\n{text}")
        self.form.focus_problem(problems[0].path)

    def _failed(self, title: str, button: QPushButton | None = None) -> Any:
        def failed(exc: BaseException) -> bool:
            if button is not None:
                button.setEnabled(True)
            if isinstance(exc, intake.FormErrors):
                self._show_problems(title, exc.problems)
                return True
            if isinstance(exc, UserError):
                QMessageBox.warning(self, title, str(exc))
                if exc.field == "未签字原因":
                    self.tabs.setCurrentIndex(0)
                    self.form.focus_problem(("signatures",))
                return True
            return False
        return failed

    # --- the authorization letter, before any decision
    def print_authorization(self) -> None:
        """Print the authorization letter now, so the household signs it before the decision."""
        payload = copy.deepcopy(self.form.payload)

        def issue() -> Any:
            with self.ctx.uow() as uow:
                return case_documents.issue_authorization(uow, payload)

        def done(issued: Any) -> None:
            docs = self.form.payload.setdefault("authorization_documents", [])
            docs.append(issued.id)
            self._schedule_draft()
            self.status.setText(f"已开具核对授权书 {issued.number}，请各成员（或监护人）签字后在签字核对中勾选")
            from window_desk.ui.preview import PreviewDialog  # pdfium loads only when a paper is shown

            dialog = PreviewDialog(issued.pdf, issued.number, self.ctx.tasks, suggested_name=issued.number,
                                   copies=issued.copies, parent=self)
            self.last_preview = dialog
            dialog.finished.connect(lambda _r: self.form.focus_problem(("signatures",)))
            dialog.open()

        self.run_task(issue, on_done=done, on_error=self._failed("无法打印授权书"))

    # --- decisions
    def open_documents(self, case_id: int, number: str, message: str | None = None) -> None:
        """The papers to hand out now: the decision's notice first, then the others."""
        from window_desk.ui.case_documents import CaseDocumentsDialog

        dialog = CaseDocumentsDialog(self.ctx, case_id, number, self)
        dialog.message.setText(message or f"已受理，个案编号 {number}。请开具受理通知书等文书。")
        self.documents_dialog = dialog
        dialog.open()

    def _decided(self, number: str) -> None:
        self._reset()

    def accept_case(self) -> None:
        if not self._form_ok("无法受理"):
            return
        if self.result is None or self.panel.is_stale:
            self.assess()
            if self.result is None:
                return
            QMessageBox.information(self, "确认受理", "已按当前家庭情况重新评估，请核对评估结果后再确认受理。")
            return
        payload = copy.deepcopy(self.form.payload)
        payload["overrides"] = list(self.panel.overrides)
        try:
            intake.check_signatures(payload)
        except UserError as exc:
            self._failed("核对授权书")(exc)
            return
        blocking = [f for f in self.findings if f.blocking]
        if blocking and not self._duplicate_reason(payload, blocking):
            return
        self._submit(payload)

    def _duplicate_reason(self, payload: dict[str, Any], findings: list[intake.DuplicateFinding]) -> bool:
        dialog = ReasonDialog("可能重复救助", "可能重复救助：\n" + "\n".join(f.text for f in findings)
                              + "\n\n如确需继续受理，请写明理由（记入个案和审计日志，审核人可见）：", self)
        dialog.setObjectName("duplicate_dialog")
        self.reason_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        payload["duplicate_reason"] = dialog.reason()
        return True

    def _submit(self, payload: dict[str, Any]) -> None:
        active = self.policy()
        self.drafts.hold()
        self.accept_button.setEnabled(False)

        def submit() -> intake.CaseAccepted:
            # Re-run as a whole if another window's save or a dropped connection got in the way.
            return run_in_uow(self.ctx.db, self.ctx.actor, lambda uow: intake.submit_case(
                uow, payload, active, settings.get(uow, "office_name")))

        def done(accepted: intake.CaseAccepted) -> None:
            self.accept_button.setEnabled(True)
            self._decided(accepted.number)
            self.status.setText(f"已受理：个案编号 {accepted.number}")
            self.sig_case_accepted.emit(accepted)
            self.open_documents(accepted.case_id, accepted.number)

        failed = self._failed("无法受理", self.accept_button)

        def on_error(exc: BaseException) -> bool:
            if isinstance(exc, DatabaseBusy):
                self.drafts.changed()
                self.drafts.save_now()  # nothing was saved: keep what was typed as the draft
            if isinstance(exc, intake.DuplicateAssistance):
                # Found by the service although the panel had not shown it yet: ask now.
                self.accept_button.setEnabled(True)
                if self._duplicate_reason(payload, exc.findings):
                    self._submit(payload)
                return True
            return bool(failed(exc))

        self.run_task(submit, on_done=done, on_error=on_error)

    def reject_case(self) -> None:
        """不予受理：reasons and policy basis → the case records it → 不予受理告知书."""
        if not self._form_ok("无法登记不予受理"):
            return
        dialog = RejectDialog(self)
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
                                        intake.default_supplement_by(day, today()), max(day, today()), self)
        self.decision_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        payload = copy.deepcopy(self.form.payload)
        missing, by = dialog.missing(), dialog.supplement_by()

        def submit() -> intake.CaseDecided:
            with self.ctx.uow() as uow:
                return intake.notify_missing(uow, payload, settings.get(uow, "office_name"), missing, by)

        self._run_decision(submit, "一次性告知")

    def _run_decision(self, submit: Any, what: str) -> None:
        self.drafts.hold()

        def done(decided: intake.CaseDecided) -> None:
            self._decided(decided.number)
            self.status.setText(f"已登记{what}：个案编号 {decided.number}")
            title = "不予受理告知书" if decided.kind == "rejection_notice" else "一次性告知书"
            self.open_documents(decided.case_id, decided.number,
                                f"已登记{what}，个案编号 {decided.number}。请开具{title}交申请人。")

        self.run_task(submit, on_done=done, on_error=self._failed(f"无法登记{what}"))
