"""Reproducible synthetic households for demos and benchmarks (``window-desk demo-data``).

The same seed gives the same people, households and cases, so benchmark figures
can be compared across machines and versions.

``fill`` writes cases in bulk (thousands a second): each batch of households is assessed by the real
``assess()`` — the same rules, tier, due dates and referrals ``submit_case`` produces — and inserted with
one multi-row INSERT per table in one transaction. Its audit entries are the ones the services write: one
``case.accept`` per case as ``submit_case`` writes it (the assessment and referrals made with it by internal
id), and one ``referral.receipt`` per receipt that came back, as ``referrals.record_receipt`` writes it; chained by ``audit.entry_hash`` exactly as ``audit.append`` does: the batch holds the
chain's head row locked, computes each entry's hash from the previous one in order, inserts them, and
moves the head once. So ``window-desk audit verify`` walks one unbroken chain afterwards.
"""

from __future__ import annotations

import gc
import multiprocessing
import random
import traceback
from collections.abc import Iterator
from queue import Empty
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, text

from window_desk import audit, idnumber, vocab
from window_desk.assessment import assess, assessment_to_json
from window_desk.db.models import (
    Assessment,
    AuditEntry,
    AuditHead,
    Case,
    CaseNameKey,
    DocumentCounter,
    Household,
    Member,
    Person,
    Referral,
)
from window_desk.overrides import tier_of
from window_desk.services import assessment_store, intake
from window_desk.services.demo_households import (  # noqa: F401 - the generator, re-exported
    MATTERS,
    _money,
    fast_input,
    household,
    initials_of,
    payloads,
)
from window_desk.services.demo_people import (  # noqa: F401 - shared with the other generators
    GIVEN,
    RARE,
    REGIONS,
    STREETS,
    SURNAMES,
    _birth,
    _id_number,
    _name,
)
from window_desk.services.numbering import case_number
from window_desk.timeutil import TZ, now, today

BATCH = 2000
INQUIRIES_AT_MOST = 1000
GC_EVERY = 25
BULK_CACHE_KB = 256 * 1024
SYNC_DISCOVERY_AT_MOST = 50_000
CLERKS = ("demo:zhang", "demo:li", "demo:wang")
RESULTS = ("已纳入救助", "已办理,待发放", "不符合条件,已书面告知", "已落实")


class _Ids:
    """The next free primary key of each table, read once per batch inside its write transaction."""

    def __init__(self, uow: Any) -> None:
        self.next = {t.__tablename__: (uow.session.scalar(select(func.max(t.id))) or 0) + 1
                     for t in (Person, Household, Member, Case, Assessment, Referral)}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _assessed(items: list[dict[str, Any]], policy: Any) -> list[tuple[Any, ...]]:
    """The pure part of a batch, per case: payload, assessment columns (format 4), the input's hash, the
    result, pinyin initials. Plain values only: this is what the generating process sends over."""
    out = []
    for payload in items:
        input_json, household_in = fast_input(payload)
        result = assessment_to_json(assess(household_in, policy))
        out.append((payload, assessment_store.packed_columns(input_json, result), intake.sha256_json(input_json),
                    result, [initials_of(m["name"]) for m in payload["members"]]))
    return out


