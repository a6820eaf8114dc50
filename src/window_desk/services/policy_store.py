"""Which policy is in force: the file loaded in settings (kept with its history), else the packaged default.

Every loaded file is stored whole (text and SHA-256), so an assessment made
under it can always be explained later, and the history of loads is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update

from window_desk.db.models import PolicyVersion
from window_desk.errors import PermissionDenied
from window_desk.permissions import requires
from window_desk.policy import Policy, default_policy_path, load_policy, parse_policy
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

LOADER_ROLES = frozenset({"supervisor", "admin"})


@dataclass(frozen=True)
class ActivePolicy:
    policy: Policy
    version_id: int | None  # None: the packaged default, not yet recorded
    origin: str  # where it came from, for people


@dataclass(frozen=True)
class PolicyRecord:
    id: int
    locality: str
    filename: str
    sha256: str
    loaded_at: datetime
    loaded_by: str
    active: bool


def active_policy(uow: UnitOfWork, override_path: str | Path | None = None) -> ActivePolicy:
    """The policy to assess with: ``--policy`` if given, else the active stored one, else the default."""
    if override_path:
        policy = load_policy(Path(override_path))
        return ActivePolicy(policy, _version_id_for(uow, policy), f"命令行指定:{override_path}")
    row = uow.session.scalar(select(PolicyVersion).where(PolicyVersion.active.is_(True)).order_by(PolicyVersion.id.desc()))
    if row is not None:
        return ActivePolicy(parse_policy(row.source, row.filename or f"policy#{row.id}"), row.id,
                            f"设置中载入:{row.filename}({row.created_at:%Y-%m-%d} {row.created_by})")
    policy = load_policy(default_policy_path())
    return ActivePolicy(policy, _version_id_for(uow, policy), "随程序提供的默认政策")


def _version_id_for(uow: UnitOfWork, policy: Policy) -> int | None:
    row = uow.session.scalar(select(PolicyVersion).where(PolicyVersion.sha256 == policy.sha256).order_by(PolicyVersion.id))
    return row.id if row is not None else None


def record_version(uow: UnitOfWork, policy: Policy, *, activate: bool) -> int:
    """Store the policy text once (by hash); returns its id. Does not commit."""
    existing = _version_id_for(uow, policy)
    if existing is not None and not activate:
        return existing
    if activate:
        uow.session.execute(update(PolicyVersion).values(active=False))
    if existing is not None:
        row = uow.session.get(PolicyVersion, existing)
        assert row is not None
        row.active = True
        uow.session.flush()
        return existing
    row = PolicyVersion(locality=policy.locality, sha256=policy.sha256, source=policy.source,
                        filename=Path(policy.filename).name, active=activate, created_at=now(),
                        created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    return row.id


@requires("policy.load")
def load_new_policy(uow: UnitOfWork, path: str | Path) -> PolicyRecord:
    """A supervisor loads a policy file: validated first, then kept and made the one in force."""
    if uow.actor.role not in LOADER_ROLES:
        raise PermissionDenied("只有审核人或系统管理员可以载入政策文件")
    policy = load_policy(Path(path))  # raises PolicyError naming file, period and key
    version_id = record_version(uow, policy, activate=True)
    uow.audit("policy.load", "policy_version", version_id, {
        "locality": policy.locality,
        "filename": Path(path).name,
        "sha256": policy.sha256,
        "periods": [p.effective_from.isoformat() for p in policy.periods],
    })
    uow.commit()
    row = uow.session.get(PolicyVersion, version_id)
    assert row is not None
    return _record(row)


def history(uow: UnitOfWork) -> list[PolicyRecord]:
    return [_record(r) for r in uow.session.scalars(select(PolicyVersion).order_by(PolicyVersion.id.desc()))]


def _record(row: PolicyVersion) -> PolicyRecord:
    return PolicyRecord(row.id, row.locality, row.filename, row.sha256, row.created_at, row.created_by, row.active)

