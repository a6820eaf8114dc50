"""What every page is given: the database, the logged-in user, the task runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from window_desk.actor import Actor
from window_desk.db.engine import Database
from window_desk.services.users import UserInfo
from window_desk.ui.tasks import TaskRunner
from window_desk.uow import UnitOfWork


@dataclass
class DeskContext:
    db: Database
    user: UserInfo
    tasks: TaskRunner
    policy_path: str | None = None
    # Bumped when a new policy file is loaded, so pages holding the old one reload it.
    policy_generation: int = 0
    # What other windows changed (ui/changes.py ChangeNotifier): ctx.changes.watch(page, on_change).
    changes: Any = None

    @property
    def actor(self) -> Actor:
        return self.user.actor()

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.db, self.actor, write=write)
