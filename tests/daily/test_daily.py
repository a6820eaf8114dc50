"""The daily register: sections and totals, sign-off by a supervisor, locking, amendments."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.daily.conftest import DAY
from window_desk import audit, timeutil
from window_desk.db.models import Amendment, AuditEntry, Case, Inquiry, Referral
from window_desk.errors import Conflict, PermissionDenied, UserError
from window_desk.services import daily, referrals
from window_desk.uow import UnitOfWork


def _inquiry(db, actor, *, urgent: bool, hour: int, answered: bool = False) -> int:  # type: ignore[no-untyped-def]
    moment = datetime.combine(DAY, time(hour, 0), timeutil.TZ)
    with UnitOfWork(db, actor) as uow:
        row = Inquiry(received_at=moment, channel="phone_12345", visitor_name="刘来电", matter="家中失火,无处居住",
                      urgent=urgent, first_responder="张窗口", outcome="answered" if answered else None,
                      answered_at=moment + timedelta(hours=1) if answered else None,
                      created_at=moment, created_by=actor.label)
        uow.session.add(row)
        uow.session.flush()
        uow.audit("inquiry.create", "inquiry", row.id, {"urgent": urgent})
        uow.commit()
        return row.id


def test_the_day_lists_its_records_with_totals(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    _inquiry(db, clerk, urgent=True, hour=8)
    _inquiry(db, clerk, urgent=False, hour=9, answered=True)
    with UnitOfWork(db, clerk) as uow:
        uow.session.get(Case, 2).status = "rejected"
        uow.commit()
    clock.set(DAY + timedelta(days=1))
    with UnitOfWork(db, clerk) as uow:
        referrals.record_receipt(uow, 1, signer="李医保", received_on=DAY + timedelta(days=1))
    with UnitOfWork(db, clerk, write=False) as uow:
        day = daily.build_day(uow, DAY)
        totals = day.totals
        assert totals["inquiries"] == 2
        assert totals["accepted"] == 11 and totals["rejected"] == 1
        assert totals["referrals_sent"] == 24
        assert totals["receipts"] == 0  # entered the next day, so it shows there
        assert totals["urgent_open"] == 1
        assert totals["overdue"] == 0
        assert [s.key for s in day.sections] == [p(uow, DAY, "示范镇").key for p in daily.PROVIDERS]
        assert day.section("accepted").items[0].case_id == 1
        assert "*" in day.section("accepted").items[0].cells[3]  # ID numbers masked
        nxt = daily.build_day(uow, DAY + timedelta(days=1))
        assert nxt.totals["receipts"] == 1 and nxt.totals["accepted"] == 0
        assert nxt.totals["urgent_open"] == 1  # still not answered
        rows = daily.register_rows(uow, DAY)
        assert len(rows) == 12 + 2  # 12 cases, 2 inquiries that are not cases
        assert [r["seq"] for r in rows] == list(range(1, 15))
        assert rows[0]["category"] == "首问登记" and rows[0]["time"] == "08:00"
    clock.set(DAY + timedelta(days=15))  # past the due date of all 24 referrals
    with UnitOfWork(db, clerk, write=False) as uow:
        later = daily.build_day(uow, DAY + timedelta(days=15))
        assert later.totals["overdue"] == 24  # signed for (已签收) is still open
        assert all(item.overdue for item in later.section("overdue").items)


def test_only_a_supervisor_signs_and_the_anchor_is_the_chain_head(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clock.set(DAY, 18, 0)
    with UnitOfWork(db, people["clerk"].actor()) as uow:
        with pytest.raises(PermissionDenied):
            daily.sign_off(uow, DAY, "同意")
    sup = people["supervisor"].actor()
    with UnitOfWork(db, sup) as uow:
        with pytest.raises(UserError, match="审核意见"):
            daily.sign_off(uow, DAY, " ")
        with pytest.raises(UserError, match="尚未到来"):
            daily.sign_off(uow, DAY + timedelta(days=1), "同意")
        review = daily.sign_off(uow, DAY, "已逐件核对,同意。")
    with UnitOfWork(db, sup, write=False) as uow:
        entry = uow.session.get(AuditEntry, review.audit_entry_id)
        assert entry.action == "daily.sign_off" and entry.hash == review.audit_hash
        assert review.anchor == f"{entry.id}:{entry.hash}"
        assert daily.is_locked(uow, DAY) and not daily.is_locked(uow, DAY + timedelta(days=1))
        assert daily.review_of(uow, DAY).supervisor == "陈审核"
    with UnitOfWork(db, sup) as uow, pytest.raises(Conflict, match="重复"):
        daily.sign_off(uow, DAY, "再签")


def test_a_change_to_a_signed_day_is_an_amendment_never_a_silent_edit(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk, sup = people["clerk"].actor(), people["supervisor"].actor()
    clock.set(DAY, 18, 0)
    with UnitOfWork(db, sup) as uow:
        daily.sign_off(uow, DAY, "同意")
    clock.set(DAY + timedelta(days=2))
    with UnitOfWork(db, clerk) as uow:
        # The due date was recorded on the signed day: without a reason nothing changes.
        with pytest.raises(UserError):
            referrals.correct(uow, 6, "due_date", "2026-11-20", "")
        with pytest.raises(Conflict, match="锁定"):
            daily.guard_change(uow, DAY, "referral", 6, {"due_date": ("a", "b")}, None)
    with UnitOfWork(db, clerk, write=False) as uow:
        assert uow.session.get(Referral, 6).due_date.isoformat() == "2026-11-16"
        assert uow.session.scalars(select(Amendment)).all() == []
    with UnitOfWork(db, clerk) as uow:
        row = referrals.correct(uow, 6, "due_date", "2026-11-20", "接收单位来函延长办理时限")
        assert row.due_date.isoformat() == "2026-11-20"
        # A receipt entered today (an unsigned day) is an ordinary step, not an amendment.
        referrals.record_receipt(uow, 7, signer="孙残联", received_on=DAY + timedelta(days=1))
        referrals.correct(uow, 7, "receipt_signer", "孙残联(代)", "签收人姓名补全")
    with UnitOfWork(db, clerk, write=False) as uow:
        register = daily.build_day(uow, DAY)
        assert len(register.amendments) == 1
        a = register.amendments[0]
        assert (a.entity_type, a.entity_id, a.field, a.old_value, a.new_value, a.reason, a.created_by) == (
            "referral", "6", "due_date", "2026-11-16", "2026-11-20", "接收单位来函延长办理时限", "zhang")
        assert daily.build_day(uow, DAY + timedelta(days=2)).amendments == ()
        assert uow.session.get(Referral, 7).receipt_signer == "孙残联(代)"
        assert audit.verify(uow.session).ok
        amend = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "daily.amend")).all()
        assert len(amend) == 1 and "2026-11-16" not in amend[0].changes  # field names, not values

    # Now the later day is signed too: correcting the receipt entered then needs a reason there.
    clock.set(DAY + timedelta(days=2), 18)
    with UnitOfWork(db, sup) as uow:
        daily.sign_off(uow, DAY + timedelta(days=2), "同意")
    clock.set(DAY + timedelta(days=3))
    with UnitOfWork(db, clerk) as uow:
        referrals.correct(uow, 7, "receipt_at", (DAY + timedelta(days=2)).isoformat(), "签收日期抄错")
    with UnitOfWork(db, clerk, write=False) as uow:
        later = daily.build_day(uow, DAY + timedelta(days=2)).amendments
        assert [(x.field, x.old_value[:10], x.new_value[:10]) for x in later] == [
            ("receipt_at", "2026-11-03", "2026-11-04")]


def test_receipts_entered_on_a_signed_day_need_a_reason(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk, sup = people["clerk"].actor(), people["supervisor"].actor()
    clock.set(DAY + timedelta(days=1), 17)
    with UnitOfWork(db, sup) as uow:
        daily.sign_off(uow, DAY + timedelta(days=1), "同意")
    clock.set(DAY + timedelta(days=1), 17, 30)
    with UnitOfWork(db, clerk) as uow:
        with pytest.raises(Conflict):
            referrals.record_receipt(uow, 8, signer="周民政", received_on=DAY + timedelta(days=1))
        referrals.record_receipt(uow, 8, signer="周民政", received_on=DAY + timedelta(days=1),
                                 reason="签字后收到回执,补录")
    with UnitOfWork(db, clerk, write=False) as uow:
        fields = {a.field for a in daily.amendments_of(uow, DAY + timedelta(days=1))}
        assert {"status", "receipt_signer", "receipt_at"} <= fields
