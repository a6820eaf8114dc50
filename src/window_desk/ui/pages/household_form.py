"""The household form of the intake page: applicant, members, assets, expenses, events.

The form edits a plain dict, the *intake payload* (see services/intake.py);
every change emits ``sig_changed`` so the page can save a draft.
"""

from __future__ import annotations

import base64
import copy
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk import idnumber, vocab
from window_desk.cardreader import CardData
from window_desk.services.intake import (
    blank_member,
    blank_payload,
    default_guardians,
    guardian_of,
    member_total_income,
    needs_guardian,
)
from window_desk.timeutil import today
from window_desk.ui.pages.intake_member import INCOME_FIELDS, MemberEditor
from window_desk.ui.pages.intake_signatures import SignatureChecklist
from window_desk.ui.widgets.inputs import CheckGroup, CodeCombo, CountSpin, DateField, MoneyEdit

__all__ = ["INCOME_FIELDS", "RIGID_FIELDS", "HouseholdForm", "MemberEditor"]

RIGID_FIELDS = ("medical", "education", "care", "housing")


def _income_text(total: object) -> str:
    return "金额有误" if total is None else f"{total:.2f}"


class HouseholdForm(QScrollArea):
    """Everything about the applying household, as one payload dict."""

    sig_changed = Signal()
    """Emitted (no arguments) after any edit."""
    sig_id_entered = Signal(str)
    """Emitted with a valid normalised ID number as soon as one is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.payload: dict[str, Any] = blank_payload(today())
        self._loading = False

        body = QWidget()
        outer = QVBoxLayout(body)
        outer.addWidget(self._build_application())
        outer.addWidget(self._build_members())
        # --- signatures on the authorization letter (Alt+S; Space ticks the member under the cursor)
        self.signature_box = SignatureChecklist()
        self.signatures = self.signature_box.signatures
        self.unsigned_reason = self.signature_box.unsigned_reason
        outer.addWidget(self.signature_box)
        outer.addWidget(self._build_money_and_events())
        self.notice = QLabel()
        self.notice.setObjectName("form_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b00020;")
        outer.addWidget(self.notice)
        outer.addStretch(1)
        self.setWidget(body)
        self._wire()
        self._tab_order()
        self.load(self.payload)

    def _build_application(self) -> QGroupBox:
        app_box = QGroupBox("申请信息")
        app_grid = QGridLayout(app_box)
        self.application_date = DateField()
        self.application_date.setObjectName("application_date")
        self.area = CodeCombo(vocab.AREAS)
        self.area.setObjectName("area")
        self.address = QLineEdit()
        self.address.setObjectName("address")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.matter = QLineEdit()
        self.matter.setObjectName("matter")
        self.matter.setPlaceholderText("例如：申请最低生活保障；因病申请临时救助")
        self.benefits = CheckGroup(vocab.BENEFITS, columns=3)
        for i, (text, widget) in enumerate(
            [("申请日期", self.application_date), ("城乡类别", self.area), ("家庭住址", self.address),
             ("联系电话", self.phone), ("申请事项（&M）", self.matter), ("已享受待遇", self.benefits)]
        ):
            label = QLabel(text)
            label.setBuddy(widget)  # Alt+M: 申请事项
            app_grid.addWidget(label, i // 2, (i % 2) * 2)
            app_grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        app_grid.setColumnStretch(1, 1)
        app_grid.setColumnStretch(3, 1)
        return app_box

    def _build_members(self) -> QGroupBox:
        members_box = QGroupBox("共同生活的家庭成员（第一位为申请人）")
        members_layout = QVBoxLayout(members_box)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("members_table")
        self.table.setHorizontalHeaderLabels(["姓名", "身份证号", "关系", "年龄", "月收入合计", "授权书"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; ↑/↓ choose the member
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(220)
        buttons = QHBoxLayout()
        self.add_member_button = QPushButton("添加成员（&A）")
        self.add_member_button.setObjectName("add_member")
        self.remove_member_button = QPushButton("删除成员（&D）")
        self.remove_member_button.setObjectName("remove_member")
        buttons.addWidget(self.add_member_button)
        buttons.addWidget(self.remove_member_button)
        buttons.addStretch(1)
        self.editor = MemberEditor()
        members_layout.addWidget(self.table)
        members_layout.addLayout(buttons)
        members_layout.addWidget(self.editor)
        return members_box

    def _build_money_and_events(self) -> QWidget:
        """Assets, expenses and housing; the emergencies; the materials received."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        money_box = QGroupBox("家庭财产、刚性支出与住房")
        money_grid = QGridLayout(money_box)
        self.deposits = MoneyEdit("存款及有价证券")
        self.deposits.setObjectName("deposits")
        self.deposits.setMaximumWidth(180)
        self.vehicles = CountSpin()
        self.houses = CountSpin()
        self.rigid = {field: MoneyEdit(f"月{vocab.RIGID_EXPENSES[field]}支出") for field in RIGID_FIELDS}
        for field, edit in self.rigid.items():
            edit.setObjectName(f"rigid_{field}")
        self.housing = CodeCombo(vocab.HOUSING)
        money_grid.addWidget(QLabel("存款及有价证券（元）"), 0, 0)
        money_grid.addWidget(self.deposits, 0, 1)
        money_grid.addWidget(QLabel("非生活必需机动车辆（辆）"), 0, 2)
        money_grid.addWidget(self.vehicles, 0, 3)
        money_grid.addWidget(QLabel("生活必需以外的房产（套）"), 0, 4)
        money_grid.addWidget(self.houses, 0, 5)
        for i, (field, edit) in enumerate(self.rigid.items()):
            money_grid.addWidget(QLabel(f"月{vocab.RIGID_EXPENSES[field]}支出（元）"), 1 + i // 3, (i % 3) * 2)
            money_grid.addWidget(edit, 1 + i // 3, (i % 3) * 2 + 1)
        money_grid.addWidget(QLabel("住房状况"), 2, 2)
        money_grid.addWidget(self.housing, 2, 3)
        layout.addWidget(money_box)

        events_box = QGroupBox("急难情形")
        events_layout = QVBoxLayout(events_box)
        self.events = CheckGroup(vocab.EVENTS, columns=4)
        events_layout.addWidget(self.events)
        layout.addWidget(events_box)

        materials_box = QGroupBox("已收材料（打印在受理通知书上）")
        materials_layout = QVBoxLayout(materials_box)
        self.materials = CheckGroup(vocab.MATERIALS, columns=3)
        materials_layout.addWidget(self.materials)
        layout.addWidget(materials_box)
        return box

    def _wire(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):  # Alt+letter, an error or a card read may jump out of view
            app.focusChanged.connect(self._focus_moved)
        self.application_date.dateChanged.connect(self._store)
        self.area.currentIndexChanged.connect(self._store)
        for edit in (self.address, self.phone, self.matter, self.deposits, *self.rigid.values(), self.unsigned_reason):
            edit.textChanged.connect(self._store)
        for money in (self.deposits, *self.rigid.values()):
            money.sig_invalid.connect(self.notice.setText)
        self.editor.sig_invalid.connect(self.notice.setText)
        self.signature_box.sig_ticked.connect(self._signature_ticked)
        for spin in (self.vehicles, self.houses):
            spin.valueChanged.connect(self._store)
        self.housing.currentIndexChanged.connect(self._store)
        self.benefits.sig_changed.connect(self._store)
        self.events.sig_changed.connect(self._store)
        self.materials.sig_changed.connect(self._store)
        self.table.currentCellChanged.connect(lambda row, *_: self._select_member(row))
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.editor.sig_changed.connect(self._member_changed)
        self.editor.sig_id_entered.connect(self.sig_id_entered)

    def _tab_order(self) -> None:
        """Tab walks the form in the order of the conversation at the window."""
        chain = [self.matter, self.address, self.phone, self.area, self.application_date,
                 *self.benefits.boxes.values(), self.table, self.add_member_button, self.remove_member_button,
                 self.editor.name]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        tail = [self.editor.guardian_id, self.signatures, self.unsigned_reason, self.deposits, self.vehicles,
                self.houses, *self.rigid.values(), self.housing, *self.events.boxes.values(),
                *self.materials.boxes.values()]
        for first, second in zip(tail, tail[1:]):
            QWidget.setTabOrder(first, second)

    # --- payload in/out
    def load(self, payload: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.payload = copy.deepcopy(payload)
            p = self.payload
            self.application_date.set_day(date.fromisoformat(p["application_date"]))
            self.area.set_code(p["area"])
            self.address.setText(p.get("address", ""))
            self.phone.setText(p.get("phone", ""))
            self.matter.setText(p.get("matter", ""))
            self.benefits.set_codes(p.get("current_benefits", []))
            self.deposits.set_value(p["assets"].get("deposits"))
            self.vehicles.setValue(int(p["assets"].get("non_essential_vehicles", 0)))
            self.houses.setValue(int(p["assets"].get("extra_houses", 0)))
            for field, edit in self.rigid.items():
                edit.set_value(p["rigid_expenses"].get(field))
            self.housing.set_code(p.get("housing", "adequate"))
            self.events.set_codes(p.get("events", []))
            self.materials.set_codes(p.get("materials", []))
            self.unsigned_reason.setText(p.get("unsigned_reason", ""))
            self.notice.clear()
            self._refresh_table()
            self._select_member(0 if p["members"] else -1)
        finally:
            self._loading = False

    def application_day(self) -> date:
        return self.application_date.day()

    def _store(self) -> None:
        if self._loading:
            return
        p = self.payload
        p["application_date"] = self.application_day().isoformat()
        p["area"] = self.area.code()
        p["address"] = self.address.text().strip()
        p["phone"] = self.phone.text().strip()
        p["matter"] = self.matter.text().strip()
        p["current_benefits"] = self.benefits.codes()
        p["assets"] = {
            "deposits": self.deposits.raw(),
            "non_essential_vehicles": self.vehicles.value(),
            "extra_houses": self.houses.value(),
        }
        p["rigid_expenses"] = {field: edit.raw() for field, edit in self.rigid.items()}
        p["unsigned_reason"] = self.unsigned_reason.text().strip()
        p["housing"] = self.housing.code()
        p["events"] = self.events.codes()
        p["materials"] = self.materials.codes()
        self.editor.application_date = self.application_day()
        self._refresh_table()
        self.sig_changed.emit()

    # --- members
    def add_member(self) -> None:
        members = self.payload["members"]
        member = blank_member("self" if not members else "spouse" if len(members) == 1 else "child")
        members.append(member)
        self._refresh_table()
        self.table.setCurrentCell(len(members) - 1, 0)
        self.editor.name.setFocus()
        self.sig_changed.emit()

    def remove_member(self) -> None:
        row = self.table.currentRow()
        members = self.payload["members"]
        if 0 <= row < len(members):
            del members[row]
            self._refresh_table()
            self._select_member(min(row, len(members) - 1))
            self.sig_changed.emit()

    def _select_member(self, row: int) -> None:
        members = self.payload["members"]
        member = members[row] if 0 <= row < len(members) else None
        if member is not None and self.table.currentRow() != row:
            self.table.setCurrentCell(row, 0)
        self.editor.edit(member, self.application_day())

    def fill_from_card(self, card: CardData) -> str:
        """Put a card read into the member being edited — or into a new member when the current one
        already has another ID number, or into the member who already has this one. Returns what was done."""
        members = self.payload["members"]
        row = next((i for i, m in enumerate(members) if idnumber.normalize(m["id_number"]) == card.id_number), None)
        if row is None:
            current = self.editor.member
            if current is None or (current["id_number"].strip()
                                   and idnumber.normalize(current["id_number"]) != card.id_number):
                self.add_member()
            row = next((i for i, m in enumerate(members) if m is self.editor.member), len(members) - 1)
        member = members[row]
        member["name"] = card.name
        member["id_number"] = card.id_number
        # Sex and birth date also follow from the number; nation and the registered address only the card gives.
        member["card"] = {"id_number": card.id_number, "sex": card.sex, "nation": card.nation,
                          "birth_date": card.birth_date.isoformat(), "address": card.address}
        member["photo"] = base64.b64encode(card.photo).decode("ascii") if card.photo else ""
        member["photo_id_number"] = card.id_number if card.photo else ""
        done = f"已读入第{row + 1}位成员：{card.name}"
        if card.address and not self.address.text().strip():
            self.address.setText(card.address)  # the household's address, until the clerk types another
            done += "（家庭住址取自证件，如与现住址不同请改）"
        self._select_member(row)
        self._member_changed()  # the table, a minor's default guardian, the draft
        self.editor.relation.setFocus()  # the card is in: the next thing to ask is the relation
        self.sig_id_entered.emit(card.id_number)
        return done

    def _member_changed(self) -> None:
        member = self.editor.member
        g = member.get("guardian") if member is not None else None
        auto = isinstance(g, dict) and bool(g.get("auto"))
        if member is not None and needs_guardian(member, self.application_day()) and (
                auto or not guardian_of(member)["name"]):
            before = guardian_of(member)
            default_guardians(self.payload)
            if guardian_of(member) != before:
                self.editor._loading = True
                try:
                    self.editor._show_guardian(member)
                finally:
                    self.editor._loading = False
        self._refresh_table()
        self.sig_changed.emit()

    def _signature_ticked(self, row: int, signed: bool) -> None:
        if self._loading:
            return
        members = self.payload["members"]
        if 0 <= row < len(members):
            members[row]["signed"] = signed
            self._refresh_table()
            self.sig_changed.emit()

    # --- errors and scrolling
    def focus_problem(self, path: tuple[Any, ...]) -> QWidget | None:
        """Put the keyboard focus on the field a problem names (selecting its member first)."""
        widget: QWidget | None = None
        head = path[0] if path else None
        if head == "members" and len(path) >= 3:
            row = int(path[1])
            self._select_member(row)
            e = self.editor
            key = path[2]
            if key == "income":
                widget = e.income.get(path[3])
            elif key == "guardian":
                widget = {"name": e.guardian, "relation": e.guardian_relation, "id_number": e.guardian_id}[path[3]]
            else:
                widget = {"name": e.name, "id_number": e.id_number, "relation": e.relation}.get(key)
        elif head == "members":
            widget = self.add_member_button
        elif head == "assets":
            widget = self.deposits
        elif head == "rigid_expenses":
            widget = self.rigid.get(path[1])
        elif head == "unsigned_reason":
            widget = self.unsigned_reason
        elif head == "signatures":
            widget = self.signatures
        else:
            widget = {"application_date": self.application_date, "matter": self.matter,
                      "materials": self.materials}.get(head)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(widget)
            if isinstance(widget, QLineEdit):
                widget.selectAll()
        return widget

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the field with the cursor in view, however the cursor got there."""
        body = self.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self.ensureWidgetVisible(new)

    def scroll_top(self) -> None:
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)

    def _refresh_table(self) -> None:
        members = self.payload["members"]
        day = self.application_day()
        blocked = self.table.blockSignals(True)
        try:
            current = self.table.currentRow()
            self.table.setRowCount(len(members))
            for row, m in enumerate(members):
                check = idnumber.check(m["id_number"]) if m["id_number"] else None
                age = (str(idnumber.age_on(check.birth_date, day)) if check and check.valid and check.birth_date else "")
                shown = check.id_number if check and check.valid and check.id_number else m["id_number"]
                values = [m["name"], shown, vocab.RELATIONS.get(m["relation"], ""), age,
                          _income_text(member_total_income(m)), "已签" if m.get("signed") else "未签"]
                if needs_guardian(m, day):
                    values[5] += "（监护人代签）"
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if col == 1 and m["id_number"] and not (check and check.valid):
                        item.setForeground(Qt.GlobalColor.red)
                    self.table.setItem(row, col, item)
            if 0 <= current < len(members):
                self.table.setCurrentCell(current, 0)
        finally:
            self.table.blockSignals(blocked)
        self.signature_box.refresh(self.payload["members"], day)
