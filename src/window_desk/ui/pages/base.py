"""The base of every page the main window shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from window_desk.ui.context import DeskContext


class Page(QWidget):
    """One page of the desk. Subclasses set the class attributes and build themselves
    from the context they are given (no globals)."""

    page_id: ClassVar[str]
    title: ClassVar[str]
    shortcut: ClassVar[str]
    # Roles that see the page; None means everyone.
    roles: ClassVar[frozenset[str] | None] = None

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page_{self.page_id}")

    def run_task(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], bool | None] | None = None) -> None:
        """Run ``fn`` off the GUI thread; the callbacks are dropped if this page is gone by then."""
        self.ctx.tasks.run(fn, on_done=on_done, on_error=on_error, owner=self)

    def on_shown(self) -> None:
        """Called each time the page becomes the current one (refresh what may have changed)."""

    def flush(self) -> None:
        """Called before the window closes: save anything not yet saved."""

    @classmethod
    def visible_to(cls, role: str) -> bool:
        return cls.roles is None or role in cls.roles


class PlannedPage(Page):
    """A page whose work a later release brings: says so plainly instead of pretending."""

    planned: ClassVar[str] = ""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{self.title}</h2>")
        note = QLabel(f"本页面尚未启用。{self.planned}")
        note.setWordWrap(True)
        for label in (heading, note):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addWidget(label)
        layout.addStretch(1)