def _chunks(n: int, days: int, seed: int, end: date, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for payload in payloads(n, days, seed, end):
        batch.append(payload)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _produce(queue: Any, n: int, days: int, seed: int, end: date, policy: Any, size: int) -> None:
    """The generating process: households made and assessed a batch at a time, sent over ``queue``;
    then None, or ("error", traceback) if it failed."""
    gc.disable()  # as in fill: many short-lived objects, few cycles
    try:
        for i, chunk in enumerate(_chunks(n, days, seed, end, size), 1):
            queue.put(_assessed(chunk, policy))
            if i % GC_EVERY == 0:
                gc.collect()
        queue.put(None)
    except BaseException:  # reported to the writing process, which stops
        queue.put(("error", traceback.format_exc()))


def _assessed_batches(n: int, days: int, seed: int, end: date, policy: Any, workers: int) -> Iterator[list[Any]]:
    """The batches ``_assessed`` makes, in order. With two or more workers and more than one batch, a second
    process makes them while this one writes (two cores: generating and assessing is about as much work
    as writing); the batches are the same either way, since the generator depends on the seed alone."""
    if workers < 2 or n <= BATCH:
        for chunk in _chunks(n, days, seed, end, BATCH):
            yield _assessed(chunk, policy)
        return
    ctx = multiprocessing.get_context()
    queue = ctx.Queue(maxsize=3)
    proc = ctx.Process(target=_produce, args=(queue, n, days, seed, end, policy, BATCH), daemon=True)
    proc.start()
    try:
        while True:
            try:
                item = queue.get(timeout=5)
            except Empty:
                if not proc.is_alive():
                    raise RuntimeError(f"生成模拟数据的进程意外退出（退出码 {proc.exitcode}）") from None
                continue
            if item is None:
                return
            if isinstance(item, tuple):
                raise RuntimeError(f"生成模拟数据的进程出错：\n{item[1]}")
            yield item
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()


class _Rows:
    """What one batch writes: a list of row dicts per table, the audit entries in order, the case numbers."""

    TABLES = ("persons", "households", "members", "cases", "case_name_keys", "assessments", "referrals")

    def __init__(self, ids: _Ids, known: dict[str, int], counters: dict[int, Any], rng: random.Random,
                 version_id: int) -> None:
        self.ids, self.known, self.counters, self.rng = ids, known, counters, rng
        self.version_id = version_id
        self.day_now = today()
        self.tables: dict[str, list[dict[str, Any]]] = {k: [] for k in self.TABLES}
        self.entries: list[tuple[str, str, str, str, dict[str, Any]]] = []
        self.numbers: list[str] = []


def _people(out: _Rows, payload: dict[str, Any], initials: list[str], household_id: int, day: date,
            moment: datetime, clerk: str) -> list[int]:
    """Persons (new ones only) and members of one household; returns the person ids in member order."""
    person_ids = []
    for seq, raw in enumerate(payload["members"]):
        number = raw["id_number"]
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))  # generated: valid
        person_id = out.known.get(number)
        if person_id is None:
            person_id = out.known[number] = out.ids.take("persons")
            out.tables["persons"].append({"id": person_id, "id_number": number, "name": raw["name"],
                                          "name_initials": initials[seq], "sex": "男" if int(number[16]) % 2 else "女",
                                          "birth_date": birth, "created_at": moment, "created_by": clerk})
        person_ids.append(person_id)
        disability = raw["disability"] or {}
        income = raw["income"]
        # intake.needs_guardian without parsing the number again (generated members never lack capacity).
        minor = idnumber.age_on(birth, day) < intake.MINOR_AGE
        guardian = intake.guardian_of(raw) if minor else _NO_GUARDIAN
        out.tables["members"].append({
            "id": out.ids.take("members"), "household_id": household_id, "person_id": person_id, "seq": seq,
            "relation": raw["relation"], "labor_capacity": raw["labor_capacity"], "self_care": raw["self_care"],
            "disability_grade": disability.get("grade"), "disability_kind": disability.get("kind"),
            "health": raw["health"], "schooling": raw["schooling"], "employed": bool(raw["employed"]),
            "income_wage": _money(income["wage"]), "income_business": _money(income["business"]),
            "income_property": _money(income["property"]), "income_transfer": _money(income["transfer"]),
            "income_other": _money(income["other"]), "income_exempt": _money(income["exempt"]),
            "supporter_capable": bool(raw["supporter_capable"]), "guardian_name": guardian["name"],
            "guardian_relation": guardian["relation"], "guardian_id_number": guardian["id_number"],
            "lacks_capacity": bool(raw.get("lacks_capacity")), "authorization_signed": True, "created_at": moment,
            "created_by": clerk,
        })
    return person_ids


