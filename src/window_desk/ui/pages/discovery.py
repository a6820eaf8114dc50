"""主动发现（Ctrl+8）：the watch roster, the month's visits entered fast by keyboard, the observation and
monitoring lists, the monthly chart (drawn with QPainter: QtCharts is not in PySide6-Essentials) and the
supervisors' quarterly spot check.

Visit entry is built for typing in a stack of returned sheets: pick the village and month, and the
form opens on the first household not yet done. Type the date, Tab, the visitor (prefilled with the
assistant), Tab, Space toggles 见到本人，Tab, living situation, needs, action, Enter saves and moves
to the next household. Every read and save runs on the task runner, through the discovery service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.services import discovery
from window_desk.services.policy_store import active_policy
from window_desk.timeutil import today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page

ROSTER_HEADERS = ("户编号", "村（社区）", "户主", "人数", "纳入原因", "协理员", "纳入时间", "状态")
DUE_HEADERS = ("户编号", "户主", "家庭住址", "协理员", "本月走访")
OBS_HEADERS = ("姓名", "个案编号", "不符合条件的理由", "列入日期", "复查日期", "上次复查")
MON_HEADERS = ("姓名", "城乡", "人均收入（元）", "低保标准（元）", "低收入线（元）", "现状", "预警")
SPOT_HEADERS = ("类别", "抽查对象", "结果", "说明", "抽查人")


def _fill(table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            table.setItem(r, c, item)


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


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


class DiscoveryPage(Page):
    page_id = "discovery"
    title = "主动发现"
    shortcut = "Ctrl+8"

    sig_visit_saved = Signal(int)
    """A visit was saved. Arguments: the visit's id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.due: list[discovery.DueVisit] = []
        self._generation = 0
        self.current: discovery.DueVisit | None = None
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.village = QComboBox()
        self.village.setObjectName("discovery_village")
        self.village.setMinimumWidth(140)
        self.month = QLineEdit(today().strftime("%Y-%m"))
        self.month.setObjectName("discovery_month")
        self.month.setMaximumWidth(90)
        self.status = QLabel("")
        self.status.setObjectName("discovery_status")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.reload)
        self.month.returnPressed.connect(self.reload)
        self.village.activated.connect(lambda _i: self.reload())
        for w in (QLabel("村（社区）："), self.village, QLabel("月份："), self.month, refresh):
            top.addWidget(w)
        top.addWidget(self.status, 1)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._build_visits()
        self._build_roster()
        self._build_lists()
        self._build_chart()
        if self.ctx.user.role in discovery.SUPERVISOR_ROLES:
            self._build_spot()

    # --- tabs ---

    def _build_visits(self) -> None:
        w = QWidget()
        box = QHBoxLayout(w)
        self.due_table = _table(DUE_HEADERS)
        self.due_table.setObjectName("discovery_due")
        self.due_table.itemSelectionChanged.connect(self._pick_row)
        box.addWidget(self.due_table, 3)
        form_w = QWidget()
        form = QFormLayout(form_w)
        self.household_label = QLabel("")
        self.household_label.setObjectName("discovery_household")
        self.v_date = QLineEdit()
        self.v_date.setObjectName("visit_date")
        self.v_date.setPlaceholderText("YYYY-MM-DD")
        self.v_visitor = QLineEdit()
        self.v_visitor.setObjectName("visit_visitor")
        self.v_seen = QCheckBox("见到本人")
        self.v_seen.setObjectName("visit_seen")
        self.v_seen.setChecked(True)
        self.v_living = QLineEdit()
        self.v_living.setObjectName("visit_living")
        self.v_needs = QLineEdit()
        self.v_needs.setObjectName("visit_needs")
        self.v_action = QLineEdit()
        self.v_action.setObjectName("visit_action")
        self.v_lead = QCheckBox("救助需求登记为首问（主动发现）")
        self.v_lead.setObjectName("visit_lead")
        self.v_save = QPushButton("保存（Enter）")
        self.v_save.setObjectName("visit_save")
        self.v_save.clicked.connect(self.save_visit)
        for label, widget in (("户：", self.household_label), ("走访日期：", self.v_date), ("走访人：", self.v_visitor),
                              ("", self.v_seen), ("基本生活状况：", self.v_living), ("救助需求：", self.v_needs),
                              ("处置情况：", self.v_action), ("", self.v_lead), ("", self.v_save)):
            form.addRow(label, widget)
        for edit in (self.v_date, self.v_visitor, self.v_living, self.v_needs, self.v_action):
            edit.returnPressed.connect(self.save_visit)
        QWidget.setTabOrder(self.v_date, self.v_visitor)
        QWidget.setTabOrder(self.v_visitor, self.v_seen)
        QWidget.setTabOrder(self.v_seen, self.v_living)
        QWidget.setTabOrder(self.v_living, self.v_needs)
        QWidget.setTabOrder(self.v_needs, self.v_action)
        QWidget.setTabOrder(self.v_action, self.v_lead)
        box.addWidget(form_w, 2)
        self.tabs.addTab(w, "走访录入")

    def _build_roster(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.roster_status = QComboBox()
        self.roster_status.addItem("全部", None)
        for code, label in discovery.STATUSES.items():
            self.roster_status.addItem(label, code)
        self.roster_status.activated.connect(lambda _i: self.reload())
        self.roster_text = QLineEdit()
        self.roster_text.setPlaceholderText("户主姓名")
        self.roster_text.returnPressed.connect(self.reload)
        for x in (QLabel("状态："), self.roster_status, QLabel("查找："), self.roster_text):
            bar.addWidget(x)
        bar.addStretch(1)
        box.addLayout(bar)
        self.roster_table = _table(ROSTER_HEADERS)
        self.roster_table.setObjectName("discovery_roster")
        box.addWidget(self.roster_table)
        self.tabs.addTab(w, "重点人群花名册")

    def _build_lists(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        box.addWidget(QLabel("救助观察名单（复查日期已到的排在前面）"))
        self.obs_table = _table(OBS_HEADERS)
        self.obs_table.setObjectName("discovery_observation")
        box.addWidget(self.obs_table)
        box.addWidget(QLabel("低收入人口动态监测（按现行及已公布的新标准预警）"))
        self.mon_table = _table(MON_HEADERS)
        self.mon_table.setObjectName("discovery_monitoring")
        box.addWidget(self.mon_table)
        self.tabs.addTab(w, "观察与监测")

    def _build_chart(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        self.chart = MonthChart()
        self.chart.setObjectName("discovery_chart")
        self.report_table = _table(("村（社区）", "关注户数", "应走访", "已走访", "未见人", "逾期", "线索", "转入个案"))
        box.addWidget(self.chart, 2)
        box.addWidget(self.report_table, 1)
        self.tabs.addTab(w, "月报")

    def _build_spot(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.spot_quarter = QLineEdit(discovery.quarter_of(today()))
        self.spot_seed = QSpinBox()
        self.spot_seed.setRange(0, 999999)
        self.spot_n = QSpinBox()
        self.spot_n.setRange(1, 100)
        self.spot_n.setValue(5)
        draw = QPushButton("抽取")
        draw.clicked.connect(self._draw)
        for x in (QLabel("季度："), self.spot_quarter, QLabel("随机数："), self.spot_seed, QLabel("每类数量："),
                  self.spot_n, draw):
            bar.addWidget(x)
        bar.addStretch(1)
        box.addLayout(bar)
        self.spot_table = _table(SPOT_HEADERS)
        self.spot_table.setObjectName("discovery_spot")
        box.addWidget(self.spot_table)
        res = QHBoxLayout()
        self.spot_note = QLineEdit()
        self.spot_note.setPlaceholderText("发现的问题")
        ok = QPushButton("无问题")
        bad = QPushButton("发现问题")
        ok.clicked.connect(lambda: self._check("ok"))
        bad.clicked.connect(lambda: self._check("problem"))
        for x in (self.spot_note, ok, bad):
            res.addWidget(x)
        box.addLayout(res)
        self.spot_items: list[discovery.SpotItemInfo] = []
        self.tabs.addTab(w, "季度抽查")

    # --- loading ---

    def on_shown(self) -> None:
        self.reload()

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            self._say(str(exc))
            return True
        return False

    def reload(self) -> None:
        village = self.village.currentData() if self.village.count() else None
        month_text = self.month.text()
        status = self.roster_status.currentData()
        text = self.roster_text.text()
        ctx = self.ctx
        self._generation += 1
        generation = self._generation

        def load() -> dict[str, Any]:
            year, month = discovery.parse_month(month_text)
            if ctx.user.role in discovery.WRITER_ROLES:
                with ctx.uow() as uow:
                    discovery.sync_from_cases(uow)
            with ctx.uow(write=False) as uow:
                names = discovery.villages(uow)
                vil = village if village in names else (names[0] if names else None)
                try:
                    warnings = discovery.monitoring_warnings(uow, active_policy(uow, ctx.policy_path).policy)
                except UserError:
                    warnings = []
                return {
                    "villages": names, "village": vil,
                    "due": discovery.due_visits(uow, year, month, village=vil) if vil else [],
                    "roster": discovery.roster(uow, vil, status=status, text=text),
                    "observation": discovery.observation_list(uow),
                    "monitoring": warnings,
                    "report": discovery.monthly_report(uow, year, month),
                    "spot": discovery.spot_checks(uow)[:1] if ctx.user.role in discovery.SUPERVISOR_ROLES else [],
                    "generation": generation,
                }

        self.run_task(load, self._loaded, self._failed)

    def _loaded(self, data: dict[str, Any]) -> None:
        if data["generation"] != self._generation:
            return  # an older reload finishing late: a newer one is on its way
        self.village.blockSignals(True)
        self.village.clear()
        for name in data["villages"]:
            self.village.addItem(name, name)
        if data["village"]:
            self.village.setCurrentIndex(data["villages"].index(data["village"]))
        self.village.blockSignals(False)
        self.due = data["due"]
        _fill(self.due_table, [(d.watch_household_id, d.head_name, d.address, d.assistant_name, d.state_label)
                               for d in self.due])
        _fill(self.roster_table, [(e.id, e.village, e.head_name, len(e.members), e.reason, e.assistant_name,
                                   e.since.isoformat(), e.status_label) for e in data["roster"]])
        _fill(self.obs_table, [(o.name, o.case_number, o.reason, o.placed_on.isoformat(),
                                ("【已到】" if o.review_due(today()) else "") + o.review_date.isoformat(),
                                o.last_reviewed_on.isoformat() if o.last_reviewed_on else "") for o in data["observation"]])
        _fill(self.mon_table, [(m.name, "城市" if m.area == "urban" else "农村", m.per_capita_income, m.dibao,
                                m.low_income_line, discovery.MONITOR_STATES[m.state], "；".join(m.warnings))
                               for m in data["monitoring"]])
        report = data["report"]
        self.chart.set_rows(report)
        _fill(self.report_table, [(r.village, r.watched, r.due, r.done, r.unseen, r.overdue, r.leads, r.cases_opened)
                                  for r in report])
        if hasattr(self, "spot_table"):
            self._show_spot(data["spot"][0] if data["spot"] else None)
        done = sum(d.state == "done" for d in self.due)
        self._say(f"本月应走访 {len(self.due)} 户，已走访 {done} 户")
        self._next_open()

    def _next_open(self, after: int = -1) -> None:
        for i, d in enumerate(self.due):
            if i > after and d.state != "done":
                self.due_table.selectRow(i)
                break
        else:
            self.current = None
            self.household_label.setText("本月各户均已走访")

    def _pick_row(self) -> None:
        rows = self.due_table.selectionModel().selectedRows()
        if not rows:
            return
        self.current = self.due[rows[0].row()]
        d = self.current
        self.household_label.setText(f"{d.head_name}（第{d.watch_household_id}户，{d.state_label}）")
        for edit in (self.v_date, self.v_living, self.v_needs, self.v_action):
            edit.clear()
        self.v_visitor.setText(d.assistant_name)
        self.v_seen.setChecked(True)
        self.v_lead.setChecked(False)
        self.v_date.setFocus()

    # --- saving ---

    def save_visit(self) -> None:
        if self.current is None:
            return
        hid = self.current.watch_household_id
        row = self.due.index(self.current)
        args = (self.v_date.text(), self.v_visitor.text(), self.v_seen.isChecked())
        kw = {"living": self.v_living.text(), "needs": self.v_needs.text(), "action": self.v_action.text()}
        lead = self.v_lead.isChecked()
        ctx = self.ctx

        def save() -> tuple[int, int | None]:
            with ctx.uow() as uow:
                visit = discovery.record_visit(uow, hid, *args, **kw)
            inquiry = None
            if lead and visit.needs:
                with ctx.uow() as uow:
                    inquiry = discovery.raise_lead(uow, visit.id, visit.needs)
            return visit.id, inquiry

        def done(result: tuple[int, int | None]) -> None:
            visit_id, inquiry = result
            seen = args[2]
            state = "done" if seen else "unseen"
            old = self.due[row]
            self.due[row] = discovery.DueVisit(old.watch_household_id, old.village, old.head_name, old.address,
                                               old.assistant_id, old.assistant_name, state, old.visits)
            self.due_table.item(row, 4).setText(discovery.VISIT_STATES[state])
            extra = f"，已登记首问第{inquiry}号" if inquiry else ""
            self._say(f"已保存{old.head_name}的走访记录{extra}")
            self.sig_visit_saved.emit(visit_id)
            self._next_open(row)

        self.run_task(save, done, self._failed)

    def _draw(self) -> None:
        quarter, seed, n = self.spot_quarter.text(), self.spot_seed.value(), self.spot_n.value()
        ctx = self.ctx

        def draw() -> discovery.SpotCheckInfo:
            with ctx.uow() as uow:
                return discovery.draw_spot_check(uow, quarter, seed, cases=n, visits=n)

        self.run_task(draw, self._show_spot, self._failed)

    def _show_spot(self, info: discovery.SpotCheckInfo | None) -> None:
        self.spot_items = list(info.items) if info else []
        _fill(self.spot_table, [("个案" if i.kind == "case" else "走访", i.label,
                                 discovery.CHECK_RESULTS.get(i.result or "", "未查"), i.note, i.checked_by or "")
                                for i in self.spot_items])

    def _check(self, result: str) -> None:
        rows = self.spot_table.selectionModel().selectedRows()
        if not rows:
            self._say("请先选择一项抽查对象")
            return
        item = self.spot_items[rows[0].row()]
        note = self.spot_note.text()
        ctx = self.ctx

        def record() -> discovery.SpotCheckInfo:
            with ctx.uow() as uow:
                checked = discovery.record_check(uow, item.id, result, note)
                spot_id = next(s.id for s in discovery.spot_checks(uow) if any(i.id == checked.id for i in s.items))
                return discovery.spot_check(uow, spot_id)

        self.run_task(record, self._show_spot, self._failed)
