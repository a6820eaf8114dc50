"""The 主动发现 monthly chart: bars per village (due, done, overdue) drawn with QPainter — QtCharts is not
in PySide6-Essentials, and three series of bars do not need a chart dependency."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from window_desk.services import discovery


class MonthChart(QWidget):
    """Bars per village: due, done (seen), overdue — painted by hand."""

    SERIES = (("due", "应走访", QColor("#7f8c8d")), ("done", "已走访", QColor("#27ae60")),
              ("overdue", "逾期", QColor("#c0392b")))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[discovery.VillageMonth] = []
        self.setMinimumHeight(220)

    def set_rows(self, rows: list[discovery.VillageMonth]) -> None:
        self.rows = rows
        self.update()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(40, 50, -10, -40)
        p.setPen(QPen(QColor("#333")))
        for i, (_, label, color) in enumerate(self.SERIES):
            p.fillRect(QRectF(rect.left() + i * 90, 8, 12, 12), color)
            p.drawText(rect.left() + i * 90 + 16, 19, label)
        if not self.rows:
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "本月没有重点人群")
            return
        top = max(max(r.due for r in self.rows), 1)
        p.drawLine(rect.bottomLeft(), rect.bottomRight())
        p.drawText(4, rect.top() + 10, str(top))
        group = rect.width() / len(self.rows)
        bar = max(min(group / (len(self.SERIES) + 1), 40), 4)
        for g, row in enumerate(self.rows):
            x0 = rect.left() + g * group + (group - bar * len(self.SERIES)) / 2
            for s, (key, _, color) in enumerate(self.SERIES):
                value = getattr(row, key)
                h = rect.height() * value / top
                p.fillRect(QRectF(x0 + s * bar, rect.bottom() - h, bar - 2, h), color)
                p.drawText(QRectF(x0 + s * bar, rect.bottom() - h - 16, bar, 14), Qt.AlignmentFlag.AlignCenter,
                           str(value))
            p.drawText(QRectF(rect.left() + g * group, rect.bottom() + 4, group, 18), Qt.AlignmentFlag.AlignCenter,
                       row.village)
        p.end()