def _referrals(out: _Rows, measures: list[dict[str, Any]], case_id: int, assessment_id: int, moment: datetime,
               clerk: str) -> list[int]:
    """The referrals of one case; some receipts came back (each its own audit entry, as at the window)."""
    ids = []
    rng, day_now = out.rng, out.day_now
    for m in measures:
        if not m.get("department"):
            continue
        referral_id = out.ids.take("referrals")
        ids.append(referral_id)
        due = date.fromisoformat(m["due_date"])
        row = {"id": referral_id, "case_id": case_id, "assessment_id": assessment_id, "measure_code": m["code"],
               "department": m["department"], "referred_at": moment, "due_date": due, "status": "sent",
               "receipt_signer": "", "receipt_at": None, "result": "", "feedback_at": None, "document_id": None,
               "created_at": moment, "created_by": clerk}
        back = rng.random()
        if back < (0.75 if due < day_now else 0.3):
            received = moment + timedelta(days=rng.randrange(1, 6))
            row.update(status="received", receipt_signer=m["department"][:2] + "经办人", receipt_at=received)
            feedback = None
            if back < (0.55 if due < day_now else 0.1):
                feedback = received + timedelta(days=3)
                row.update(status="done", result=rng.choice(RESULTS), feedback_at=feedback)
            # The same entry referrals.record_receipt writes.
            received_on = received.astimezone(TZ).date()
            feedback_on = feedback.astimezone(TZ).date() if feedback is not None else None
            out.entries.append(("demo:receipts", "referral.receipt", "referral", str(referral_id), {
                "status": row["status"], "received_on": received_on, "feedback_on": feedback_on,
                "department": m["department"],
                "late": received_on > due or (feedback_on is not None and feedback_on > due)}))
        out.tables["referrals"].append(row)
    return ids


def _add_case(out: _Rows, payload: dict[str, Any], packed: dict[str, Any], input_sha: str,
              result: dict[str, Any], initials: list[str], office: str) -> None:
    """The rows of one accepted case and its one ``case.accept`` entry (the shape ``submit_case`` writes)."""
    rng = out.rng
    day = date.fromisoformat(payload["application_date"])
    clerk = rng.choice(CLERKS)
    moment = datetime.combine(day, time(8, 30), TZ) + timedelta(seconds=rng.randrange(0, 8 * 3600))
    measures = result["measures"]
    tier = tier_of(measures)
    household_id = out.ids.take("households")
    rigid = payload["rigid_expenses"]
    out.tables["households"].append({
        "id": household_id, "area": payload["area"], "address": payload["address"], "phone": payload["phone"],
        "housing": payload["housing"], "current_benefits": [], "events": list(payload["events"]),
        "deposits": _money(payload["assets"]["deposits"]), "non_essential_vehicles": 0, "extra_houses": 0,
        "rigid_medical": _money(rigid["medical"]), "rigid_education": _money(rigid["education"]),
        "rigid_care": _money(rigid["care"]), "rigid_housing": _money(rigid["housing"]), "created_at": moment,
        "created_by": clerk, "updated_at": None,
    })
    person_ids = _people(out, payload, initials, household_id, day, moment, clerk)
    counter = out.counters[day.year]
    counter.last_seq += 1
    number = case_number(office, day.year, counter.last_seq)
    out.numbers.append(number)
    dues = [m["due_date"] for m in measures if m.get("due_date")]
    deadline = date.fromisoformat(max(dues)) if dues else None
    status = "accepted"
    if deadline is not None and deadline < out.day_now and rng.random() < 0.6:
        status = "closed"
    elif rng.random() < 0.03:
        status = "missing_materials"
    case_id = out.ids.take("cases")
    out.tables["cases"].append({
        "id": case_id, "number": number, "office": office, "household_id": household_id,
        "applicant_person_id": person_ids[0], "application_date": day, "matter": payload["matter"],
        "materials": [vocab.MATERIALS[m] for m in payload["materials"]],
        "urgent": bool(set(payload["events"]) & intake.EMERGENCY_EVENTS), "status": status, "tier": tier,
        "decision_reason": "已办结" if status == "closed" else "", "decided_at": None, "decided_by": None,
        "deadline": deadline, "created_at": moment, "created_by": clerk, "updated_at": moment,
    })
    for first in sorted({m["name"][:1] for m in payload["members"]}):
        out.tables["case_name_keys"].append({"name_first": first, "application_date": day, "case_id": case_id})
    assessment_id = out.ids.take("assessments")
    out.tables["assessments"].append({
        "id": assessment_id, "case_id": case_id, "policy_version_id": out.version_id,
        "policy_locality": result["policy"]["locality"],
        "policy_effective_from": date.fromisoformat(result["policy"]["effective_from"]), "tier": result["tier"],
        **packed, "created_at": moment, "created_by": clerk,
    })
    at = len(out.entries)  # the acceptance comes before the receipts that came back later
    referral_ids = _referrals(out, measures, case_id, assessment_id, moment, clerk)
    decision = {"number": number, "applicant_person_id": person_ids[0], "person_ids": person_ids,
                "application_date": day, "tier": tier}  # intake._decision_audit of a case with nothing unusual
    out.entries.insert(at, (clerk, "case.accept", "case", str(case_id), intake.accept_entry(
        decision, assessment_id, out.version_id, result, input_sha, [], referral_ids)))


