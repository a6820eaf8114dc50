"""The emergency reserve: ledger invariants, overdraw, approvals, the once-a-year rule, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from sqlalchemy import func, select, update

from window_desk.actor import Actor
from window_desk.audit import verify as verify_chain
from window_desk.db.models import AuditEntry, Document, Prepayment, ReserveEntry
from window_desk.errors import Conflict, NotFound, PermissionDenied, UserError
from window_desk.services import intake, reserve, users
from window_desk.services.policy_store import active_policy
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

PASSWORD = "window-pass-1"
CLI = Actor.cli()


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    """An administrator, a supervisor, a second supervisor and a clerk."""
    with UnitOfWork(db, CLI) as uow:
        admin = users.add_user(uow, "admin", "admin", PASSWORD, "王管理")
    out = {"admin": admin}
    for name, role, display in (("chen", "supervisor", "陈卫东"), ("liu", "supervisor", "刘审核"),
                                ("zhang", "clerk", "张窗口")):
        with UnitOfWork(db, admin.actor()) as uow:
            out[name] = users.add_user(uow, name, role, PASSWORD, display)
    return out


def _case(db, actor, *, size: int = 1, events=("fire",), area: str = "rural", ids=None):  # type: ignore[no-untyped-def]
    """An accepted case with a 急难 event; one rural person: prepay 3 × 630 = 1890 (below the 2000 limit)."""
    p = intake.blank_payload(today())
    p["matter"] = "因火灾申请临时救助"
    p["area"] = area
    p["events"] = list(events)
    ids = ids or ["110105198603150032", "110105201003070017", "110105195001010012"]
    relations = ["self", "child", "parent"]
    p["members"] = []
    for i in range(size):
        m = intake.blank_member(relations[i])
        m.update(name=["周𣲗", "周小明", "周老"][i], id_number=ids[i], signed=True)
        p["members"].append(m)
    p["duplicate_reason"] = "同一家庭再次申请，已核实"  # some tests apply twice for the same people
    # A minor signs through an adult of the household, whoever of them applies.
    day = today()
    adults = [m for m in p["members"] if not intake.needs_guardian(m, day)]
    for m in p["members"]:
        if intake.needs_guardian(m, day) and adults:
            m["guardian"] = {"name": adults[0]["name"], "relation": "parent", "id_number": adults[0]["id_number"]}
    with UnitOfWork(db, actor) as uow:
        return intake.submit_case(uow, p, active_policy(uow), "示范镇")


def _allocate(db, actor, amount: str) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, actor) as uow:
        reserve.allocate(uow, amount, "区民政局拨付备用金 示民〔2026〕12号")


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLI, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _balance(db) -> Decimal:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLI, write=False) as uow:
        return reserve.balance(uow)


def _prepay(db, actor, case_id, amount, cause="fire", **kw):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, actor) as uow:
        return reserve.record_prepayment(uow, amount=amount, cause=cause, reason="家中突发火灾,生活陷入困境",
                                         case_id=case_id, **kw)


def test_small_prepayment_is_paid_at_once_with_voucher_and_audit(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "10000")
    accepted = _case(db, clerk)
    with UnitOfWork(db, clerk, write=False) as uow:
        s = reserve.suggest(uow, case_id=accepted.case_id)
    assert s.suggested == Decimal("1890.00") and s.cap == Decimal("3000.00") and s.approval_limit == Decimal("2000.00")
    assert s.causes == ("fire",) and s.balance == Decimal("10000.00") and s.earlier == ()
    result = _prepay(db, clerk, accepted.case_id, s.suggested)
    info = result.prepayment
    assert info.status == "paid" and info.voucher_number.startswith("示范镇救先〔")
    assert result.pdf is not None and result.pdf.startswith(b"%PDF")
    assert result.balance == Decimal("8110.00") == _balance(db)
    assert info.paperwork_due is not None and info.paperwork_due > today()
    with UnitOfWork(db, CLI, write=False) as uow:
        doc = uow.session.scalar(select(Document).where(Document.number == info.voucher_number))
        assert doc is not None and doc.kind == "prepay_voucher" and doc.case_id == accepted.case_id
        assert doc.data["amount"] == "1890.00" and doc.data["clerk"] == "张窗口" and "approved_by" not in doc.data
        actions = [a for (a,) in uow.session.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
        assert actions[-4:] == ["prepayment.request", "document.issue", "reserve.prepayment", "prepayment.pay"]
        ours = " ".join(c for (c,) in uow.session.execute(select(AuditEntry.changes).where(
            AuditEntry.action.like("prepayment.%") | AuditEntry.action.like("reserve.%"))))
        assert "110105198603150032" not in ours and "周𣲗" not in ours  # people by internal id only
        assert '"amount":"1890.00"' in ours
        assert verify_chain(uow.session).ok
        assert [p.id for p in reserve.payments_on(uow, today())] == [info.id]


def test_overdraw_is_refused_and_nothing_saved(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "1000")
    accepted = _case(db, clerk)
    before = (_count(db, Prepayment), _count(db, ReserveEntry), _count(db, AuditEntry), _count(db, Document))
    with pytest.raises(Conflict) as err:
        _prepay(db, clerk, accepted.case_id, "1500")
    assert err.value.field == "先行救助金额" and "余额1000.00元" in err.value.message
    assert (_count(db, Prepayment), _count(db, ReserveEntry), _count(db, AuditEntry), _count(db, Document)) == before
    assert _balance(db) == Decimal("1000.00")


def test_bad_input_names_the_field_and_saves_nothing(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "10000")
    accepted = _case(db, clerk)
    before = (_count(db, Prepayment), _count(db, ReserveEntry), _count(db, AuditEntry))
    cases = [
        (dict(amount="-5"), "先行救助金额", "负数"),
        (dict(amount="0"), "先行救助金额", "大于0"),
        (dict(amount="3000.01"), "先行救助金额", "上限3000.00元"),
        (dict(amount="12.345"), "先行救助金额", "两位小数"),
        (dict(amount="abc"), "先行救助金额", "不是有效的金额"),
        (dict(amount="500", cause="homeless"), "致困原因", "请选择"),
    ]
    for kw, field, words in cases:
        with pytest.raises(UserError) as err:
            _prepay(db, clerk, accepted.case_id, **kw) if "cause" in kw else _prepay(db, clerk, accepted.case_id,
                                                                                      kw["amount"])
        assert err.value.field == field and words in err.value.message, (kw, str(err.value))
    with pytest.raises(NotFound) as err:
        _prepay(db, clerk, 9999, "500")
    assert err.value.field == "个案"
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, clerk) as uow:
            reserve.record_prepayment(uow, amount="500", cause="fire", reason="火", case_id=accepted.case_id)
    assert err.value.field == "救助事由"
    assert (_count(db, Prepayment), _count(db, ReserveEntry), _count(db, AuditEntry)) == before


def test_allocations_by_a_supervisor_only(db, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        _allocate(db, people["zhang"].actor(), "5000")
    with pytest.raises(UserError) as err:
        _allocate(db, people["chen"].actor(), "-5")
    assert err.value.field == "拨入金额"
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, people["chen"].actor()) as uow:
            reserve.allocate(uow, "100", " ")
    assert err.value.field == "拨款说明"
    assert _count(db, ReserveEntry) == 0
    _allocate(db, people["chen"].actor(), "5000.50")
    assert _balance(db) == Decimal("5000.50")


def test_above_the_limit_waits_for_a_supervisor_who_approves_with_their_password(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "10000")
    accepted = _case(db, clerk, size=2, area="urban")  # 3 × 860 × 2 = 5160 → capped at 3000
    with UnitOfWork(db, clerk, write=False) as uow:
        assert reserve.suggest(uow, case_id=accepted.case_id).suggested == Decimal("3000.00")
    result = _prepay(db, clerk, accepted.case_id, "2500")
    info = result.prepayment
    assert info.status == "pending" and info.approval_needed == ("amount",) and result.pdf is None
    assert _balance(db) == Decimal("10000.00")  # nothing paid yet
    with UnitOfWork(db, CLI, write=False) as uow:
        assert [p.id for p in reserve.pending(uow)] == [info.id]
        assert reserve.status(uow).pending == 1

    audit_before = _count(db, AuditEntry)
    # A clerk's password is no approval, however right it is.
    with pytest.raises(PermissionDenied) as err:
        with UnitOfWork(db, clerk) as uow:
            reserve.approve(uow, info.id, "zhang", PASSWORD)
    assert err.value.field == "审批人" and "不是审核人" in err.value.message
    # A supervisor's wrong password: refused, counted toward the lockout, nothing paid.
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, clerk) as uow:
            reserve.approve(uow, info.id, "chen", "wrong-password")
    assert err.value.field == "审批人密码"
    with UnitOfWork(db, CLI, write=False) as uow:
        assert reserve.get(uow, info.id).status == "pending"
        assert uow.session.scalar(select(func.count()).select_from(ReserveEntry)) == 1
        actions = [a for (a,) in uow.session.execute(select(AuditEntry.action).where(AuditEntry.id > audit_before))]
    assert actions == ["user.approval_failed"]

    with UnitOfWork(db, people["chen"].actor()) as uow:
        approved = reserve.approve(uow, info.id, "chen", PASSWORD, "情况属实,同意")
    assert approved.prepayment.status == "paid" and approved.prepayment.approver_name == "陈卫东"
    assert approved.pdf is not None and approved.balance == Decimal("7500.00") == _balance(db)
    with UnitOfWork(db, CLI, write=False) as uow:
        doc = uow.session.scalar(select(Document).where(Document.number == approved.prepayment.voucher_number))
        assert doc is not None and doc.data["approved_by"] == "陈卫东" and doc.data["clerk"] == "张窗口"
        assert reserve.pending(uow) == []
    with pytest.raises(Conflict):  # approved once only
        with UnitOfWork(db, people["liu"].actor()) as uow:
            reserve.approve(uow, info.id, "liu", PASSWORD)


def test_a_supervisor_cannot_approve_their_own_request(db, people) -> None:  # type: ignore[no-untyped-def]
    chen = people["chen"].actor()
    _allocate(db, chen, "10000")
    accepted = _case(db, people["zhang"].actor(), size=2, area="urban")
    info = _prepay(db, chen, accepted.case_id, "2800").prepayment
    with pytest.raises(PermissionDenied) as err:
        with UnitOfWork(db, chen) as uow:
            reserve.approve(uow, info.id, "chen", PASSWORD)
    assert "不能审批自己" in err.value.message
    with UnitOfWork(db, people["liu"].actor()) as uow:
        assert reserve.approve(uow, info.id, "liu", PASSWORD).prepayment.status == "paid"


def test_rejected_prepayment_pays_nothing(db, people) -> None:  # type: ignore[no-untyped-def]
    _allocate(db, people["chen"].actor(), "10000")
    accepted = _case(db, people["zhang"].actor(), size=2, area="urban")
    info = _prepay(db, people["zhang"].actor(), accepted.case_id, "2600").prepayment
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, people["chen"].actor()) as uow:
            reserve.reject(uow, info.id, "chen", PASSWORD, "")
    assert err.value.field == "审批意见"
    with UnitOfWork(db, people["chen"].actor()) as uow:
        assert reserve.reject(uow, info.id, "chen", PASSWORD, "已由慈善会资助").status == "rejected"
    assert _balance(db) == Decimal("10000.00") and _count(db, Document) == 0


def test_once_a_year_per_cause_unless_a_supervisor_overrides(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "20000")
    first_case = _case(db, clerk, size=2)  # rural, two people: 3 × 630 × 2 = 3780 → 3000
    first = _prepay(db, clerk, first_case.case_id, "1500").prepayment
    assert first.status == "paid"
    # The same household (the child applies this time), the same fire: refused without a reason.
    second_case = _case(db, clerk, size=2, ids=["110105201003070017", "110105198603150032"])
    with pytest.raises(Conflict) as err:
        _prepay(db, clerk, second_case.case_id, "1000")
    assert err.value.field == "致困原因" and "十二个月内同一原因只能救助一次" in err.value.message
    # Another cause is another matter.
    assert _prepay(db, clerk, second_case.case_id, "800", cause="serious_illness").prepayment.status == "paid"
    # With a reason it waits for a supervisor, however small.
    repeat = _prepay(db, clerk, second_case.case_id, "1000", override_reason="火灾后房屋再次受损,无处居住").prepayment
    assert repeat.status == "pending" and repeat.approval_needed == ("repeat",)
    with UnitOfWork(db, people["chen"].actor()) as uow:
        paid = reserve.approve(uow, repeat.id, "chen", PASSWORD, "核实属实,同意再次救助")
    assert paid.prepayment.status == "paid" and paid.prepayment.override_reason.startswith("火灾后")
    # The history panel sees every member's prepayments.
    with UnitOfWork(db, CLI, write=False) as uow:
        history = reserve.prepayments_of_id_numbers(uow, ["110105201003070017", "110105198603150032"])
    assert len(history) == 3 and all("先行救助" in h.describe() for h in history)


def test_a_year_later_the_same_cause_is_allowed_again(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "20000")
    accepted = _case(db, clerk)
    first = _prepay(db, clerk, accepted.case_id, "1000").prepayment
    with UnitOfWork(db, CLI) as uow:  # as if it was paid a year and a day ago
        uow.session.execute(update(Prepayment).where(Prepayment.id == first.id)
                            .values(paid_on=today() - timedelta(days=366)))
        uow.commit()
    assert _prepay(db, clerk, accepted.case_id, "1000").prepayment.status == "paid"


def test_returns_come_back_into_the_ledger(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "5000")
    accepted = _case(db, clerk)
    info = _prepay(db, clerk, accepted.case_id, "1800").prepayment
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, clerk) as uow:
            reserve.record_return(uow, info.id, "1800.01", "核实不符合条件")
    assert err.value.field == "退回金额" and "最多可退回1800.00元" in err.value.message
    with UnitOfWork(db, clerk) as uow:
        reserve.record_return(uow, info.id, "300", "金额更正")
    with UnitOfWork(db, clerk) as uow:
        line = reserve.record_return(uow, info.id, "1500", "核实不符合条件")
    assert line.balance == Decimal("5000.00") == _balance(db)
    with UnitOfWork(db, CLI, write=False) as uow:
        assert reserve.get(uow, info.id).status == "returned"


def test_paperwork_overdue_after_the_working_days(db, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "5000")
    accepted = _case(db, clerk)
    info = _prepay(db, clerk, accepted.case_id, "1000").prepayment
    assert info.paperwork_due is not None
    with UnitOfWork(db, CLI, write=False) as uow:
        assert reserve.paperwork_overdue(uow, info.paperwork_due) == []
        late = reserve.paperwork_overdue(uow, info.paperwork_due + timedelta(days=1))
    assert [p.id for p in late] == [info.id]
    with UnitOfWork(db, clerk) as uow:
        reserve.complete_paperwork(uow, info.id)
    with UnitOfWork(db, CLI, write=False) as uow:
        assert reserve.paperwork_overdue(uow, info.paperwork_due + timedelta(days=30)) == []


def test_low_balance_warning_follows_the_setting(db, people) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import settings

    _allocate(db, people["chen"].actor(), "4000")
    with UnitOfWork(db, CLI, write=False) as uow:
        st_ = reserve.status(uow)
    assert st_.low and "低于预警线5000.00元" in st_.warning()
    with UnitOfWork(db, people["chen"].actor()) as uow:
        settings.update(uow, {"reserve_low_balance": "3000"})
    with UnitOfWork(db, CLI, write=False) as uow:
        assert not reserve.status(uow).low and reserve.low_balance_threshold(uow) == Decimal("3000.00")
    with pytest.raises(UserError) as err:
        with UnitOfWork(db, people["chen"].actor()) as uow:
            settings.update(uow, {"reserve_low_balance": "-1"})
    assert "预警线" in (err.value.field or "")


# --- the ledger under random sequences -------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=400_000).map(lambda fen: Decimal(fen) / 100)
ops = st.lists(st.tuples(st.sampled_from(["allocate", "pay", "return"]), amounts, st.integers(0, 10)),
               min_size=1, max_size=12)


@hsettings(max_examples=15)
@given(sequence=ops)
def test_ledger_invariants_under_random_sequences(tmp_path_factory, sequence) -> None:  # type: ignore[no-untyped-def]
    """Whatever happens, the balance is the sum of the accepted lines, never negative; a refused
    operation leaves no line; the report's closing balance is the balance; the chain verifies."""
    from window_desk.db.engine import open_database

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('h') / 'desk.sqlite3'}")
    try:
        with UnitOfWork(db, CLI) as uow:
            users.add_user(uow, "admin", "admin", PASSWORD, "王管理")
        admin = Actor(label="admin", role="admin", user_id=1, display_name="王管理")
        with UnitOfWork(db, admin) as uow:
            users.add_user(uow, "chen", "supervisor", PASSWORD, "陈卫东")
        accepted = _case(db, admin)
        expected = Decimal("0.00")
        paid: list[tuple[int, Decimal]] = []  # (prepayment id, left to return)
        for op, amount, pick in sequence:
            lines_before = _count(db, ReserveEntry)
            try:
                if op == "allocate":
                    _allocate(db, admin, str(amount))
                    expected += amount
                elif op == "pay":
                    with UnitOfWork(db, admin) as uow:
                        result = reserve.record_prepayment(uow, amount=amount, cause="fire", reason="火灾先行救助测试",
                                                           case_id=accepted.case_id)
                    if result.prepayment.status == "pending":
                        assert amount > Decimal("2000") and _count(db, ReserveEntry) == lines_before
                        with UnitOfWork(db, admin) as uow:
                            reserve.approve(uow, result.prepayment.id, "chen", PASSWORD)
                    expected -= amount
                    paid.append((result.prepayment.id, amount))
                    with UnitOfWork(db, CLI) as uow:  # time passes: the next fire is another year's
                        uow.session.execute(update(Prepayment).where(Prepayment.id == result.prepayment.id)
                                            .values(paid_on=today() - timedelta(days=400)))
                        uow.commit()
                else:
                    if not paid:
                        continue
                    idx = pick % len(paid)
                    pid, left = paid[idx]
                    with UnitOfWork(db, admin) as uow:
                        reserve.record_return(uow, pid, str(amount), "测试退回")
                    expected += amount
                    paid[idx] = (pid, left - amount)
                    if left - amount == 0:
                        paid.pop(idx)
            except UserError:
                assert _count(db, ReserveEntry) == lines_before  # refused: nothing written
                if op == "pay":
                    assert amount > Decimal("3000") or amount > expected
                if op == "return":
                    assert amount > paid[pick % len(paid)][1]
            got = _balance(db)
            assert got == expected and got >= 0
        with UnitOfWork(db, CLI, write=False) as uow:
            lines = uow.session.scalars(select(ReserveEntry)).all()
            total = sum((e.amount if e.kind in reserve.INFLOW else -e.amount for e in lines), Decimal("0.00"))
            assert total == expected
            report = reserve.ledger(uow, today() - timedelta(days=1), today())
            assert report.opening == 0 and report.closing == expected
            assert report.opening + report.total_in - report.total_out == report.closing
            assert verify_chain(uow.session).ok
    finally:
        db.dispose()


