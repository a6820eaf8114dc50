"""The signature checklist of the intake form: who signs the authorization letter, ticked by keyboard.

Alt+S puts the cursor in the list, Space ticks the member under it, ↓ moves on. A member
without full civil capacity is listed as signed by the guardian. When someone cannot sign,
the reason is typed below (it is stored with the case and printed on the application).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from window_desk.services.intake import guardian_of, needs_guardian


def signer_text(member: dict[str, Any], row: int, day: date) -> str:
    """How the checklist names who signs for ``member`` (the row-th member)."""
    name = member["name"] or f"第{row + 1}位成员"
    if needs_guardian(member, day):
        g = guardian_of(member)["name"]
        return f"{name}：由监护人{g}代签" if g else f"{name}：须由监护人代签（未填监护人）"
    return f"{name}：本人签字"


class SignatureChecklist(QGroupBox):
    """One checkable line per member and the 未签字原因 field."""

    sig_ticked = Signal(int, bool)
    """Emitted with (member row, signed) when the clerk ticks or unticks a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("核对授权书签字（Alt+S 到此处，空格勾选已签字的成员）", parent)
        layout = QGridLayout(self)
        self.signatures = QListWidget()
        self.signatures.setObjectName("signatures")
        self.signatures.setMaximumHeight(110)
        sign_label = QLabel("签字核对（&S）")
        sign_label.setBuddy(self.signatures)
        self.unsigned_reason = QLineEdit()
        self.unsigned_reason.setObjectName("unsigned_reason")
        self.unsigned_reason.setPlaceholderText("有成员未能签字时写明原因（打印在申请书上）")
        layout.addWidget(sign_label, 0, 0)
        layout.addWidget(self.signatures, 0, 1)
        layout.addWidget(QLabel("未签字原因"), 1, 0)
        layout.addWidget(self.unsigned_reason, 1, 1)
        self.signatures.itemChanged.connect(self._ticked)

    def _ticked(self, item: QListWidgetItem) -> None:
        self.sig_ticked.emit(self.signatures.row(item), item.checkState() == Qt.CheckState.Checked)

    def refresh(self, members: list[dict[str, Any]], day: date) -> None:
        """Show one line per member (adding or dropping lines), keeping the cursor where it was."""
        signatures = self.signatures
        blocked = signatures.blockSignals(True)
        try:
            current = signatures.currentRow()
            while signatures.count() > len(members):
                signatures.takeItem(signatures.count() - 1)
            while signatures.count() < len(members):
                item = QListWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                signatures.addItem(item)
            for row, m in enumerate(members):
                item = signatures.item(row)
                item.setText(signer_text(m, row, day))
                item.setCheckState(Qt.CheckState.Checked if m.get("signed") else Qt.CheckState.Unchecked)
            if signatures.count() and current < 0:
                signatures.setCurrentRow(0)
        finally:
            signatures.blockSignals(blocked)