_NO_GUARDIAN = intake.blank_guardian()


def _batch(uow: Any, items: list[tuple[Any, ...]], active: Any, version_id: int, office: str,
           rng: random.Random) -> list[str]:
    """One transaction: persons, households, members, cases, assessments, referrals and their audit entries."""
    session = uow.session
    if session.bind.dialect.name == "sqlite":
        # The indexes of a county's register outgrow SQLite's default 2 MB page cache after ~50,000 cases,
        # and every insert then reads index pages from the file again. This connection only, for the fill.
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KB}")
    # The chain's head locked first (PostgreSQL; SQLite's write transaction is already exclusive), before
    # any id is read: no other writer appends or numbers a row until this batch commits.
    session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    wanted = {m["id_number"] for item in items for m in item[0]["members"]}
    known = dict(session.execute(select(Person.id_number, Person.id).where(Person.id_number.in_(wanted))).all())
    counters = {c.year: c for c in session.scalars(
        select(DocumentCounter).where(DocumentCounter.kind == "case", DocumentCounter.office == office).with_for_update())}
    for year in {date.fromisoformat(item[0]["application_date"]).year for item in items} - set(counters):
        counters[year] = DocumentCounter(kind="case", office=office, year=year, last_seq=0)
        session.add(counters[year])
    out = _Rows(_Ids(uow), known, counters, rng, version_id)
    for payload, packed, input_sha, result, initials in items:
        _add_case(out, payload, packed, input_sha, result, initials, office)
    memo: dict[Any, Any] = {}
    for table, model in (("persons", Person), ("households", Household), ("members", Member), ("cases", Case),
                         ("case_name_keys", CaseNameKey), ("assessments", Assessment), ("referrals", Referral)):
        if out.tables[table]:
            _insert_many(session, model.__table__, out.tables[table], memo)
    _chain(session, out.entries)
    session.flush()
    return out.numbers


def _chain(session: Any, entries: list[tuple[str, str, str, str, dict[str, Any]]]) -> None:
    """The batch's audit entries chained on from the head exactly as ``audit.append`` would
    (``audit.chain_rows``), inserted with the batch's other rows."""
    if entries:
        _insert_many(session, AuditEntry.__table__, audit.chain_rows(session, entries))


