"""The tamper-evident log: an append-only SHA-256 hash chain.

Each entry's hash covers its position, time, actor, action, entity, changes and
the previous entry's hash, so any changed, deleted, inserted or reordered row
breaks the chain from that row on. The ``audit_head`` row holds the tip: every
writer locks it (serialising appends across windows) and ``verify`` compares it
with the last entry, so removing entries from the end is caught too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from window_desk.db.models import AuditEntry, AuditHead
from window_desk.timeutil import now

GENESIS = "0" * 64


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON-serialisable in an audit entry: {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """The exact text that is stored and hashed: sorted keys, no spaces, real Chinese."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def entry_hash(
    entry_id: int, at: str, actor: str, action: str, entity_type: str, entity_id: str, changes: str, prev_hash: str
) -> str:
    fields = [str(entry_id), at, actor, action, entity_type, entity_id, changes, prev_hash]
    # The unit separator cannot appear in canonical JSON text without escaping.
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def append(
    session: Session, actor: str, action: str, entity_type: str, entity_id: object, changes: Any
) -> AuditEntry:
    """Add one entry to the chain inside the caller's transaction."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    entry_id = head.last_id + 1
    at = now().isoformat(timespec="microseconds")
    text = canonical_json(changes)
    digest = entry_hash(entry_id, at, actor, action, entity_type, str(entity_id), text, head.last_hash)
    entry = AuditEntry(
        id=entry_id,
        at=at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=text,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(entry)
    head.last_id = entry_id
    head.last_hash = digest
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_entry: int | None = None
    problem: str = ""


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; name the first entry that does not verify."""
    expected_id = 1
    prev = GENESIS
    last_id = 0
    checked = 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.id != expected_id:
                return VerifyResult(False, checked, expected_id, f"第 {expected_id} 条记录缺失(下一条是第 {row.id} 条)")
            if row.prev_hash != prev:
                return VerifyResult(False, checked, row.id, f"第 {row.id} 条记录的前序哈希与第 {row.id - 1} 条不符(记录被删除、插入或调换)")
            digest = entry_hash(row.id, row.at, row.actor, row.action, row.entity_type, row.entity_id, row.changes, row.prev_hash)
            if digest != row.hash:
                return VerifyResult(False, checked, row.id, f"第 {row.id} 条记录的内容与其哈希不符(记录被修改)")
            prev = row.hash
            expected_id += 1
            checked += 1
        last_id = rows[-1].id
        session.expunge_all()
    head = session.get(AuditHead, 1)
    if head is None:
        return VerifyResult(False, checked, None, "审计链的链头记录缺失")
    if head.last_id > checked:
        return VerifyResult(False, checked, checked + 1, f"链头记录到第 {head.last_id} 条,但日志只到第 {checked} 条(末尾记录被删除)")
    if head.last_id < checked:
        return VerifyResult(False, checked, head.last_id + 1, f"第 {head.last_id + 1} 条起的记录不在链头之内(记录被追加)")
    if head.last_hash != prev:
        return VerifyResult(False, checked, checked or None, f"第 {checked} 条记录与链头哈希不符(记录被替换)")
    return VerifyResult(True, checked)
