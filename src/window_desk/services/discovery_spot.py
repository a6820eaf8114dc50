"""主动发现: the quarterly spot check (seed 004).

A supervisor draws a sample: a ``random.Random`` seeded with the quarter and the seed, over the sorted ids
of the quarter's new cases and visits, so the same draw gives the same sample; then records the result of
checking each item (a problem needs a note saying what was found).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from window_desk.db.models import Case, SpotCheck, SpotCheckItem, WatchHousehold, WatchVisit
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services.discovery_common import CHECK_RESULTS, quarter_bounds, quarter_of, text_field
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class SpotItemInfo:
    id: int
    kind: str
    ref_id: int
    label: str
    result: str | None
    note: str
    checked_by: str | None


@dataclass(frozen=True)
class SpotCheckInfo:
    id: int
    quarter: str
    seed: int
    drawn_by: str
    items: tuple[SpotItemInfo, ...] = field(default_factory=tuple)


@requires("discovery.supervise")
def draw_spot_check(uow: UnitOfWork, quarter: str, seed: int, *, cases: int = 5, visits: int = 5) -> SpotCheckInfo:
    """A supervisor draws the quarter's sample: ``cases`` of the cases applied for in the quarter and
    ``visits`` of its visits, by ``random.Random(f"{quarter}:{seed}")`` over the sorted ids — the same
    quarter and seed always give the same sample (and the same draw is refused twice)."""
    first, last = quarter_bounds(quarter)
    quarter = quarter_of(first)
    if cases < 0 or visits < 0 or cases > 1000 or visits > 1000:
        raise UserError("抽查数量应在 0—1000 之间", field="抽查数量")
    if uow.session.scalar(select(SpotCheck.id).where(SpotCheck.quarter == quarter, SpotCheck.seed == seed)):
        raise Conflict(f"{quarter} 已用随机数 {seed} 抽查过", field="随机数")
    case_ids = sorted(uow.session.scalars(select(Case.id).where(Case.application_date >= first,
                                                                Case.application_date <= last,
                                                                Case.status != "draft")))
    visit_ids = sorted(uow.session.scalars(select(WatchVisit.id).where(WatchVisit.visit_date >= first,
                                                                       WatchVisit.visit_date <= last)))
    picked_cases, picked_visits = sample(quarter, seed, case_ids, visit_ids, cases, visits)
    row = SpotCheck(quarter=quarter, seed=seed, drawn_by=uow.actor.label, created_at=now(),
                    created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    for kind, ids in (("case", picked_cases), ("visit", picked_visits)):
        for ref in ids:
            uow.session.add(SpotCheckItem(spot_check_id=row.id, kind=kind, ref_id=ref, note=""))
    uow.audit("discovery.spot_draw", "spot_check", row.id,
              {"quarter": quarter, "seed": seed, "cases": picked_cases, "visits": picked_visits})
    uow.commit()
    return spot_check(uow, row.id)


def sample(quarter: str, seed: int, case_ids: Sequence[int], visit_ids: Sequence[int], cases: int,
           visits: int) -> tuple[list[int], list[int]]:
    """The pure draw (reproducible)."""
    rng = random.Random(f"{quarter}:{seed}")
    picked_cases = sorted(rng.sample(list(case_ids), min(cases, len(case_ids))))
    picked_visits = sorted(rng.sample(list(visit_ids), min(visits, len(visit_ids))))
    return picked_cases, picked_visits


def spot_check(uow: UnitOfWork, spot_check_id: int) -> SpotCheckInfo:
    row = uow.session.get(SpotCheck, spot_check_id)
    if row is None:
        raise NotFound("没有这次抽查", field="抽查")
    items = []
    for item in row.items:
        if item.kind == "case":
            number = uow.session.scalar(select(Case.number).where(Case.id == item.ref_id)) or ""
            label = f"个案 {number}"
        else:
            v = uow.session.execute(select(WatchVisit.visit_date, WatchHousehold.village, WatchVisit.visitor)
                                    .join(WatchHousehold).where(WatchVisit.id == item.ref_id)).first()
            label = f"走访 {v[1]} {v[0].isoformat()} {v[2]}" if v else f"走访 #{item.ref_id}"
        items.append(SpotItemInfo(item.id, item.kind, item.ref_id, label, item.result, item.note, item.checked_by))
    return SpotCheckInfo(row.id, row.quarter, row.seed, row.drawn_by, tuple(items))


def spot_checks(uow: UnitOfWork, quarter: str | None = None) -> list[SpotCheckInfo]:
    query = select(SpotCheck.id)
    if quarter:
        query = query.where(SpotCheck.quarter == quarter_of(quarter_bounds(quarter)[0]))
    return [spot_check(uow, i) for i in uow.session.scalars(query.order_by(SpotCheck.id.desc()))]


@requires("discovery.supervise")
def record_check(uow: UnitOfWork, item_id: int, result: str, note: str = "") -> SpotItemInfo:
    """The result of checking one sampled item; a problem needs a note saying what was found."""
    item = uow.session.get(SpotCheckItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound("没有这一抽查项", field="抽查项")
    if result not in CHECK_RESULTS:
        raise UserError(f"未知的抽查结果：{result}", field="抽查结果")
    note = text_field(note, "问题说明", required=result == "problem")
    item.result, item.note, item.checked_by, item.checked_at = result, note, uow.actor.label, now()
    uow.audit("discovery.spot_result", "spot_check_item", item.id, {"result": result})
    uow.commit()
    info = spot_check(uow, item.spot_check_id)
    return next(i for i in info.items if i.id == item_id)
