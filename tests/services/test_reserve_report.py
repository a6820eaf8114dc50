"""The reserve report (.xlsx read back with openpyxl, PDF with poppler), the voucher's fonts, the CLI."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.conftest import run_cli
from tests.forms.pdf_tools import pdffonts, pdftotext, squash
from tests.services.test_reserve import PASSWORD, _allocate, _case, _prepay, people  # noqa: F401  (fixture)
from window_desk.actor import Actor
from window_desk.db.models import ReserveEntry
from window_desk.services import reserve, reserve_report
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

CLI = Actor.cli()


def _history(db, people):  # type: ignore[no-untyped-def]  # noqa: F811
    """An allocation dated 40 days ago, two prepayments today (one approved) and a return."""
    chen = people["chen"].actor()
    clerk = people["zhang"].actor()
    with UnitOfWork(db, chen) as uow:
        reserve.allocate(uow, "8000.00", "区民政局拨付 示民〔2026〕3号", day=today() - timedelta(days=40))
    small = _case(db, clerk)
    big = _case(db, clerk, size=2, area="urban", ids=["110105195001010012", "110105200001010016"])
    paid = _prepay(db, clerk, small.case_id, "1890.00").prepayment
    waiting = _prepay(db, clerk, big.case_id, "2500.00").prepayment
    with UnitOfWork(db, chen) as uow:
        approved = reserve.approve(uow, waiting.id, "chen", PASSWORD, "同意").prepayment
    with UnitOfWork(db, clerk) as uow:
        reserve.record_return(uow, paid.id, "90.00", "金额更正")
    return paid, approved


def test_xlsx_has_typed_dates_and_numbers_and_balances_that_add_up(db, people) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from openpyxl import load_workbook

    paid, approved = _history(db, people)
    with UnitOfWork(db, CLI, write=False) as uow:
        # A period that starts after the allocation: the allocation is in the opening balance.
        ledger = reserve.ledger(uow, today() - timedelta(days=10), today())
    assert ledger.opening == Decimal("8000.00")
    assert ledger.closing == Decimal("8000.00") - Decimal("1890.00") - Decimal("2500.00") + Decimal("90.00")
    ws = load_workbook(io.BytesIO(reserve_report.to_xlsx(ledger, "示范镇人民政府"))).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(reserve_report.HEADERS)
    opening, *lines, totals, closing = rows[header + 1:]
    assert opening[2] == "期初余额" and opening[5] == 8000 and isinstance(opening[1], datetime)
    assert closing[2] == "期末余额" and Decimal(str(closing[5])) == ledger.closing
    assert len(lines) == 3
    running = Decimal(str(opening[5]))
    for line in lines:
        assert isinstance(line[1], datetime) and line[1].date() == today()
        assert all(v is None or isinstance(v, (int, float)) for v in line[3:6])  # numbers, not text
        running += Decimal(str(line[3] or 0)) - Decimal(str(line[4] or 0))
        assert Decimal(str(line[5])).quantize(Decimal("0.01")) == running.quantize(Decimal("0.01"))
    assert running.quantize(Decimal("0.01")) == ledger.closing
    assert Decimal(str(totals[3])) == Decimal("90.00") and Decimal(str(totals[4])) == Decimal("4390.00")
    vouchers = {line[7] for line in lines}
    assert {paid.voucher_number, approved.voucher_number} <= vouchers
    assert {paid.case_number, approved.case_number} <= {line[6] for line in lines}
    assert ws.cell(row=header + 2, column=6).number_format == "#,##0.00"


def test_pdf_report_embeds_its_fonts_and_prints_the_balances(db, people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    paid, _approved = _history(db, people)
    with UnitOfWork(db, CLI, write=False) as uow:
        ledger = reserve.ledger(uow, today() - timedelta(days=60), today())
    out = tmp_path / "r.pdf"
    out.write_bytes(reserve_report.to_pdf(ledger, "示范镇人民政府"))
    fonts = pdffonts(out)
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" and f["type"] == "TrueType" for f in fonts), fonts
    text = squash(pdftotext(out))
    assert "期初余额" in text and "期末余额" in text and "3700.00" in text and paid.voucher_number in text


def test_voucher_renders_with_fonts_embedded(db, people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _allocate(db, people["chen"].actor(), "5000")
    accepted = _case(db, people["zhang"].actor())
    result = _prepay(db, people["zhang"].actor(), accepted.case_id, "1890")
    assert result.pdf is not None
    out = tmp_path / "v.pdf"
    out.write_bytes(result.pdf)
    fonts = pdffonts(out)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    text = squash(pdftotext(out))
    assert "¥1890.00" in text and "¥1890.00元" not in text and "人民币壹仟捌佰玖拾元整" in text
    assert "周𣲗" in text and "（无需审批）" in text and "存根" in text and "张窗口" in text


def test_cli_report_balance_and_allocate(db_url: str, tmp_path: Path) -> None:
    assert run_cli("--db", db_url, "reserve", "allocate", "6000", "--note", "区民政局拨付",
                   "--date", (today() - timedelta(days=3)).isoformat()).returncode == 0
    bad = run_cli("--db", db_url, "reserve", "allocate", "-5", "--note", "区民政局拨付")
    assert bad.returncode == 2 and "拨入金额" in bad.stderr
    bal = run_cli("--db", db_url, "reserve", "balance")
    assert bal.returncode == 0 and '"balance": "6000.00"' in bal.stdout
    xlsx = tmp_path / "r.xlsx"
    done = run_cli("--db", db_url, "reserve", "report", "--from", (today() - timedelta(days=30)).isoformat(),
                   "--to", today().isoformat(), "--out", str(xlsx))
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[-1][2] == "期末余额" and rows[-1][5] == 6000
    wrong = run_cli("--db", db_url, "reserve", "report", "--from", "2026-12-31", "--to", "2026-12-01",
                    "--out", str(tmp_path / "x.xlsx"))
    assert wrong.returncode == 2 and "--to" in wrong.stderr and not (tmp_path / "x.xlsx").exists()
    ext = run_cli("--db", db_url, "reserve", "report", "--from", "2026-12-01", "--to", "2026-12-31",
                  "--out", str(tmp_path / "x.csv"))
    assert ext.returncode == 2 and "--out" in ext.stderr


def test_demo_data_fills_the_reserve(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from window_desk.db.models import Prepayment
    from window_desk.services import demo

    demo.fill(db, CLI, 40, 20, 3, today(), "示范镇")
    with UnitOfWork(db, CLI, write=False) as uow:
        kinds = [k for (k,) in uow.session.execute(select(ReserveEntry.kind).order_by(ReserveEntry.id))]
        approved = uow.session.scalars(select(Prepayment).where(Prepayment.approver_name != "")).all()
        assert kinds[0] == "allocation" and "prepayment" in kinds and kinds[-1] == "return"
        assert approved and all(p.status == "paid" for p in approved)
        assert reserve.balance(uow) == reserve.ledger(uow, today() - timedelta(days=30), today()).closing >= 0
