"""Users, roles and logging in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from window_desk.actor import Actor
from window_desk.db.models import User
from window_desk.errors import Conflict, NotFound, PermissionDenied, UserError
from window_desk.passwords import (
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from window_desk.permissions import requires
from window_desk.timeutil import format_local, now
from window_desk.uow import UnitOfWork
from window_desk.vocab import ROLES

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
_USERNAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}")


# One answer for an unknown user, an inactive one and a wrong password, so names cannot be found out.
BAD_LOGIN = "用户名或密码错误"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None = None
    must_change_password: bool = False

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def actor(self) -> Actor:
        return Actor.for_user(self.id, self.username, self.role, self.display_name)


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, user.role, user.active, user.locked_until,
                    user.last_login_at, bool(user.must_change_password))


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash of nothing anyone knows: checked for an unknown name so it takes as long as a real one."""
    if not _DUMMY:
        import secrets

        _DUMMY.append(hash_password(secrets.token_hex(16)))
    return _DUMMY[0]


def _too_simple(password: str) -> bool:
    """One character repeated, or a run up or down the keyboard's digits or letters (12345678, abcdefgh)."""
    if len(set(password)) == 1:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def check_password_rules(password: str, field: str = "密码", username: str = "") -> None:
    if not password:
        raise UserError("不能为空", field=field)
    if len(password) < MIN_LENGTH:
        raise UserError(f"至少需要 {MIN_LENGTH} 个字符", field=field)
    if password.strip() != password:
        raise UserError("首尾不能有空格", field=field)
    if _too_simple(password) or (username and password.lower() == username.strip().lower()):
        raise UserError("过于简单（不能是同一字符、连续的数字或字母，也不能与用户名相同）", field=field)


def count_users(uow: UnitOfWork) -> int:
    return uow.session.scalar(select(func.count()).select_from(User)) or 0


def add_user(uow: UnitOfWork, username: str, role: str, password: str, display_name: str = "", *,
             must_change_password: bool = False, password_field: str = "密码") -> UserInfo:
    """Create a user. Only an administrator may, except for the very first user, who must be one.

    ``must_change_password``: the password is the administrator's, the user replaces it at the first login."""
    username = username.strip()
    display_name = display_name.strip() or username
    if not username:
        raise UserError("不能为空", field="用户名")
    if not _USERNAME.fullmatch(username):
        raise UserError("用户名须为2-32个字母、数字、汉字或 _ . -", field="用户名")
    if role not in ROLES:
        raise UserError(f"角色应为 {', '.join(ROLES)} 之一", field="角色")
    check_password_rules(password, password_field, username)
    existing = count_users(uow)
    if existing == 0 and role != "admin":
        raise UserError("第一个用户必须是系统管理员 (admin)", field="角色")
    if existing and uow.actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以添加用户")
    if uow.session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"用户名 {username} 已存在", field="用户名")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
        active=True,
        must_change_password=must_change_password,
        failed_logins=0,
        created_at=now(),
        created_by=uow.actor.label,
    )
    uow.session.add(user)
    uow.session.flush()
    # Never the password, nor its hash, in the log.
    uow.audit("user.add", "user", user.id, {"username": username, "role": role, "display_name": display_name})
    uow.commit()
    return _info(user)


def authenticate(uow: UnitOfWork, username: str, password: str) -> UserInfo:
    """Check a password; count failures; lock after five for 15 minutes. Commits either way.

    An unknown name, an inactive account and a wrong password get the same words after the same
    argon2 work, and each is an audit entry (an unknown name as user "-": what was typed is not kept,
    it may be a password). Only someone who gives the right password learns that the account is locked.
    """
    user = uow.session.scalar(select(User).where(User.username == username.strip()))
    moment = now()
    known = user is not None and user.active
    right = verify_password(user.password_hash if known else _dummy_hash(), password)  # type: ignore[union-attr]
    if not known or user is None:
        uow.audit("user.login_failed", "user", user.id if user else "-", {"reason": "inactive" if user else "unknown"})
        uow.commit()
        raise UserError(BAD_LOGIN, field="密码")
    if user.locked_until and user.locked_until > moment:
        if right:
            raise PermissionDenied(f"连续输错密码,账户已锁定至 {format_local(user.locked_until)},请稍后再试或联系管理员")
        uow.audit("user.login_failed", "user", user.id, {"reason": "locked"})
        uow.commit()
        raise UserError(BAD_LOGIN, field="密码")
    if not right:
        user.failed_logins += 1
        changes: dict[str, object] = {"failed_logins": user.failed_logins}
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = moment + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            changes["locked_until"] = user.locked_until
            uow.audit("user.locked", "user", user.id, changes)
        else:
            uow.audit("user.login_failed", "user", user.id, changes)
        uow.commit()
        raise UserError(BAD_LOGIN, field="密码")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    uow.audit("user.login", "user", user.id, {"username": user.username})
    uow.commit()
    return _info(user)


@requires("user.manage")
def list_users(uow: UnitOfWork) -> list[UserInfo]:
    """Every user, for an administrator (names, roles, last login are not for every clerk)."""
    if uow.actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以查看用户列表")
    return [_info(u) for u in uow.session.scalars(select(User).order_by(User.id))]


def _user(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户 {username} 不存在", field="用户名")
    return user


@requires("user.manage")
def set_active(uow: UnitOfWork, username: str, active: bool, reason: str) -> UserInfo:
    """An administrator deactivates (or reactivates) an account, with a reason; never their own."""
    if uow.actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以停用或启用用户")
    if not reason.strip():
        raise UserError("请写明停用或启用的理由", field="理由")
    user = _user(uow, username)
    if user.id == uow.actor.user_id and not active:
        raise UserError("不能停用自己的账户", field="用户名")
    if not active and user.role == "admin":
        others = uow.session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id)) or 0
        if not others:
            raise UserError("这是最后一个启用的系统管理员,不能停用", field="用户名")
    user.active = active
    uow.audit("user.activate" if active else "user.deactivate", "user", user.id, {"reason": reason.strip()})
    uow.commit()
    return _info(user)


@requires("user.manage")
def reset_password(uow: UnitOfWork, username: str, temporary: str) -> UserInfo:
    """An administrator gives a temporary password; the user must change it at the next login."""
    if uow.actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以重置密码")
    user = _user(uow, username)
    check_password_rules(temporary, "临时密码", user.username)
    user.password_hash = hash_password(temporary)
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = True
    uow.audit("user.password_reset", "user", user.id, {})
    uow.commit()
    return _info(user)


def set_password(uow: UnitOfWork, username: str, new_password: str) -> None:
    """An administrator resets a password, or a user changes their own; unlocks the account."""
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户 {username} 不存在", field="用户名")
    if uow.actor.role != "admin" and uow.actor.user_id != user.id:
        raise PermissionDenied("只能修改自己的密码")
    check_password_rules(new_password, "新密码", user.username)
    if uow.actor.user_id == user.id and user.must_change_password and verify_password(user.password_hash, new_password):
        raise UserError("新密码不能与临时密码相同", field="新密码")
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    # Changing one's own password ends a reset; an administrator setting it directly does not.
    user.must_change_password = uow.actor.user_id != user.id and uow.actor.role == "admin" and user.must_change_password
    uow.audit("user.password", "user", user.id, {"username": username})
    uow.commit()
