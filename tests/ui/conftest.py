from __future__ import annotations

from collections.abc import Iterator

import pytest

from window_desk.actor import Actor
from window_desk.services import users
from window_desk.uow import UnitOfWork

PASSWORD = "window-pass-1"


@pytest.fixture
def app(qapp):  # type: ignore[no-untyped-def]
    from window_desk.ui.app import make_application

    return make_application()


@pytest.fixture
def tasks(app, qtbot) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from window_desk.ui.tasks import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(on_unhandled_error=lambda exc, trace: errors.append(exc))
    runner.unhandled = errors  # type: ignore[attr-defined]
    yield runner
    runner.wait_all()
    assert errors == [], f"unhandled errors in tasks: {errors!r}"


@pytest.fixture
def admin(db) -> users.UserInfo:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        info = users.add_user(uow, "admin", "admin", PASSWORD, "王管理")
    return info


@pytest.fixture
def clerk(db, admin) -> users.UserInfo:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, admin.actor()) as uow:
        return users.add_user(uow, "zhang", "clerk", PASSWORD, "张窗口")


def open_window(db, user, tasks, qtbot):  # type: ignore[no-untyped-def]
    """The main window for ``user``, shown and active (keyboard shortcuts need an active window)."""
    from window_desk.ui.app import build_main_window

    win = build_main_window(db, user, tasks)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    return win


@pytest.fixture
def window(db, clerk, tasks, qtbot):  # type: ignore[no-untyped-def]
    return open_window(db, clerk, tasks, qtbot)
