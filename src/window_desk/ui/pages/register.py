"""个案台账 — the case register."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class RegisterPage(PlannedPage):
    page_id = "register"
    title = "个案台账"
    shortcut = "Ctrl+3"
    planned = "所有个案可按身份证号、姓名或拼音首字母查找,按状态、类别、期限筛选。"
