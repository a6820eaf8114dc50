"""The render contract: ISO 8601 times with seconds and offsets, a guardian as a name, full-width marks."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.forms.pdf_tools import load_sample, need
from window_desk.forms import RenderError, content_hash, normalise, render, validate
from window_desk.forms.kinds import date_cn, parse_datetime


@pytest.mark.parametrize(("value", "printed"), [
    ("2026-11-24T09:15", "2026年11月24日 09:15"),
    ("2026-11-24T09:15:00", "2026年11月24日 09:15"),
    ("2026-11-24T09:15:30", "2026年11月24日 09:15:30"),
    ("2026-11-24 09:15:30.250", "2026年11月24日 09:15:30"),
    ("2026-11-24T09:15:00+08:00", "2026年11月24日 09:15"),
    ("2026-11-24T01:15:00Z", "2026年11月24日 09:15"),
    ("2026-11-23T20:15:00-0500", "2026年11月24日 09:15"),
    ("2026-11-24", "2026年11月24日"),
])
def test_time_fields_accept_iso_8601_and_print_china_time(value: str, printed: str) -> None:
    assert date_cn(value) == printed
    data = load_sample("inquiry_record")
    data["received_at"] = value
    validate("inquiry_record", data)


@pytest.mark.parametrize("value", ["2026-11-24T09:15+25:00", "2026-11-24T9:15", "2026-13-01T09:15", "昨天"])
def test_bad_times_name_the_field(value: str) -> None:
    data = load_sample("inquiry_record")
    data["answered_at"] = value
    with pytest.raises(RenderError) as err:
        validate("inquiry_record", data)
    assert err.value.field == "answered_at"
    assert parse_datetime(value) is None


def test_an_offset_time_prints_in_china_time_in_pdf_and_word(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    data = load_sample("inquiry_record")
    data["received_at"] = "2026-11-24T01:15:00Z"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render("inquiry_record", data, "pdf"))
    text = subprocess.run([need("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026年11月24日09:15" in "".join(text.split())  # the cell may wrap between date and time
    word = Document(io.BytesIO(render("inquiry_record", data, "docx")))
    cells = "".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "2026年11月24日 09:15" in cells


def test_a_guardian_may_be_a_name_or_an_object(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    data = load_sample("authorization")
    data["members"][-1]["guardian"] = "王𠈌"
    validate("authorization", data)
    assert normalise("authorization", data)["members"][-1]["guardian"] == {"name": "王𠈌"}
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(render("authorization", data, "pdf"))
    text = subprocess.run([need("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "监护人：王𠈌" in text
    word = Document(io.BytesIO(render("authorization", data, "docx")))
    assert "王𠈌" in "".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    data["members"][-1]["guardian"] = {"name": "王𠈌", "relation": "母亲", "id_number": "123"}
    with pytest.raises(RenderError) as err:
        validate("authorization", data)
    assert err.value.field.endswith(".guardian.id_number")
    data["members"][-1]["guardian"] = 7
    with pytest.raises(RenderError):
        validate("authorization", data)


def test_half_width_marks_from_reasons_print_full_width(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    data = load_sample("application")
    data["reason"] = "因病致贫,家庭人均收入低于标准:申请低保(城市)"
    normalised = normalise("application", data)
    assert normalised["reason"] == "因病致贫，家庭人均收入低于标准：申请低保（城市）"
    assert content_hash("application", data) == content_hash("application", normalised)
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(render("application", data, "pdf"))
    text = subprocess.run([need("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "因病致贫，家庭人均收入低于标准：申请低保（城市）" in flat


def test_the_receipt_carries_its_own_qr_and_the_voucher_one_currency_sign(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from window_desk.forms import qr_payload

    data = load_sample("referral_slip")
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render("referral_slip", data, "pdf"))
    subprocess.run([need("pdftoppm"), "-png", "-r", "200", str(pdf), str(tmp_path / "slip")], check=True)
    found = subprocess.run([need("zbarimg"), "-q", "--raw", str(tmp_path / "slip-1.png")], capture_output=True,
                           text=True, check=False).stdout.split("\n")
    codes = [c for c in found if c]
    assert codes == [qr_payload("referral_slip", data)] * 2  # the page's and the receipt's

    voucher = load_sample("prepay_voucher")
    out = tmp_path / "v.pdf"
    out.write_bytes(render("prepay_voucher", voucher, "pdf"))
    flat = "".join(subprocess.run([need("pdftotext"), str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "¥" in flat and "元¥" not in flat
    import re

    assert re.search(r"¥[\d,]+\.\d\d元", flat) is None
