"""Issuing a case's papers: gapless numbers across a void and a reprint, the log, nothing half-saved."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.services.test_intake import CLERK, _payload, _submit
from window_desk.db.models import AuditEntry, Document, DocumentPrint, Referral
from window_desk.errors import Conflict, UserError
from window_desk.forms import RenderError
from window_desk.actor import Actor
from window_desk.services import case_documents, documents, settings
from window_desk.uow import UnitOfWork


def _pdftotext(pdf: bytes) -> str:
    """The printed text with all whitespace removed (layout spacing is not content)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", out)


@pytest.fixture
def case(db):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    payload = _payload()
    payload["members"][0]["health"] = "serious"
    payload["materials"] = ["id_card", "hukou", "authorization", "medical"]
    return _submit(db, payload)


def _issue(db, case, kind, **kw):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        return case_documents.issue_for_case(uow, case.case_id, kind, **kw)


def test_acceptance_notice_prints_the_case(db, case) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(db, case, "acceptance_notice")
    year = date.today().year
    assert issued.number == f"示范镇救受〔{year}〕0001号"
    text = _pdftotext(issued.pdf)
    assert "提出的最低生活保障申请，" in text
    for value in ("王䶮", "110105198603150032", "户口簿", "医院诊断证明及医疗费用票据",
                  issued.number, "示范镇人民政府", "张三"):
        assert value in text, value
    with UnitOfWork(db, CLERK, write=False) as uow:
        doc = uow.session.get(Document, issued.id)
        assert doc is not None and doc.sha256 == issued.sha256 and doc.case_id == case.case_id
        assert documents.verify(uow, issued.number, issued.pdf)
        assert not documents.verify(uow, issued.number, issued.pdf + b"x")


def test_numbers_stay_gapless_across_void_and_reprint(db, case) -> None:  # type: ignore[no-untyped-def]
    first = _issue(db, case, "authorization")
    with UnitOfWork(db, CLERK) as uow:
        with pytest.raises(UserError):
            documents.void(uow, first.id, " ")
    with UnitOfWork(db, CLERK) as uow:
        documents.void(uow, first.id, "打印时卡纸")
    second = _issue(db, case, "authorization")
    with UnitOfWork(db, CLERK) as uow:
        again = documents.reprint(uow, second.id, copies=2)
    third = _issue(db, case, "authorization")
    numbers = [d.number for d in (first, second, third)]
    assert [n[-5:] for n in numbers] == ["0001号", "0002号", "0003号"]
    assert again.number == second.number and again.reprint
    assert "补打" in _pdftotext(again.pdf) and "补打" not in _pdftotext(second.pdf)
    with UnitOfWork(db, CLERK) as uow:
        with pytest.raises(Conflict):
            documents.reprint(uow, first.id)
        infos = documents.for_case(uow, case.case_id)
        # Nothing reached a printer yet: issuing and 补打 are log lines, not printed copies.
        assert [(i.number, i.voided, i.prints) for i in infos] == [
            (numbers[0], True, 0), (numbers[1], False, 0), (numbers[2], False, 0)]
        assert infos[0].void_reason == "打印时卡纸"
        prints = uow.session.scalars(select(DocumentPrint).where(DocumentPrint.document_id == second.id)).all()
        assert [(p.reprint, p.copies) for p in prints] == [(False, 1), (True, 2)]
        actions = [e.action for e in uow.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "document"))]
        assert actions == ["document.issue", "document.void", "document.issue", "document.reprint", "document.issue"]


def test_referral_slips_name_the_department_and_link_the_referral(db, case) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        slips = [p for p in case_documents.printables(uow, case.case_id) if p.kind == "referral_slip"]
    assert slips, "a seriously ill applicant is referred for medical assistance"
    medical = next(p for p in slips if "医疗救助" in p.title)
    issued = _issue(db, case, "referral_slip", referral_id=medical.referral_id)
    text = _pdftotext(issued.pdf)
    assert "区医保局" in text and "回执" in text and "王䶮" in text
    with UnitOfWork(db, CLERK, write=False) as uow:
        referral = uow.session.get(Referral, medical.referral_id)
        assert referral is not None and referral.document_id == issued.id
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
        case_documents.issue_for_case(uow, case.case_id, "referral_slip")
    assert err.value.field == "转介"


