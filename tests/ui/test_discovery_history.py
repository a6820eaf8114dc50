"""The 受理 history panel shows that a person is on a village's watch roster (the source registered
where the desk is assembled), as the ID number is typed."""

from __future__ import annotations

from tests.ui.test_intake import _open_intake, _type
from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.services import discovery
from window_desk.services.discovery import MemberIn
from window_desk.uow import UnitOfWork


def nid(n: int) -> str:
    body = f"11010519480101{n:03d}"
    return body + idnumber.check_char(body)


def _rows(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    h = page.history
    return [[(h.item(r, c).text() if h.item(r, c) else "") for c in range(4)] for r in range(h.rowCount())]


def test_a_rostered_person_shows_in_the_intake_history(window, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        helper = discovery.add_staff(uow, "assistant", "刘协理", village="青山村")
    with UnitOfWork(db, Actor.cli()) as uow:
        discovery.add_household(uow, "青山村", [MemberIn("王一", nid(1)), MemberIn("王小", nid(2), "child")],
                                "独居老人", since="2026-01-01", assistant_id=helper.id)
    with UnitOfWork(db, Actor.cli()) as uow:
        discovery.add_household(uow, "河东社区", [MemberIn("赵五", nid(5))], "重病", since="2026-01-01")
    page = _open_intake(window, qtbot)
    form = page.form
    _type(qtbot, form.editor.name, "王小")
    _type(qtbot, form.editor.id_number, nid(2))  # a member, not the head: still on the roster
    qtbot.waitUntil(lambda: any(r[2] == "主动发现" for r in _rows(page)), timeout=5000)
    line = next(r for r in _rows(page) if r[2] == "主动发现")
    assert line[1] == "王小" and line[0] == "2026-01-01"
    assert "重点人群花名册（青山村，关注中，自2026-01-01起，协理员刘协理，尚无走访记录）" in line[3]
    assert "河东社区" not in "".join(r[3] for r in _rows(page))

    # someone on no roster: the panel says there is nothing
    _type(qtbot, form.editor.name, "钱七")
    _type(qtbot, form.editor.id_number, nid(7))
    qtbot.waitUntil(lambda: _rows(page) == [["", "", "", "无既往记录"]], timeout=5000)
