"""设置 — settings."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class SettingsPage(PlannedPage):
    page_id = "settings"
    title = "设置"
    shortcut = "Ctrl+6"
    planned = "本单位名称、救助政策文件、字体目录和用户管理。"