def _insert_many(session: Any, table: Any, rows: list[dict[str, Any]], memo: dict[Any, Any] | None = None) -> None:
    """One driver-level executemany: each value through its column type's bind processor (the same
    conversion SQLAlchemy applies), without building an INSERT per row. Column by column, and a value
    seen before by the same type (a case's time on all its tables' rows, the same dates, amounts and code
    lists) is converted once: the processors are pure functions of the value. ``memo`` carries those
    conversions from one table to the next within a batch."""
    if not rows:
        return
    memo = {} if memo is None else memo
    conn = session.connection()
    dialect = conn.dialect
    # Columns a generator does not fill (added by later migrations) take the database's default.
    columns = [c for c in table.columns if c.name in rows[0]]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
    converted = []
    for column in columns:
        name = column.name
        values = [row[name] for row in rows]
        proc = column.type._cached_bind_processor(dialect)
        if proc is not None:
            kind = repr(column.type)
            seen = memo.setdefault(kind, {})
            if isinstance(values[0], (list, dict)):  # JSON: lists of codes by their tuple, the rest each its own
                values = [_json_bound(seen, proc, v) for v in values]
            else:
                values = [seen[v] if v in seen else seen.setdefault(v, proc(v)) for v in values]
        converted.append(values)
    conn.exec_driver_sql(sql, list(zip(*converted, strict=True)))


def _json_bound(seen: dict[Any, Any], proc: Any, value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        key = tuple(value)
        if key not in seen:
            seen[key] = proc(value)
        return seen[key]
    return proc(value)


def _bump_sequences(uow: Any) -> None:
    """PostgreSQL hands out ids from sequences; move them past the ids given here."""
    if uow.session.bind.dialect.name != "postgresql":
        return
    for table in ("persons", "households", "members", "cases", "assessments", "referrals"):
        uow.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def fill(db: Any, actor: Any, n: int, days: int, seed: int, end: date, office: str,
         progress: Any = None, workers: int = 2, *, others: bool = True) -> list[str]:
    """Accept ``n`` synthetic cases in bulk (see the module doc); returns their numbers, oldest first.
    With ``others``, the other areas' data follow (reserve fund, watch rosters, n/2 first inquiries)."""
    from window_desk.services.policy_store import active_policy, record_version
    from window_desk.uow import UnitOfWork

    with UnitOfWork(db, actor) as uow:
        active = active_policy(uow)
        version_id = active.version_id if active.version_id is not None else record_version(uow, active.policy,
                                                                                            activate=False)
        uow.commit()
    numbers: list[str] = []
    rng = random.Random(seed ^ 0x5EED)

    def store(assessed: list[tuple[Any, ...]]) -> None:
        with UnitOfWork(db, actor) as uow:
            numbers.extend(_batch(uow, assessed, active, version_id, office, rng))
            _bump_sequences(uow)
            uow.commit()
        if progress is not None:
            progress(len(numbers))

    # The batches make millions of short-lived objects and few cycles: the cyclic collector would only
    # walk them again and again (a fifth of the CPU time), so it runs once every GC_EVERY batches.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for i, batch in enumerate(_assessed_batches(n, days, seed, end, active.policy, workers), 1):
            store(batch)
            if i % GC_EVERY == 0:
                gc.collect()
    finally:
        if collecting:
            gc.enable()
    # Other areas' generators follow, one line each, after the cases exist (e.g. inquiries, reserve fund).
    if others:
        from window_desk.services import demo_discovery, demo_inquiries, demo_reserve

        demo_reserve.fill(db, actor, numbers, seed, end, days)
        # The observation and monitoring lists: on bigger registers the demo leaves them to the desk, which
        # syncs new cases a page at a time in the background (discovery_sync; minutes for a million).
        demo_discovery.fill(db, actor, seed, end, sync=n <= SYNC_DISCOVERY_AT_MOST)
        # First inquiries beside the cases, through the real services (a few ms each): n/2, at most
        # INQUIRIES_AT_MOST, so a county-sized register is not held up by its inquiry log.
        demo_inquiries.fill(db, actor, min(n // 2, INQUIRIES_AT_MOST), days, seed, end)
    return numbers
