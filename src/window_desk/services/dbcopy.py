"""Moving a database into another one: a township's SQLite file into the county's PostgreSQL server.

Every table is copied row by row with its ids, in foreign-key order, in one transaction on the target;
PostgreSQL sequences are moved past the copied ids. Afterwards the copy is verified: every table's rows
(a digest over each row's values, in primary-key order) match the source, and the audit chain verifies
on the target with the same tip hash as the source. The target must be empty (freshly created).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, select, text

from window_desk import audit
from window_desk.db.engine import Database, open_database
from window_desk.db.models import AuditHead, Base
from window_desk.errors import Conflict, UserError

BATCH = 1000
# Rows the migrations themselves create; the target's are replaced by the source's.
SEEDED_TABLES = frozenset({"audit_head"})


@dataclass
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0
    audit_tip: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]


def _ordered(table: Table):  # type: ignore[no-untyped-def]
    return select(table).order_by(*table.primary_key.columns)


def _row_digest(conn: Connection, table: Table) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in conn.execute(_ordered(table)).mappings():
        digest.update(json.dumps(dict(row), sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _check_target_empty(conn: Connection) -> None:
    for table in _tables():
        if table.name in SEEDED_TABLES:
            continue
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise Conflict(f"目标数据库中已有数据(表 {table.name} 不为空),为防止混合两个数据库,拒绝复制", field="--to")
    head = conn.execute(select(AuditHead.last_id).where(AuditHead.id == 1)).scalar_one_or_none()
    if head:
        raise Conflict("目标数据库的审计日志不为空,拒绝复制", field="--to")


def _reset_sequences(conn: Connection) -> None:
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"),
                         {"s": seq})


def copy_database(source_url: str, target_url: str) -> CopyResult:
    if source_url == target_url:
        raise UserError("源数据库与目标数据库相同", field="--to")
    source = open_database(source_url)
    try:
        target = open_database(target_url)
        try:
            return _copy(source, target)
        finally:
            target.dispose()
    finally:
        source.dispose()


def _copy(source: Database, target: Database) -> CopyResult:
    result = CopyResult()
    with source.engine.connect() as src:
        if not source.is_sqlite:
            src.execution_options(isolation_level="REPEATABLE READ")  # one consistent snapshot
        with src.begin():
            with target.engine.connect() as dst:
                dst.execution_options(write=True)  # SQLite target: BEGIN IMMEDIATE
                with dst.begin():
                    _check_target_empty(dst)
                    for table in _tables():
                        if table.name in SEEDED_TABLES:
                            dst.execute(table.delete())
                        count = 0
                        batch: list[dict[str, Any]] = []
                        for row in src.execute(_ordered(table)).mappings():
                            batch.append(dict(row))
                            if len(batch) >= BATCH:
                                dst.execute(table.insert(), batch)
                                count += len(batch)
                                batch = []
                        if batch:
                            dst.execute(table.insert(), batch)
                            count += len(batch)
                        result.rows[table.name] = count
                    if not target.is_sqlite:
                        _reset_sequences(dst)
            _verify(src, target, result)
    return result


def _verify(src: Connection, target: Database, result: CopyResult) -> None:
    """Compare every table with the source and walk the target's audit chain."""
    from sqlalchemy.orm import Session

    with target.engine.connect() as dst:
        for table in _tables():
            if _row_digest(src, table) != _row_digest(dst, table):
                raise Conflict(f"复制后核对失败:表 {table.name} 的内容与源数据库不一致", field="--to")
        with Session(bind=dst) as session:
            check = audit.verify(session)
        if not check.ok:
            raise Conflict(f"复制后审计日志校验失败:第 {check.bad_entry} 条 — {check.problem}", field="--to")
        src_tip = src.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one()
        dst_tip = dst.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one()
        if src_tip != dst_tip:
            raise Conflict("复制后审计链的链头与源数据库不一致", field="--to")
        result.audit_entries = check.checked
        result.audit_tip = dst_tip
