"""主动发现: the vocabularies, the pure date helpers and the input checks shared by the roster, visit,
observation, monitoring and spot-check services (see ``services/discovery.py`` for the rules)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from window_desk import permissions
from window_desk.errors import UserError

REVIEW_MONTHS = 3  # observation entries are reviewed every quarter
RECHECK_MONTHS = 12  # monitored households are re-checked yearly
PAGE_SIZE = 100  # rows per page of the paged lists (keyset pagination)
MAX_PAGE = 1000
WRITER_ROLES = permissions.STAFF  # discovery.write
SUPERVISOR_ROLES = permissions.SUPERVISORS  # discovery.supervise
STATUSES = {"watching": "关注中", "referred": "已转入救助", "removed": "已移出"}
STAFF_KINDS = {"assistant": "社会救助协理员", "info_group": "困难救助信息采集组"}
VISIT_STATES = {"done": "已走访", "unseen": "未见人", "pending": "待走访", "overdue": "逾期未走访"}
MONITOR_STATES = {"below_dibao": "低于低保标准", "low_income": "低收入", "out": "超出低收入标准"}
URGENCIES = {"normal": "一般", "urgent": "紧急"}
CHECK_RESULTS = {"ok": "无问题", "problem": "发现问题"}
MAX_TEXT = 2000


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise UserError(f"不是有效的月份：{year}-{month:02d}", field="月份")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11); UserError naming 月份 otherwise."""
    try:
        year_s, month_s = str(text).strip().split("-")
        year, month = int(year_s), int(month_s)
    except ValueError:
        raise UserError(f"不是有效的月份（应为 YYYY-MM）：{text}", field="月份") from None
    month_bounds(year, month)
    return year, month


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_due(since: date, status: str, status_on: date | None, first: date, last: date) -> bool:
    """Whether a roster household owes a visit in the month ``first``..``last``."""
    if since > last:
        return False
    return not (status != "watching" and status_on is not None and status_on <= last)


def visit_state(due: bool, seen_dates: list[date] | tuple[date, ...], unseen_dates: list[date] | tuple[date, ...],
                last: date, on: date) -> str | None:
    """``done`` / ``unseen`` (visited, not seen: not done) / ``pending`` / ``overdue``; None when not due."""
    if not due:
        return None
    if seen_dates:
        return "done"
    if on > last:
        return "overdue"
    return "unseen" if unseen_dates else "pending"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """``2026Q4`` → the first and last day of the quarter."""
    text = str(quarter).strip().upper()
    try:
        year_s, q_s = text.split("Q")
        year, q = int(year_s), int(q_s)
        if not 1 <= q <= 4:
            raise ValueError
    except ValueError:
        raise UserError(f"不是有效的季度（应为 YYYYQn，例如 2026Q4）：{quarter}", field="季度") from None
    first, _ = month_bounds(year, 3 * q - 2)
    _, last = month_bounds(year, 3 * q)
    return first, last


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def monitor_state(per_capita: Decimal, dibao: Decimal, multiplier: Decimal) -> str:
    if per_capita < dibao:
        return "below_dibao"
    if per_capita >= dibao * multiplier:
        return "out"
    return "low_income"


def text_field(value: object, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise UserError("必须填写", field=field)
    if len(text) > limit:
        raise UserError(f"不能超过 {limit} 个字", field=field)
    return text


def day_field(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(f"不是有效的日期（应为 YYYY-MM-DD）：{value}", field=field) from None


def page_limit(limit: int) -> int:
    if not 1 <= int(limit) <= MAX_PAGE:
        raise UserError(f"每页行数应在 1—{MAX_PAGE} 之间", field="每页行数")
    return int(limit)
