"""What each desk process does in the multi-process tests (spawned: must be importable, no fixtures)."""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections.abc import Callable
from datetime import date
from typing import Any

from window_desk.actor import Actor

CLERK = Actor(label="clerk", role="clerk", display_name="窗口")
DAY = "2026-01-02"


def payload(applicant_id: str, name: str = "王䶮", day: str = DAY) -> dict[str, Any]:
    from window_desk.services import intake

    p = intake.blank_payload(date.fromisoformat(day))
    p["matter"] = "申请最低生活保障"
    p["address"] = "示范镇幸福路1号"
    p["members"][0].update(name=name, id_number=applicant_id, employed=True, health="chronic", signed=True)
    p["members"][0]["income"]["wage"] = "300.00"
    p["duplicate_reason"] = "两个窗口同时受理，已核实"  # the same person at two windows is on purpose
    return p


def _wait_and_run(home: str, ready: Any, go: Any, out: Any, job: Callable[[], Any]) -> None:
    os.environ["WINDOW_DESK_HOME"] = home
    try:
        ready.put(os.getpid())
        go.wait(30)
        out.put(("ok", job()))
    except BaseException as exc:  # reported to the test, which fails with the trace
        out.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def open_db(url: str) -> str:
    from window_desk.db.engine import open_database

    db = open_database(url)
    try:
        from window_desk.db.engine import _current_revision

        return _current_revision(db.engine) or ""
    finally:
        db.dispose()


def submit(url: str, applicant_ids: list[str]) -> list[str]:
    from window_desk.db.engine import open_database
    from window_desk.services import intake
    from window_desk.services.policy_store import active_policy
    from window_desk.uow import UnitOfWork, run_in_uow

    db = open_database(url)
    try:
        with UnitOfWork(db, CLERK, write=False) as uow:
            active = active_policy(uow)
        numbers = []
        for id_number in applicant_ids:
            p = payload(id_number)
            numbers.append(run_in_uow(db, CLERK, lambda uow, p=p: intake.submit_case(uow, p, active, "示范镇")).number)
        return numbers
    finally:
        db.dispose()


def desk_open(home: str, ready: Any, go: Any, out: Any, url: str) -> None:
    _wait_and_run(home, ready, go, out, lambda: open_db(url))


def desk_submit(home: str, ready: Any, go: Any, out: Any, url: str, applicant_ids: list[str]) -> None:
    _wait_and_run(home, ready, go, out, lambda: submit(url, applicant_ids))


def at_once(target: Callable[..., None], home: str, args_per_desk: list[tuple[Any, ...]], timeout: float = 90) -> list[Any]:
    """Start one process per desk, release them together, return each desk's result (or raise with its trace)."""
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=target, args=(home, ready, go, out, *args)) for args in args_per_desk]
    for p in procs:
        p.start()
    try:
        for _ in procs:
            ready.get(timeout=timeout)
        go.set()
        results = [out.get(timeout=timeout) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=timeout)
            if p.is_alive():
                p.kill()
    errors = [r[1] for r in results if r[0] != "ok"]
    assert not errors, "\n\n".join(errors)
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return [r[1] for r in results]


def id_numbers(start: int, count: int, birth: str = "19800101") -> list[str]:
    """Valid, distinct ID numbers (region 110105, sequence numbers from ``start``)."""
    from window_desk.idnumber import check_char

    out = []
    for seq in range(start, start + count):
        body = f"110105{birth}{seq:03d}"
        out.append(body + check_char(body))
    return out
