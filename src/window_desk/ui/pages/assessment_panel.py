"""The assessment view: the tier, the figures, every measure with its reason, and the clerk's changes.

It shows an assessment result (the JSON of assessment.md §5) and edits only the
list of overrides; the proposal itself is read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk import vocab
from window_desk.errors import UserError
from window_desk.overrides import MIN_REASON_LENGTH, effective_measures, measure_key, tier_of
from window_desk.ui.widgets.inputs import MoneyEdit

MONEY_FIELDS = (("monthly_amount", "元/月"), ("amount", "元（一次性）"), ("prepay", "先行救助"))


def describe_amount(m: dict[str, Any]) -> str:
    parts = []
    if m.get("monthly_amount"):
        parts.append(f"{m['monthly_amount']} 元/月")
    if m.get("amount"):
        parts.append(f"{m['amount']} 元")
    if m.get("prepay"):
        parts.append(f"先行救助 {m['prepay']} 元")
    if m.get("months"):
        parts.append(f"{m['months']} 个月")
    if m.get("placement"):
        parts.append("集中供养" if m["placement"] == "centralized" else "分散供养")
    return ";".join(parts)


def _ok_cancel(dialog: QDialog, ok_text: str, on_ok: Callable[[], None]) -> QDialogButtonBox:
    """OK/Cancel in Chinese; OK runs ``on_ok`` (which checks the input before accepting)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ReasonDialog(QDialog):
    """Asks for the written reason a change needs."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reason_text")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        layout.addWidget(_ok_cancel(self, "确定", self._accept))
        self.resize(460, 220)

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def _accept(self) -> None:
        if len(self.reason()) < MIN_REASON_LENGTH:
            self.message.setText(f"理由：请写明理由（至少{MIN_REASON_LENGTH}个字）")
            return
        self.accept()


class AddMeasureDialog(QDialog):
    """A clerk adds a measure the assessment did not propose."""

    def __init__(self, members: list[dict[str, Any]], existing: set[tuple[str, tuple[str, ...]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加救助措施")
        self.existing = existing
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QComboBox()
        self.code.setObjectName("measure_code")
        for code, label in vocab.MEASURES.items():
            self.code.addItem(label, code)
        form.addRow("救助措施", self.code)
        self.members = QListWidget()
        self.members.setObjectName("measure_members")
        self.members.setMaximumHeight(120)
        for m in members:
            item = QListWidgetItem(f"{m['name']}  {m['id_number']}")
            item.setData(Qt.ItemDataRole.UserRole, m["id_number"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
        form.addRow("针对成员（不选为全户）", self.members)
        self.money = {field: MoneyEdit() for field, _ in MONEY_FIELDS}
        for field, label in MONEY_FIELDS:
            self.money[field].setObjectName(f"measure_{field}")
            form.addRow(f"金额：{label}", self.money[field])
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("measure_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("为什么需要这项措施（将记入个案和审计日志）")
        form.addRow("添加理由", self.reason)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(_ok_cancel(self, "添加", self._accept))
        self.resize(520, 520)
        self.result_override: dict[str, Any] | None = None

    def _accept(self) -> None:
        code = self.code.currentData()
        # Sorted, as the assessment lists member ids, so the same measure compares equal.
        ids = sorted(self.members.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.members.count())
                     if self.members.item(i).checkState() == Qt.CheckState.Checked)
        reason = self.reason.toPlainText().strip()
        if (code, tuple(ids)) in self.existing:
            self.message.setText("救助措施：该措施已在清单中")
            return
        if len(reason) < MIN_REASON_LENGTH:
            self.message.setText(f"添加理由：请写明理由（至少{MIN_REASON_LENGTH}个字）")
            self.reason.setFocus()
            return
        amounts = {field: str(edit.value()) for field, edit in self.money.items() if edit.value() > 0}
        self.result_override = {"action": "add", "code": code, "member_ids": ids or None, "reason": reason,
                                "amounts": amounts}
        self.accept()


class AssessmentPanel(QWidget):
    """Shows one result and edits the overrides."""

    sig_overrides_changed = Signal(list)
    """Emitted with the new list of overrides after the clerk drops or adds a measure."""

    COLUMNS = ["保留", "救助措施", "对象", "金额", "承办部门", "办理期限", "理由"]

    def __init__(self, complete_added: Callable[[dict[str, Any]], dict[str, Any]], parent: QWidget | None = None) -> None:
        """``complete_added`` turns an add-override into the full measure (department, due date).

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(parent)
        self.complete_added = complete_added
        self.result: dict[str, Any] | None = None
        self.members: list[dict[str, Any]] = []
        self.overrides: list[dict[str, Any]] = []
        self._shown: list[dict[str, Any]] = []

        layout = QVBoxLayout(self)
        self.empty = QLabel("尚未评估。录入家庭情况后按 F9 进行综合评估。")
        self.empty.setObjectName("assessment_empty")
        layout.addWidget(self.empty)
        self.stale = QLabel("家庭情况已修改，以下评估已过时，请按 F9 重新评估。")
        self.stale.setStyleSheet("color: #b00020; font-weight: bold;")
        self.stale.hide()
        layout.addWidget(self.stale)

        head = QHBoxLayout()
        self.tier = QLabel()
        self.tier.setObjectName("tier_label")
        self.tier.setStyleSheet("font-size: 20pt; font-weight: bold; color: #0d47a1;")
        self.policy = QLabel()
        self.policy.setObjectName("policy_label")
        head.addWidget(self.tier)
        head.addStretch(1)
        head.addWidget(self.policy)
        layout.addLayout(head)

        figures_box = QGroupBox("核算数据")
        self.figures = QGridLayout(figures_box)
        self.figure_labels: dict[str, QLabel] = {}
        for i, (key, label) in enumerate([
            ("household_size", "家庭人口"), ("remaining_size", "参与核算人口"), ("counted_income", "计入收入（元/月）"),
            ("per_capita_income", "人均收入（元/月）"), ("standard", "适用低保标准（元/月）"),
            ("rigid_expenses", "刚性支出（元/月）"), ("per_capita_after_rigid", "扣除刚性支出后人均（元/月）"),
            ("assets_ok", "家庭财产"), ("flags", "标记"),
        ]):
            value = QLabel()
            value.setObjectName(f"figure_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figures.addWidget(QLabel(label + "："), i // 3, (i % 3) * 2)
            self.figures.addWidget(value, i // 3, (i % 3) * 2 + 1)
            self.figure_labels[key] = value
        layout.addWidget(figures_box)
        self.calendar_note = QLabel()
        self.calendar_note.setStyleSheet("color: #8a6d00;")
        self.calendar_note.setWordWrap(True)
        layout.addWidget(self.calendar_note)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("measures_table")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.drop_button = QPushButton("取消所选措施（&X）…")
        self.drop_button.setObjectName("drop_measure")
        self.restore_button = QPushButton("恢复所选措施（&R）")
        self.add_button = QPushButton("添加措施（&M）…")
        self.add_button.setObjectName("add_measure")
        for b in (self.drop_button, self.restore_button, self.add_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.changes = QListWidget()
        self.changes.setObjectName("override_list")
        self.changes.setMaximumHeight(110)
        layout.addWidget(QLabel("窗口调整记录（每项调整均需写明理由）："))
        layout.addWidget(self.changes)

        self.drop_button.clicked.connect(self.drop_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.add_button.clicked.connect(self.add_measure)
        self.show_result(None, [], [])

    # --- display
    def show_result(self, result: dict[str, Any] | None, members: list[dict[str, Any]],
                    overrides: list[dict[str, Any]]) -> None:
        self.result = result
        self.members = members
        self.overrides = list(overrides)
        has = result is not None
        self.empty.setVisible(not has)
        for w in (self.tier, self.policy, self.table, self.drop_button, self.restore_button, self.add_button,
                  self.changes):
            w.setEnabled(has)
        self.stale.hide()
        self._render()

    def mark_stale(self) -> None:
        if self.result is not None:
            self.stale.show()

    @property
    def is_stale(self) -> bool:
        return self.stale.isVisible()

    def _names(self, ids: list[str] | None) -> str:
        if not ids:
            return "全户"
        by_id = {m.get("id_number"): m.get("name") for m in self.members}
        return "、".join(by_id.get(i) or i for i in ids)

    def _render(self) -> None:
        r = self.result
        self.table.setRowCount(0)
        self.changes.clear()
        if r is None:
            self.tier.setText("")
            self.policy.setText("")
            for label in self.figure_labels.values():
                label.setText("")
            self.calendar_note.setText("")
            return
        measures = effective_measures(r["measures"], self.overrides)
        tier = tier_of(measures)
        proposed_tier = r["tier"]
        tier_text = f"评估类别：{vocab.TIERS.get(tier, tier)}"
        if tier != proposed_tier:
            tier_text += f"（建议为{vocab.TIERS.get(proposed_tier, proposed_tier)}，已调整）"
        self.tier.setText(tier_text)
        self.policy.setText(f"政策：{r['policy']['locality']} 自 {r['policy']['effective_from']} 起执行的标准")
        f = self.figure_labels
        f["household_size"].setText(str(r["household_size"]))
        f["remaining_size"].setText(str(r["remaining_size"]))
        f["counted_income"].setText(r["counted_income"])
        f["per_capita_income"].setText(r["per_capita_income"] or "—")
        f["standard"].setText(f"{r['standards']['dibao']}（特困 {r['standards']['tekun']}）")
        f["rigid_expenses"].setText(r["rigid_expenses"])
        f["per_capita_after_rigid"].setText(r["per_capita_after_rigid"] or "—")
        f["assets_ok"].setText("符合规定" if r["assets_ok"] else "超过规定")
        f["assets_ok"].setStyleSheet("" if r["assets_ok"] else "color: #b00020;")
        f["flags"].setText("、".join(vocab.FLAGS.get(x, x) for x in r["flags"]) or "无")
        self.calendar_note.setText(r.get("calendar_note") or "")

        dropped = {measure_key(o): o for o in self.overrides if o["action"] == "drop"}
        rows = [dict(m, _state="proposed") for m in r["measures"]]
        rows += [dict(m, _state="added") for m in measures if m["source"] == "added"]
        self._shown = rows
        self.table.setRowCount(len(rows))
        for row, m in enumerate(rows):
            is_dropped = measure_key(m) in dropped
            reason = m.get("reason", "")
            if m["_state"] == "added":
                reason = f"[窗口添加] {m.get('override_reason', '')}" + (f"\n{reason}" if reason else "")
            if is_dropped:
                reason = f"[已取消：{dropped[measure_key(m)]['reason']}]\n{reason}"
            values = ["✗" if is_dropped else "✓", vocab.MEASURES.get(m["code"], m["code"]), self._names(m.get("member_ids")),
                      describe_amount(m), m.get("department") or "本窗口", m.get("due_date") or "", reason]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if is_dropped:
                    item.setForeground(QColor("#9e9e9e"))
                    font = item.font()
                    font.setStrikeOut(col != 0 and col != len(values) - 1)
                    item.setFont(font)
                elif m["_state"] == "added":
                    item.setForeground(QColor("#1b5e20"))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        for o in self.overrides:
            verb = "取消" if o["action"] == "drop" else "添加"
            self.changes.addItem(f"{verb}「{vocab.MEASURES.get(o['code'], o['code'])}」（{self._names(o.get('member_ids'))}）：{o['reason']}")

    # --- editing
    def _selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def drop_selected(self) -> None:
        m = self._selected()
        if m is None:
            return
        key = measure_key(m)
        if m["_state"] == "added":
            # Withdrawing one's own addition just removes it; there is nothing to explain.
            self.overrides = [o for o in self.overrides if not (o["action"] == "add" and measure_key(o) == key)]
        else:
            if any(o["action"] == "drop" and measure_key(o) == key for o in self.overrides):
                return
            dialog = ReasonDialog("取消救助措施", f"为什么不采纳「{vocab.MEASURES.get(m['code'], m['code'])}」"
                                  f"（{self._names(m.get('member_ids'))}）？理由将记入个案和审计日志。", self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            self.overrides.append({"action": "drop", "code": m["code"], "member_ids": m.get("member_ids"),
                                   "reason": dialog.reason()})
        self._changed()

    def restore_selected(self) -> None:
        m = self._selected()
        if m is None:
            return
        key = measure_key(m)
        before = len(self.overrides)
        self.overrides = [o for o in self.overrides if not (o["action"] == "drop" and measure_key(o) == key)]
        if len(self.overrides) != before:
            self._changed()

    def add_measure(self) -> None:
        if self.result is None:
            return
        existing = {measure_key(m) for m in effective_measures(self.result["measures"], self.overrides)}
        dialog = AddMeasureDialog(self.members, existing, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_override is None:
            return
        override = dialog.result_override
        try:
            override["measure"] = self.complete_added(override)
        except UserError as exc:
            from window_desk.ui.errors import show_error

            show_error(self, exc)
            return
        override.pop("amounts", None)
        self.overrides.append(override)
        self._changed()

    def _changed(self) -> None:
        self._render()
        self.sig_overrides_changed.emit(list(self.overrides))


