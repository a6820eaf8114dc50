"""The tamper-evident log: an append-only SHA-256 hash chain.

Each entry's hash covers its position, time, actor, action, entity, changes and
the previous entry's hash, so any changed, deleted, inserted or reordered row
breaks the chain from that row on. The ``audit_head`` row holds the tip: every
writer locks it (serialising appends across windows) and ``verify`` compares it
with the last entry, so removing entries from the end is caught too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from window_desk.db.models import AuditEntry, AuditHead
from window_desk.errors import UserError
from window_desk.timeutil import now

GENESIS = "0" * 64
KEY_FILE_ENV = "WINDOW_DESK_AUDIT_KEY_FILE"
MIN_ANCHOR_HEX = 16  # a head copied from paper may be shortened, but not below this


# --- the optional HMAC key, kept outside the database -------------------------------------------
#
# With a key, every new entry also carries HMAC-SHA256(key, hash): someone with SQL access but not the
# key can delete or rewrite entries and recompute the chain, but cannot produce the macs, so verify
# (with the key) catches it. The key is a file readable only by the desk's user (0600): the path in
# WINDOW_DESK_AUDIT_KEY_FILE, else audit.key in the data folder if it exists.


def key_path() -> Path:
    from window_desk.paths import data_dir

    override = os.environ.get(KEY_FILE_ENV)
    return Path(override) if override else data_dir() / "audit.key"


def load_key() -> bytes | None:
    path = key_path()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"无法读取审计密钥文件 {path}:{exc.strerror}", field="audit.key") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise UserError(f"审计密钥文件 {path} 的内容无效(应为十六进制)", field="audit.key") from None
    if len(key) < 32:
        raise UserError(f"审计密钥文件 {path} 太短(至少 32 字节)", field="audit.key")
    return key


def create_key(path: Path | None = None) -> Path:
    """A new random key file, 0600; refuses to replace an existing one (old entries need it)."""
    path = path or key_path()
    if path.exists():
        raise UserError(f"审计密钥文件 {path} 已存在;更换密钥会使已有记录无法校验", field="audit.key")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def entry_mac(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


_KEY_CACHE: dict[Path, bytes | None] = {}


def _current_key() -> bytes | None:
    path = key_path()
    if path not in _KEY_CACHE:
        _KEY_CACHE[path] = load_key()
    return _KEY_CACHE[path]


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
        prev_hash=None,  # the previous row's hash (migration 0015): not stored twice
        hash=digest,
    )
    key = _current_key()
    if key is not None:
        entry.mac = entry_mac(key, digest)
    session.add(entry)
    head.last_id = entry_id
    head.last_hash = digest
    session.flush()
    return entry


def chain_rows(session: Session, entries: list[tuple[str, str, str, str, Any]]) -> list[dict[str, Any]]:
    """Entries ``(actor, action, entity_type, entity_id, changes)`` in order, chained on from the head exactly as
    ``append`` chains one: the head row locked, each hashed over its position and the one before (with its
    mac when the desk has a key), the head moved once. Returns the rows for one multi-row INSERT, which
    the caller makes in the same transaction (``append_many`` or a bulk writer)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    key = _current_key()
    at = now().isoformat(timespec="microseconds")
    prev, last_id, rows = head.last_hash, head.last_id, []
    for actor, action, entity_type, entity_id, changes in entries:
        last_id += 1
        body = canonical_json(changes)
        digest = entry_hash(last_id, at, actor, action, entity_type, str(entity_id), body, prev)
        row = {"id": last_id, "at": at, "actor": actor, "action": action, "entity_type": entity_type,
               "entity_id": str(entity_id), "changes": body, "hash": digest}
        if key is not None:
            row["mac"] = entry_mac(key, digest)
        rows.append(row)
        prev = digest
    head.last_id, head.last_hash = last_id, prev
    return rows


def append_many(session: Session, actor: str, entries: list[tuple[str, str, str, Any]]) -> int:
    """Several entries in one statement (see ``chain_rows``); the same chain as ``append`` one by one."""
    if not entries:
        return 0
    rows = chain_rows(session, [(actor, *entry) for entry in entries])
    session.execute(insert(AuditEntry), rows)
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_entry: int | None = None
    problem: str = ""
    macs_checked: int = 0
    note: str = ""  # said on success too: e.g. an anchor older than a recorded rewrite of the chain


