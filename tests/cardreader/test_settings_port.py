"""The reader port is a setting of each PC, audited, settable by any role."""

from __future__ import annotations

import pytest

from window_desk.actor import Actor
from sqlalchemy import select

from window_desk.db.models import AuditEntry
from window_desk.errors import UserError
from window_desk.services import settings
from window_desk.uow import UnitOfWork


def test_port_per_machine(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        assert settings.get_card_reader_port(uow) == settings.AUTO_DETECT
        assert settings.set_card_reader_port(uow, " COM3 ", machine="window-1")
    with UnitOfWork(db, Actor.cli()) as uow:
        assert settings.get_card_reader_port(uow, machine="window-1") == "COM3"
        assert settings.get_card_reader_port(uow, machine="window-2") == ""
        assert not settings.set_card_reader_port(uow, "COM3", machine="window-1")
    with UnitOfWork(db, Actor.cli()) as uow:
        assert settings.set_card_reader_port(uow, "", machine="window-1")
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert settings.get_card_reader_port(uow, machine="window-1") == ""
        assert "office_name" in settings.get_all(uow)
        actions = uow.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("settings.card_reader_port") == 2


def test_bad_port_name(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow, pytest.raises(UserError, match="读卡器端口"):
        settings.set_card_reader_port(uow, "COM3\nCOM4")
