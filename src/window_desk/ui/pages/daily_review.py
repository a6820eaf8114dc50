"""每日台账 — the supervisor's daily review."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class DailyReviewPage(PlannedPage):
    page_id = "daily_review"
    title = "每日台账"
    shortcut = "Ctrl+5"
    planned = "审核人在此逐日查看当天的首问登记、个案、转介和逾期事项，并签字锁定当日台账。"
