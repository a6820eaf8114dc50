"""Loading a policy file: validated first, kept whole with its history, used from then on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, PolicyVersion
from window_desk.errors import PermissionDenied, UserError
from window_desk.policy import default_policy_path
from window_desk.services import intake, policy_store, settings
from window_desk.uow import UnitOfWork

SUPERVISOR = Actor(label="chen", role="supervisor", display_name="陈审核")
CLERK = Actor(label="zhang", role="clerk", display_name="张窗口")


def _raised_policy(tmp_path: Path) -> Path:
    text = default_policy_path().read_text(encoding="utf-8")
    text += '\n[[period]]\neffective_from = "2026-12-01"\n[period.standards]\ndibao_urban = 900\n'
    path = tmp_path / "raised.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_policy_until_a_supervisor_loads_one(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        before = policy_store.active_policy(uow)
    assert before.origin == "随程序提供的默认政策"
    with UnitOfWork(db, CLERK) as uow, pytest.raises(PermissionDenied):
        policy_store.load_new_policy(uow, _raised_policy(tmp_path))
    with UnitOfWork(db, SUPERVISOR) as uow:
        record = policy_store.load_new_policy(uow, _raised_policy(tmp_path))
    assert record.active and record.filename == "raised.toml" and record.loaded_by == "chen"
    with UnitOfWork(db, CLERK, write=False) as uow:
        now_active = policy_store.active_policy(uow)
        assert now_active.version_id == record.id
        assert "raised.toml" in now_active.origin
        assert [p.effective_from for p in now_active.policy.periods][-1] == date(2026, 12, 1)
        entry = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "policy.load")).one()
        assert json.loads(entry.changes)["sha256"] == record.sha256
    # The new period applies from its date; earlier applications keep the old standard.
    payload = intake.blank_payload(date(2026, 12, 2))
    payload["members"][0].update(name="甲", id_number="110105198603150032")
    assert intake.run_assessment(payload, now_active.policy)["standards"]["dibao"] == "900.00"
    payload["application_date"] = "2026-11-30"
    assert intake.run_assessment(payload, now_active.policy)["standards"]["dibao"] == "860.00"


def test_a_bad_file_is_refused_naming_period_and_key(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(_raised_policy(tmp_path).read_text(encoding="utf-8").replace("dibao_urban = 900", "dibao_urban = -1"),
                   encoding="utf-8")
    with UnitOfWork(db, SUPERVISOR) as uow, pytest.raises(UserError) as err:
        policy_store.load_new_policy(uow, bad)
    message = f"{err.value.field} {err.value}"
    assert "bad.toml" in message and "dibao_urban" in message
    with UnitOfWork(db, SUPERVISOR, write=False) as uow:
        assert uow.session.scalars(select(PolicyVersion)).first() is None
        assert uow.session.scalars(select(AuditEntry)).first() is None


def test_history_keeps_every_load_and_reloading_reactivates(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raised = _raised_policy(tmp_path)
    with UnitOfWork(db, SUPERVISOR) as uow:
        first = policy_store.load_new_policy(uow, raised)
    with UnitOfWork(db, SUPERVISOR) as uow:
        second = policy_store.load_new_policy(uow, default_policy_path())
    with UnitOfWork(db, SUPERVISOR) as uow:
        again = policy_store.load_new_policy(uow, raised)
    assert again.id == first.id  # same text, same stored version
    with UnitOfWork(db, SUPERVISOR, write=False) as uow:
        history = policy_store.history(uow)
    assert [(h.id, h.active) for h in history] == [(second.id, False), (first.id, True)]


def test_settings_need_a_supervisor_and_name_the_field(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow, pytest.raises(PermissionDenied):
        settings.update(uow, {"office_name": "幸福街道"})
    with UnitOfWork(db, SUPERVISOR) as uow, pytest.raises(UserError) as err:
        settings.update(uow, {"office_name": "  "})
    assert err.value.field == "本单位名称（文书落款、编号）"
    with UnitOfWork(db, SUPERVISOR) as uow:
        changed = settings.update(uow, {"office_name": "幸福街道", "court": "示范区人民法院"})
    assert changed == {"office_name": {"from": "示范镇", "to": "幸福街道"}}
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert settings.get(uow, "office_name") == "幸福街道"