@dataclass(frozen=True)
class Anchor:
    """A chain head written down outside the database: entry number and (a prefix of) its hash."""

    entry: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        number, sep, digest = text.strip().partition(":")
        digest = digest.strip().lower()
        if not sep or not number.strip().isdigit() or int(number) < 1:
            raise UserError("锚点格式应为 条目号:哈希,例如 1024:3f5a…", field="--anchor")
        if len(digest) < MIN_ANCHOR_HEX or any(c not in "0123456789abcdef" for c in digest):
            raise UserError(f"锚点哈希应为至少 {MIN_ANCHOR_HEX} 位十六进制数字", field="--anchor")
        return cls(int(number), digest)

    def __str__(self) -> str:
        return f"{self.entry}:{self.hash}"


def head(session: Session) -> Anchor | None:
    """The chain's tip as an anchor to print on a signed paper or a backup manifest."""
    row = session.get(AuditHead, 1)
    if row is None or row.last_id == 0:
        return None
    return Anchor(row.last_id, row.last_hash)


REWRITE_ACTION = "audit.rewrite"


class _Failed(Exception):
    def __init__(self, entry: int | None, problem: str) -> None:
        super().__init__(problem)
        self.entry, self.problem = entry, problem


class _Walk:
    """The per-row checks of ``verify``, with what they carry from one row to the next."""

    def __init__(self, anchor: Anchor | None, key: bytes | None) -> None:
        self.anchor, self.key = anchor, key
        self.prev, self.expected, self.checked, self.macs = GENESIS, 1, 0, 0
        self.anchor_seen = False
        self.anchor_via_rewrite = False  # the anchor matched an entry's hash from before a rewrite
        self.rewritten = hashlib.sha256()  # "id:rewritten_from" lines since the last audit.rewrite entry
        self.uncovered: int | None = None  # the first such entry: a later audit.rewrite entry must cover it
        self.note = ""

    def row(self, row: AuditEntry) -> None:
        n = row.id
        if n != self.expected:
            raise _Failed(self.expected, f"第 {self.expected} 条记录缺失(下一条是第 {n} 条)")
        # Entries before migration 0015 also store the previous hash; later ones are hashed with the row before.
        if row.prev_hash is not None and row.prev_hash != self.prev:
            raise _Failed(n, f"第 {n} 条记录的前序哈希与第 {n - 1} 条不符(记录被删除、插入或调换)")
        digest = entry_hash(n, row.at, row.actor, row.action, row.entity_type, row.entity_id, row.changes, self.prev)
        if digest != row.hash:
            raise _Failed(n, f"第 {n} 条记录的内容与其哈希不符(记录被修改,或其前一条被删除、插入或调换)")
        if row.rewritten_from is not None:
            self.rewritten.update(f"{n}:{row.rewritten_from}\n".encode("ascii"))
            self.uncovered = self.uncovered or n
        if self.key is not None:
            self._mac(row)
        if self.anchor is not None and n == self.anchor.entry:
            self._anchor(row)
        if row.action == REWRITE_ACTION:
            self._rewrite(row)
        self.prev = row.hash
        self.expected += 1
        self.checked += 1

    def _mac(self, row: AuditEntry) -> None:
        assert self.key is not None
        if row.mac is None:
            if self.macs:
                raise _Failed(row.id, f"第 {row.id} 条记录缺少密钥签名(此前的记录都有,记录被伪造或重算)")
            return
        if not hmac.compare_digest(row.mac, entry_mac(self.key, row.hash)):
            raise _Failed(row.id, f"第 {row.id} 条记录的密钥签名不符(记录被伪造或重算)")
        self.macs += 1

    def _anchor(self, row: AuditEntry) -> None:
        assert self.anchor is not None
        self.anchor_seen = True
        if row.hash.startswith(self.anchor.hash):
            return
        if row.rewritten_from is not None and row.rewritten_from.startswith(self.anchor.hash):
            self.anchor_via_rewrite = True  # confirmed only by a verified audit.rewrite entry further on
            return
        raise _Failed(row.id, f"第 {row.id} 条记录的哈希与此前抄录的锚点不符(历史记录被改写后重算)")

    def _rewrite(self, row: AuditEntry) -> None:
        """An ``audit.rewrite`` entry (migration 0012): the old hashes it covers must be the ones kept."""
        try:
            record = json.loads(row.changes)
            recorded = str(record["old_hashes_sha256"])
        except (ValueError, KeyError, TypeError):
            raise _Failed(row.id, f"第 {row.id} 条改写记录的内容无效") from None
        if recorded != self.rewritten.hexdigest():
            raise _Failed(row.id, f"第 {row.id} 条改写记录与被改写条目保存的原哈希不符(原哈希被篡改)")
        self.rewritten = hashlib.sha256()
        self.uncovered = None
        if self.anchor_via_rewrite and not self.note:
            assert self.anchor is not None
            self.note = (f"锚点第 {self.anchor.entry} 条早于第 {row.id} 条记录所载的改写"
                         f"(迁移 {record.get('migration', '')}:身份证号码改为人员编号,改写前链头 {record.get('old_head', '')}),"
                         "已按该条改写前的哈希核对一致")


