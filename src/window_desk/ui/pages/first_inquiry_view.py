"""The first-inquiry page's widgets: the form, the filters and list, the import row, the detail panel.

``InquiryPageView`` only builds and lays out; ``first_inquiry.FirstInquiryPage`` adds the behaviour
and wires the signals. Widget names and object names are the page's (tests find them by name).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from window_desk.services import inquiries
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.first_inquiry_model import COLUMN_WIDTHS, InquiryTableModel
from window_desk.ui.widgets.inputs import CodeCombo
from window_desk.ui.widgets.paged_model import list_view

# Views of the status filter: the page opens on today's and every open inquiry.
VIEWS = {"today_and_open": "今日及未办结", "all": "全部", "open": "办理中", "closed": "已办结"}
DETAIL_LABELS = {"accepted": "说明", "one_time_notice": "缺少材料", "to_window": "转往窗口",
                 "to_department": "转往部门", "answered": "答复内容"}
DETAIL_HINTS = {"accepted": "可不填；确认后打开受理页面", "one_time_notice": "一次列明全部缺少的材料，用顿号“、”分隔",
                "to_window": "默认：社会救助受理窗口", "to_department": "如：区医保局",
                "answered": "写明答复了什么（必填）"}



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



class _Progress(QObject):
    """Lives on the GUI thread; a worker's emits arrive queued."""

    sig_progress = Signal(int, int)
    """Emitted with rows done and rows in all, as an import goes."""




class InquiryPageView(Page):
    """The widgets of the first-inquiry page, built and laid out (no behaviour)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._build_form()
        bar = self._build_list()
        import_row = self._build_import()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form_box)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(import_row)
        left_layout.addWidget(self.import_message)
        self._build_detail()
        right = self._layout_detail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_form(self) -> None:
        """The form, in the order the clerk tabs through it."""
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
        self.responder.setPlaceholderText(f"默认为本人（{self.ctx.user.display_name}）；首问的是其他科室人员时填其姓名")
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

    def _build_list(self) -> QHBoxLayout:
        """The filter bar (returned) and the table over the paged model."""
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

        ctx = self.ctx
        self.model = InquiryTableModel(lambda: ctx.uow(write=False), ctx.tasks, self)
        self.table = list_view(self.model, "inquiry_table", COLUMN_WIDTHS)
        return bar

    def _build_import(self) -> QHBoxLayout:
        """The hotline import row (returned), its progress bar and message."""
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
        return import_row

    def _build_detail(self) -> None:
        """The detail panel's widgets: the record, its history, hand on, close, reopen, print."""
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

    def _layout_detail(self) -> QWidget:
        """The detail panel laid out (returned): record, history, the three boxes, the print buttons."""
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
        return right
