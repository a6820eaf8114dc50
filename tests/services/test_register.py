"""The case register: search by ID number, name prefix and pinyin initials; keyset pages; demo data."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import run_cli
from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry
from window_desk.errors import UserError
from window_desk.services import demo, register
from window_desk.services.persons import name_initials
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

ADMIN = Actor.cli()
END = date(2026, 11, 24)


@pytest.fixture
def filled(db):  # type: ignore[no-untyped-def]
    numbers = demo.fill(db, ADMIN, 40, 20, 7, END, "示范镇")
    return db, numbers


def test_demo_data_is_reproducible_by_seed() -> None:
    a = list(demo.payloads(15, 10, 3, END))
    b = list(demo.payloads(15, 10, 3, END))
    c = list(demo.payloads(15, 10, 4, END))
    assert a == b and a != c
    ids = [m["id_number"] for p in a for m in p["members"]]
    assert len(ids) == len(set(ids))
    assert all(idnumber.check(i).valid for i in ids)
    assert all(END.toordinal() - 10 < date.fromisoformat(p["application_date"]).toordinal() <= END.toordinal() for p in a)


def test_pages_walk_every_case_once_newest_first(filled) -> None:  # type: ignore[no-untyped-def]
    db, numbers = filled
    seen: list[str] = []
    after = None
    with UnitOfWork(db, ADMIN, write=False) as uow:
        while True:
            page = register.find_cases(uow, register.CaseFilter(), after=after, limit=7)
            if not page:
                break
            seen += [r.number for r in page]
            after = register.cursor_after(page[-1], register.CaseFilter())
        assert register.count_cases(uow, register.CaseFilter()) == register.CountResult(40)
        assert register.count_cases(uow, register.CaseFilter(), cap=25) == register.CountResult(25, at_least=True)
        assert register.count_cases(uow, register.CaseFilter(), cap=25).text() == "≥ 25"
    assert seen == list(reversed(numbers))


def test_search_by_id_name_and_initials_masks_numbers(filled) -> None:  # type: ignore[no-untyped-def]
    db, _ = filled
    payload = next(iter(demo.payloads(40, 20, 7, END)))  # the first case's household
    member = payload["members"][-1]
    with UnitOfWork(db, ADMIN, write=False) as uow:
        by_id = register.find_cases(uow, register.CaseFilter(query=member["id_number"]))
        assert [r.number for r in by_id] == ["示范镇-2026-00001"]
        row = by_id[0]
        assert row.applicant_name == payload["members"][0]["name"]
        assert row.applicant_id_masked == idnumber.mask(payload["members"][0]["id_number"])
        assert "*" in row.applicant_id_masked
        by_name = register.find_cases(uow, register.CaseFilter(query=member["name"]))
        assert "示范镇-2026-00001" in [r.number for r in by_name]
        initials = name_initials(member["name"])
        by_initials = register.find_cases(uow, register.CaseFilter(query=initials.upper()))
        assert "示范镇-2026-00001" in [r.number for r in by_initials]
        assert register.find_cases(uow, register.CaseFilter(query="不存在的人")) == []
        # Wildcards typed by a clerk are literal characters, not patterns.
        assert register.find_cases(uow, register.CaseFilter(query="%")) == []
        with pytest.raises(UserError) as err:
            register.find_cases(uow, register.CaseFilter(status="bogus"))
        assert err.value.field == "状态"


def test_name_initials() -> None:
    assert name_initials("张三丰") == "zsf"
    assert name_initials("王䶮") == "wy"
    assert name_initials("朱𠈌").startswith("z")


def test_revealing_a_full_number_is_logged(filled) -> None:  # type: ignore[no-untyped-def]
    db, _ = filled
    with UnitOfWork(db, ADMIN) as uow:
        row = register.find_cases(uow, register.CaseFilter(), limit=1)[0]
        with pytest.raises(UserError):
            register.reveal_id_number(uow, row.id, " ")
    with UnitOfWork(db, ADMIN) as uow:
        full = register.reveal_id_number(uow, row.id, "核对户籍")
    assert idnumber.mask(full) == row.applicant_id_masked
    with UnitOfWork(db, ADMIN, write=False) as uow:
        last = uow.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert last is not None and last.action == "person.unmask"


def test_cli_demo_data_and_register_find(db_url) -> None:  # type: ignore[no-untyped-def]
    made = run_cli("--db", db_url, "demo-data", "--cases", "12", "--days", "5", "--seed", "9")
    assert made.returncode == 0, made.stderr
    assert "已生成 12 件模拟个案" in made.stdout
    first = next(iter(demo.payloads(12, 5, 9, today())))
    found = run_cli("--db", db_url, "register", "find", first["members"][0]["id_number"])
    assert found.returncode == 0, found.stderr
    assert '"number": "示范镇-' in found.stdout and first["members"][0]["name"] in found.stdout
    assert first["members"][0]["id_number"] not in found.stdout  # masked
    bad = run_cli("--db", db_url, "demo-data", "--cases", "0")
    assert bad.returncode == 2 and "--cases" in bad.stderr and "Traceback" not in bad.stderr
    bad_limit = run_cli("--db", db_url, "register", "find", "x", "--limit", "0")
    assert bad_limit.returncode == 2 and "--limit" in bad_limit.stderr
