"""``window-desk forms``: the real command, as a user runs it (exit 0 / 2, one line, no stray files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.forms.pdf_tools import SAMPLES, load_sample, pdftotext, squash


def _assert_refused(proc: object, out_dir: Path, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr  # one line, no traceback
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert list(out_dir.iterdir()) == [], "nothing may be written, not even a temporary file"


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_render_a_pdf(out_dir: Path) -> None:
    out = out_dir / "转介单.pdf"
    proc = run_cli("forms", "render", "referral_slip", "--data", str(SAMPLES / "referral_slip.json"),
                   "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out_dir.iterdir()] == ["转介单.pdf"]
    assert out.read_bytes().startswith(b"%PDF-")
    text = squash(pdftotext(out))
    assert "社会救助转介单" in text and "高𪚥" in text and "示范镇救转〔2026〕0007号" in text


def test_reprint_flag_and_stdin(out_dir: Path) -> None:
    out = out_dir / "again.pdf"
    data = (SAMPLES / "prepay_voucher.json").read_text(encoding="utf-8")
    proc = run_cli("forms", "render", "prepay_voucher", "--data", "-", "--out", str(out), "--reprint", stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert "补打" in squash(pdftotext(out))


def test_render_a_docx(out_dir: Path) -> None:
    out = out_dir / "notice.docx"
    proc = run_cli("forms", "render", "acceptance_notice", "--data", str(SAMPLES / "acceptance_notice.json"),
                   "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:2] == b"PK"  # a .docx is a zip


def test_unknown_kind(out_dir: Path) -> None:
    proc = run_cli("forms", "render", "receipt", "--data", str(SAMPLES / "referral_slip.json"),
                   "--out", str(out_dir / "x.pdf"))
    _assert_refused(proc, out_dir, "未知的文书种类 receipt", "referral_slip")


def test_unsupported_extension(out_dir: Path) -> None:
    proc = run_cli("forms", "render", "referral_slip", "--data", str(SAMPLES / "referral_slip.json"),
                   "--out", str(out_dir / "x.odt"))
    _assert_refused(proc, out_dir, ".odt", ".pdf", ".docx")


def test_bad_json(out_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"office": "示范镇人民政府",\n  "number": }', encoding="utf-8")
    proc = run_cli("forms", "render", "referral_slip", "--data", str(bad), "--out", str(out_dir / "x.pdf"))
    _assert_refused(proc, out_dir, "JSON", "第2行")


def test_missing_data_file(out_dir: Path, tmp_path: Path) -> None:
    proc = run_cli("forms", "render", "referral_slip", "--data", str(tmp_path / "none.json"),
                   "--out", str(out_dir / "x.pdf"))
    _assert_refused(proc, out_dir, "文件不存在")


def test_missing_field(out_dir: Path, tmp_path: Path) -> None:
    data = load_sample("authorization")
    del data["applicant"]["name"]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("forms", "render", "authorization", "--data", str(path), "--out", str(out_dir / "x.pdf"))
    _assert_refused(proc, out_dir, "缺少必填字段 applicant.name")


def test_a_character_no_font_has(out_dir: Path, tmp_path: Path) -> None:
    data = load_sample("authorization")
    data["members"][1]["name"] = "高\ue000"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("forms", "render", "authorization", "--data", str(path), "--out", str(out_dir / "x.pdf"))
    _assert_refused(proc, out_dir, "members[1].name", "U+E000", "没有可用字体")


def test_an_existing_file_is_left_alone_when_rendering_fails(tmp_path: Path) -> None:
    out = tmp_path / "old.pdf"
    out.write_bytes(b"%PDF-old")
    data = load_sample("referral_slip")
    data["due_date"] = "2026-13-01"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("forms", "render", "referral_slip", "--data", str(path), "--out", str(out))
    assert proc.returncode == 2 and "due_date" in proc.stderr
    assert out.read_bytes() == b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", "old.pdf"]


def test_kinds_lists_all_nine() -> None:
    proc = run_cli("forms", "kinds")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["kind"] for r in rows] == [p.stem for p in sorted(SAMPLES.glob("*.json"), key=lambda p: [
        "authorization", "application", "acceptance_notice", "missing_materials_notice", "rejection_notice",
        "referral_slip", "inquiry_record", "prepay_voucher", "daily_register"].index(p.stem))]
    assert {r["kind"]: r["title"] for r in rows}["acceptance_notice"] == "受理通知书"
    assert "applicant.name" in rows[0]["required"]
