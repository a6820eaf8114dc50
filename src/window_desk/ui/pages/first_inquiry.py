"""首问登记 — the first-inquiry log."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class FirstInquiryPage(PlannedPage):
    page_id = "first_inquiry"
    title = "首问登记"
    shortcut = "Ctrl+1"
    planned = "首问登记（来访、来电、协理员上报、部门转来、主动发现）及转办记录将在此登记。"
