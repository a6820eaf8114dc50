"""Township settings: one JSON value per key, with defaults; every change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from window_desk.db.models import Setting
from window_desk.errors import PermissionDenied, UserError
from window_desk.permissions import requires
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
    "reserve_low_balance": ("临时救助备用金余额预警线（元）", "5000.00"),
    "inquiry_urgent_hours": ("急难求助办结时限（小时）", "24"),
    "inquiry_reply_days": ("首问登记答复期限（工作日）", "5"),
}
EDITOR_ROLES = frozenset({"supervisor", "admin"})


def _amount_setting(value: Any, label: str) -> str:
    """An amount in 元 kept as its two-decimal text (JSON has no Decimal)."""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise UserError(f"不是有效的金额:{value}", field=label) from None
    if not amount.is_finite() or amount < 0:
        raise UserError("应为不小于0的金额", field=label)
    return f"{amount.quantize(Decimal('0.01'))}"


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


@requires("settings.office")
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
        if key == "reserve_low_balance":
            value = _amount_setting(value, DEFAULTS[key][0])
        if key in ("inquiry_urgent_hours", "inquiry_reply_days") and not (
                str(value).isdigit() and 0 < int(str(value)) <= 999):
            raise UserError("请填写1到999之间的整数", field=DEFAULTS[key][0])
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


# --- card reader (a device of this PC, not of the township: one value per machine, any role may set it)

CARD_READER_PORT = "card_reader_port"
AUTO_DETECT = ""  # the stored value for 自动检测


def machine_name() -> str:
    import platform

    return (platform.node() or "unknown")[:40]


def _card_key(machine: str | None) -> str:
    return f"{CARD_READER_PORT}@{machine or machine_name()}"[:64]


def get_card_reader_port(uow: UnitOfWork, machine: str | None = None) -> str:
    """The reader port chosen on this machine ("" = detect automatically)."""
    row = uow.session.get(Setting, _card_key(machine))
    return str(row.value) if row is not None and row.value else AUTO_DETECT


@requires("settings.machine")
def set_card_reader_port(uow: UnitOfWork, port: str, machine: str | None = None) -> bool:
    """Choose the reader port of this machine; returns False when nothing changed."""
    port = (port or "").strip()
    if len(port) > 200 or any(ch in port for ch in "\r\n\t"):
        raise UserError("端口名称无效", field="读卡器端口")
    key = _card_key(machine)
    row = uow.session.get(Setting, key)
    before = str(row.value) if row is not None and row.value else AUTO_DETECT
    if before == port:
        return False
    if row is None:
        uow.session.add(Setting(key=key, value=port, updated_at=now(), updated_by=uow.actor.label))
    else:
        row.value, row.updated_at, row.updated_by = port, now(), uow.actor.label
    uow.audit("settings.card_reader_port", "settings", key, {"from": before, "to": port})
    uow.commit()
    return True
