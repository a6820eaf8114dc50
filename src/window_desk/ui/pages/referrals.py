"""转介跟踪 — referrals until their receipt returns."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class ReferralsPage(PlannedPage):
    page_id = "referrals"
    title = "转介跟踪"
    shortcut = "Ctrl+4"
    planned = "转介给各职能部门的事项将在此跟踪，直至回执返回；逾期事项以红色标出。"
