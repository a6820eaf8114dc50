"""The pages of the main window, in navigation order.

A page is registered by adding its class here; the main window knows nothing
else about it.
"""

from __future__ import annotations

from window_desk.ui.pages.base import Page
from window_desk.ui.pages.daily_review import DailyReviewPage
from window_desk.ui.pages.discovery import DiscoveryPage
from window_desk.ui.pages.first_inquiry import FirstInquiryPage
from window_desk.ui.pages.intake import IntakePage
from window_desk.ui.pages.referrals import ReferralsPage
from window_desk.ui.pages.register import RegisterPage
from window_desk.ui.pages.reserve import ReservePage
from window_desk.ui.pages.settings import SettingsPage

PAGE_CLASSES: tuple[type[Page], ...] = (
    FirstInquiryPage,
    IntakePage,
    RegisterPage,
    ReferralsPage,
    DailyReviewPage,
    SettingsPage,
    ReservePage,
    DiscoveryPage,
)
