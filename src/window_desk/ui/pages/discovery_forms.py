"""Forms of the 主动发现 page, each typed through by keyboard and saved through the discovery service on
the task runner: a new household on a village's roster, a roster household's status, the review of an
observation entry (or moving it off the list), and the result of one spot-check item.

A refusal is shown in the form's own message line with the field named; nothing is half-saved (each
save is one service call, one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.services import discovery
from window_desk.services.discovery_import import RELATION_WORDS
from window_desk.timeutil import today


def _message() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label


def _say(label: QLabel, text: str, *, ok: bool = False) -> None:
    label.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020;")
    label.setText(text)


def _edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def parse_members(text: str) -> list[discovery.MemberIn]:
    """One member a line: 姓名 身份证号码 [与户主关系] (the first line is the head: 户主 if left out)."""
    members = []
    lines = [line.split() for line in text.splitlines() if line.strip()]
    for i, parts in enumerate(lines, 1):
        if len(parts) not in (2, 3):
            raise UserError("每行应为“姓名 身份证号码 与户主关系”（户主一行可不写关系）", field=f"成员{i}")
        relation_text = parts[2] if len(parts) == 3 else ("户主" if i == 1 else "")
        relation = RELATION_WORDS.get(relation_text)
        if relation is None:
            raise UserError(f"未知的关系：{relation_text or '（未填写）'}", field=f"成员{i} 与户主关系")
        members.append(discovery.MemberIn(parts[0], parts[1], relation))
    if not members:
        raise UserError("至少登记一名家庭成员", field="家庭成员")
    return members


class _SaysRefusals:
    """A form whose service refusals (UserError) are shown in its own message line, not a dialog."""

    message: QLabel

    def _refused(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            _say(self.message, str(exc))
            return True
        return False


class HouseholdForm(_SaysRefusals, QGroupBox):
    """登记重点人群：village, members (a line each), why watched, the assistant, since when, address, phone."""

    def __init__(self, page: Any, on_saved: Callable[[int], None]) -> None:
        super().__init__("登记新户（Enter 保存）")
        self.page, self.on_saved = page, on_saved
        self.setObjectName("roster_add")
        form = QFormLayout(self)
        self.village = _edit("add_village")
        self.members = QPlainTextEdit()
        self.members.setObjectName("add_members")
        self.members.setTabChangesFocus(True)
        self.members.setPlaceholderText("每行一人：姓名 身份证号码 与户主关系（户主、配偶、子女……）")
        self.members.setFixedHeight(72)
        self.reason = _edit("add_reason", "例如：独居老人，子女在外地")
        self.assistant = QComboBox()
        self.assistant.setObjectName("add_assistant")
        self.since = _edit("add_since", "YYYY-MM-DD，默认今天")
        self.address = _edit("add_address")
        self.phone = _edit("add_phone")
        self.save = QPushButton("登记")
        self.save.setObjectName("add_save")
        self.save.clicked.connect(self.submit)
        self.message = _message()
        self.message.setObjectName("add_message")
        for label, w in (("村（社区）：", self.village), ("家庭成员：", self.members), ("纳入原因：", self.reason),
                         ("协理员：", self.assistant), ("纳入时间：", self.since), ("家庭住址：", self.address),
                         ("联系电话：", self.phone), ("", self.save), ("", self.message)):
            form.addRow(label, w)
        for edit in (self.village, self.reason, self.since, self.address, self.phone):
            edit.returnPressed.connect(self.submit)
        self.set_staff([])

    def set_staff(self, assistants: list[discovery.StaffInfo]) -> None:
        current = self.assistant.currentData()
        self.assistant.clear()
        self.assistant.addItem("（未定）", None)
        for a in assistants:
            self.assistant.addItem(f"{a.name}（{a.village}）", a.id)
        found = self.assistant.findData(current)
        self.assistant.setCurrentIndex(max(found, 0))

    def submit(self) -> None:
        self.message.setText("")
        try:
            members = parse_members(self.members.toPlainText())
        except UserError as exc:
            self.message.setText(str(exc))
            return
        village, reason, since = self.village.text(), self.reason.text(), self.since.text().strip() or None
        assistant_id, address, phone = self.assistant.currentData(), self.address.text(), self.phone.text()
        ctx = self.page.ctx

        def save() -> int:
            with ctx.uow() as uow:
                return discovery.add_household(uow, village, members, reason, since=since, assistant_id=assistant_id,
                                               address=address, phone=phone)

        def done(hid: int) -> None:
            for edit in (self.reason, self.since, self.address, self.phone):
                edit.clear()
            self.members.clear()
            _say(self.message, f"已登记第{hid}户", ok=True)
            self.on_saved(hid)
            self.members.setFocus()

        self.page.run_task(save, done, self._refused)


class StatusForm(_SaysRefusals, QGroupBox):
    """调整状态 of the roster household selected in the table: 关注中 / 已转入救助 / 已移出 (移出 needs a reason)."""

    def __init__(self, page: Any, selected: Callable[[], discovery.RosterEntry | None],
                 on_saved: Callable[[discovery.RosterEntry], None]) -> None:
        super().__init__("调整状态（选中表中一户）")
        self.page, self.selected, self.on_saved = page, selected, on_saved
        self.setObjectName("roster_status_form")
        form = QFormLayout(self)
        self.which = QLabel("未选中")
        self.which.setObjectName("status_household")
        self.status = QComboBox()
        self.status.setObjectName("status_status")
        for code, label in discovery.STATUSES.items():
            self.status.addItem(label, code)
        self.reason = _edit("status_reason", "移出必须写明原因")
        self.day = _edit("status_date", "YYYY-MM-DD，默认今天")
        self.save = QPushButton("保存状态")
        self.save.setObjectName("status_save")
        self.save.clicked.connect(self.submit)
        self.message = _message()
        self.message.setObjectName("status_message")
        for label, w in (("户：", self.which), ("状态：", self.status), ("原因：", self.reason), ("日期：", self.day),
                         ("", self.save), ("", self.message)):
            form.addRow(label, w)
        for edit in (self.reason, self.day):
            edit.returnPressed.connect(self.submit)

    def show_entry(self, e: discovery.RosterEntry | None) -> None:
        self.message.setText("")
        self.which.setText(f"{e.head_name}（第{e.id}户，{e.status_label}）" if e else "未选中")
        if e is not None:
            self.status.setCurrentIndex(self.status.findData(e.status))

    def submit(self) -> None:
        entry = self.selected()
        if entry is None:
            self.message.setText("请先在花名册中选中一户")
            return
        hid, status, reason, day = entry.id, self.status.currentData(), self.reason.text(), self.day.text().strip()
        ctx = self.page.ctx

        def save() -> discovery.RosterEntry:
            with ctx.uow() as uow:
                return discovery.set_status(uow, hid, status, reason, on=day or None)

        def done(updated: discovery.RosterEntry) -> None:
            self.reason.clear()
            self.day.clear()
            self.show_entry(updated)
            _say(self.message, f"已改为{updated.status_label}", ok=True)
            self.on_saved(updated)

        self.page.run_task(save, done, self._refused)


class ReviewForm(_SaysRefusals, QGroupBox):
    """复查 the selected observation entry (a note and the next review date, default three months on), or
    move it off the list with a reason (审核人)."""

    def __init__(self, page: Any, selected: Callable[[], discovery.ObservationInfo | None],
                 on_saved: Callable[[discovery.ObservationInfo], None]) -> None:
        super().__init__("复查（选中观察名单中一条）")
        self.page, self.selected, self.on_saved = page, selected, on_saved
        self.setObjectName("observation_review")
        form = QFormLayout(self)
        self.which = QLabel("未选中")
        self.which.setObjectName("review_entry")
        self.note = _edit("review_note", "复查情况")
        self.next = _edit("review_next", "下次复查日期 YYYY-MM-DD，默认三个月后")
        self.save = QPushButton("记录复查")
        self.save.setObjectName("review_save")
        self.save.clicked.connect(self.review)
        self.close_reason = _edit("close_reason", "移出观察名单的理由（审核人）")
        self.close_button = QPushButton("移出观察名单")
        self.close_button.setObjectName("close_save")
        self.close_button.clicked.connect(self.close_entry)
        self.close_button.setEnabled(page.ctx.user.role in discovery.SUPERVISOR_ROLES)
        self.message = _message()
        self.message.setObjectName("review_message")
        row = QHBoxLayout()
        row.addWidget(self.close_reason, 1)
        row.addWidget(self.close_button)
        for label, w in (("观察对象：", self.which), ("复查情况：", self.note), ("下次复查：", self.next),
                         ("", self.save)):
            form.addRow(label, w)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("移出：", holder)
        form.addRow("", self.message)
        self.note.returnPressed.connect(self.review)
        self.next.returnPressed.connect(self.review)
        self.close_reason.returnPressed.connect(self.close_entry)

    def show_entry(self, o: discovery.ObservationInfo | None) -> None:
        self.message.setText("")
        self.which.setText(f"{o.name}（复查日期{o.review_date.isoformat()}）" if o else "未选中")

    def _run(self, work: Callable[[Any, int], discovery.ObservationInfo], said: str) -> None:
        entry = self.selected()
        if entry is None:
            self.message.setText("请先在观察名单中选中一条")
            return
        entry_id, ctx = entry.id, self.page.ctx

        def save() -> discovery.ObservationInfo:
            with ctx.uow() as uow:
                return work(uow, entry_id)

        def done(info: discovery.ObservationInfo) -> None:
            for edit in (self.note, self.next, self.close_reason):
                edit.clear()
            self.show_entry(info)
            _say(self.message, said.format(date=info.review_date.isoformat()), ok=True)
            self.on_saved(info)

        self.page.run_task(save, done, self._refused)

    def review(self) -> None:
        note, nxt = self.note.text(), self.next.text().strip() or None
        self._run(lambda uow, i: discovery.review_observation(uow, i, note, next_review=nxt, on=today()),
                  "已记录复查，下次复查日期{date}")

    def close_entry(self) -> None:
        reason = self.close_reason.text()
        self._run(lambda uow, i: discovery.close_observation(uow, i, reason), "已移出观察名单")


SPOT_HEADERS = ("类别", "抽查对象", "结果", "说明", "抽查人")


class SpotForm(_SaysRefusals, QWidget):
    """季度抽查 (审核人): draw the quarter's sample, then the result of each item — select it, type what was
    found and press 无问题 or 发现问题 (a problem needs the note)."""

    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self.items: list[discovery.SpotItemInfo] = []
        box = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.quarter = _edit("spot_quarter")
        self.quarter.setText(discovery.quarter_of(today()))
        self.seed = QSpinBox()
        self.seed.setObjectName("spot_seed")
        self.seed.setRange(0, 999999)
        self.count = QSpinBox()
        self.count.setObjectName("spot_count")
        self.count.setRange(1, 100)
        self.count.setValue(5)
        draw = QPushButton("抽取")
        draw.setObjectName("spot_draw")
        draw.clicked.connect(self.draw)
        for w in (QLabel("季度："), self.quarter, QLabel("随机数："), self.seed, QLabel("每类数量："), self.count, draw):
            bar.addWidget(w)
        bar.addStretch(1)
        box.addLayout(bar)
        self.table = QTableWidget(0, len(SPOT_HEADERS))
        self.table.setObjectName("discovery_spot")
        self.table.setHorizontalHeaderLabels(list(SPOT_HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        box.addWidget(self.table)
        res = QHBoxLayout()
        self.note = _edit("spot_note", "发现的问题")
        ok = QPushButton("无问题")
        ok.setObjectName("spot_ok")
        bad = QPushButton("发现问题")
        bad.setObjectName("spot_problem")
        ok.clicked.connect(lambda: self.check("ok"))
        bad.clicked.connect(lambda: self.check("problem"))
        self.message = _message()
        self.message.setObjectName("spot_message")
        for w in (self.note, ok, bad):
            res.addWidget(w)
        box.addLayout(res)
        box.addWidget(self.message)

    def draw(self) -> None:
        quarter, seed, n, ctx = self.quarter.text(), self.seed.value(), self.count.value(), self.page.ctx

        def run() -> discovery.SpotCheckInfo:
            with ctx.uow() as uow:
                return discovery.draw_spot_check(uow, quarter, seed, cases=n, visits=n)

        self.page.run_task(run, self.show_check, self._refused)

    def show_check(self, info: discovery.SpotCheckInfo | None) -> None:
        selected = self.table.currentRow()
        self.items = list(info.items) if info else []
        self.table.setRowCount(len(self.items))
        for r, i in enumerate(self.items):
            values = ("个案" if i.kind == "case" else "走访", i.label,
                      discovery.CHECK_RESULTS.get(i.result or "", "未查"), i.note, i.checked_by or "")
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        if 0 <= selected < len(self.items):
            self.table.selectRow(selected)

    def check(self, result: str) -> None:
        self.message.setText("")
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText("请先选择一项抽查对象")
            return
        item, note, ctx = self.items[rows[0].row()], self.note.text(), self.page.ctx

        def record() -> discovery.SpotCheckInfo:
            with ctx.uow() as uow:
                checked = discovery.record_check(uow, item.id, result, note)
                spot_id = next(s.id for s in discovery.spot_checks(uow) if any(i.id == checked.id for i in s.items))
                return discovery.spot_check(uow, spot_id)

        def done(info: discovery.SpotCheckInfo) -> None:
            self.note.clear()
            self.show_check(info)
            _say(self.message, "已记录抽查结果", ok=True)

        self.page.run_task(record, done, self._refused)
