"""The content of each document kind: what is printed, in which order, in which table.

``build(kind, data, fonts, width)`` returns the flowables of one document; the page frame, header,
footer, QR code and 补打 mark are ``draw.PageDecor``'s. One module per kind or family of kinds —
``letters`` (the three notices), ``household`` (authorization, application), ``referral`` (slip and
receipt), ``desk`` (inquiry record, prepay voucher), ``register`` (daily register, with
``rowpages``) — on the shared ``base`` (styles, ``Doc``). The drawing primitives are ``forms.draw``'s;
nothing here is imported by them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Flowable

from window_desk.forms.draw import CutLine, QrMark
from window_desk.forms.fonts import FontSet
from window_desk.forms.kinds import KINDS
from window_desk.forms.layouts.base import (AUTH_BODY, BODY, CELL, CHUNK_HEIGHT, FLUSH, GRID_COLOR, HEAD, LABEL,
                                            ITEM, LEAD, NUMBER, SMALL, TITLE, Doc)
from window_desk.forms.layouts.desk import inquiry_record, prepay_voucher
from window_desk.forms.layouts.household import RECORDS, application, authorization
from window_desk.forms.layouts.letters import acceptance_notice, missing_materials_notice, rejection_notice
from window_desk.forms.layouts.referral import referral_slip
from window_desk.forms.layouts.columns import fit_columns, widen
from window_desk.forms.layouts.register import REGISTER, REGISTER_COLUMNS, REGISTER_PAD, TOTAL_LABELS, daily_register
from window_desk.forms.layouts.rowpages import RowPages

__all__ = ["AUTH_BODY", "BODY", "BUILDERS", "CELL", "CHUNK_HEIGHT", "FLUSH", "GRID_COLOR", "HEAD", "ITEM", "LABEL", "LEAD",
           "NUMBER", "RECORDS", "REGISTER", "REGISTER_COLUMNS", "REGISTER_PAD", "SMALL", "TITLE", "TOTAL_LABELS",
           "CutLine", "Doc", "QrMark", "RowPages", "build", "fit_columns", "widen"]

BUILDERS: dict[str, Callable[[Doc], None]] = {
    "authorization": authorization,
    "application": application,
    "acceptance_notice": acceptance_notice,
    "missing_materials_notice": missing_materials_notice,
    "rejection_notice": rejection_notice,
    "referral_slip": referral_slip,
    "inquiry_record": inquiry_record,
    "prepay_voucher": prepay_voucher,
    "daily_register": daily_register,
}
assert set(BUILDERS) == set(KINDS)


def build(kind: str, data: dict[str, Any], fonts: FontSet, width: float) -> list[Flowable]:
    doc = Doc(kind, data, fonts, width)
    BUILDERS[kind](doc)
    return doc.story
