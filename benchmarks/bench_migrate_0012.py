"""How long migration 0012 takes: a database at revision 0011 with ``--entries`` audit entries whose
first ``--old`` are pre-person-id ``case.accept`` entries holding full ID numbers (so nearly the whole
chain is re-hashed, the worst case), upgraded by ``open_database`` as the desk does at start.

Building the database is not timed; the upgrade is (one run: it changes the file).

    .venv/bin/python benchmarks/bench_migrate_0012.py [--entries 100000] [--old 1000]
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from window_desk import audit
from window_desk.idnumber import check_char


def _number(i: int) -> str:
    body = f"110105{1950 + i % 50:04d}0101{i % 1000:03d}"
    return body + check_char(body)


def build(url: str, entries: int, old: int) -> None:
    from alembic import command

    from window_desk.db.engine import _alembic_config

    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0011")
        conn.execute(text("INSERT INTO persons (id, id_number, name, name_initials, created_at, created_by) "
                          "VALUES (:i, :n, '甲', '', '2026-01-02 00:00:00+00:00', 't')"),
                     [{"i": i + 1, "n": _number(i)} for i in range(min(old, 1000))])
        prev, rows = audit.GENESIS, []
        for n in range(1, entries + 1):
            if n <= old:
                action, changes = "case.accept", {"number": f"X-{n}", "applicant": _number((n - 1) % 1000),
                                                  "members": 2, "tier": "dibao"}
            else:
                action, changes = "referral.receipt", {"referral": n, "result": "已办结", "on": "2026-01-02"}
            at = f"2026-01-02T00:00:00.{n % 1000000:06d}+00:00"
            body = audit.canonical_json(changes)
            digest = audit.entry_hash(n, at, "clerk", action, "case", str(n), body, prev)
            rows.append({"i": n, "at": at, "a": action, "e": str(n), "c": body, "p": prev, "h": digest})
            prev = digest
        conn.execute(text("INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, changes, prev_hash, "
                          "hash) VALUES (:i, :at, 'clerk', :a, 'case', :e, :c, :p, :h)"), rows)
        conn.execute(text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"), {"i": entries, "h": prev})
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--old", type=int, default=1000)
    args = parser.parse_args()
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.uow import UnitOfWork

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'old.sqlite3'}"
        build(url, args.entries, args.old)
        start = time.perf_counter()
        db = open_database(url)
        took = time.perf_counter() - start
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            t0 = time.perf_counter()
            result = audit.verify(uow.session)
            verify_s = time.perf_counter() - t0
        db.dispose()
    print(f"{platform.processor() or platform.machine()} python {platform.python_version()}")
    print(f"entries {args.entries}, old case.accept {args.old}: upgrade 0011→head {took:.1f} s "
          f"({took / args.entries * 1e6:.0f} µs per entry); verify after {verify_s:.1f} s, ok={result.ok}, "
          f"checked={result.checked}")


if __name__ == "__main__":
    main()
