"""受理 — the "一证一书" intake: household, history check, assessment, acceptance.

Every edit is saved as a draft (debounced, on a worker), so a crash, a power
cut or a closed window loses nothing; reopening the page brings it back.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.overrides import measure_key
from window_desk.services import drafts, intake, settings
from window_desk.services.policy_store import ActivePolicy, active_policy
from window_desk.timeutil import format_local, today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.assessment_panel import AssessmentPanel
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.household_form import HouseholdForm

DRAFT_KIND = "intake"
DRAFT_DELAY_MS = 400


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
        self._dirty = False
        self.documents_dialog: QWidget | None = None

        self.tabs = QTabWidget()
        self.form = HouseholdForm()
        self.panel = AssessmentPanel(complete_added=self._complete_added)
        self.tabs.addTab(self.form, "1 申请家庭（Alt+1）")
        self.tabs.addTab(self.panel, "2 综合评估（Alt+2）")

        self.history = QListWidget()
        self.history.setObjectName("history_list")
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_title = QLabel("<b>历史记录</b>（录入身份证号后自动查询本人及家庭成员的既往个案、登记）")
        history_title.setWordWrap(True)
        history_layout.addWidget(history_title)
        history_layout.addWidget(self.history)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(history_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.status = QLabel()
        self.status.setObjectName("intake_status")
        self.new_button = QPushButton("新建受理")
        self.assess_button = QPushButton("综合评估（F9）")
        self.assess_button.setObjectName("assess_button")
        self.accept_button = QPushButton("确认受理（Ctrl+Enter）")
        self.accept_button.setObjectName("accept_button")
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for b in (self.new_button, self.assess_button, self.accept_button):
            bar.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        self.form.sig_changed.connect(self._form_changed)
        self.form.sig_id_entered.connect(self._lookup_history)
        self.panel.sig_overrides_changed.connect(self._overrides_changed)
        self.new_button.clicked.connect(self.new_intake)
        self.assess_button.clicked.connect(self.assess)
        self.accept_button.clicked.connect(self.accept_case)
        for keys, slot in (("F9", self.assess), ("Ctrl+Return", self.accept_case), ("Ctrl+Enter", self.accept_case),
                           ("Alt+1", lambda: self.tabs.setCurrentIndex(0)),
                           ("Alt+2", lambda: self.tabs.setCurrentIndex(1))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # --- lifecycle
    def on_shown(self) -> None:
        if not self._draft_restored:
            self._draft_restored = True
            self._restore_draft()
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

        def done(found: tuple[dict[str, Any], Any] | None) -> None:
            if found is None:
                return
            payload, saved_at = found
            self.form.load(payload)
            self.panel.show_result(None, payload["members"], [])
            self.status.setText(f"已恢复 {format_local(saved_at, seconds=True)} 保存的未完成录入")
            self._lookup_history_all()

        self.run_task(load, on_done=done)

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
        self._draft_timer.stop()
        self.result = None
        self.form.load(intake.blank_payload(today()))
        self.panel.show_result(None, [], [])
        self.history.clear()
        self.tabs.setCurrentIndex(0)

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
        self._dirty = True
        self._draft_timer.start()

    def save_draft(self) -> None:
        """Save what is on screen now (a worker does the writing)."""
        self._draft_timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        payload = copy.deepcopy(self.form.payload)

        def save() -> Any:
            with self.ctx.uow() as uow:
                return drafts.save(uow, DRAFT_KIND, payload)

        self.run_task(save, on_done=lambda at: self.status.setText(f"草稿已自动保存 {format_local(at, seconds=True)}"))

    def flush(self) -> None:
        """Called before the window closes: nothing typed may be lost."""
        if self._draft_timer.isActive() or self._dirty:
            self.save_draft()

    # --- history
    def _lookup_history(self, _id_number: str) -> None:
        self._lookup_history_all()

    def _lookup_history_all(self) -> None:
        ids = [m["id_number"] for m in self.form.payload["members"] if m["id_number"]]

        def find() -> list[intake.HistoryItem]:
            with self.ctx.uow(write=False) as uow:
                return intake.history_for(uow, ids)

        def show(items: list[intake.HistoryItem]) -> None:
            self.history.clear()
            if not items:
                self.history.addItem("无既往记录")
            for item in items:
                self.history.addItem(f"{item.day:%Y-%m-%d} {item.name}:{item.text}")

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
        try:
            intake.check_intake(payload)
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

    # --- acceptance
    def open_documents(self, case_id: int, number: str) -> None:
        """The papers to hand out now: acceptance notice, authorization, referral slips."""
        from window_desk.ui.case_documents import CaseDocumentsDialog

        dialog = CaseDocumentsDialog(self.ctx, case_id, number, self)
        dialog.message.setText(f"已受理，个案编号 {number}。请开具受理通知书等文书。")
        self.documents_dialog = dialog
        dialog.open()

    def accept_case(self) -> None:
        if self.result is None or self.panel.is_stale:
            self.assess()
            if self.result is None:
                return
            QMessageBox.information(self, "确认受理", "已按当前家庭情况重新评估，请核对评估结果后再确认受理。")
            return
        payload = copy.deepcopy(self.form.payload)
        payload["overrides"] = list(self.panel.overrides)
        unsigned = [m["name"] for m in payload["members"] if not m.get("signed")]
        if unsigned and QMessageBox.question(
            self, "核对授权书", f"以下成员尚未在核对授权书上签字：{'、'.join(unsigned)}。\n仍要确认受理吗？"
        ) != QMessageBox.StandardButton.Yes:
            return
        active = self.policy()
        self._draft_timer.stop()
        self.accept_button.setEnabled(False)

        def submit() -> intake.CaseAccepted:
            with self.ctx.uow() as uow:
                office = settings.get(uow, "office_name")
                return intake.submit_case(uow, payload, active, office)

        def done(accepted: intake.CaseAccepted) -> None:
            self.accept_button.setEnabled(True)
            self._dirty = False
            self._reset()
            self.status.setText(f"已受理：个案编号 {accepted.number}")
            self.sig_case_accepted.emit(accepted)
            self.open_documents(accepted.case_id, accepted.number)

        def failed(exc: BaseException) -> bool:
            self.accept_button.setEnabled(True)
            if isinstance(exc, UserError):
                QMessageBox.warning(self, "无法受理", str(exc))
                return True
            return False

        self.run_task(submit, on_done=done, on_error=failed)

