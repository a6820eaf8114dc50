"""首问登记 — the first-inquiry log: record a contact in seconds, hand it on, close it with one outcome.

Keyboard first: the form's tab order follows the form; the channel combo takes one digit (1 窗口来访，
2 12345热线 …); Space (or F2 anywhere on the page) marks 急难；Enter saves; Ctrl+N starts a new one.
Open 急难 inquiries are pinned on top of the list with the time they have waited; overdue ones are red.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.services import inquiries, inquiry_import
from window_desk.services.inquiries import InquiryFilter, InquiryRow, NewInquiry, Visitor
from window_desk.timeutil import format_local
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.inputs import CodeCombo

PAGE_SIZE = 200
COLUMNS = ("登记时间", "渠道", "急难", "来访人", "联系电话", "求助事项", "状态", "期限", "首问责任人", "承办人")
COLUMN_WIDTHS = (142, 100, 44, 72, 112, 220, 72, 170, 96, 72)
Index = QModelIndex | QPersistentModelIndex
RED = QColor("#c62828")
# Views of the status filter: the page opens on today's and every open inquiry.
VIEWS = {"today_and_open": "今日及未办结", "all": "全部", "open": "办理中", "closed": "已办结"}
DETAIL_LABELS = {"accepted": "说明", "one_time_notice": "缺少材料", "to_window": "转往窗口",
                 "to_department": "转往部门", "answered": "答复内容"}
DETAIL_HINTS = {"accepted": "可不填；确认后打开受理页面", "one_time_notice": "一次列明全部缺少的材料，用顿号“、”分隔",
                "to_window": "默认：社会救助受理窗口", "to_department": "如：区医保局",
                "answered": "写明答复了什么（必填）"}


class Navigator(Protocol):
    """What the page needs of the main window: showing another page."""

    def show_page(self, page_id: str) -> Page: ...


def _numbered(choices: dict[str, str]) -> dict[str, str]:
    """Labels with a leading digit, so one key picks the item in the combo (keyboard search)."""
    return {code: f"{i} {label}" for i, (code, label) in enumerate(choices.items(), 1)}


class DigitCombo(CodeCombo):
    """A code combo whose items are numbered: one digit key picks an item at once (Qt's own keyboard
    search would join two quick presses into "22" and find nothing)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if len(text) == 1 and text.isdigit() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            for i in range(self.count()):
                if self.itemText(i).startswith(f"{text} "):
                    self.setCurrentIndex(i)
                    return
        super().keyPressEvent(event)


def _split_items(text: str) -> list[str]:
    for sep in (",", "，", ";", "；", " ", "\u3000"):
        text = text.replace(sep, "、")
    return [t.strip() for t in text.split("、") if t.strip()]


def deadline_text(row: InquiryRow) -> str:
    if row.status != "open":
        return row.due_date.isoformat() if row.due_date else ""
    if row.urgent:
        text = f"已等候{inquiries.elapsed_text(row.elapsed_hours)}"
    elif row.days_left is None:
        text = ""
    elif row.days_left >= 0:
        text = f"{row.due_date}（剩{row.days_left}天）"
    else:
        text = f"{row.due_date}（超{-row.days_left}天）"
    return text + (" 逾期" if row.overdue else "")


