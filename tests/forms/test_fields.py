"""One field list for both papers: every field of a kind is on its PDF and in its Word template.

The list is the kind's shape (``forms.fields.shape_fields``); the PDF side is what the layout reads
while it builds the document, the Word side what the template's placeholders name. A field on one
paper and not the other — or a placeholder the list does not have — fails here (and the build
script refuses to write such a template).
"""

from __future__ import annotations

import copy
import importlib.util
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.forms.pdf_tools import REPO, load_sample
from window_desk.forms import KINDS, render
from window_desk.forms.fields import covered, docx_sources, layout_fields, shape_fields, template_fields

TEMPLATES = REPO / "resources" / "templates"


def full(kind: str) -> dict[str, Any]:
    """The sample with every optional field given, so that every branch of the layout runs."""
    data = copy.deepcopy(load_sample(kind))
    if kind == "daily_register":
        data["review"] = {"supervisor": "王审核", "reviewed_at": "2026-03-09T17:30", "comment": "同意",
                          "anchor": "128:9f2c61d0a4b7e35c"}
        data["amendments"] = [{"at": "2026-03-09 17:40", "by": "李晓梅", "what": "第2行联系电话",
                               "change": "13700001111 → 13700001112", "reason": "登记时录错一位"}]
    return data


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_is_on_the_pdf_and_in_the_word_template(kind: str) -> None:
    fields = shape_fields(kind)
    on_pdf, pdf_unknown = covered(fields, layout_fields(kind, full(kind)))
    in_word, word_unknown = covered(fields, template_fields(docx_sources(str(TEMPLATES / f"{kind}.docx"))))
    assert (on_pdf, pdf_unknown) == (set(), set()), "fields the PDF layout does not print"
    assert (in_word, word_unknown) == (set(), set()), "fields the Word template does not print"


def test_a_field_left_out_of_a_template_is_found(tmp_path: Path) -> None:
    """The check sees a template without a field, and one that names a field no kind has."""
    fields = shape_fields("referral_slip")
    sources = docx_sources(str(TEMPLATES / "referral_slip.docx"))
    without = [s.replace("{{ person.phone }}", "") for s in sources]
    assert covered(fields, template_fields(without))[0] == {"person.phone"}
    extra = [*sources, "{{ person.fax }}"]
    assert covered(fields, template_fields(extra))[1] == {"person.fax"}
    # and the PDF side: a layout reading a field the list lacks, or leaving one out
    assert covered(fields, {"person.fax"})[1] == {"person.fax"}
    assert "difficulty" in covered(fields, set())[0]


def test_the_build_script_refuses_a_template_missing_a_field(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_templates", REPO / "scripts" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    original = module.build_inquiry_record

    def without_channel():  # type: ignore[no-untyped-def]
        doc = original()
        for table in doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        for run in p.runs:
                            run.text = run.text.replace("{{ channel }}", "")
        return doc

    monkeypatch.setitem(module.BUILDERS, "inquiry_record", without_channel)
    with pytest.raises(SystemExit, match="channel"):
        module.build("inquiry_record", tmp_path)
    assert not (tmp_path / "inquiry_record.docx").exists()


def test_word_register_prints_the_anchor_and_the_amendments() -> None:
    data = full("daily_register")
    body = "\n".join(p.text for p in Document(io.BytesIO(render("daily_register", data, "docx"))).paragraphs)
    assert "128:9f2c61d0a4b7e35c" in body and "签字后的更正记录" in body
    doc = Document(io.BytesIO(render("daily_register", data, "docx")))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "登记时录错一位" in cells and "13700001111 → 13700001112" in cells
    plain = load_sample("daily_register")
    plain.pop("amendments", None)
    text = "\n".join(p.text for p in Document(io.BytesIO(render("daily_register", plain, "docx"))).paragraphs)
    assert "签字后的更正记录" not in text


def test_the_word_receipt_carries_its_own_qr_code(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from tests.conftest import missing
    from window_desk.forms import qr_payload

    data = load_sample("referral_slip")
    rendered = render("referral_slip", data, "docx")
    doc = Document(io.BytesIO(rendered))
    texts = [p.text for p in doc.paragraphs]
    receipt_at = next(i for i, t in enumerate(texts) if "回执" in t)
    drawings = [i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//w:drawing")]
    assert drawings and all(i > receipt_at for i in drawings), "the QR code stands in the receipt, below the cut"
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(images) == 1
        (tmp_path / "qr.png").write_bytes(z.read(images[0]))
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        missing("zbarimg (zbar-tools) is not installed")
    out = subprocess.run([zbarimg, "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert out.stdout.strip() == qr_payload("referral_slip", data)
