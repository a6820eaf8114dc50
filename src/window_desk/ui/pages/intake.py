"""受理 — ID and authorization intake (placeholder until the intake form lands)."""

from __future__ import annotations

from window_desk.ui.pages.base import PlannedPage


class IntakePage(PlannedPage):
    page_id = "intake"
    title = "受理"
    shortcut = "Ctrl+2"
    planned = "“一证一书”受理:读取身份证、录入共同生活的家庭成员、打印核对授权书并综合评估。"