def verify(session: Session, batch: int = 5000, *, anchor: Anchor | None = None,
           key: bytes | None = None) -> VerifyResult:
    """Walk the whole chain in order; name the first entry that does not verify.

    Every row is read, whatever its number (a forged row numbered 0 or −5 is caught); with ``anchor``
    the chain must still hold that entry with that hash (deleting or re-hashing history is caught by a
    head written down earlier) — or, for an entry re-hashed by a recorded ``audit.rewrite`` (migration
    0012), its recorded hash from before; with ``key`` every entry from the first that carries a mac
    must carry a valid one.
    """
    lowest = session.scalar(select(func.min(AuditEntry.id)))
    if lowest is not None and lowest < 1:
        return VerifyResult(False, 0, lowest, f"第 {lowest} 条记录的编号无效(编号从 1 开始,此记录是伪造的)")
    walk = _Walk(anchor, key)
    last_id = 0
    try:
        while True:
            rows = session.execute(
                select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
            ).scalars().all()
            if not rows:
                break
            for row in rows:
                walk.row(row)
            last_id = rows[-1].id
            session.expunge_all()
        _check_tip(session, walk)
    except _Failed as failed:
        return VerifyResult(False, walk.checked, failed.entry, failed.problem)
    return VerifyResult(True, walk.checked, macs_checked=walk.macs, note=walk.note)


def _check_tip(session: Session, walk: _Walk) -> None:
    checked, anchor = walk.checked, walk.anchor
    tip = session.get(AuditHead, 1)
    if tip is None:
        raise _Failed(None, "审计链的链头记录缺失")
    if tip.last_id > checked:
        raise _Failed(checked + 1, f"链头记录到第 {tip.last_id} 条,但日志只到第 {checked} 条(末尾记录被删除)")
    if tip.last_id < checked:
        raise _Failed(tip.last_id + 1, f"第 {tip.last_id + 1} 条起的记录不在链头之内(记录被追加)")
    if tip.last_hash != walk.prev:
        raise _Failed(checked or None, f"第 {checked} 条记录与链头哈希不符(记录被替换)")
    if anchor is not None and not walk.anchor_seen:
        raise _Failed(anchor.entry, f"此前抄录的锚点是第 {anchor.entry} 条,但日志只有 {checked} 条(末尾记录被删除,链头被改写)")
    if walk.uncovered is not None:
        raise _Failed(walk.uncovered, f"第 {walk.uncovered} 条记录标有改写前的哈希,但其后没有相应的改写记录(记录被伪造)")
    if walk.anchor_via_rewrite and not walk.note:
        assert anchor is not None
        raise _Failed(anchor.entry, f"第 {anchor.entry} 条记录的哈希与此前抄录的锚点不符,"
                                    "其所记的改写前哈希虽一致,但其后没有相应的改写记录(历史记录被改写后重算)")


def describe_failure(result: VerifyResult) -> str:
    """One Chinese line for a failed verify, whatever its shape."""
    where = f"第 {result.bad_entry} 条:" if result.bad_entry is not None else ""
    return f"审计日志校验失败:{where}{result.problem}(此前 {result.checked} 条完好)"
