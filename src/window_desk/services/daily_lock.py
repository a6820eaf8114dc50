"""The daily register's days and locks: a day's bounds, whether it is signed, and the amendments
a change to a signed day must carry (who, when, what, from, to, why).

``daily`` re-exports every public name here (``daily.sign_off``, ``daily.guard_change`` …); the
register's sections, the sign-off and the printed form live there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from window_desk import timeutil
from window_desk.db.models import Amendment, DailyReview
from window_desk.errors import Conflict, UserError
from window_desk.permissions import requires
from window_desk.uow import UnitOfWork

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day as [start, end) in China time (aware)."""
    start = datetime.combine(day, time.min, timeutil.TZ)
    return start, start + timedelta(days=1)


def day_of(moment: datetime | None) -> date | None:
    """The China-time day a moment belongs to."""
    return timeutil.to_local(moment).date() if moment is not None else None


def parse_day(text: str, field_name: str = "日期") -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise UserError(f"日期格式应为 YYYY-MM-DD:{text}", field=field_name) from exc


def _office(uow: UnitOfWork, office: str | None) -> str:
    if office:
        return office
    from window_desk.services import settings

    return str(settings.get(uow, "office_name"))


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    office: str
    day: date
    supervisor: str
    reviewed_at: datetime
    comment: str
    audit_entry_id: int | None
    audit_hash: str | None

    @property
    def anchor(self) -> str:
        """``N:HASH`` as ``audit verify --anchor`` takes it."""
        return f"{self.audit_entry_id}:{self.audit_hash}" if self.audit_entry_id else ""


def _review_info(r: DailyReview) -> ReviewInfo:
    return ReviewInfo(r.id, r.office, r.day, r.supervisor, r.reviewed_at, r.comment,
                      r.audit_entry_id, r.audit_hash)  # type: ignore[attr-defined]


def review_of(uow: UnitOfWork, day: date, office: str | None = None) -> ReviewInfo | None:
    row = uow.session.scalar(select(DailyReview).where(DailyReview.office == _office(uow, office),
                                                       DailyReview.day == day))
    return _review_info(row) if row is not None else None


def is_locked(uow: UnitOfWork, day: date | None, office: str | None = None) -> bool:
    return day is not None and review_of(uow, day, office) is not None


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timeutil.format_local(value, seconds=True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True)
class AmendmentInfo:
    id: int
    day: date
    entity_type: str
    entity_id: str
    field: str
    old_value: str
    new_value: str
    reason: str
    created_at: datetime
    created_by: str


@requires("daily.amend")
def guard_change(uow: UnitOfWork, day: date | None, entity_type: str, entity_id: object,
                 changes: dict[str, tuple[Any, Any]], reason: str | None, *,
                 office: str | None = None) -> list[int]:
    """Call before changing a record that belongs to ``day``. ``changes``: field → (old, new).

    On an unlocked day nothing happens (returns []). On a signed day the change is an
    amendment: a reason is required (``Conflict`` without one, so nothing is saved), and
    one ``Amendment`` row per changed field plus an audit entry are written in the caller's
    transaction. Returns the amendment ids.
    """
    if day is None:
        return []
    office = _office(uow, office)
    review = uow.session.scalar(select(DailyReview).where(DailyReview.office == office, DailyReview.day == day))
    if review is None:
        return []
    why = (reason or "").strip()
    if len(why) < 2:
        raise Conflict(f"{day.isoformat()} 的台账已签字锁定，更改其中的记录须写明更正理由", field="更正理由")
    moment = timeutil.now()
    ids = []
    for name, (old, new) in changes.items():
        if _value_text(old) == _value_text(new):
            continue
        row = Amendment(day=day, entity_type=entity_type, entity_id=str(entity_id), field=name,
                        old_value=_value_text(old), new_value=_value_text(new), reason=why,
                        created_at=moment, created_by=uow.actor.label)
        row.review_id = review.id  # type: ignore[attr-defined]
        row.office = office  # type: ignore[attr-defined]
        uow.session.add(row)
        uow.session.flush()
        ids.append(row.id)
    if ids:
        # Field names only: the values may be personal data, which stays out of the audit payload.
        uow.audit("daily.amend", entity_type, entity_id, {"day": day, "review": review.id, "amendments": ids,
                                                          "fields": [n for n in changes], "reason": why})
    return ids


def amendments_of(uow: UnitOfWork, day: date, office: str | None = None) -> list[AmendmentInfo]:
    office = _office(uow, office)
    rows = uow.session.scalars(select(Amendment).where(Amendment.day == day, Amendment.office == office)
                               .order_by(Amendment.id))
    return [AmendmentInfo(a.id, a.day, a.entity_type, a.entity_id, a.field, a.old_value, a.new_value, a.reason,
                          a.created_at, a.created_by) for a in rows]
