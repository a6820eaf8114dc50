"""Roles in the services, not the UI (issue 14): every service that changes or reveals data is in the
one table of window_desk.permissions, and each is walked here with every role."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

import window_desk.services as services_pkg
from window_desk import permissions
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry
from window_desk.errors import PermissionDenied
from window_desk.uow import UnitOfWork

ROLES = ("clerk", "supervisor", "admin", "")  # "" is someone not logged in (the login dialog's actor)
SERVICES = Path(services_pkg.__file__).parent

# Services that write the audit log but check who acts themselves, and why.
SELF_CHECKED = {
    "users.add_user": "the very first user of an empty database has no one to be authorised by",
    "users.authenticate": "logging in is what makes someone an actor",
    "users.set_password": "everyone changes their own password; an administrator anyone's",
    "backup.restore": "a headless command on the database file (cli actor), not a desk service",
    "persons.upsert": "a step inside submit_case and the imports, which check their callers",
    "persons.keep_photo": "a step inside submit_case",
    "inquiry_import.import_file": "every row goes through inquiries.create, which checks the role",
}


def _load_all() -> None:
    for info in pkgutil.iter_modules([str(SERVICES)]):
        importlib.import_module(f"window_desk.services.{info.name}")


def _audit_writers() -> set[str]:
    """``module.function`` of every public service function whose body writes the audit log without
    checking the actor's role itself (a body that tests ``actor.role`` or calls ``require(`` does)."""
    found = set()
    for path in SERVICES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            body = ast.unparse(node)
            if "uow.audit(" in body and "actor.role" not in body and "require(" not in body:
                found.add(f"{path.stem}.{node.name}")
    return found


def test_every_service_that_writes_the_log_is_in_the_table() -> None:
    _load_all()
    decorated = {name.removeprefix("window_desk.services.") for name in permissions.REGISTRY}
    writers = _audit_writers()
    assert len(writers) > 15  # the walk really saw the services
    missing = sorted(writers - decorated - set(SELF_CHECKED))
    assert missing == [], f"services without @requires: {missing}"


def _call_with_role(db, qualified: str, role: str) -> BaseException | None:  # type: ignore[no-untyped-def]
    module_name, _, fn_name = qualified.rpartition(".")
    fn = getattr(importlib.import_module(module_name), fn_name)
    params = list(inspect.signature(inspect.unwrap(fn)).parameters.values())[1:]
    args = [None for p in params if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    kwargs = {p.name: None for p in params if p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY}
    actor = Actor(label=f"test:{role or 'nobody'}", role=role, user_id=None)
    try:
        with UnitOfWork(db, actor) as uow:
            fn(uow, *args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any refusal or failure of the dummy arguments
        return exc
    return None


def test_every_service_with_every_role(db) -> None:  # type: ignore[no-untyped-def]
    _load_all()
    assert len(permissions.REGISTRY) >= 15
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEntry))
    wrong = []
    for qualified, action in sorted(permissions.REGISTRY.items()):
        roles, what = permissions.TABLE[action]
        for role in ROLES:
            outcome = _call_with_role(db, qualified, role)
            refused = isinstance(outcome, PermissionDenied) and what in str(outcome)
            if refused == (role in roles):
                wrong.append(f"{qualified} as {role or 'nobody'}: {'refused' if refused else 'let through'}")
    assert wrong == []
    with UnitOfWork(db, Actor.cli(), write=False) as uow:  # a refusal saves nothing
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == before


@pytest.mark.parametrize(("role", "action", "ok"), [
    ("clerk", "case.write", True), ("clerk", "daily.sign", False), ("clerk", "document.void", True),
    ("clerk", "person.reveal", True), ("supervisor", "daily.sign", True), ("supervisor", "user.manage", False),
    ("admin", "user.manage", True), ("", "case.write", False), ("clerk", "reserve.allocate", False),
])
def test_the_table(role: str, action: str, ok: bool) -> None:
    assert permissions.allowed(role, action) is ok
    if ok:
        permissions.require(Actor("x", role), action)
    else:
        with pytest.raises(PermissionDenied, match="只有"):
            permissions.require(Actor("x", role), action)
