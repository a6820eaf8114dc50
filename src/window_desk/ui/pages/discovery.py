"""主动发现（Ctrl+8）：the watch roster, the month's visits entered fast by keyboard, the observation and
monitoring lists, the monthly chart and the supervisors' quarterly spot check.

Visit entry is built for typing in a stack of returned sheets: pick the village and month, and the
form opens on the first household not yet done. Type the date, Tab, the visitor (prefilled with the
assistant), Tab, Space toggles 见到本人，Tab, living situation, needs, action, Enter saves and moves
to the next household. The roster, due-visit, observation and monitoring tables hold the pages they have
fetched and fetch the next one as they are scrolled (``discovery_models``); the forms that add a
household, change its status and review an observation entry are in ``discovery_forms``. Every read and
save runs on the task runner, through the discovery service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
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
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.policy import Policy
from window_desk.services import discovery
from window_desk.services.policy_store import active_policy
from window_desk.timeutil import today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.pages.discovery_chart import MonthChart
from window_desk.ui.pages.discovery_forms import HouseholdForm, ReviewForm, SpotForm, StatusForm
from window_desk.ui.pages.discovery_models import DueModel, MonitoringModel, ObservationModel, PagedModel, RosterModel

REPORT_HEADERS = ("村（社区）", "关注户数", "应走访", "已走访", "未见人", "逾期", "线索", "转入个案")


def _view(model: PagedModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    return view


def _selected(view: QTableView, model: PagedModel) -> Any:
    rows = view.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


class DiscoveryPage(Page):
    page_id = "discovery"
    title = "主动发现"
    shortcut = "Ctrl+8"

    sig_visit_saved = Signal(int)
    """A visit was saved. Arguments: the visit's id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._syncing = False  # new cases going onto the lists in the background (_sync_rest)
        self._pending_next: int | None = None
        self._shown_village = ""
        self._year, self._month = today().year, today().month
        self._policy: Policy | None = None
        self.current: discovery.DueVisit | None = None
        self.current_row = -1
        self.due_model = DueModel(self)
        self.roster_model = RosterModel(self)
        self.obs_model = ObservationModel(self)
        self.mon_model = MonitoringModel(self)
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
        self.spot: SpotForm | None = None
        if self.ctx.user.role in discovery.SUPERVISOR_ROLES:
            self.spot = SpotForm(self)
            self.tabs.addTab(self.spot, "季度抽查")

    # --- tabs ---

    def _build_visits(self) -> None:
        w = QWidget()
        box = QHBoxLayout(w)
        self.due_table = _view(self.due_model, "discovery_due")
        self.due_table.selectionModel().selectionChanged.connect(lambda *_: self._pick_row())
        self.due_model.sig_loaded.connect(self._due_loaded)
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
        chain = (self.v_date, self.v_visitor, self.v_seen, self.v_living, self.v_needs, self.v_action, self.v_lead)
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        box.addWidget(form_w, 2)
        self.tabs.addTab(w, "走访录入")

    def _build_roster(self) -> None:
        w = QWidget()
        outer = QHBoxLayout(w)
        left = QVBoxLayout()
        bar = QHBoxLayout()
        self.roster_status = QComboBox()
        self.roster_status.setObjectName("roster_filter_status")
        self.roster_status.addItem("全部", None)
        for code, label in discovery.STATUSES.items():
            self.roster_status.addItem(label, code)
        self.roster_status.activated.connect(lambda _i: self._reset_roster())
        self.roster_text = QLineEdit()
        self.roster_text.setObjectName("roster_filter_text")
        self.roster_text.setPlaceholderText("户主姓名")
        self.roster_text.returnPressed.connect(self._reset_roster)
        for x in (QLabel("状态："), self.roster_status, QLabel("查找："), self.roster_text):
            bar.addWidget(x)
        bar.addStretch(1)
        left.addLayout(bar)
        self.roster_table = _view(self.roster_model, "discovery_roster")
        left.addWidget(self.roster_table)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        self.add_form = HouseholdForm(self, self._household_added)
        self.status_form = StatusForm(self, lambda: _selected(self.roster_table, self.roster_model),
                                      self._status_saved)
        self.roster_table.selectionModel().selectionChanged.connect(
            lambda *_: self.status_form.show_entry(_selected(self.roster_table, self.roster_model)))
        right.addWidget(self.add_form)
        right.addWidget(self.status_form)
        right.addStretch(1)
        outer.addLayout(right, 2)
        self.tabs.addTab(w, "重点人群花名册")

    def _build_lists(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        box.addWidget(QLabel("救助观察名单（复查日期已到的排在前面）"))
        row = QHBoxLayout()
        self.obs_table = _view(self.obs_model, "discovery_observation")
        self.review_form = ReviewForm(self, lambda: _selected(self.obs_table, self.obs_model), self._reviewed)
        self.obs_table.selectionModel().selectionChanged.connect(
            lambda *_: self.review_form.show_entry(_selected(self.obs_table, self.obs_model)))
        row.addWidget(self.obs_table, 3)
        row.addWidget(self.review_form, 2)
        box.addLayout(row)
        box.addWidget(QLabel("低收入人口动态监测（按现行及已公布的新标准预警）"))
        self.mon_table = _view(self.mon_model, "discovery_monitoring")
        box.addWidget(self.mon_table)
        self.tabs.addTab(w, "观察与监测")

    def _build_chart(self) -> None:
        w = QWidget()
        box = QVBoxLayout(w)
        self.chart = MonthChart()
        self.chart.setObjectName("discovery_chart")
        self.report_table = QTableWidget(0, len(REPORT_HEADERS))
        self.report_table.setHorizontalHeaderLabels(list(REPORT_HEADERS))
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        box.addWidget(self.chart, 2)
        box.addWidget(self.report_table, 1)
        self.tabs.addTab(w, "月报")

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
        """The small things in one read (villages, assistants, the month's report, the latest spot check);
        the four lists start over and fetch their first pages."""
        village = self.village.currentData() if self.village.count() else None
        month_text = self.month.text()
        ctx = self.ctx
        self._generation += 1
        generation = self._generation

        syncing = self._syncing

        def load() -> dict[str, Any]:
            year, month = discovery.parse_month(month_text)
            step = None
            if ctx.user.role in discovery.WRITER_ROLES and not syncing:
                # One page of new cases here; more (a register upgraded with a million cases) go on in the
                # background after the lists are shown (_sync_rest).
                with ctx.uow() as uow:
                    step = discovery.sync_step(uow)
            with ctx.uow(write=False) as uow:
                names = discovery.villages(uow)
                try:
                    policy: Policy | None = active_policy(uow, ctx.policy_path).policy
                except UserError:
                    policy = None
                return {
                    "villages": names, "village": village if village in names else (names[0] if names else None),
                    "year": year, "month": month, "policy": policy, "assistants": discovery.staff(uow, "assistant"),
                    "report": discovery.monthly_report(uow, year, month),
                    "spot": discovery.spot_checks(uow)[:1] if ctx.user.role in discovery.SUPERVISOR_ROLES else [],
                    "generation": generation, "sync": step,
                }

        self.run_task(load, self._loaded, self._failed)

    def _sync_rest(self, step: Any) -> None:
        """New cases left after the first page: one step after another on the worker, the status line
        saying how far it is, the lists reloaded when it is through."""
        self._syncing = True
        self._say(f"正在把个案台账中的新个案同步到观察和监测名单（还有约 {step.left} 件）……")
        ctx = self.ctx

        def more() -> Any:
            with ctx.uow() as uow:
                return discovery.sync_step(uow)

        def done(next_step: Any) -> None:
            if not next_step.done:
                self._sync_rest(next_step)
                return
            self._syncing = False
            self._say("观察和监测名单已与个案台账同步")
            self.reload()

        def failed(exc: BaseException) -> bool:
            self._syncing = False
            return self._failed(exc)

        self.run_task(more, done, failed)

    def _loaded(self, data: dict[str, Any]) -> None:
        if data["generation"] != self._generation:
            return  # an older reload finishing late: a newer one is on its way
        if data["sync"] is not None and not data["sync"].done:
            self._sync_rest(data["sync"])
        self.village.blockSignals(True)
        self.village.clear()
        for name in data["villages"]:
            self.village.addItem(name, name)
        if data["village"]:
            self.village.setCurrentIndex(data["villages"].index(data["village"]))
        self.village.blockSignals(False)
        self.add_form.set_staff(data["assistants"])
        if not self.add_form.village.text() or self.add_form.village.text() == self._shown_village:
            self.add_form.village.setText(data["village"] or "")
        self._shown_village = data["village"] or ""
        self._year, self._month, self._policy = data["year"], data["month"], data["policy"]
        self._reset_due()
        self._reset_roster()
        self.obs_model.reset(lambda after, n: self._read(lambda uow: discovery.observation_page(
            uow, after=after, limit=n)))
        policy = self._policy
        self.mon_model.reset(None if policy is None else lambda after, n: self._read(
            lambda uow: discovery.monitoring_page(uow, policy, after=after, limit=n)))
        report = data["report"]
        self.chart.set_rows(report)
        self.report_table.setRowCount(len(report))
        for r, v in enumerate(report):
            for c, value in enumerate((v.village, v.watched, v.due, v.done, v.unseen, v.overdue, v.leads,
                                       v.cases_opened)):
                self.report_table.setItem(r, c, QTableWidgetItem(str(value)))
        if self.spot is not None:
            self.spot.show_check(data["spot"][0] if data["spot"] else None)

    def _read(self, fn: Any) -> Any:
        """Runs on the worker: one read-only unit of work for one page."""
        with self.ctx.uow(write=False) as uow:
            return fn(uow)

    def _reset_due(self) -> None:
        village, year, month = self._shown_village or None, self._year, self._month
        self.current, self.current_row, self._pending_next = None, -1, -1
        self.household_label.setText("")
        self.due_model.reset(None if village is None else lambda after, n: self._read(
            lambda uow: discovery.due_page(uow, year, month, village=village, after=after, limit=n)))
        if village is None:
            self._pending_next = None
            self.household_label.setText("本月没有重点人群")

    def _reset_roster(self) -> None:
        village, status, text = self._shown_village or None, self.roster_status.currentData(), self.roster_text.text()
        self.status_form.show_entry(None)
        self.roster_model.reset(lambda after, n: self._read(
            lambda uow: discovery.roster_page(uow, village, status=status, text=text, after=after, limit=n)))

    def _due_loaded(self, count: int) -> None:
        rows = self.due_model.rows
        done = sum(d.state == "done" for d in rows)
        more = "（还有更多，向下滚动载入）" if self.due_model.canFetchMore(QModelIndex()) else ""
        self._say(f"本月应走访 {count} 户{more}，已走访 {done} 户")
        if self._pending_next is not None:
            after, self._pending_next = self._pending_next, None
            self._next_open(after)

    def _next_open(self, after: int = -1) -> None:
        """Select the next household after row ``after`` not yet done, fetching further pages if needed."""
        for i in range(after + 1, self.due_model.rowCount()):
            if self.due_model.row_at(i).state != "done":
                self.due_table.selectRow(i)
                return
        if self.due_model.fetch is not None and not self.due_model.exhausted:
            self._pending_next = max(after, self.due_model.rowCount() - 1)
            self.due_model.fetchMore(QModelIndex())  # nothing more to do while a page is on its way
            return
        self.current, self.current_row = None, -1
        self.household_label.setText("本月各户均已走访")

    def _pick_row(self) -> None:
        rows = self.due_table.selectionModel().selectedRows()
        if not rows:
            return
        self.current_row = rows[0].row()
        self.current = d = self.due_model.row_at(self.current_row)
        self.household_label.setText(f"{d.head_name}（第{d.watch_household_id}户，{d.state_label}）")
        for edit in (self.v_date, self.v_living, self.v_needs, self.v_action):
            edit.clear()
        self.v_visitor.setText(d.assistant_name)
        self.v_seen.setChecked(True)
        self.v_lead.setChecked(False)
        if self.v_date.isVisible():  # not when the list was refreshed from another tab
            self.v_date.setFocus()

    # --- saving ---

    def save_visit(self) -> None:
        if self.current is None:
            return
        hid, row, old = self.current.watch_household_id, self.current_row, self.current
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
            state = "done" if args[2] or old.state == "done" else "unseen"
            if row < self.due_model.rowCount() and self.due_model.row_at(row).watch_household_id == hid:
                self.due_model.replace(row, discovery.DueVisit(old.watch_household_id, old.village, old.head_name,
                                                               old.address, old.assistant_id, old.assistant_name,
                                                               state, old.visits))
            extra = f"，已登记首问第{inquiry}号" if inquiry else ""
            self._say(f"已保存{old.head_name}的走访记录{extra}")
            self.sig_visit_saved.emit(visit_id)
            self._next_open(row)

        self.run_task(save, done, self._failed)

    def _household_added(self, hid: int) -> None:
        self._say(f"已登记第{hid}户")
        self.reload()

    def _status_saved(self, entry: discovery.RosterEntry) -> None:
        for i, row in enumerate(self.roster_model.rows):
            if row.id == entry.id:
                self.roster_model.replace(i, entry)
        self._say(f"第{entry.id}户已改为{entry.status_label}")
        self._reset_due()

    def _reviewed(self, info: discovery.ObservationInfo) -> None:
        self._say(f"{info.name}：" + ("已移出观察名单" if info.status != "open" else
                                     f"下次复查日期{info.review_date.isoformat()}"))
        self.obs_model.reset(self.obs_model.fetch)
