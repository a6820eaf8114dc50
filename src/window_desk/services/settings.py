"""Township settings: one JSON value per key, with defaults; every change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from window_desk.db.models import Setting
from window_desk.errors import PermissionDenied, UserError
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

# key: (label shown in the settings page, default)
DEFAULTS: dict[str, tuple[str, Any]] = {
    "office_name": ("本单位名称（文书落款、编号）", "示范镇"),
    "office_full_name": ("本单位全称", "示范镇人民政府"),
    "contact_phone": ("窗口联系电话", ""),
    "review_body": ("行政复议机关", "示范区人民政府"),
    "court": ("行政诉讼管辖法院", "示范区人民法院"),
    "font_dir": ("文书字体目录（可选）", ""),
    "contact_person": ("窗口联系人（空则为经办人）", ""),
}
EDITOR_ROLES = frozenset({"supervisor", "admin"})


def get_all(uow: UnitOfWork) -> dict[str, Any]:
    values = {key: default for key, (_label, default) in DEFAULTS.items()}
    for row in uow.session.scalars(select(Setting)):
        values[row.key] = row.value
    return values


def get(uow: UnitOfWork, key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = uow.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key][1]


def update(uow: UnitOfWork, changes: dict[str, Any]) -> dict[str, Any]:
    """Set several keys at once (supervisor or admin). Returns what actually changed."""
    if uow.actor.role not in EDITOR_ROLES:
        raise PermissionDenied("只有审核人或系统管理员可以修改设置")
    current = get_all(uow)
    changed: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in DEFAULTS:
            raise UserError("未知的设置项", field=key)
        if isinstance(value, str):
            value = value.strip()
        if key in ("office_name", "office_full_name") and not value:
            raise UserError("不能为空", field=DEFAULTS[key][0])
        if current.get(key) == value:
            continue
        row = uow.session.get(Setting, key)
        if row is None:
            uow.session.add(Setting(key=key, value=value, updated_at=now(), updated_by=uow.actor.label))
        else:
            row.value = value
            row.updated_at = now()
            row.updated_by = uow.actor.label
        changed[key] = {"from": current.get(key), "to": value}
    if changed:
        uow.audit("settings.update", "settings", "-", changed)
    uow.commit()
    return changed