def test_printing_needs_the_window_phone(db) -> None:  # type: ignore[no-untyped-def]
    accepted = _submit(db, _payload())
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
        case_documents.issue_for_case(uow, accepted.case_id, "acceptance_notice")
    assert err.value.field == "窗口联系电话"
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_failed_render_takes_no_number(db, case) -> None:  # type: ignore[no-untyped-def]
    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RenderError("字段 applicant.name 中的字符「\ue000」(U+E000) 没有可用字体", field="applicant.name")

    with UnitOfWork(db, CLERK) as uow:
        data = case_documents.data_for(uow, case.case_id, "acceptance_notice")
        with pytest.raises(RenderError):
            documents.issue(uow, "acceptance_notice", data, case_id=case.case_id, office="示范镇", renderer=broken)
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Document)) == 0
    issued = _issue(db, case, "acceptance_notice")
    assert issued.number.endswith("0001号")


def test_word_copy_of_an_issued_document(db, case) -> None:  # type: ignore[no-untyped-def]
    import io

    import docx

    issued = _issue(db, case, "application")
    with UnitOfWork(db, CLERK, write=False) as uow:
        data = documents.render_again(uow, issued.id, "docx")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "王小明" in text and "110105201003070017" in text


def test_printed_copies_come_from_print_jobs_and_users_by_display_name(db, case) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import users

    with UnitOfWork(db, Actor.cli()) as uow:
        users.add_user(uow, "admin", "admin", "window-pass-1", "王管理")
    with UnitOfWork(db, Actor.cli()) as uow:
        liu = users.add_user(uow, "liu", "clerk", "window-pass-1", "刘受理")
    with UnitOfWork(db, liu.actor()) as uow:
        issued = case_documents.issue_for_case(uow, case.case_id, "acceptance_notice", copies=2)
    with UnitOfWork(db, liu.actor()) as uow:
        assert documents.record_print(uow, issued.id, copies=2, pages=1, route="cups", printer="office") == 2
    with UnitOfWork(db, liu.actor()) as uow:
        assert documents.record_print(uow, issued.id, copies=1, pages=1, route="raster") == 3
    with UnitOfWork(db, liu.actor()) as uow, pytest.raises(UserError) as err:
        documents.record_print(uow, issued.id, copies=0, pages=1, route="cups")
    assert err.value.field == "份数"
    with UnitOfWork(db, liu.actor()) as uow, pytest.raises(UserError):
        documents.record_print(uow, issued.id, copies=1, pages=1, route="file")
    with UnitOfWork(db, CLERK, write=False) as uow:
        (info,) = documents.for_case(uow, case.case_id)
        assert (info.created_by, info.prints) == ("刘受理", 3)
        actions = [e.action for e in uow.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "document"))]
        assert actions == ["document.issue", "document.print", "document.print"]


def test_missing_settings_are_named_before_a_case_is_accepted(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert documents.missing_settings(uow, ["authorization", "application"]) == []
        assert documents.missing_settings(uow, ["acceptance_notice", "referral_slip"]) == ["窗口联系电话"]
        assert documents.missing_settings(uow, ["rejection_notice"]) == []  # the bodies have defaults
        with pytest.raises(UserError):
            documents.missing_settings(uow, ["no_such_kind"])
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"review_body": "", "contact_phone": "0376-3123456"})
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert documents.missing_settings(uow, ["acceptance_notice", "rejection_notice"]) == ["行政复议机关"]


def test_reissue_voids_the_paper_it_replaces(db, case) -> None:  # type: ignore[no-untyped-def]
    first = _issue(db, case, "acceptance_notice")
    with UnitOfWork(db, CLERK, write=False) as uow:
        found = case_documents.existing(uow, case.case_id, "acceptance_notice")
        assert found is not None and found.id == first.id
        assert case_documents.existing(uow, case.case_id, "authorization") is None
    second = _issue(db, case, "acceptance_notice", replaces=first.id)
    assert second.number != first.number
    with UnitOfWork(db, CLERK, write=False) as uow:
        infos = {i.number: i for i in documents.for_case(uow, case.case_id)}
        assert infos[first.number].voided and infos[first.number].void_reason == f"重新开具为{second.number}"
        assert case_documents.existing(uow, case.case_id, "acceptance_notice").id == second.id  # type: ignore[union-attr]
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError):
        case_documents.issue_for_case(uow, case.case_id, "authorization", replaces=second.id)
