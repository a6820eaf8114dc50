"""The photo read off a card is kept with the person when the case is accepted."""

from __future__ import annotations

import base64

from sqlalchemy import select

from tests.services.test_intake import CLERK, _payload, _submit
from window_desk.db.models import AuditEntry, Person, PersonPhoto
from window_desk.services import persons
from window_desk.uow import UnitOfWork

PHOTO = bytes(range(256)) * 4


def _person_photo(db, id_number: str) -> bytes | None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        person = uow.session.scalar(select(Person).where(Person.id_number == id_number))
        assert person is not None
        return persons.photo_of(uow, person.id)


def test_photo_kept_with_the_person(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    applicant = payload["members"][0]
    applicant["photo"] = base64.b64encode(PHOTO).decode("ascii")
    applicant["photo_id_number"] = applicant["id_number"]
    _submit(db, payload)
    assert _person_photo(db, applicant["id_number"]) == PHOTO
    assert _person_photo(db, payload["members"][1]["id_number"]) is None
    with UnitOfWork(db, CLERK, write=False) as uow:
        entry = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.photo"))
        assert entry is not None and applicant["id_number"] not in entry.changes and "1024" in entry.changes


def test_photo_of_another_number_is_not_kept(db) -> None:  # type: ignore[no-untyped-def]
    """The clerk read a card, then typed another number over it: the photo is not that person's."""
    payload = _payload()
    applicant = payload["members"][0]
    applicant["photo"] = base64.b64encode(PHOTO).decode("ascii")
    applicant["photo_id_number"] = "11010519491231002X"
    _submit(db, payload)
    assert _person_photo(db, applicant["id_number"]) is None
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert uow.session.scalars(select(PersonPhoto)).all() == []


def test_decode_photo_is_lenient() -> None:
    assert persons.decode_photo(base64.b64encode(b"abc").decode()) == b"abc"
    assert persons.decode_photo("not base64!") == b""
    assert persons.decode_photo(None) == b""
