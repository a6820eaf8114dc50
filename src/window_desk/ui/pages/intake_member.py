"""The member editor of the intake form: one member's fields, Alt+letter jumps, Tab in card order.

It edits one member dict of the intake payload in place (services/intake.py) and
emits ``sig_changed`` on every edit so the form can refresh its table and save a draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from window_desk import idnumber, vocab
from window_desk.services.intake import GUARDIAN_RELATIONS, blank_member, guardian_of, needs_guardian
from window_desk.timeutil import today
from window_desk.ui.widgets.inputs import CodeCombo, MoneyEdit

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")


class MemberEditor(QGroupBox):
    """Edits one member dict in place."""

    sig_changed = Signal()
    """Emitted (no arguments) when a field of the member changes."""
    sig_id_entered = Signal(str)
    """Emitted with a valid, normalised ID number as soon as one is typed."""
    sig_invalid = Signal(str)
    """Emitted with a Chinese message (naming the field) when an amount typed is not one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("成员信息", parent)
        self.member: dict[str, Any] | None = None
        self.application_date = today()
        self._loading = False
        self._build_fields()
        self._lay_out()
        self._wire()
        self.setEnabled(False)

    def _build_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setObjectName("member_name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("member_id_number")
        self.id_number.setMaxLength(24)
        self.id_info = QLabel()
        self.id_info.setObjectName("member_id_info")
        self.card_info = QLabel()  # what the card said (民族, 户籍地址), when this member's card was read
        self.card_info.setObjectName("member_card_info")
        self.card_info.setWordWrap(True)
        self.relation = CodeCombo(vocab.RELATIONS)
        self.labor = CodeCombo(vocab.LABOR_CAPACITY)
        self.self_care = CodeCombo(vocab.SELF_CARE)
        self.disability_grade = CodeCombo(vocab.DISABILITY_GRADES, empty_label="无残疾")
        self.disability_kind = CodeCombo(vocab.DISABILITY_KINDS)
        self.health = CodeCombo(vocab.HEALTH)
        self.schooling = CodeCombo(vocab.SCHOOLING, empty_label="不在学")
        self.employed = QCheckBox("就业（&E）")
        self.supporter = QCheckBox("有能力履行义务的法定赡养/抚养/扶养人")
        self.lacks_capacity = QCheckBox("无民事行为能力或限制民事行为能力，由监护人代签（&K）")
        self.lacks_capacity.setObjectName("member_lacks_capacity")
        self.guardian = QLineEdit()
        self.guardian.setObjectName("guardian_name")
        self.guardian.setPlaceholderText("未成年人或无完全民事行为能力时由监护人代签")
        self.guardian_relation = CodeCombo(GUARDIAN_RELATIONS, empty_label="（监护人与成员关系）")
        self.guardian_relation.setObjectName("guardian_relation")
        self.guardian_id = QLineEdit()
        self.guardian_id.setObjectName("guardian_id_number")
        self.guardian_id.setMaxLength(24)
        self.guardian_id.setPlaceholderText("监护人身份证号")
        self.income = {field: MoneyEdit(vocab.INCOME_KINDS[field]) for field in INCOME_FIELDS}
        for field, edit in self.income.items():
            edit.setObjectName(f"income_{field}")
            edit.sig_invalid.connect(self.sig_invalid)

    def _lay_out(self) -> None:
        """Alt+letter jumps to a field (the underlined letter), so the clerk need not Tab through the form."""
        grid = QGridLayout(self)
        rows: list[tuple[str, QWidget]] = [
            ("姓名（&N）", self.name),
            ("身份证号（&I）", self.id_number),
            ("", self.id_info),
            ("", self.card_info),
            ("与申请人关系（&R）", self.relation),
            ("劳动能力（&L）", self.labor),
            ("生活自理（&C）", self.self_care),
            ("残疾等级（&B）", self.disability_grade),
            ("残疾类别", self.disability_kind),
            ("健康状况（&H）", self.health),
            ("在学情况（&X）", self.schooling),
        ]
        for i, (text, widget) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i, 0)
            grid.addWidget(widget, i, 1)
        grid.addWidget(self.employed, len(rows), 1)
        grid.addWidget(self.supporter, len(rows) + 1, 1)
        grid.addWidget(self.lacks_capacity, len(rows) + 2, 1)
        guardian_row = QHBoxLayout()
        for w in (self.guardian, self.guardian_relation, self.guardian_id):
            guardian_row.addWidget(w)
        guardian_label = QLabel("监护人（&G）")
        guardian_label.setBuddy(self.guardian)
        grid.addWidget(guardian_label, len(rows) + 3, 0)
        grid.addLayout(guardian_row, len(rows) + 3, 1)

        income_box = QGroupBox("月收入（元）")
        income_form = QFormLayout(income_box)
        for field, edit in self.income.items():
            income_form.addRow(vocab.INCOME_KINDS[field] + ("（&W）" if field == "wage" else ""), edit)
        grid.addWidget(income_box, 0, 2, len(rows) + 4, 1)
        grid.setColumnStretch(1, 1)

    def _wire(self) -> None:
        for edit in (self.name, self.guardian, self.guardian_id, *self.income.values()):
            edit.textChanged.connect(self._store)  # typed or pasted: the draft keeps it either way
        self.id_number.textChanged.connect(self._id_edited)
        for combo in (self.relation, self.labor, self.self_care, self.disability_grade, self.disability_kind,
                      self.health, self.schooling, self.guardian_relation):
            combo.currentIndexChanged.connect(self._store)
        for box in (self.employed, self.supporter, self.lacks_capacity):
            box.toggled.connect(self._store)
        self.disability_grade.currentIndexChanged.connect(self._disability_enabled)
        self.lacks_capacity.toggled.connect(self._guardian_enabled)
        # Tab walks the member in the order a clerk reads the card and asks the questions.
        order = [self.name, self.id_number, self.relation, self.labor, self.self_care, self.disability_grade,
                 self.disability_kind, self.health, self.schooling, self.employed, *self.income.values(),
                 self.supporter, self.lacks_capacity, self.guardian, self.guardian_relation, self.guardian_id]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    def _guardian_enabled(self) -> None:
        """The guardian's fields are open only for a member who signs through one."""
        needed = self.member is not None and needs_guardian(
            dict(self.member, lacks_capacity=self.lacks_capacity.isChecked(), id_number=self.id_number.text()),
            self.application_date)
        for w in (self.guardian, self.guardian_relation, self.guardian_id):
            w.setEnabled(needed)

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
            self.lacks_capacity.setChecked(bool(m.get("lacks_capacity")))
            self._show_guardian(m)
            for field, edit in self.income.items():
                edit.set_value(m["income"].get(field))
            self._show_id_info()
            self._show_card_info()
            self._guardian_enabled()
        finally:
            self._loading = False

    def _show_guardian(self, m: dict[str, Any]) -> None:
        g = guardian_of(m)
        self.guardian.setText(g["name"])
        self.guardian_relation.set_code(g["relation"] or None)
        self.guardian_id.setText(g["id_number"])

    def _id_edited(self) -> None:
        if self._loading:
            return
        self._store()
        self._guardian_enabled()
        result = self._show_id_info()
        self._show_card_info()
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

    def _show_card_info(self) -> None:
        """The card's own fields, while the number typed is still the one read off that card."""
        card = (self.member or {}).get("card")
        number = idnumber.normalize(self.id_number.text())
        if not isinstance(card, dict) or not number or card.get("id_number") != number:
            self.card_info.setText("")
            return
        check = idnumber.check(number)
        mismatch = "  ⚠ 证件性别与身份证号码不符，请核对" if check.valid and check.sex and card.get("sex") != check.sex else ""
        self.card_info.setStyleSheet("color: #8a6d00;" if mismatch else "")
        self.card_info.setText(f"证件读入：{card.get('sex', '')} · {card.get('nation', '')}族 · "
                               f"{card.get('birth_date', '')} 出生 · 户籍地址：{card.get('address', '')}{mismatch}")

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
        m["lacks_capacity"] = self.lacks_capacity.isChecked()
        guardian: dict[str, Any] = {"name": self.guardian.text().strip(), "relation": self.guardian_relation.code() or "",
                                    "id_number": self.guardian_id.text().strip()}
        previous = m.get("guardian")
        if isinstance(previous, dict) and previous.get("auto") and guardian == guardian_of(m):
            guardian["auto"] = True  # still the default the form filled in
        m["guardian"] = guardian
        m["income"] = {field: edit.raw() for field, edit in self.income.items()}
        self.sig_changed.emit()
