"""Demo data for the reserve (``window-desk demo-data``): allocations, prepayments, approvals, a return.

Runs after the demo cases exist, through the real services: the 急难 cases among them
get their suggested 先行救助 (paid at once, or approved by a demo supervisor when above
the limit), and one is returned in part as an amount corrected.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from window_desk.actor import Actor
from window_desk.db.models import Case, User
from window_desk.errors import UserError
from window_desk.passwords import hash_password
from window_desk.services import reserve
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

DEMO_SUPERVISOR = "demo-supervisor"
MAX_PREPAYMENTS = 8


def _supervisor(db: Any, actor: Actor) -> User:
    """A supervisor account for the demo approvals; its password is random and never shown (no one logs in)."""
    with UnitOfWork(db, actor) as uow:
        user = uow.session.scalar(select(User).where(User.username == DEMO_SUPERVISOR))
        if user is None:
            user = User(username=DEMO_SUPERVISOR, display_name="演示审核人", role="supervisor",
                        password_hash=hash_password(secrets.token_urlsafe(24)), active=True, failed_logins=0,
                        created_at=now(), created_by=actor.label)
            uow.session.add(user)
            uow.session.flush()
            uow.audit("user.add", "user", user.id, {"username": DEMO_SUPERVISOR, "role": "supervisor",
                                                    "display_name": "演示审核人"})
            uow.commit()
        uow.session.expunge(user)
        return user


def fill(db: Any, actor: Actor, numbers: list[str], seed: int, end: date, days: int) -> dict[str, int]:
    """Allocate, pay the urgent cases among ``numbers`` (at most a few), approve the big ones, return one."""
    rng = random.Random(seed + 7)
    admin = Actor(label=actor.label, role="admin", user_id=actor.user_id, display_name=actor.display_name)
    start = end - timedelta(days=max(days - 1, 0))
    with UnitOfWork(db, admin) as uow:
        reserve.allocate(uow, "30000.00", "区民政局拨付乡镇临时救助备用金（演示）", day=start)
    urgent: list[int] = []
    with UnitOfWork(db, admin, write=False) as uow:
        # The first urgent cases among ``numbers`` (oldest first), a slice at a time: a million numbers
        # would be more bound variables than SQLite takes in one statement.
        for at in range(0, len(numbers), 500):
            if len(urgent) >= MAX_PREPAYMENTS:
                break
            urgent += [c for (c,) in uow.session.execute(
                select(Case.id).where(Case.number.in_(numbers[at:at + 500]), Case.urgent.is_(True)).order_by(Case.id))]
    supervisor = _supervisor(db, actor)
    counts = {"allocations": 1, "paid": 0, "approved": 0, "returns": 0}
    paid: list[int] = []
    for case_id in urgent[:MAX_PREPAYMENTS]:
        with UnitOfWork(db, actor, write=False) as uow:
            s = reserve.suggest(uow, case_id=case_id)
        if not s.causes:
            continue
        amount = s.suggested if s.suggested else s.cap
        try:
            with UnitOfWork(db, actor) as uow:
                result = reserve.record_prepayment(uow, amount=amount, cause=s.causes[0], case_id=case_id,
                                                   reason="突遇急难，基本生活陷入困境，先行救助（演示）")
            if result.prepayment.status == "pending":
                with UnitOfWork(db, actor) as uow:
                    reserve.approve_as(uow, result.prepayment.id, supervisor, "情况属实，同意先行救助（演示）")
                counts["approved"] += 1
            counts["paid"] += 1
            paid.append(result.prepayment.id)
        except UserError:
            continue  # the reserve ran low, or the household was helped already: the demo moves on
    if paid:
        with UnitOfWork(db, actor) as uow:
            reserve.record_return(uow, rng.choice(paid), "100.00", "核定金额更正，退回多发部分（演示）")
        counts["returns"] = 1
    return counts
