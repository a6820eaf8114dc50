"""Work in progress, saved continuously so that nothing typed is ever lost.

Drafts are the clerk's scratch pad, not records: they are not audited (the
record they become is), and saving one replaces the previous version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from window_desk.db.models import Draft
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork


def save(uow: UnitOfWork, kind: str, payload: dict[str, Any], ref: str = "") -> datetime:
    owner = uow.actor.label
    draft = uow.session.scalar(select(Draft).where(Draft.owner == owner, Draft.kind == kind, Draft.ref == ref))
    moment = now()
    if draft is None:
        uow.session.add(Draft(owner=owner, kind=kind, ref=ref, payload=payload, updated_at=moment))
    else:
        draft.payload = payload
        draft.updated_at = moment
    uow.commit()
    return moment


def load(uow: UnitOfWork, kind: str, ref: str = "") -> tuple[dict[str, Any], datetime] | None:
    draft = uow.session.scalar(
        select(Draft).where(Draft.owner == uow.actor.label, Draft.kind == kind, Draft.ref == ref)
    )
    return (dict(draft.payload), draft.updated_at) if draft is not None else None


def discard(uow: UnitOfWork, kind: str, ref: str = "", *, commit: bool = True) -> None:
    uow.session.execute(delete(Draft).where(Draft.owner == uow.actor.label, Draft.kind == kind, Draft.ref == ref))
    if commit:
        uow.commit()
