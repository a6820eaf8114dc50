"""The register fetches as the clerk scrolls and searches as they type; settings load a policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import PASSWORD, open_window
from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.policy import default_policy_path
from window_desk.services import demo, users
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork


@pytest.fixture
def supervisor(db, admin) -> users.UserInfo:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, admin.actor()) as uow:
        return users.add_user(uow, "chen", "supervisor", PASSWORD, "陈审核")


def test_register_fetches_pages_as_the_view_scrolls(window, db, tasks, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.pages import register as register_page

    monkeypatch.setattr(register_page, "PAGE_SIZE", 10)
    numbers = demo.fill(db, Actor.cli(), 35, 10, 5, today(), "示范镇")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "register"
    model = page.model
    # The count and the first page are two tasks: either may come back first.
    qtbot.waitUntil(lambda: "共 35 件" in page.count.text() and model.rowCount() >= 10, timeout=10_000)
    assert 10 <= model.rowCount() < 35  # only what the view needed so far
    assert model.index(0, 0).data() == numbers[-1]  # newest first
    while model.rowCount() < 35:
        rows = model.rowCount()
        page.view.scrollToBottom()
        if model.canFetchMore(model.index(-1, -1)):
            model.fetchMore(model.index(-1, -1))
        qtbot.waitUntil(lambda rows=rows: model.rowCount() > rows or model._exhausted, timeout=10_000)  # noqa: SLF001
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == list(reversed(numbers))
    assert not model.canFetchMore(model.index(-1, -1))
    assert all("*" in model.index(r, 4).data() for r in range(model.rowCount()))

    # Typing a name narrows the list after a short pause, no Enter needed.
    first = next(iter(demo.payloads(35, 10, 5, today())))
    applicant = first["members"][0]
    assert page.search.hasFocus()
    type_text(qtbot, page.search, applicant["name"])
    qtbot.waitUntil(lambda: numbers[0] in [model.index(r, 0).data() for r in range(model.rowCount())]
                    and model.rowCount() < 35, timeout=10_000)
    page.search.clear()
    type_text(qtbot, page.search, applicant["id_number"])
    qtbot.waitUntil(lambda: model.rowCount() == 1 and "共 1 件" in page.count.text(), timeout=10_000)
    assert model.index(0, 0).data() == numbers[0]


def test_supervisor_loads_a_policy_and_the_intake_uses_it(db, supervisor, tasks, qtbot, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, t, x, *a, **k: said.append(f"{t}:{x}")))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, t, x, *a, **k: said.append(f"{t}:{x}")))
    win = open_window(db, supervisor, tasks, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    assert page.page_id == "settings" and page.load_button.isEnabled()
    qtbot.waitUntil(lambda: page.periods.rowCount() >= 2, timeout=10_000)
    assert "默认政策" in page.policy_origin.text()

    bad = tmp_path / "bad.toml"
    bad.write_text("[locality]\nname = \"x\"\n", encoding="utf-8")
    page.load_policy_file(str(bad))
    qtbot.waitUntil(lambda: any(s.startswith("政策文件有误") for s in said), timeout=10_000)
    assert "bad.toml" in said[-1]

    good = tmp_path / "raised.toml"
    good.write_text(default_policy_path().read_text(encoding="utf-8")
                    + '\n[[period]]\neffective_from = "2026-12-01"\n[period.standards]\ndibao_urban = 900\n',
                    encoding="utf-8")
    generation = win.ctx.policy_generation
    page.load_policy_file(str(good))
    qtbot.waitUntil(lambda: "raised.toml" in page.policy_origin.text(), timeout=10_000)
    assert win.ctx.policy_generation == generation + 1
    assert page.periods.item(page.periods.rowCount() - 1, 1).text() == "900.00"
    assert page.policy_history.rowCount() == 1 and page.policy_history.item(0, 1).text() == "chen"
    intake_page = win.pages["intake"]
    assert [p.effective_from.isoformat() for p in intake_page.policy().policy.periods][-1] == "2026-12-01"


def test_a_clerk_cannot_load_policies_or_edit_settings(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "settings"
    assert not page.load_button.isEnabled() and not page.save_button.isEnabled()
    assert all(edit.isReadOnly() for edit in page.fields.values())
    assert not page.users_box.isVisible()
