"""The household form of the intake page: applicant, members, assets, expenses, events.

The form edits a plain dict, the *intake payload* (see services/intake.py);
every change emits ``sig_changed`` so the page can save a draft.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk import idnumber, vocab
from window_desk.services.intake import blank_member, blank_payload, member_total_income
from window_desk.ui.widgets.inputs import CheckGroup, CodeCombo, MoneyEdit

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")
RIGID_FIELDS = ("medical", "education", "care", "housing")


class MemberEditor(QGroupBox):
    """Edits one member dict in place."""

    sig_changed = Signal()
    """Emitted (no arguments) when a field of the member changes."""
    sig_id_entered = Signal(str)
    """Emitted with a valid, normalised ID number as soon as one is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("成员信息", parent)
        self.member: dict[str, Any] | None = None
        self.application_date = date.today()
        self._loading = False

        grid = QGridLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("member_name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("member_id_number")
        self.id_number.setMaxLength(24)
        self.id_info = QLabel()
        self.id_info.setObjectName("member_id_info")
        self.relation = CodeCombo(vocab.RELATIONS)
        self.labor = CodeCombo(vocab.LABOR_CAPACITY)
        self.self_care = CodeCombo(vocab.SELF_CARE)
        self.disability_grade = CodeCombo(vocab.DISABILITY_GRADES, empty_label="无残疾")
        self.disability_kind = CodeCombo(vocab.DISABILITY_KINDS)
        self.health = CodeCombo(vocab.HEALTH)
        self.schooling = CodeCombo(vocab.SCHOOLING, empty_label="不在学")
        self.employed = QCheckBox("就业")
        self.supporter = QCheckBox("有能力履行义务的法定赡养/抚养/扶养人")
        self.guardian = QLineEdit()
        self.guardian.setPlaceholderText("无完全民事行为能力时由监护人代签")
        self.signed = QCheckBox("已在核对授权书上签字")
        self.signed.setObjectName("member_signed")
        self.income = {field: MoneyEdit() for field in INCOME_FIELDS}
        for field, edit in self.income.items():
            edit.setObjectName(f"income_{field}")

        rows: list[tuple[str, QWidget]] = [
            ("姓名", self.name),
            ("身份证号", self.id_number),
            ("", self.id_info),
            ("与申请人关系", self.relation),
            ("劳动能力", self.labor),
            ("生活自理", self.self_care),
            ("残疾等级", self.disability_grade),
            ("残疾类别", self.disability_kind),
            ("健康状况", self.health),
            ("在学情况", self.schooling),
        ]
        for i, (label, widget) in enumerate(rows):
            grid.addWidget(QLabel(label), i, 0)
            grid.addWidget(widget, i, 1)
        grid.addWidget(self.employed, len(rows), 1)
        grid.addWidget(self.supporter, len(rows) + 1, 1)
        grid.addWidget(QLabel("监护人"), len(rows) + 2, 0)
        grid.addWidget(self.guardian, len(rows) + 2, 1)
        grid.addWidget(self.signed, len(rows) + 3, 1)

        income_box = QGroupBox("月收入（元）")
        income_form = QFormLayout(income_box)
        for field, edit in self.income.items():
            income_form.addRow(vocab.INCOME_KINDS[field], edit)
        grid.addWidget(income_box, 0, 2, len(rows) + 4, 1)
        grid.setColumnStretch(1, 1)

        for edit in (self.name, self.guardian, *self.income.values()):
            edit.textEdited.connect(self._store)
        self.id_number.textEdited.connect(self._id_edited)
        for combo in (self.relation, self.labor, self.self_care, self.disability_grade, self.disability_kind,
                      self.health, self.schooling):
            combo.currentIndexChanged.connect(self._store)
        for box in (self.employed, self.supporter, self.signed):
            box.toggled.connect(self._store)
        self.disability_grade.currentIndexChanged.connect(self._disability_enabled)
        self.setEnabled(False)

    def _disability_enabled(self) -> None:
        self.disability_kind.setEnabled(self.disability_grade.code() is not None)

    def edit(self, member: dict[str, Any] | None, application_date: date) -> None:
        """Show ``member`` (a dict owned by the form) for editing; None clears the editor."""
        self._loading = True
        try:
            self.member = member
            self.application_date = application_date
            self.setEnabled(member is not None)
            m = member or blank_member()
            self.name.setText(m["name"])
            self.id_number.setText(m["id_number"])
            self.relation.set_code(m["relation"])
            self.labor.set_code(m["labor_capacity"])
            self.self_care.set_code(m["self_care"])
            disability = m.get("disability") or {}
            self.disability_grade.set_code(disability.get("grade"))
            self.disability_kind.set_code(disability.get("kind") or "physical")
            self._disability_enabled()
            self.health.set_code(m["health"])
            self.schooling.set_code(m.get("schooling"))
            self.employed.setChecked(bool(m["employed"]))
            self.supporter.setChecked(bool(m["supporter_capable"]))
            self.guardian.setText(m.get("guardian", ""))
            self.signed.setChecked(bool(m.get("signed")))
            for field, edit in self.income.items():
                edit.set_value(m["income"].get(field))
            self._show_id_info()
        finally:
            self._loading = False

    def _id_edited(self) -> None:
        self._store()
        result = self._show_id_info()
        if result is not None and result.valid and result.id_number:
            self.sig_id_entered.emit(result.id_number)

    def _show_id_info(self) -> idnumber.IdCheck | None:
        text = self.id_number.text().strip()
        if not text:
            self.id_info.setText("")
            return None
        result = idnumber.check(text)
        if result.valid and result.birth_date:
            age = idnumber.age_on(result.birth_date, self.application_date)
            region = result.region or "地址码未知"
            note = f"  ⚠ {result.warning}" if result.warning else ""
            self.id_info.setStyleSheet("color: #1b5e20;" if not result.warning else "color: #8a6d00;")
            self.id_info.setText(f"{result.sex} · {result.birth_date:%Y-%m-%d} 出生 · {age}岁 · {region}{note}")
        else:
            self.id_info.setStyleSheet("color: #b00020;")
            self.id_info.setText(result.error or "")
        return result

    def _store(self) -> None:
        if self._loading or self.member is None:
            return
        m = self.member
        m["name"] = self.name.text().strip()
        m["id_number"] = self.id_number.text().strip()
        m["relation"] = self.relation.code()
        m["labor_capacity"] = self.labor.code()
        m["self_care"] = self.self_care.code()
        grade = self.disability_grade.code()
        m["disability"] = None if grade is None else {"grade": grade, "kind": self.disability_kind.code()}
        m["health"] = self.health.code()
        m["schooling"] = self.schooling.code()
        m["employed"] = self.employed.isChecked()
        m["supporter_capable"] = self.supporter.isChecked()
        m["guardian"] = self.guardian.text().strip()
        m["signed"] = self.signed.isChecked()
        m["income"] = {field: str(edit.value()) for field, edit in self.income.items()}
        self.sig_changed.emit()


class HouseholdForm(QScrollArea):
    """Everything about the applying household, as one payload dict."""

    sig_changed = Signal()
    """Emitted (no arguments) after any edit."""
    sig_id_entered = Signal(str)
    """Emitted with a valid normalised ID number as soon as one is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.payload: dict[str, Any] = blank_payload(date.today())
        self._loading = False

        body = QWidget()
        outer = QVBoxLayout(body)

        # --- application
        app_box = QGroupBox("申请信息")
        app_grid = QGridLayout(app_box)
        self.application_date = QDateEdit()
        self.application_date.setObjectName("application_date")
        self.application_date.setCalendarPopup(True)
        self.application_date.setDisplayFormat("yyyy-MM-dd")
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
        for i, (label, widget) in enumerate(
            [("申请日期", self.application_date), ("城乡类别", self.area), ("家庭住址", self.address),
             ("联系电话", self.phone), ("申请事项", self.matter), ("已享受待遇", self.benefits)]
        ):
            app_grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            app_grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        app_grid.setColumnStretch(1, 1)
        app_grid.setColumnStretch(3, 1)
        outer.addWidget(app_box)

        # --- members
        members_box = QGroupBox("共同生活的家庭成员（第一位为申请人）")
        members_layout = QVBoxLayout(members_box)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("members_table")
        self.table.setHorizontalHeaderLabels(["姓名", "身份证号", "关系", "年龄", "月收入合计", "授权书"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        outer.addWidget(members_box)

        # --- assets, expenses, housing
        money_box = QGroupBox("家庭财产、刚性支出与住房")
        money_grid = QGridLayout(money_box)
        self.deposits = MoneyEdit()
        self.deposits.setObjectName("deposits")
        self.deposits.setMaximumWidth(180)
        self.vehicles = QSpinBox()
        self.vehicles.setRange(0, 99)
        self.houses = QSpinBox()
        self.houses.setRange(0, 99)
        self.rigid = {field: MoneyEdit() for field in RIGID_FIELDS}
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
        outer.addWidget(money_box)

        events_box = QGroupBox("急难情形")
        events_layout = QVBoxLayout(events_box)
        self.events = CheckGroup(vocab.EVENTS, columns=4)
        events_layout.addWidget(self.events)
        outer.addWidget(events_box)

        materials_box = QGroupBox("已收材料（打印在受理通知书上）")
        materials_layout = QVBoxLayout(materials_box)
        self.materials = CheckGroup(vocab.MATERIALS, columns=3)
        materials_layout.addWidget(self.materials)
        outer.addWidget(materials_box)
        outer.addStretch(1)
        self.setWidget(body)

        # --- wiring
        self.application_date.dateChanged.connect(self._store)
        self.area.currentIndexChanged.connect(self._store)
        for edit in (self.address, self.phone, self.matter, self.deposits, *self.rigid.values()):
            edit.textEdited.connect(self._store)
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
        self.load(self.payload)

    # --- payload in/out
    def load(self, payload: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.payload = copy.deepcopy(payload)
            p = self.payload
            day = date.fromisoformat(p["application_date"])
            self.application_date.setDate(QDate(day.year, day.month, day.day))
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
            self._refresh_table()
            self._select_member(0 if p["members"] else -1)
        finally:
            self._loading = False

    def application_day(self) -> date:
        return self.application_date.date().toPython()  # type: ignore[no-any-return]

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
            "deposits": str(self.deposits.value()),
            "non_essential_vehicles": self.vehicles.value(),
            "extra_houses": self.houses.value(),
        }
        p["rigid_expenses"] = {field: str(edit.value()) for field, edit in self.rigid.items()}
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

    def _member_changed(self) -> None:
        self._refresh_table()
        self.sig_changed.emit()

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
                          f"{member_total_income(m):.2f}", "已签" if m.get("signed") else "未签"]
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if col == 1 and m["id_number"] and not (check and check.valid):
                        item.setForeground(Qt.GlobalColor.red)
                    self.table.setItem(row, col, item)
            if 0 <= current < len(members):
                self.table.setCurrentCell(current, 0)
        finally:
            self.table.blockSignals(blocked)
