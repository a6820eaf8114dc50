"""Hotline work orders in (``inquiry import``) and the list out (``inquiry list``)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import run_cli
from window_desk.actor import Actor
from window_desk.db.models import Inquiry
from window_desk.errors import UserError
from window_desk.services import inquiries, inquiry_import
from window_desk.timeutil import TZ, now
from window_desk.uow import UnitOfWork

HEADER = ["工单号", "来电时间", "来电人", "联系电话", "地址", "诉求内容", "紧急程度"]
ROWS = [
    ["GD001", "2026-11-30 09:15:00", "王䶮", "13812345678", "示范镇幸福路1号", "家中失火求助", "急难"],
    ["GD002", "2026/11/30 10:20", "李四", "13900001111", "示范镇建设街5号", "咨询低保申请条件", "普通"],
    ["GD001", "2026-11-30 09:15:00", "王䶮", "13812345678", "示范镇幸福路1号", "家中失火求助（重复派单）", "急难"],
    ["GD003", "昨天上午", "赵六", "13700002222", "", "咨询医疗救助", "普通"],
    ["GD004", "2026-11-30 11:00", "钱七", "", "", "", "普通"],
    ["GD005", "2026-11-30 11:30", "孙八", "13600003333", "", "孩子上学困难", "十万火急"],
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _reorder(order: list[int]) -> tuple[list[str], list[list[str]]]:
    return [HEADER[i] for i in order], [[r[i] for i in order] for r in ROWS]


def _import(db, path: Path, **kw):  # type: ignore[no-untyped-def]
    actor = Actor.cli()
    return inquiry_import.import_file(lambda: UnitOfWork(db, actor), path, **kw)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_import_skips_duplicates_and_names_bad_rows(db, tmp_path, encoding) -> None:  # type: ignore[no-untyped-def]
    if encoding == "gbk":
        rows = [[c.replace("䶮", "岩") for c in r] for r in ROWS]  # 䶮 is not in GBK
    else:
        rows = ROWS
    path = _write_csv(tmp_path / "orders.csv", HEADER, rows, encoding)
    progress: list[tuple[int, int]] = []
    summary = _import(db, path, channel="phone_12345", progress=lambda d, t: progress.append((d, t)))
    assert (summary.total, summary.imported, summary.duplicates) == (6, 2, 1)
    assert [(b.row, b.column) for b in summary.bad] == [(5, "来电时间"), (6, "诉求内容"), (7, "紧急程度")]
    assert progress[-1] == (6, 6)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        rows_in = inquiries.find(uow, inquiries.InquiryFilter())
    by_order = {r.work_order_no: r for r in rows_in}
    assert set(by_order) == {"GD001", "GD002"}
    first = by_order["GD001"]
    assert first.urgent and first.channel == "phone_12345" and first.matter == "家中失火求助"
    assert first.received_at == datetime(2026, 11, 30, 9, 15, tzinfo=TZ)
    assert by_order["GD002"].received_at == datetime(2026, 11, 30, 10, 20, tzinfo=TZ)
    # Importing the same file again adds nothing.
    again = _import(db, path, channel="phone_12345")
    assert (again.imported, again.duplicates) == (0, 3)


def test_xlsx_with_header_in_another_order_and_channel_column(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    header, rows = _reorder([5, 0, 6, 2, 1, 4, 3])
    book = Workbook()
    sheet = book.active
    sheet.append(["渠道", *header])
    for r in rows[:2]:
        sheet.append(["12349", *r])
    # A real datetime cell and a numeric phone, as Excel keeps them.
    sheet.append(["12345热线", "咨询特困供养", "GD010", "普通", "周九", datetime(2026, 11, 29, 16, 5), "", 13512345678])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    summary = _import(db, path)
    assert (summary.imported, summary.duplicates, summary.bad) == (3, 0, [])
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        rows_in = {r.work_order_no: r for r in inquiries.find(uow, inquiries.InquiryFilter())}
    assert rows_in["GD001"].channel == "phone_12349" and rows_in["GD001"].visitor_name == "王䶮"
    assert rows_in["GD010"].channel == "phone_12345" and rows_in["GD010"].visitor_phone == "13512345678"
    assert rows_in["GD010"].received_at == datetime(2026, 11, 29, 16, 5, tzinfo=TZ)


def test_mapping_file_names_other_headers(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    header = ["编号", "时间", "市民", "手机", "住址", "问题描述", "级别"]
    path = _write_csv(tmp_path / "other.csv", header, ROWS[:2], "utf-8")
    with pytest.raises(UserError) as info:
        _import(db, path, channel="phone_12345")
    assert info.value.field == "FILE" and "工单号" in info.value.message
    mapping_path = tmp_path / "map.json"
    mapping_path.write_text(json.dumps(dict(zip(header, HEADER, strict=True)), ensure_ascii=False), encoding="utf-8")
    summary = _import(db, path, channel="phone_12345", mapping=inquiry_import.load_mapping(mapping_path))
    assert summary.imported == 2
    mapping_path.write_text('{"编号": "单号"}', encoding="utf-8")
    with pytest.raises(UserError) as info:
        inquiry_import.load_mapping(mapping_path)
    assert info.value.field == "--mapping"


def test_not_a_spreadsheet_is_refused(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name, data in (("notes.txt", b"hello"), ("fake.xlsx", b"PK\x03\x04 not really")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UserError) as info:
            _import(db, path, channel="phone_12345")
        assert info.value.field == "FILE"
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_cli_import_and_list(tmp_path, db_url) -> None:  # type: ignore[no-untyped-def]
    # Received 30 hours ago: the 急难 GD001 is past its 24 hours, the ordinary GD002 days from its due date.
    received = (now() - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M")
    rows = [[received if i == 1 and "-" in c or i == 1 and "/" in c else c for i, c in enumerate(r)] for r in ROWS]
    path = _write_csv(tmp_path / "orders.csv", HEADER, rows, "utf-8-sig")
    done = run_cli("--db", db_url, "inquiry", "import", str(path), "--channel", "phone_12345")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["imported"], summary["duplicates"], len(summary["bad"])) == (2, 1, 3)
    assert "第5行“来电时间”列" in done.stderr
    listed = run_cli("--db", db_url, "inquiry", "list", "--date", received[:10])
    assert listed.returncode == 0, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [line["work_order_no"] for line in lines] == ["GD002", "GD001"]
    assert lines[1]["urgent"] is True and lines[1]["status"] == "open"
    overdue = run_cli("--db", db_url, "inquiry", "list", "--overdue")
    assert [json.loads(x)["work_order_no"] for x in overdue.stdout.splitlines()] == ["GD001"]
    assert run_cli("--db", db_url, "inquiry", "list", "--date", "2026-13-01").returncode == 2
    bad = tmp_path / "notes.txt"
    bad.write_text("x", encoding="utf-8")
    refused = run_cli("--db", db_url, "inquiry", "import", str(bad))
    assert refused.returncode == 2 and "不是电子表格" in refused.stderr


def test_cli_list_masks_id_numbers(db, db_url) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        inquiries.create(uow, inquiries.NewInquiry(channel="window", matter="咨询低保",
                                                   visitor=inquiries.Visitor("王䶮", "110105198603150032")))
    listed = run_cli("--db", db_url, "inquiry", "list", "--open")
    assert listed.returncode == 0, listed.stderr
    assert "110105198603150032" not in listed.stdout
    assert json.loads(listed.stdout)["id_number"] == "110105********0032"