def test_ledger_pages_carry_the_running_balance(db, people) -> None:  # type: ignore[no-untyped-def]
    chen = people["chen"].actor()
    for i in range(7):
        _allocate(db, chen, f"{100 + i}.00")
    with UnitOfWork(db, CLI, write=False) as uow:
        first = reserve.recent_lines(uow, limit=3)
        second = reserve.recent_lines(uow, before_id=first[-1].id, limit=3,
                                      balance_after=reserve.balance_before(first[-1]))
        summed = reserve.recent_lines(uow, before_id=first[-1].id, limit=3)
        rest = reserve.recent_lines(uow, before_id=second[-1].id, limit=3,
                                    balance_after=reserve.balance_before(second[-1]))
    assert first[0].balance == Decimal("721.00") and [l.amount_in for l in first] == [Decimal("106.00"),
                                                                                      Decimal("105.00"),
                                                                                      Decimal("104.00")]
    assert second == summed and second[0].balance == Decimal("721.00") - 106 - 105 - 104
    assert len(rest) == 1 and rest[0].balance == Decimal("100.00")


def test_the_daily_review_shows_the_days_payments_and_late_paperwork(db, people) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import daily

    clerk = people["zhang"].actor()
    _allocate(db, people["chen"].actor(), "5000")
    accepted = _case(db, clerk)
    info = _prepay(db, clerk, accepted.case_id, "1000").prepayment
    with UnitOfWork(db, CLI, write=False) as uow:
        day = daily.build_day(uow, today(), "示范镇")
        later = daily.build_day(uow, info.paperwork_due + timedelta(days=1), "示范镇")
    paid = next(s for s in day.sections if s.key == "prepayments")
    assert paid.total == 1 and paid.extra["amount"] == "1000.00"
    assert paid.items[0].cells[0] == info.voucher_number and paid.items[0].case_id == accepted.case_id
    late = next(s for s in later.sections if s.key == "prepay_paperwork")
    assert [i.ref for i in late.items] == [f"prepayment:{info.id}"] and late.items[0].overdue
    assert next(s for s in day.sections if s.key == "prepay_paperwork").total == 0
