"""设置 — the office's settings, the policy in force and its history, users."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.services import policy_store, settings
from window_desk.timeutil import format_local
from window_desk.ui.card_reader import CardReaderSettingsBox
from window_desk.ui.context import DeskContext
from window_desk.ui.database_settings import DatabaseGroup
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.settings_users import UsersGroup

EDITOR_ROLES = frozenset({"supervisor", "admin"})


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))


class SettingsPage(Page):
    page_id = "settings"
    title = "设置"
    shortcut = "Ctrl+6"

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        """The settings page.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(ctx, parent)
        can_edit = ctx.user.role in EDITOR_ROLES
        body = QWidget()
        layout = QVBoxLayout(body)

        # --- office
        office_box = QGroupBox("本单位")
        office_form = QFormLayout(office_box)
        self.fields: dict[str, QLineEdit] = {}
        for key, (label, _default) in settings.DEFAULTS.items():
            edit = QLineEdit()
            edit.setObjectName(f"setting_{key}")
            edit.setReadOnly(not can_edit)
            office_form.addRow(label, edit)
            self.fields[key] = edit
        self.save_button = QPushButton("保存设置")
        self.save_button.setObjectName("save_settings")
        self.save_button.setEnabled(can_edit)
        office_form.addRow("", self.save_button)
        layout.addWidget(office_box)

        # --- policy
        policy_box = QGroupBox("救助政策（标准与规则）")
        policy_layout = QVBoxLayout(policy_box)
        self.policy_origin = QLabel()
        self.policy_origin.setObjectName("policy_origin")
        self.policy_origin.setWordWrap(True)
        policy_layout.addWidget(self.policy_origin)
        self.periods = _table(["执行起始日", "城市低保", "农村低保", "城市特困", "农村特困", "照料护理（全自理/半失能/全失能）",
                               "低收入倍数", "扣减刚性支出", "低保/特困时限（工作日）"], "policy_periods")
        self.periods.setMaximumHeight(160)
        policy_layout.addWidget(self.periods)
        load_row = QHBoxLayout()
        self.load_button = QPushButton("载入新政策文件…")
        self.load_button.setObjectName("load_policy")
        self.load_button.setEnabled(can_edit)
        if not can_edit:
            self.load_button.setToolTip("只有审核人或系统管理员可以载入政策文件")
        load_row.addWidget(self.load_button)
        load_row.addStretch(1)
        policy_layout.addLayout(load_row)
        policy_layout.addWidget(QLabel("载入历史："))
        self.policy_history = _table(["载入时间", "载入人", "地区", "文件", "SHA-256", "状态"], "policy_history")
        self.policy_history.setMaximumHeight(140)
        policy_layout.addWidget(self.policy_history)
        layout.addWidget(policy_box)

        # --- card reader (this PC)
        self.card_reader_box = CardReaderSettingsBox(self)
        layout.addWidget(self.card_reader_box)

        # --- users (administrators only): ui/pages/settings_users.py
        self.users_box = UsersGroup(ctx, body)
        self.user_table = self.users_box.table
        layout.addWidget(self.users_box)
        layout.addWidget(DatabaseGroup(ctx, body))  # 数据库：ui/database_settings.py
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.save_button.clicked.connect(self.save_settings)
        self.load_button.clicked.connect(self.choose_policy_file)

    def on_shown(self) -> None:
        self.refresh()
        self.card_reader_box.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def read() -> dict[str, Any]:
            with ctx.uow(write=False) as uow:
                active = policy_store.active_policy(uow, ctx.policy_path)
                return {
                    "settings": settings.get_all(uow),
                    "active": active,
                    "history": policy_store.history(uow),
                }

        self.run_task(read, on_done=self._show)
        self.users_box.refresh()

    def _show(self, data: dict[str, Any]) -> None:
        for key, edit in self.fields.items():
            edit.setText(str(data["settings"].get(key) or ""))
        active: policy_store.ActivePolicy = data["active"]
        policy = active.policy
        self.policy_origin.setText(f"正在使用：{policy.locality} — {active.origin}")
        rows = []
        for p in policy.periods:
            s, r, d = p.standards, p.rules, p.deadlines
            rows.append([p.effective_from.isoformat(), f"{s.dibao_urban:.2f}", f"{s.dibao_rural:.2f}",
                         f"{s.tekun_urban:.2f}", f"{s.tekun_rural:.2f}",
                         f"{s.care_full:.2f}/{s.care_partial:.2f}/{s.care_none:.2f}",
                         str(r.low_income_multiplier), "是" if r.dibao_deduct_rigid else "否", f"{d.dibao}/{d.tekun}"])
        _fill(self.periods, rows)
        _fill(self.policy_history, [
            [format_local(h.loaded_at), h.loaded_by, h.locality, h.filename, h.sha256[:16] + "…",
             "使用中" if h.active else ""] for h in data["history"]
        ])

    def save_settings(self) -> None:
        changes = {key: edit.text() for key, edit in self.fields.items()}

        def save() -> dict[str, Any]:
            with self.ctx.uow() as uow:
                return settings.update(uow, changes)

        self.run_task(save, on_done=lambda changed: QMessageBox.information(
            self, "设置", f"已保存（{len(changed)} 项修改）" if changed else "没有修改"))

    def choose_policy_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择政策文件", "", "政策文件 (*.toml);;所有文件 (*)")
        if path:
            self.load_policy_file(path)

    def load_policy_file(self, path: str) -> None:
        """Validate and load ``path``; errors name the file, period and key."""

        def load() -> policy_store.PolicyRecord:
            with self.ctx.uow() as uow:
                return policy_store.load_new_policy(uow, path)

        def done(record: policy_store.PolicyRecord) -> None:
            self.ctx.policy_generation += 1
            QMessageBox.information(self, "政策文件", f"已载入并启用：{record.locality}（{record.filename}）")
            self.refresh()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                QMessageBox.warning(self, "政策文件有误，未载入", str(exc))
                return True
            return False

        self.run_task(load, on_done=done, on_error=failed)
