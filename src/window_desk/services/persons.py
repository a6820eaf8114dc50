"""Residents by ID number, and name search keys (pinyin initials)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from window_desk.db.models import Person
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork


def name_initials(name: str) -> str:
    """Pinyin initials for search: 张三丰 → zsf; characters without pinyin are kept as they are."""
    # Imported here: pypinyin loads its phrase dictionary (~0.25 s), which the desk must not pay at start.
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default") if p).lower()


def upsert(uow: UnitOfWork, id_number: str, name: str, sex: str | None, birth: date | None) -> Person:
    """The person with this ID number, created if new; a changed name is updated (and audited)."""
    person = uow.session.scalar(select(Person).where(Person.id_number == id_number))
    if person is None:
        person = Person(id_number=id_number, name=name, name_initials=name_initials(name), sex=sex, birth_date=birth,
                        created_at=now(), created_by=uow.actor.label)
        uow.session.add(person)
        uow.session.flush()
    elif person.name != name:
        # Names are personal data: the audit entry says that the name changed, not what it was.
        uow.audit("person.rename", "person", person.id, {"renamed": True})
        person.name = name
        person.name_initials = name_initials(name)
    return person