class InquiryTableModel(QAbstractTableModel):
    """The pinned open 急难 inquiries first (one read), then the rest a page at a time on a worker
    (keyset pagination on the id), as the register's model does."""

    sig_loaded = Signal(int)
    """Emitted with the number of rows now held, after each read arrives."""

    def __init__(self, open_uow: Any, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._open_uow = open_uow
        self._tasks = tasks
        self._rows: list[InquiryRow] = []
        self._pinned = 0
        self._filter = InquiryFilter()
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._last_id: int | None = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = row.status_label if row.status == "open" else row.outcome_label
            return (
                format_local(row.received_at),
                row.channel_label,
                "急难" if row.urgent else "",
                row.visitor_name or "未留姓名",
                row.visitor_phone,
                row.matter,
                status,
                deadline_text(row),
                row.first_responder,
                row.handled_by,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return RED
        if role == Qt.ItemDataRole.FontRole and index.row() < self._pinned:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._loading = True
        generation = self._generation
        flt = self._filter
        after = self._last_id
        first = not self._rows and after is None

        def fetch() -> tuple[list[InquiryRow], list[InquiryRow]]:
            with self._open_uow() as uow:
                pinned = inquiries.pinned(uow, flt) if first else []
                return pinned, inquiries.find(uow, flt, after_id=after, limit=PAGE_SIZE, exclude_pinned=True)

        self._tasks.run(fetch, on_done=lambda got: self._append(generation, *got),
                        on_error=lambda _exc: self._failed(generation), owner=self)

    def row_at(self, row: int) -> InquiryRow:
        return self._rows[row]

    def row_of(self, inquiry_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == inquiry_id), -1)

    @property
    def pinned_count(self) -> int:
        return self._pinned

    def set_filter(self, flt: InquiryFilter) -> None:
        """Start over; pages of an earlier search still in flight are dropped."""
        self.beginResetModel()
        self._generation += 1
        self._filter = flt
        self._rows = []
        self._pinned = 0
        self._last_id = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def _append(self, generation: int, pinned: list[InquiryRow], rows: list[InquiryRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(rows) < PAGE_SIZE:
            self._exhausted = True
        if rows:
            self._last_id = rows[-1].id
        new = pinned + rows
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self._pinned += len(pinned)
            self.endInsertRows()
        self.sig_loaded.emit(len(self._rows))

    def _failed(self, generation: int) -> bool:
        if generation == self._generation:
            self._loading = False
        return False


class _Progress(QObject):
    """Lives on the GUI thread; a worker's emits arrive queued."""

    sig_progress = Signal(int, int)
    """Emitted with rows done and rows in all, as an import goes."""


class FirstInquiryPage(Page):
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

        # --- the form
        self.channel = DigitCombo(_numbered(inquiries.CHANNELS))
        self.channel.setObjectName("inquiry_channel")
        self.urgent = QCheckBox("急难（空格或 F2）")
        self.urgent.setObjectName("inquiry_urgent")
        self.name = QLineEdit()
        self.name.setObjectName("inquiry_name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("inquiry_id_number")
        self.id_number.setMaxLength(18)
        self.id_number.setValidator(QRegularExpressionValidator(QRegularExpression(r"^[0-9]{0,17}[0-9Xx]?$"), self))
        self.id_number.setPlaceholderText("可不填；填写时校验")
        self.phone = QLineEdit()
        self.phone.setObjectName("inquiry_phone")
        self.phone.setMaxLength(32)
        self.address = QLineEdit()
        self.address.setObjectName("inquiry_address")
        self.matter = QLineEdit()
        self.matter.setObjectName("inquiry_matter")
        self.matter.setPlaceholderText("必填：求助或咨询的事项")
        self.materials = QLineEdit()
        self.materials.setObjectName("inquiry_materials")
        self.materials.setPlaceholderText("用顿号“、”分隔，如：居民身份证、户口簿")
        self.responder = QLineEdit()
        self.responder.setObjectName("inquiry_responder")
        self.responder.setPlaceholderText(f"默认为本人（{ctx.user.display_name}）；首问的是其他科室人员时填其姓名")
        self.save_button = QPushButton("保存登记（Enter）")
        self.save_button.setObjectName("inquiry_save")
        self.new_button = QPushButton("新登记（Ctrl+N）")
        self.form_message = QLabel()
        self.form_message.setObjectName("inquiry_form_message")
        self.form_message.setWordWrap(True)

        self.form_box = QGroupBox("登记")
        form = QFormLayout(self.form_box)
        top = QHBoxLayout()
        top.addWidget(self.channel, 1)
        top.addWidget(self.urgent)
        form.addRow("来访方式：", top)
        form.addRow("来访人姓名：", self.name)
        form.addRow("身份证号：", self.id_number)
        form.addRow("联系电话：", self.phone)
        form.addRow("住址：", self.address)
        form.addRow("求助事项：", self.matter)
        form.addRow("携带材料：", self.materials)
        form.addRow("首问责任人：", self.responder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_message, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        chain = [self.channel, self.urgent, self.name, self.id_number, self.phone, self.address, self.matter,
                 self.materials, self.responder, self.save_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.new_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        # --- filters and the list
        self.search = QLineEdit()
        self.search.setObjectName("inquiry_search")
        self.search.setPlaceholderText("按姓名、电话或身份证号查找")
        self.search.setClearButtonEnabled(True)
        self.view_combo = CodeCombo(VIEWS)
        self.view_combo.setObjectName("inquiry_view")
        self.channel_filter = CodeCombo(inquiries.CHANNELS, empty_label="全部渠道")
        self.urgency_filter = CodeCombo({False: "普通", True: "急难"}, empty_label="全部缓急")
        self.overdue_filter = QCheckBox("只看逾期")
        self.overdue_filter.setObjectName("inquiry_overdue_only")
        self.count = QLabel()
        self.count.setObjectName("inquiry_count")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("查找："))
        bar.addWidget(self.search, 2)
        for w in (self.view_combo, self.channel_filter, self.urgency_filter, self.overdue_filter):
            bar.addWidget(w)
        bar.addWidget(self.count, 1)

        self.model = InquiryTableModel(lambda: ctx.uow(write=False), ctx.tasks, self)
        self.table = QTableView()
        self.table.setObjectName("inquiry_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)

        # --- import
        self.import_channel = CodeCombo({c: inquiries.CHANNELS[c] for c in inquiries.HOTLINE_CHANNELS})
        self.import_button = QPushButton("导入热线工单…")
        self.import_button.setObjectName("inquiry_import")
        self.import_progress = QProgressBar()
        self.import_progress.setObjectName("inquiry_import_progress")
        self.import_progress.setVisible(False)
        self.import_message = QLabel()
        self.import_message.setObjectName("inquiry_import_message")
        self.import_message.setWordWrap(True)
        import_row = QHBoxLayout()
        import_row.addWidget(QLabel("无“渠道”列时按："))
        import_row.addWidget(self.import_channel)
        import_row.addWidget(self.import_button)
        import_row.addWidget(self.import_progress, 1)
        self._progress = _Progress(self)
        self._progress.sig_progress.connect(self._on_progress)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form_box)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(import_row)
        left_layout.addWidget(self.import_message)

        # --- the detail panel
        self.detail = QLabel("选择一条登记查看详情")
        self.detail.setObjectName("inquiry_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history = QListWidget()
        self.history.setObjectName("inquiry_history")
        self.handoff_to = QLineEdit()
        self.handoff_to.setObjectName("handoff_to")
        self.handoff_to.setPlaceholderText("转交给谁（姓名/科室）")
        self.handoff_note = QLineEdit()
        self.handoff_note.setObjectName("handoff_note")
        self.handoff_note.setPlaceholderText("转办说明（可不填）")
        self.handoff_button = QPushButton("转交（Ctrl+T）")
        self.handoff_button.setObjectName("handoff_button")
        self.outcome = DigitCombo(_numbered(inquiries.OUTCOMES), empty_label="0 选择办理结果")
        self.outcome.setObjectName("close_outcome")
        self.outcome_label = QLabel("说明：")
        self.outcome_detail = QLineEdit()
        self.outcome_detail.setObjectName("close_detail")
        self.close_button = QPushButton("办结（Ctrl+E）")
        self.close_button.setObjectName("close_button")
        self.reopen_reason = QLineEdit()
        self.reopen_reason.setObjectName("reopen_reason")
        self.reopen_reason.setPlaceholderText("重新办理的理由（必填）")
        self.reopen_button = QPushButton("重新办理")
        self.reopen_button.setObjectName("reopen_button")
        self.print_record_button = QPushButton("打印登记表（Ctrl+P）")
        self.print_record_button.setObjectName("print_record")
        self.print_outcome_button = QPushButton("打印告知书/转介单")
        self.print_outcome_button.setObjectName("print_outcome")
        self.detail_message = QLabel()
        self.detail_message.setObjectName("inquiry_detail_message")
        self.detail_message.setWordWrap(True)

        self.handoff_box = QGroupBox("转交")
        hb = QFormLayout(self.handoff_box)
        hb.addRow("转交给：", self.handoff_to)
        hb.addRow("说明：", self.handoff_note)
        hb.addRow(self.handoff_button)
        self.close_box = QGroupBox("办结")
        cb = QFormLayout(self.close_box)
        cb.addRow("办理结果：", self.outcome)
        cb.addRow(self.outcome_label, self.outcome_detail)
        cb.addRow(self.close_button)
        self.reopen_box = QGroupBox("重新办理")
        rb = QHBoxLayout(self.reopen_box)
        rb.addWidget(self.reopen_reason, 1)
        rb.addWidget(self.reopen_button)
        prints = QHBoxLayout()
        prints.addWidget(self.print_record_button)
        prints.addWidget(self.print_outcome_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail)
        right_layout.addWidget(QLabel("<b>办理记录</b>"))
        right_layout.addWidget(self.history, 1)
        right_layout.addWidget(self.handoff_box)
        right_layout.addWidget(self.close_box)
        right_layout.addWidget(self.reopen_box)
        right_layout.addLayout(prints)
        right_layout.addWidget(self.detail_message)

        detail_chain = [self.handoff_to, self.handoff_note, self.outcome, self.outcome_detail, self.reopen_reason]
        for a, b in zip(detail_chain, detail_chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        for button in (self.handoff_button, self.close_button, self.reopen_button):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # --- wiring
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
        self._show_detail(None)
        self._outcome_changed()

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
