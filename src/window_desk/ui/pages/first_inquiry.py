"""首问登记 — the first-inquiry log: record a contact in seconds, hand it on, close it with one outcome.

Keyboard first: the form's tab order follows the form; the channel combo takes one digit (1 窗口来访，
2 12345热线 …); Space (or F2 anywhere on the page) marks 急难；Enter saves; Ctrl+N starts a new one.
Open 急难 inquiries are pinned on top of the list with the time they have waited; overdue ones are red.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from window_desk.errors import UserError
from window_desk.services import inquiries, inquiry_import
from window_desk.services.inquiries import InquiryFilter, InquiryRow, NewInquiry, Visitor
from window_desk.timeutil import format_local
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.first_inquiry_model import (  # noqa: F401 - re-exported
    COLUMN_WIDTHS,
    COLUMNS,
    PAGE_SIZE,
    RED,
    InquiryTableModel,
    deadline_text,
)
from window_desk.ui.pages.first_inquiry_view import (  # noqa: F401 - re-exported
    DETAIL_HINTS,
    DETAIL_LABELS,
    VIEWS,
    DigitCombo,
    InquiryPageView,
    _split_items,
)


class Navigator(Protocol):
    """What the page needs of the main window: showing another page."""

    def show_page(self, page_id: str) -> Page: ...


class FirstInquiryPage(InquiryPageView):
    page_id = "first_inquiry"
    title = "首问登记"
    shortcut = "Ctrl+1"

    sig_inquiry_saved = Signal(int)
    """Emitted with the id of an inquiry just recorded."""
    sig_accept_requested = Signal(int, object)
    """Emitted with the inquiry id and its Visitor when an inquiry is closed as 当场受理；the 受理
    page is then opened prefilled with the visitor."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._navigator: Navigator | None = parent if hasattr(parent, "show_page") else None  # type: ignore[assignment]
        self._selected: int | None = None
        self._select_after_load: int | None = None
        self.last_issued: Any = None
        self.last_import: inquiry_import.ImportSummary | None = None
        self.preview_dialog: QWidget | None = None
        self._wire()
        self._show_detail(None)
        self._outcome_changed()

    def _wire(self) -> None:
        """Buttons, shortcuts, the debounced search and the minute tick."""
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_inquiry)
        self._shortcut("Ctrl+N", self.new_inquiry)
        self._shortcut("F2", self.urgent.toggle)
        self._shortcut("Ctrl+T", self.hand_on)
        self._shortcut("Ctrl+E", self.close_selected)
        self._shortcut("Ctrl+P", lambda: self.print_paper("inquiry_record"))
        self._shortcut("Ctrl+F", self.search.setFocus)
        for keys in ("Return", "Enter"):
            s = QShortcut(QKeySequence(keys), self.form_box)
            s.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            s.activated.connect(self.save)
        self.handoff_to.returnPressed.connect(self.hand_on)
        self.handoff_note.returnPressed.connect(self.hand_on)
        self.handoff_button.clicked.connect(self.hand_on)
        self.outcome_detail.returnPressed.connect(self.close_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.outcome.currentIndexChanged.connect(lambda _i: self._outcome_changed())
        self.reopen_reason.returnPressed.connect(self.reopen_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.print_record_button.clicked.connect(lambda: self.print_paper("inquiry_record"))
        self.print_outcome_button.clicked.connect(self.print_outcome_paper)
        self.import_button.clicked.connect(self.choose_import_file)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.refresh)
        for combo in (self.view_combo, self.channel_filter, self.urgency_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue_filter.toggled.connect(lambda _b: self.refresh())
        self.model.sig_loaded.connect(self._loaded)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_selected(cur.row()))
        # Waiting times of pinned 急难 rows move on; repaint them each minute.
        self._tick = QTimer(self)
        self._tick.setInterval(60_000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        self._progress.sig_progress.connect(self._on_progress)

    def _shortcut(self, keys: str, slot: Any) -> None:
        s = QShortcut(QKeySequence(keys), self)
        s.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        s.activated.connect(slot)

    # --- lifecycle
    def on_shown(self) -> None:
        self.refresh()
        self.channel.setFocus()

    # --- recording
    def new_inquiry(self) -> None:
        """Clear the form for the next visitor (the channel and urgency start over too)."""
        for edit in (self.name, self.id_number, self.phone, self.address, self.matter, self.materials, self.responder):
            edit.clear()
        self.channel.setCurrentIndex(0)
        self.urgent.setChecked(False)
        self.form_message.clear()
        self.channel.setFocus()

    def form_inquiry(self) -> NewInquiry:
        return NewInquiry(
            channel=self.channel.code(), matter=self.matter.text(),
            visitor=Visitor(self.name.text(), self.id_number.text(), self.phone.text(), self.address.text()),
            materials=tuple(_split_items(self.materials.text())), urgent=self.urgent.isChecked(),
            first_responder=self.responder.text(),
        )

    def save(self) -> None:
        new = self.form_inquiry()
        self.save_button.setEnabled(False)
        self.form_message.setText("正在保存…")

        def create() -> int:
            with self.ctx.uow() as uow:
                return inquiries.create(uow, new)

        def done(inquiry_id: int) -> None:
            self.save_button.setEnabled(True)
            self.new_inquiry()
            self.form_message.setText(f"已登记（第{inquiry_id}号）。可继续登记下一位。")
            self.sig_inquiry_saved.emit(inquiry_id)
            self._select_after_load = inquiry_id
            self.refresh()

        def failed(exc: BaseException) -> bool:
            self.save_button.setEnabled(True)
            if isinstance(exc, UserError):
                self.form_message.setText(f"<span style='color:#c62828'>未保存：{exc}</span>")
                target = {"身份证号": self.id_number, "来访人姓名": self.name, "求助事项": self.matter,
                          "来访方式": self.channel, "首问责任人": self.responder, "联系电话": self.phone,
                          "住址": self.address}.get(exc.field or "")
                if target is not None:
                    target.setFocus()
                return True
            return False

        self.run_task(create, on_done=done, on_error=failed)

    # --- the list
    def current_filter(self) -> InquiryFilter:
        view = self.view_combo.code()
        return InquiryFilter(query=self.search.text(), status=view if view in ("open", "closed") else None,
                             channel=self.channel_filter.code(), urgent=self.urgency_filter.code(),
                             overdue_only=self.overdue_filter.isChecked(), today_and_open=view == "today_and_open")

    def refresh(self) -> None:
        self._debounce.stop()
        if self._select_after_load is None:
            self._select_after_load = self._selected
        flt = self.current_filter()
        self.model.set_filter(flt)

        def count() -> int:
            with self.ctx.uow(write=False) as uow:
                return inquiries.count(uow, flt)

        def show(total: int) -> None:
            if flt == self.current_filter():
                self.count.setText(f"共 {total} 条")

        self.run_task(count, on_done=show)

    def _loaded(self, _n: int) -> None:
        wanted = self._select_after_load
        if wanted is None:
            return
        row = self.model.row_of(wanted)
        if row >= 0:
            self._select_after_load = None
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _row_selected(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        self._load_detail(self.model.row_at(row).id)

    def _load_detail(self, inquiry_id: int) -> None:
        self._selected = inquiry_id

        def read() -> InquiryRow:
            with self.ctx.uow(write=False) as uow:
                return inquiries.get(uow, inquiry_id)

        def show(row: InquiryRow) -> None:
            if self._selected == row.id:
                self._show_detail(row)

        self.run_task(read, on_done=show)

    def _show_detail(self, row: InquiryRow | None) -> None:
        self.current_detail = row
        self.history.clear()
        is_open = row is not None and row.status == "open"
        for box in (self.handoff_box, self.close_box):
            box.setEnabled(is_open)
        self.reopen_box.setEnabled(row is not None and row.status == "closed")
        self.print_record_button.setEnabled(row is not None and row.status == "closed")
        self.print_outcome_button.setEnabled(
            row is not None and row.status == "closed" and inquiries.outcome_paper_kind(row.outcome) is not None)
        focused = QApplication.focusWidget()
        if focused is None or not focused.isEnabled():
            self.table.setFocus()  # the box just used is disabled now (closed / reopened): keep the keyboard
        if row is None:
            self.detail.setText("选择一条登记查看详情")
            return
        state = row.status_label if is_open else f"已办结：{row.outcome_label}"
        if row.department:
            state += f"（{row.department}）"
        lines = [
            f"<b>{row.visitor_name or '未留姓名'}</b> {row.id_masked} {row.visitor_phone}",
            f"{format_local(row.received_at)} · {row.channel_label}" + (" · <b style='color:#c62828'>急难</b>" if row.urgent else "")
            + (f" · 工单号 {row.work_order_no}" if row.work_order_no else ""),
            f"求助事项：{row.matter}",
            f"携带材料：{'、'.join(row.materials) or '无'}",
            f"首问责任人：{row.first_responder}；承办人：{row.handled_by}",
            f"状态：{state}",
            f"期限：{deadline_text(row)}" if is_open else f"答复时间：{format_local(row.answered_at)}",
        ]
        if row.missing:
            lines.append(f"缺少材料：{'、'.join(row.missing)}")
        if row.outcome_note:
            lines.append(f"说明：{row.outcome_note}")
        if row.overdue:
            lines.append("<b style='color:#c62828'>已逾期</b>")
        self.detail.setText("<br>".join(lines))
        kinds = {"handoff": "转交", "close": "办结", "reopen": "重新办理"}
        for h in row.history:
            target = f" → {h.to_name}" if h.to_name else ""
            self.history.addItem(f"{format_local(h.at)} {kinds.get(h.kind, h.kind)}:{h.from_name}{target}"
                                 + (f"（{h.note}）" if h.note else ""))
        if not row.history:
            self.history.addItem("暂无转交记录")

    # --- hand on, close, reopen
    def _act(self, fn: Any, message: str, after: Any = None) -> None:
        inquiry_id = self._selected
        if inquiry_id is None:
            self.detail_message.setText("请先在列表中选择一条登记")
            return

        def work() -> Any:
            with self.ctx.uow() as uow:
                return fn(uow, inquiry_id)

        def done(result: Any) -> None:
            self.detail_message.setText(message)
            self._select_after_load = inquiry_id
            self.refresh()
            self._load_detail(inquiry_id)
            if after is not None:
                after(inquiry_id, result)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                self.detail_message.setText(f"<span style='color:#c62828'>{exc}</span>")
                return True
            return False

        self.run_task(work, on_done=done, on_error=failed)

    def hand_on(self) -> None:
        to_name, note = self.handoff_to.text(), self.handoff_note.text()

        def clear(_id: int, _r: Any) -> None:
            self.handoff_to.clear()
            self.handoff_note.clear()

        self._act(lambda uow, i: inquiries.handoff(uow, i, to_name, note), f"已转交给{to_name.strip()}", clear)

    def _outcome_changed(self) -> None:
        code = self.outcome.code()
        self.outcome_label.setText(f"{DETAIL_LABELS.get(code, '说明')}：")
        self.outcome_detail.setPlaceholderText(DETAIL_HINTS.get(code, "先选择办理结果（按数字键）"))

    def close_selected(self) -> None:
        outcome = self.outcome.code()
        text = self.outcome_detail.text()
        kw: dict[str, Any] = {}
        if outcome == "one_time_notice":
            kw["missing"] = _split_items(text)
        elif outcome in ("to_department", "to_window"):
            kw["department"] = text
        elif outcome == "answered":
            kw["answer"] = text
        else:
            kw["note"] = text

        def work(uow: Any, inquiry_id: int) -> tuple[Visitor, str] | None:
            inquiries.close(uow, inquiry_id, outcome, commit=False, **kw)
            found = None
            if outcome == "accepted":
                found = inquiries.visitor_of(uow, inquiry_id), inquiries.get(uow, inquiry_id).matter
            uow.commit()
            return found

        def after(inquiry_id: int, found: tuple[Visitor, str] | None) -> None:
            self.outcome.setCurrentIndex(0)
            self.outcome_detail.clear()
            if outcome == "accepted" and found is not None:
                self.sig_accept_requested.emit(inquiry_id, found[0])
                self.open_intake(inquiry_id, found[0], found[1])

        label = inquiries.OUTCOMES.get(outcome or "", "")
        self._act(work, f"已办结：{label}" if label else "已办结", after)

    def open_intake(self, inquiry_id: int, visitor: Visitor, matter: str = "") -> None:
        """当场受理：the 受理 page, prefilled with the visitor; accepting the case links it here."""
        if self._navigator is None:
            return
        page = self._navigator.show_page("intake")
        prefill = getattr(page, "prefill_from_inquiry", None)
        if prefill is not None:
            prefill(inquiry_id, visitor, matter)

    def reopen_selected(self) -> None:
        reason = self.reopen_reason.text()
        self._act(lambda uow, i: inquiries.reopen(uow, i, reason), "已重新办理",
                  lambda _i, _r: self.reopen_reason.clear())

    # --- papers
    def print_outcome_paper(self) -> None:
        row = getattr(self, "current_detail", None)
        kind = inquiries.outcome_paper_kind(row.outcome if row else None)
        if kind is not None:
            self.print_paper(kind)

    def print_paper(self, kind: str) -> None:
        """Issue (numbered, logged) through the documents service, then preview to print."""
        inquiry_id = self._selected
        if inquiry_id is None:
            return

        def issue() -> Any:
            with self.ctx.uow() as uow:
                return inquiries.issue_paper(uow, inquiry_id, kind)

        def done(issued: Any) -> None:
            self.last_issued = issued
            self.detail_message.setText(f"已开具 {issued.number}")
            self._preview(issued)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                self.detail_message.setText(f"<span style='color:#c62828'>{exc}</span>")
                return True
            return False

        self.run_task(issue, on_done=done, on_error=failed)

    def _preview(self, issued: Any) -> None:
        from window_desk.services import documents
        from window_desk.ui.preview import PreviewDialog  # pdfium loads only when a paper is shown

        doc_id = issued.id

        def word() -> bytes:
            with self.ctx.uow(write=False) as uow:
                return documents.render_again(uow, doc_id, "docx")

        dialog = PreviewDialog(issued.pdf, issued.number, self.ctx.tasks, suggested_name=issued.number,
                               word=word, copies=issued.copies, parent=self)
        self.preview_dialog = dialog
        dialog.open()

    # --- hotline import
    def choose_import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "导入热线工单", "", "电子表格 (*.xlsx *.csv)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Import a 12345/12349 export on a worker; the bar shows rows done."""
        channel = self.import_channel.code()
        progress = self._progress
        self.import_button.setEnabled(False)
        self.import_progress.setValue(0)
        self.import_progress.setVisible(True)
        self.import_message.setText("正在导入…")
        db, actor = self.ctx.db, self.ctx.actor

        def work() -> inquiry_import.ImportSummary:
            from window_desk.uow import UnitOfWork

            return inquiry_import.import_file(lambda: UnitOfWork(db, actor), path, channel=channel,
                                              progress=lambda d, t: progress.sig_progress.emit(d, t))

        def done(summary: inquiry_import.ImportSummary) -> None:
            self.last_import = summary
            self.import_button.setEnabled(True)
            bad = ";".join(str(b) for b in summary.bad[:10])
            more = f" 等{len(summary.bad)}行" if len(summary.bad) > 10 else ""
            self.import_message.setText(summary.text() + (f"。有误：{bad}{more}" if bad else "。"))
            self.refresh()

        def failed(exc: BaseException) -> bool:
            self.import_button.setEnabled(True)
            self.import_progress.setVisible(False)
            if isinstance(exc, UserError):
                self.import_message.setText(f"<span style='color:#c62828'>未导入：{exc}</span>")
                return True
            return False

        self.run_task(work, on_done=done, on_error=failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.import_progress.setMaximum(max(total, 1))
        self.import_progress.setValue(done)


__all__ = ["FirstInquiryPage", "InquiryTableModel", "deadline_text"]
