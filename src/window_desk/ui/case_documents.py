"""文书 — the papers of one case: issue (numbered), preview and print, reprint （补打），void."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.services import case_documents, documents
from window_desk.timeutil import format_local
from window_desk.ui.context import DeskContext
from window_desk.ui.errors import show_error


class CaseDocumentsDialog(QDialog):
    """Opened after acceptance and from the register. Enter issues the selected paper."""

    sig_issued = Signal(object)
    """Emitted with the IssuedDocument after a document is issued or reprinted."""

    def done(self, result: int) -> None:
        super().done(result)
        self.deleteLater()  # the papers of one case: gone with its dialog, so a day does not pile them up

    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None) -> None:
        """The papers dialog of one case.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.case_number = case_number
        self.setWindowTitle(f"文书 — 个案 {case_number}")
        self.last_preview: Any = None

        self.printables = QListWidget()
        self.printables.setObjectName("printables")
        self.copies = QSpinBox()
        self.copies.setRange(1, 99)
        self.copies.setPrefix("份数 ")
        self.issue_button = QPushButton("开具并预览（&P）")
        self.issue_button.setObjectName("issue_button")
        self.issue_button.setDefault(True)
        left = QVBoxLayout()
        printables_label = QLabel("可开具的文书（&K）（回车开具）：")
        printables_label.setBuddy(self.printables)
        left.addWidget(printables_label)
        left.addWidget(self.printables, 1)
        row = QHBoxLayout()
        row.addWidget(self.copies)
        row.addWidget(self.issue_button)
        left.addLayout(row)

        self.issued = QTableWidget(0, 6)
        self.issued.setObjectName("issued_table")
        self.issued.setHorizontalHeaderLabels(["文书", "编号", "开具人", "时间", "打印次数", "状态"])
        self.issued.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issued.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.issued.horizontalHeader().setStretchLastSection(True)
        self.issued.setTabKeyNavigation(False)  # Tab leaves the table for its buttons; arrows move in it
        self.issued.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.reprint_button = QPushButton("补打（&B）")
        self.reprint_button.setObjectName("reprint_button")
        self.void_button = QPushButton("作废（&V）…")
        self.void_button.setObjectName("void_button")
        self.word_button = QPushButton("另存为 Word（&W）…")
        for b in (self.reprint_button, self.void_button, self.word_button):
            b.setAutoDefault(False)  # Enter in the dialog issues (the default button), never voids
        right = QVBoxLayout()
        issued_label = QLabel("已开具（&Y）：")  # Alt+Y reaches the list from anywhere in the dialog
        issued_label.setBuddy(self.issued)
        right.addWidget(issued_label)
        right.addWidget(self.issued, 1)
        buttons = QHBoxLayout()
        for b in (self.reprint_button, self.void_button, self.word_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right.addLayout(buttons)

        self.message = QLabel()
        self.message.setObjectName("documents_message")
        self.message.setWordWrap(True)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        close = QPushButton("关闭")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(1000, 480)

        # clicked(bool) would arrive as the first argument: every button goes through a lambda.
        self.issue_button.clicked.connect(lambda _checked=False: self.issue_selected())
        self.printables.itemActivated.connect(lambda _item: self.issue_selected())
        self.reprint_button.clicked.connect(lambda _checked=False: self.reprint_selected())
        self.void_button.clicked.connect(lambda _checked=False: self.void_selected())
        self.word_button.clicked.connect(lambda _checked=False: self.save_word_selected())
        self.setTabOrder(self.printables, self.copies)
        self.setTabOrder(self.copies, self.issue_button)
        self.setTabOrder(self.issue_button, self.issued)
        self.setTabOrder(self.issued, self.reprint_button)
        self.setTabOrder(self.reprint_button, self.void_button)
        self.setTabOrder(self.void_button, self.word_button)
        self.last_question: QMessageBox | None = None
        self.last_reason_dialog: QInputDialog | None = None
        self._infos: list[documents.DocumentInfo] = []
        self.refresh()

    def _run(self, fn: Any, on_done: Any) -> None:
        def failed(exc: BaseException) -> bool:
            self.issue_button.setEnabled(True)
            self.message.setText(str(exc))
            show_error(self, exc)
            return True

        self.ctx.tasks.run(fn, on_done=on_done, on_error=failed, owner=self)

    def refresh(self) -> None:
        case_id = self.case_id

        def read() -> tuple[list[case_documents.Printable], list[documents.DocumentInfo]]:
            with self.ctx.uow(write=False) as uow:
                return case_documents.printables(uow, case_id), documents.for_case(uow, case_id)

        self._run(read, self._show)

    def _show(self, data: tuple[list[case_documents.Printable], list[documents.DocumentInfo]]) -> None:
        printables, infos = data
        issued_had_focus = self.issued.hasFocus()
        current = self.printables.currentRow()
        self.printables.clear()
        for p in printables:
            item = QListWidgetItem(p.title)
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.printables.addItem(item)
        self.printables.setCurrentRow(current if 0 <= current < len(printables) else 0)
        self._infos = infos
        issued_row = self.issued.currentRow()
        self.issued.setRowCount(len(infos))
        for r, info in enumerate(infos):
            status = f"已作废：{info.void_reason}" if info.voided else ""
            title = f"{info.title}（{info.department}）" if info.department else info.title
            for c, value in enumerate([title, info.number, info.created_by, format_local(info.created_at),
                                       str(info.prints), status]):
                self.issued.setItem(r, c, QTableWidgetItem(value))
        if infos:
            self.issued.setCurrentCell(min(max(issued_row, 0), len(infos) - 1), 0)
        (self.issued if issued_had_focus and infos else self.printables).setFocus()

    def _selected_info(self) -> documents.DocumentInfo | None:
        row = self.issued.currentRow()
        if 0 <= row < len(self._infos):
            return self._infos[row]
        self.message.setText("请先在“已开具”中选择一份文书（Alt+Y）")
        return None

    def issue_selected(self) -> None:
        """Issue the selected paper; if the case already has it (same referral), ask 补打 or 重新开具 first."""
        item = self.printables.currentItem()
        if item is None:
            return
        printable: case_documents.Printable = item.data(Qt.ItemDataRole.UserRole)
        case_id = self.case_id
        self.issue_button.setEnabled(False)

        def find() -> documents.DocumentInfo | None:
            with self.ctx.uow(write=False) as uow:
                return case_documents.existing(uow, case_id, printable.kind, referral_id=printable.referral_id)

        self._run(find, lambda found: self._issue_or_ask(printable, found))

    def _issue_or_ask(self, printable: case_documents.Printable, found: documents.DocumentInfo | None) -> None:
        if found is None:
            self._issue(printable, replaces=None)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "补打还是重新开具？",
                          f"本个案已开具{printable.title}（{found.number}）。\n"
                          "补打：原编号再打一份，页面注明“补打”；\n重新开具：取新编号，原文书作废。", parent=self)
        reprint = box.addButton("补打（&B）", QMessageBox.ButtonRole.AcceptRole)
        again = box.addButton("重新开具（&R）", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(reprint)
        self.last_question = box
        box.exec()
        clicked = box.clickedButton()
        self.last_question = None
        if clicked is reprint:
            self._reprint(found.id)
        elif clicked is again:
            self._issue(printable, replaces=found.id)
        else:
            self.issue_button.setEnabled(True)
            self.message.setText("未开具")

    def _issue(self, printable: case_documents.Printable, *, replaces: int | None) -> None:
        copies = self.copies.value()
        case_id = self.case_id
        self.issue_button.setEnabled(False)
        self.message.setText(f"正在开具{printable.title}…")

        def issue() -> documents.IssuedDocument:
            with self.ctx.uow() as uow:
                return case_documents.issue_for_case(uow, case_id, printable.kind, referral_id=printable.referral_id,
                                                     copies=copies, replaces=replaces)

        self._run(issue, self._issued)

    def _issued(self, issued: documents.IssuedDocument) -> None:
        self.issue_button.setEnabled(True)
        self.message.setText(f"已开具 {issued.number}" + ("（补打）" if issued.reprint else ""))
        self.sig_issued.emit(issued)
        self.refresh()
        self.preview(issued)

    def preview(self, issued: documents.IssuedDocument) -> None:
        from window_desk.ui.preview import PreviewDialog  # pdfium loads only when a paper is shown

        doc_id = issued.id

        def word() -> bytes:
            with self.ctx.uow(write=False) as uow:
                return documents.render_again(uow, doc_id, "docx")

        dialog = PreviewDialog(issued.pdf, issued.number, self.ctx.tasks, suggested_name=issued.number,
                               word=word, copies=issued.copies, parent=self)
        dialog.sig_printed.connect(lambda result: self._record_print(doc_id, result))
        self.last_preview = dialog
        dialog.open()

    def _record_print(self, document_id: int, result: Any) -> None:
        """A job reached a printer: count its copies (a PDF written to a file is not a printed copy)."""
        if result.route not in documents.PRINT_ROUTES:
            return

        def record() -> int:
            with self.ctx.uow() as uow:
                return documents.record_print(uow, document_id, copies=result.copies, pages=max(1, result.pages),
                                              route=result.route, printer=result.printer)

        self._run(record, lambda _total: self.refresh())

    def reprint_selected(self) -> None:
        info = self._selected_info()
        if info is not None:
            self._reprint(info.id)

    def _reprint(self, document_id: int) -> None:
        copies = self.copies.value()

        def reprint() -> documents.IssuedDocument:
            with self.ctx.uow() as uow:
                return documents.reprint(uow, document_id, copies=copies)

        self._run(reprint, self._issued)

    def void_selected(self) -> None:
        """Ask for the reason (the number is never used again), then void and log it."""
        info = self._selected_info()
        if info is None:
            return
        if info.voided:
            self.message.setText(f"{info.number} 已经作废")
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("作废文书")
        dialog.setLabelText(f"作废 {info.number} 的理由（编号不再使用）：")
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setOkButtonText("作废")
        dialog.setCancelButtonText("取消")
        self.last_reason_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        reason = dialog.textValue().strip()
        self.last_reason_dialog = None
        if not accepted:
            return

        def void() -> None:
            with self.ctx.uow() as uow:
                documents.void(uow, info.id, reason)

        self._run(void, lambda _r: (self.message.setText(f"{info.number} 已作废"), self.refresh()))

    def save_word_selected(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        info = self._selected_info()
        if info is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "另存为 Word", f"{info.number}.docx", "Word (*.docx)")
        if not path:
            return

        def write() -> str:
            from pathlib import Path

            with self.ctx.uow(write=False) as uow:
                Path(path).write_bytes(documents.render_again(uow, info.id, "docx"))
            return path

        self._run(write, lambda p: self.message.setText(f"已保存：{p}"))
