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
    """The person with this ID number, created if new; a changed name is updated (and audited).

    Race-free across desks: the row is created with ``INSERT … ON CONFLICT DO NOTHING`` (the same person
    entered at two windows at once waits for the other window's commit instead of colliding on
    ``persons.id_number``), then read back and locked with ``SELECT … FOR UPDATE``.
    """
    from window_desk.services.numbering import insert_ignoring_conflict

    session = uow.session
    query = select(Person).where(Person.id_number == id_number).with_for_update()
    person = session.scalar(query)
    if person is None:
        insert_ignoring_conflict(session, Person, {
            "id_number": id_number, "name": name, "name_initials": name_initials(name), "sex": sex,
            "birth_date": birth, "created_at": now(), "created_by": uow.actor.label,
        })
        person = session.scalars(query.execution_options(populate_existing=True)).one()
        if person.name == name:
            return person
    if person.name != name:
        # Names are personal data: the audit entry says that the name changed, not what it was.
        uow.audit("person.rename", "person", person.id, {"renamed": True})
        from window_desk.services.register import resync_name_keys  # the register's surname keys follow

        resync_name_keys(uow, person.id, person.name, name)
        person.name = name
        person.name_initials = name_initials(name)
    return person


def keep_photo(uow: UnitOfWork, person: Person, photo: bytes) -> bool:
    """Keep the photo block read off the person's card (the newest read replaces the old one).
    Returns False when nothing changed. The audit entry names the person by id only."""
    from window_desk.db.models import PersonPhoto

    if not photo:
        return False
    row = uow.session.get(PersonPhoto, person.id)
    if row is not None and row.photo == photo:
        return False
    if row is None:
        uow.session.add(PersonPhoto(person_id=person.id, photo=photo, read_at=now(), read_by=uow.actor.label))
    else:
        row.photo, row.read_at, row.read_by = photo, now(), uow.actor.label
    uow.audit("person.photo", "person", person.id, {"bytes": len(photo)})
    return True


def photo_of(uow: UnitOfWork, person_id: int) -> bytes | None:
    from window_desk.db.models import PersonPhoto

    row = uow.session.get(PersonPhoto, person_id)
    return row.photo if row is not None else None


def decode_photo(value: object) -> bytes:
    """A member's ``photo`` as the payload carries it (base64 text) → bytes; anything unreadable → b""."""
    import base64
    import binascii

    if not isinstance(value, str) or not value:
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""
