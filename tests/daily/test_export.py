"""The daily register exported: .xlsx read back with openpyxl, PDF text read back with pdftotext, and the CLI."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from tests.conftest import missing, run_cli
from tests.daily.conftest import DAY
from window_desk.services import daily, referrals, register_export
from window_desk.uow import UnitOfWork


@pytest.fixture
def signed(db, filled, clock, people):  # type: ignore[no-untyped-def]
    """DAY's 12 cases, signed off by the supervisor at 18:00, then one amendment the next day."""
    clock.set(DAY, 18)
    with UnitOfWork(db, people["supervisor"].actor()) as uow:
        review = daily.sign_off(uow, DAY, "已逐件核对,同意。")
    clock.set(DAY + timedelta(days=1))
    with UnitOfWork(db, people["clerk"].actor()) as uow:
        referrals.correct(uow, 6, "due_date", "2026-11-20", "接收单位来函延长办理时限")
    return review


def test_xlsx_has_typed_rows_frozen_header_and_print_setup(db, signed, people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "day.xlsx"
    with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
        rows = register_export.export_day(uow, DAY, out)
        expected = daily.register_rows(uow, DAY)
    assert rows == 12 == len(expected)
    wb = load_workbook(out)
    ws = wb["台账"]
    assert ws["A1"].value == "社会救助受理登记台账（日）"
    assert [c.value for c in ws[3]] == ["序号", "时间", "姓名", "公民身份号码", "住址", "联系电话", "救助类别",
                                        "材料齐全", "受理结果", "转介单位", "办理时限", "办理结果", "经办人", "备注"]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    body = [[c.value for c in ws[r]] for r in range(4, 4 + rows)]
    assert [r[0] for r in body] == list(range(1, 13))  # integers, not text
    for got, want in zip(body, expected, strict=True):
        assert got[2] == want["name"] and got[3] == want["id_number"] and "*" in got[3]
        assert isinstance(got[1], datetime) and got[1].strftime("%H:%M") == want["time"]
        due = got[10].date() if isinstance(got[10], datetime) else got[10]  # Excel keeps dates as date-times
        assert due == (date.fromisoformat(want["due_date"]) if want["due_date"] else None)
        assert got[8] == want["outcome"]
    assert ws.cell(row=4, column=2).number_format == "hh:mm"
    assert ws.column_dimensions["D"].width >= 20  # fits an 18-character ID number
    texts = [str(c.value) for row in ws.iter_rows(min_row=4 + rows) for c in row if c.value is not None]
    assert f"{signed.audit_entry_id}" in " ".join(texts) and signed.audit_hash in " ".join(texts)
    assert "接收单位来函延长办理时限" in texts and "2026-11-16 → 2026-11-20" in texts
    detail = wb["审阅明细"]
    titles = [r[0].value for r in detail.iter_rows() if r[0].value and "件）" in str(r[0].value)]
    assert titles[:4] == ["首问登记（0件）", "受理个案（12件）", "不予受理（0件）", "转介转出（24件）"]


def test_pdf_text_has_rows_review_and_anchor(db, signed, people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        missing("pdftotext (poppler-utils) is not installed")
    out = tmp_path / "day.pdf"
    with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
        register_export.export_day(uow, DAY, out)
        expected = daily.register_rows(uow, DAY)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "社会救助受理登记台账（日）" in flat
    for row in expected:
        assert row["name"] in flat and row["id_number"] in flat
    assert "陈审核" in flat and "已逐件核对" in flat
    assert f"第{signed.audit_entry_id}条{signed.audit_hash}" in flat
    assert "接收单位来函延长办理时限" in flat
    assert "本日合计：登记12件" in flat


def test_cli_exports_and_refuses_bad_input(db_url, db, signed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "cli.xlsx"
    done = run_cli("--db", db_url, "register", "export", "--date", DAY.isoformat(), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "12 行" in done.stdout
    assert load_workbook(out)["台账"].cell(row=15, column=1).value == 12
    pdf = tmp_path / "cli.pdf"
    assert run_cli("--db", db_url, "register", "export", "--date", DAY.isoformat(), "--out", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    bad_day = run_cli("--db", db_url, "register", "export", "--date", "2026-13-01", "--out", str(out))
    assert bad_day.returncode == 2 and "--date" in bad_day.stderr and "Traceback" not in bad_day.stderr
    bad_out = run_cli("--db", db_url, "register", "export", "--date", DAY.isoformat(), "--out", str(tmp_path / "x.csv"))
    assert bad_out.returncode == 2 and ".xlsx" in bad_out.stderr


def test_an_empty_day_exports_too(db, people, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
        assert register_export.export_day(uow, DAY, tmp_path / "e.xlsx") == 0
        assert register_export.export_day(uow, DAY, tmp_path / "e.pdf") == 0
    ws = load_workbook(tmp_path / "e.xlsx")["台账"]
    assert ws.cell(row=4, column=1).value is None
    assert any("尚未签字确认" in str(c.value) for row in ws.iter_rows() for c in row)


def test_a_day_with_first_inquiries_exports_with_and_without_an_id_number(db, people, clock, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A first inquiry is on the register whether or not the visitor showed an ID card: the PDF export
    refused every day that had one without a number (rows[].id_number was required), and the rows of
    visitors who did show one printed no number at all."""
    from openpyxl import load_workbook

    from window_desk import idnumber
    from window_desk.services import inquiries

    if shutil.which("pdftotext") is None:
        missing("pdftotext (poppler-utils) is not installed")
    monkeypatch.setattr(inquiries, "now", clock)
    number = "110105198603150032"
    at = datetime.combine(DAY, time(9, 15), clock().tzinfo)
    with UnitOfWork(db, people["clerk"].actor()) as uow:
        inquiries.create(uow, inquiries.NewInquiry(channel="window", matter="咨询低保", received_at=at,
                                                   visitor=inquiries.Visitor("王䶮", number)))
    with UnitOfWork(db, people["clerk"].actor()) as uow:
        inquiries.create(uow, inquiries.NewInquiry(channel="phone_12345", matter="反映邻居生活困难",
                                                   received_at=at + timedelta(minutes=5),
                                                   visitor=inquiries.Visitor("李桂兰", "", "13812345678")))
    with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
        assert register_export.export_day(uow, DAY, tmp_path / "d.pdf") == 2
        assert register_export.export_day(uow, DAY, tmp_path / "d.xlsx") == 2
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "王䶮" in flat and "李桂兰" in flat and idnumber.mask(number) in flat and number not in flat
    ws = load_workbook(tmp_path / "d.xlsx")["台账"]
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "序号")
    rows = [[c.value for c in ws[r]] for r in (header + 1, header + 2)]
    assert rows[0][2:4] == ["王䶮", idnumber.mask(number)] and rows[1][2] == "李桂兰" and rows[1][3] in (None, "")
