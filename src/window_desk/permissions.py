"""Who may do what: one table for the whole desk, enforced in the services (never only in the UI).

Every service function that changes or reveals data carries ``@requires(ACTION)``; the decorator
checks the unit of work's actor before the function runs, so a page that forgot to hide a button,
a script or a crafted call cannot get round it. ``tests/services/test_permissions.py`` walks every
decorated service with every role, and fails if a service that writes the audit log has no entry here.

Roles (vocab.ROLES): ``clerk`` 窗口受理员 does the casework of the window; ``supervisor`` 审核人 also
approves, signs off, voids and sets the office's rules; ``admin`` 系统管理员 runs the system (users,
database, settings) and may do everything. Headless commands act as ``admin`` (``Actor.cli``):
whoever can run them can read the database file anyway.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from window_desk.errors import PermissionDenied

CLERK, SUPERVISOR, ADMIN = "clerk", "supervisor", "admin"
STAFF = frozenset({CLERK, SUPERVISOR, ADMIN})
SUPERVISORS = frozenset({SUPERVISOR, ADMIN})
ADMINS = frozenset({ADMIN})

# action -> the roles that may do it, and what it is in Chinese (for the refusal).
TABLE: dict[str, tuple[frozenset[str], str]] = {
    # casework at the window
    "inquiry.write": (STAFF, "登记和处理首问"),
    "case.write": (STAFF, "受理、保存和办理个案"),
    "case.close": (STAFF, "办结或撤回个案"),
    "referral.write": (STAFF, "登记转介和回执"),
    "document.issue": (STAFF, "开具和补打文书"),
    # A paper spoiled at the window (jammed, misprinted) is voided there and then, with a reason that the
    # daily review shows; waiting for a supervisor would keep the applicant standing at the counter.
    "document.void": (STAFF, "作废文书"),
    "person.reveal": (STAFF, "查看完整身份证号码"),
    "prepayment.request": (STAFF, "登记先行救助"),
    "prepayment.approve": (SUPERVISORS, "审批先行救助"),
    "reserve.allocate": (SUPERVISORS, "登记备用金拨入"),
    "discovery.write": (STAFF, "登记花名册和走访"),
    "discovery.supervise": (SUPERVISORS, "抽查和移出观察名单"),
    "draft.write": (STAFF, "保存草稿"),
    # the office's rules and the day's sign-off
    "daily.sign": (SUPERVISORS, "签署每日台账"),
    "daily.amend": (STAFF, "更正已签署日期的记录"),
    "policy.load": (SUPERVISORS, "载入救助政策"),
    "settings.office": (SUPERVISORS, "修改本所设置"),
    "settings.machine": (STAFF, "设置本机读卡器"),
    "export.register": (SUPERVISORS, "导出台账"),
    # the system
    "user.manage": (ADMINS, "管理用户"),
    "database.manage": (ADMINS, "设置数据库"),
}

REGISTRY: dict[str, str] = {}  # "module.function" -> action, filled by @requires

F = TypeVar("F", bound=Callable[..., Any])


def allowed(role: str, action: str) -> bool:
    roles, _ = TABLE[action]
    return role in roles


def require(actor: Any, action: str) -> None:
    """Refuse (PermissionDenied, in Chinese) unless ``actor``'s role may do ``action``."""
    roles, what = TABLE[action]
    if getattr(actor, "role", "") not in roles:
        from window_desk import vocab

        who = "、".join(vocab.ROLES.get(r, r) for r in sorted(roles, key=("clerk", "supervisor", "admin").index))
        raise PermissionDenied(f"只有{who}可以{what}")


def requires(action: str) -> Callable[[F], F]:
    """Decorate a service ``fn(uow, ...)``: the actor of ``uow`` must be allowed ``action``."""
    if action not in TABLE:
        raise KeyError(f"unknown action {action!r}: add it to permissions.TABLE")

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(uow: Any, *args: Any, **kwargs: Any) -> Any:
            require(uow.actor, action)
            return fn(uow, *args, **kwargs)

        wrapper.__wd_action__ = action  # type: ignore[attr-defined]
        REGISTRY[f"{fn.__module__}.{fn.__qualname__}"] = action
        return wrapper  # type: ignore[return-value]

    return decorate
