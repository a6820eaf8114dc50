"""audit entries refer to people by internal id: old entries holding ID numbers are rewritten and the
chain re-hashed from the first rewritten entry, with one recorded ``audit.rewrite`` entry

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:10:00

Before the switch to person ids (commit 286db7c), ``case.accept`` stored the applicant's full ID
number (``"applicant": "1101…"``); other old payloads or free-text reasons may hold one too. The audit
log is append-only, so without this migration it would keep those numbers forever.

**Re-chain, not a mapping — why.** A mapping (the old text kept beside the new, or old hash → new hash
for verification of the old content) would keep the ID numbers, or the means to check them, in the
very table we are cleaning; and every later reader of the log would have to know two formats. Instead
each entry whose payload holds an ID number is rewritten (the number becomes the person's internal id,
``"applicant"`` → ``"applicant_person_id"``; a number that matches no person is masked), every entry
from the first rewritten one on is re-hashed (its predecessor changed), and one entry is appended:

    audit.rewrite  audit_log  0012  {"old_head": "N:HASH", "new_head": "N:HASH'", "first_rewritten": k,
                                     "rewritten": r, "rechained": n, "old_hashes_sha256": D, ...}

It records the head as it was before (so a head written down earlier — on a signed daily register or a
backup manifest — can still be explained) and the head after the re-chaining. Each re-hashed entry keeps
its previous hash in ``audit_log.rewritten_from`` (a hash, no personal data; not itself hashed), and
``old_hashes_sha256`` is the SHA-256 of the lines ``"id:rewritten_from\\n"`` of those entries in order,
so the recorded old hashes are themselves covered by the new chain. ``audit.verify`` then:

- checks that digest when it reaches the ``audit.rewrite`` entry;
- accepts an anchor ``N:HASH`` for a re-hashed entry when HASH matches its recorded old hash *and* a
  verified ``audit.rewrite`` entry follows it (the anchor predates the rewrite; said in the result);
- checks the HMACs as ever: the migration re-signs every re-hashed entry that was signed, and signs
  the ``audit.rewrite`` entry, with the key file (audit.py ``key_path``). A log holding signed entries
  is not upgraded without the key: the upgrade stops with a message naming the key file and the database
  stays as it was (one transaction). Accepting an old signature on a changed entry would let anyone
  with SQL access change signed entries under the cover of a forged rewrite.

Nothing is lost but the ID numbers themselves: the person id leads to the person (and, for those who
may see it, the full number). The downgrade keeps the rewritten entries (putting ID numbers back into
the log would defeat the purpose) and only drops the column.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 2000
# 18-digit (last may be X) and 15-digit numbers, not inside a longer run of letters or digits.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def _valid_18(number: str) -> bool:
    return len(number) == 18 and _CHECK[sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS)) % 11] == number[17]


class _Scrubber:
    """Replaces ID numbers in one payload by person ids (looked up, cached) or a mask."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.cache: dict[str, int | None] = {}

    def person_id(self, number: str) -> int | None:
        number = number.upper()
        if number not in self.cache:
            self.cache[number] = self.conn.execute(
                sa.text("SELECT id FROM persons WHERE id_number = :n"), {"n": number}).scalar()
        return self.cache[number]

    def is_id(self, number: str) -> bool:
        return self.person_id(number) is not None or _valid_18(number.upper())

    @staticmethod
    def mask(number: str) -> str:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]

    def text(self, value: str) -> str:
        """Free text: each ID number in it becomes ``[person:N]`` (or the masked number)."""
        def swap(m: re.Match[str]) -> str:
            number = m.group(1)
            if not self.is_id(number):
                return number
            pid = self.person_id(number)
            return f"[person:{pid}]" if pid is not None else self.mask(number)
        return _ID.sub(swap, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.mapping(value)
        if isinstance(value, list):
            return [self.person_id(v) or self.mask(v) if self._whole(v) else self.value(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _whole(self, value: Any) -> bool:
        return isinstance(value, str) and bool(_ID.fullmatch(value)) and self.is_id(value)

    def mapping(self, payload: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in payload.items():
            if not self._whole(value):
                out.setdefault(key, self.value(value))
                continue
            pid = self.person_id(value)
            if pid is None:
                out[key] = self.mask(value)
                continue
            new_key = ("applicant_person_id" if key == "applicant" else key.replace("id_number", "person_id")
                       if "id_number" in key else f"{key}_person_id")
            out[new_key] = pid
        return out


def _hash(row: dict[str, Any], prev: str) -> str:
    # audit.entry_hash, frozen here: the chain's definition as of this revision.
    fields = [str(row["id"]), row["at"], row["actor"], row["action"], row["entity_type"], row["entity_id"],
              row["changes"], prev]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _scrub_row(scrub: _Scrubber, row: dict[str, Any]) -> bool:
    """Rewrite ``row``'s changes and entity id in place; True when something held an ID number."""
    changed = False
    if _ID.search(row["entity_id"]) and scrub.is_id(row["entity_id"]):
        pid = scrub.person_id(row["entity_id"])
        row["entity_id"] = str(pid) if pid is not None else scrub.mask(row["entity_id"])
        changed = True
    if _ID.search(row["changes"]):
        try:
            payload = json.loads(row["changes"])
        except ValueError:
            text = scrub.text(row["changes"])
        else:
            clean = scrub.value(payload)
            text = row["changes"] if clean == payload else _canonical(clean)
        if text != row["changes"]:
            row["changes"] = text
            changed = True
    return changed


def _key() -> bytes | None:
    from window_desk.audit import load_key
    from window_desk.errors import UserError

    try:
        return load_key()
    except UserError:
        return None  # unreadable or malformed: as if absent (refused below if the log is signed)


def _need_key() -> Exception:
    from window_desk.audit import key_path
    from window_desk.errors import UserError

    return UserError(f"审计日志中有带密钥签名的记录，升级（把其中的身份证号码改为人员编号）需要审计密钥文件：请将其放在 "
                     f"{key_path()}（或用环境变量 WINDOW_DESK_AUDIT_KEY_FILE 指明）后重新打开；数据库未作任何改动",
                     field="audit.key")


def upgrade() -> None:
    """Walks the log once in id order (keyset batches); see the module docstring for the design."""
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("rewritten_from", sa.String(64), nullable=True))
    conn = op.get_bind()
    head = conn.execute(sa.text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).first()
    if head is None or not head[0]:
        return
    key = _key()
    scrub = _Scrubber(conn)
    prev, last, first, rewritten, rechained = "0" * 64, 0, None, 0, 0
    digest = hashlib.sha256()
    cols = "id, at, actor, action, entity_type, entity_id, changes, prev_hash, hash, mac"
    update = sa.text("UPDATE audit_log SET entity_id = :e, changes = :c, prev_hash = :p, hash = :h, mac = :m, "
                     "rewritten_from = :o WHERE id = :id")
    while True:
        rows = [dict(r._mapping) for r in conn.execute(sa.text(
            f"SELECT {cols} FROM audit_log WHERE id > :last ORDER BY id LIMIT {BATCH}"), {"last": last})]
        if not rows:
            break
        updates: list[dict[str, Any]] = []
        for row in rows:
            last = row["id"]
            if _scrub_row(scrub, row):
                rewritten += 1
                first = first if first is not None else row["id"]
            if first is None:
                prev = row["hash"]
                continue
            new_hash = _hash(row, prev)
            old_hash = row["hash"]
            if row["mac"] is not None and key is None:
                raise _need_key()
            mac = hmac.new(key, new_hash.encode("ascii"), hashlib.sha256).hexdigest() if key and row["mac"] else None
            updates.append({"e": row["entity_id"], "c": row["changes"], "p": prev, "h": new_hash, "m": mac,
                            "o": old_hash, "id": row["id"]})
            digest.update(f"{row['id']}:{old_hash}\n".encode("ascii"))
            rechained += 1
            prev = new_hash
        if updates:
            conn.execute(update, updates)  # one executemany per batch
    if first is None:
        return
    _append_rewrite(conn, key, head, last, prev, first, rewritten, rechained, digest.hexdigest())


def _append_rewrite(conn: sa.Connection, key: bytes | None, head: Any, last: int, prev: str, first: int,
                    rewritten: int, rechained: int, digest: str) -> None:
    from window_desk.timeutil import now

    changes = _canonical({
        "migration": "0012", "reason": "审计记录中的身份证号码改为人员内部编号",
        "old_head": f"{head[0]}:{head[1]}", "new_head": f"{last}:{prev}", "first_rewritten": first,
        "rewritten": rewritten, "rechained": rechained, "old_hashes_sha256": digest,
    })
    row = {"id": last + 1, "at": now().isoformat(timespec="microseconds"), "actor": "migration",
           "action": "audit.rewrite", "entity_type": "audit_log", "entity_id": "0012", "changes": changes}
    digest_new = _hash(row, prev)
    mac = hmac.new(key, digest_new.encode("ascii"), hashlib.sha256).hexdigest() if key else None
    conn.execute(sa.text(
        "INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, changes, prev_hash, hash, mac) "
        "VALUES (:id, :at, :actor, :action, :entity_type, :entity_id, :changes, :prev, :hash, :mac)"),
        {**row, "prev": prev, "hash": digest_new, "mac": mac})
    conn.execute(sa.text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"),
                 {"i": row["id"], "h": digest_new})


def downgrade() -> None:
    # The rewritten entries stay rewritten (the ID numbers are gone on purpose); only the column goes.
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("rewritten_from")
