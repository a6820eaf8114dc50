"""受理 — the "一证一书" intake: household, history check, assessment, acceptance.

Every edit is saved as a draft (ui/draft_saver.py: within a second even while typing, on every focus
change, retried until saved), so a crash, a power cut or a closed window loses nothing; reopening the
page brings it back.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk.cardreader import CardData
from window_desk.errors import DatabaseBusy, UserError
from window_desk.overrides import measure_key
from window_desk.punct import to_fullwidth
from window_desk.services import case_documents, drafts, intake, settings
from window_desk.services.policy_store import ActivePolicy, active_policy
from window_desk.timeutil import format_local, today
from window_desk.ui.card_reader import CardReaderControl
from window_desk.ui.context import DeskContext
from window_desk.ui.draft_saver import DraftSaver
from window_desk.ui.pages.assessment_panel import AssessmentPanel
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.decisions import DecisionsMixin
from window_desk.ui.pages.household_form import HouseholdForm
from window_desk.ui.pages.intake_history import HistoryPanel, SplitterMemory
from window_desk.uow import run_in_uow

DRAFT_KIND = "intake"
UI_KIND = "ui"  # per-user layout (the history panel's width), kept like a draft
UI_REF = "intake"


class IntakePage(DecisionsMixin, Page):
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

        self.history_panel = HistoryPanel()
        self.history = self.history_panel.table
        self.duplicates = self.history_panel.warning
        self.findings: list[intake.DuplicateFinding] = []

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("intake_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.history_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        self.layout_memory = SplitterMemory(self, splitter, UI_KIND, UI_REF)

        bar = self._build_bar()
        self.last_preview: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)

        self.drafts = DraftSaver(ctx, self, DRAFT_KIND, lambda: self.form.payload, self._draft_status)

        self.form.sig_changed.connect(self._form_changed)
        self.form.sig_id_entered.connect(self._lookup_history)
        self.panel.sig_overrides_changed.connect(self._overrides_changed)
        self._wire_actions(bar)

    def _build_bar(self) -> QHBoxLayout:
        """The status lines and the buttons under the form (each also has its key)."""
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
        self.card = CardReaderControl(self.ctx, self, self._fill_from_card)
        self.card_status, self.card_button, self.card_reading = self.card.status, self.card.button, self.card.reading
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.card_status, 1)
        for b in (self.card_button, self.new_button, self.authorization_button, self.assess_button, self.missing_button,
                  self.reject_button, self.accept_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bar.addWidget(b)
        return bar

    def _wire_actions(self, bar: QHBoxLayout) -> None:
        self.new_button.clicked.connect(self.new_intake)
        self.authorization_button.clicked.connect(self.print_authorization)
        self.assess_button.clicked.connect(self.assess)
        self.missing_button.clicked.connect(self.notify_missing)
        self.reject_button.clicked.connect(self.reject_case)
        self.accept_button.clicked.connect(self.accept_case)
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
            self.layout_memory.restore()
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
        self.card.read()

    def _fill_from_card(self, card: CardData) -> str:
        self.tabs.setCurrentIndex(0)
        return self.form.fill_from_card(card)

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
            items, self.findings = found
            self.history_panel.show_found(items, self.findings)

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
            QMessageBox.warning(self, "无法评估", to_fullwidth(str(exc)))
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
        QMessageBox.warning(self, title, to_fullwidth(f"请更正以下{len(problems)}处后再继续：\n{text}"))
        self.form.focus_problem(problems[0].path)

    def _failed(self, title: str, button: QPushButton | None = None) -> Any:
        def failed(exc: BaseException) -> bool:
            if button is not None:
                button.setEnabled(True)
            if isinstance(exc, intake.FormErrors):
                self._show_problems(title, exc.problems)
                return True
            if isinstance(exc, UserError):
                QMessageBox.warning(self, title, to_fullwidth(str(exc)))  # services write half-width marks
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

    def _run_decision(self, submit: Any, what: str) -> None:
        self.drafts.hold()

        def done(decided: intake.CaseDecided) -> None:
            self._decided(decided.number)
            self.status.setText(f"已登记{what}：个案编号 {decided.number}")
            title = "不予受理告知书" if decided.kind == "rejection_notice" else "一次性告知书"
            self.open_documents(decided.case_id, decided.number,
                                f"已登记{what}，个案编号 {decided.number}。请开具{title}交申请人。")

        self.run_task(submit, on_done=done, on_error=self._failed(f"无法登记{what}"))
