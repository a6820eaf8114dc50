"""The Word templates of the nine documents, built with python-docx (``scripts/build_templates.py``).

One module per family, as the PDF layouts: ``letters``, ``household``, ``desk`` (referral slip, inquiry
record, prepay voucher), ``register``; on ``blocks`` (paragraphs, tables, loops), ``setup`` (a new
document: styles, page, header and footer) and ``base`` (names and low-level XML). ``build`` writes one
template and refuses it when it leaves out a field of the kind's list or names one the list lacks
(``forms.fields``, the same list the PDF layouts print).
"""

from __future__ import annotations

from pathlib import Path

from window_desk.forms.docx_render import KINDS
from window_desk.forms.wordtpl.desk import build_inquiry_record, build_prepay_voucher, build_referral_slip
from window_desk.forms.wordtpl.household import build_application, build_authorization
from window_desk.forms.wordtpl.letters import (build_acceptance_notice, build_missing_materials_notice,
                                               build_rejection_notice)
from window_desk.forms.wordtpl.register import build_daily_register

BUILDERS = {
    "authorization": build_authorization,
    "application": build_application,
    "acceptance_notice": build_acceptance_notice,
    "missing_materials_notice": build_missing_materials_notice,
    "rejection_notice": build_rejection_notice,
    "referral_slip": build_referral_slip,
    "inquiry_record": build_inquiry_record,
    "prepay_voucher": build_prepay_voucher,
    "daily_register": build_daily_register,
}


def check_fields(kind: str, path: Path) -> None:
    """Refuse a template that leaves out a field of the kind's list (``forms.fields``, the list the PDF
    layouts read) or names one that list does not have."""
    from window_desk.forms.fields import covered, docx_sources, shape_fields, template_fields

    missing, unknown = covered(shape_fields(kind), template_fields(docx_sources(str(path))))
    if missing or unknown:
        path.unlink()
        raise SystemExit(f"{kind}.docx: fields missing {sorted(missing)}, unknown {sorted(unknown)}")


def build(kind: str, out_dir: Path) -> Path:
    """Write ``out_dir/<kind>.docx`` and check its fields against the kind's list."""
    doc = BUILDERS[kind]()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{kind}.docx"
    doc.save(str(path))
    check_fields(kind, path)
    return path


def build_all(out_dir: Path) -> list[Path]:
    return [build(kind, Path(out_dir)) for kind in KINDS]


__all__ = ["BUILDERS", "build", "build_all", "check_fields", *(f.__name__ for f in BUILDERS.values())]
