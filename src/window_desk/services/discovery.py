"""主动发现 (seed 004, seed 000 §3): the watch roster, monthly visits, the observation list,
low-income dynamic monitoring, the staff rosters and the quarterly spot check.

This module gathers the public names of its parts, so callers say ``discovery.x``:
``discovery_common`` (vocabularies, pure date helpers), ``discovery_roster`` (staff and watch rosters, the
history panel), ``discovery_visits`` (visits, leads, the monthly report), ``discovery_observation``,
``discovery_monitoring`` and ``discovery_spot``. The rules:

- A household on the roster of a village is *due* one visit in every month from the month it was
  put on the roster (``since``) until it leaves the roster (referred or removed); leaving within a
  month lifts that month's visit. The visit is *done* only by a visit in that month where the
  person was seen: "走访到户不见人不放过" — a visit without seeing the person is recorded but does
  not count. A due visit not done is *overdue* once the month has ended.
- The observation list (救助观察) holds every case whose tier is ``observation`` (added by
  ``sync_from_cases``) and every household a clerk places there, each with the reason it does not
  qualify and a review date (default ``REVIEW_MONTHS`` after placing or reviewing). Reviewing sets
  the next date; taking an entry off the list needs a reason and a supervisor.
- Low-income monitoring holds households whose assessment carried ``dynamic_monitoring``, with
  their per-capita income; ``monitoring_warnings`` compares it with the 低保 standard and the
  low-income line (``low_income_multiplier`` × 低保) of the period in force on a day and of every
  later period already in the policy, and flags a re-check date that has come.
- Spot checks are drawn by a supervisor: a ``random.Random`` seeded with the quarter and the seed,
  over the sorted ids of the quarter's new cases and visits, so the same draw gives the same sample.

Every change goes through a service decorated with ``@requires`` (``discovery.write``; closing an
observation entry and the spot check ``discovery.supervise``) and is audited in the same transaction;
people appear in audit payloads by internal id only.
"""

from __future__ import annotations

from window_desk.services.discovery_common import (
    CHECK_RESULTS,
    MAX_TEXT,
    MONITOR_STATES,
    PAGE_SIZE,
    RECHECK_MONTHS,
    REVIEW_MONTHS,
    STAFF_KINDS,
    STATUSES,
    SUPERVISOR_ROLES,
    URGENCIES,
    VISIT_STATES,
    WRITER_ROLES,
    add_months,
    is_due,
    monitor_state,
    month_bounds,
    parse_month,
    quarter_bounds,
    quarter_of,
    visit_state,
)
from window_desk.services.discovery_monitoring import (
    MonitoringWarning,
    add_monitoring,
    monitoring_page,
    monitoring_warnings,
)
from window_desk.services.discovery_observation import (
    ObservationInfo,
    close_observation,
    observation_list,
    observation_page,
    place_on_observation,
    review_observation,
)
from window_desk.services.discovery_roster import (
    MemberIn,
    MemberInfo,
    RosterEntry,
    RosterStatus,
    StaffInfo,
    add_household,
    add_staff,
    assistant_named,
    history_items,
    roster,
    roster_page,
    roster_status_of,
    set_status,
    staff,
    villages,
)
from window_desk.services.discovery_spot import (
    SpotCheckInfo,
    SpotItemInfo,
    draw_spot_check,
    record_check,
    sample,
    spot_check,
    spot_checks,
)
from window_desk.services.discovery_sync import SyncStep, sync_from_cases, sync_step
from window_desk.services.discovery_visits import (
    DueVisit,
    VillageMonth,
    VisitInfo,
    due_page,
    due_visits,
    monthly_report,
    raise_lead,
    record_visit,
    visits_of,
)

__all__ = [
    "CHECK_RESULTS", "MAX_TEXT", "MONITOR_STATES", "PAGE_SIZE", "RECHECK_MONTHS", "REVIEW_MONTHS", "STAFF_KINDS",
    "STATUSES", "SUPERVISOR_ROLES", "URGENCIES", "VISIT_STATES", "WRITER_ROLES", "DueVisit", "MemberIn",
    "MemberInfo", "MonitoringWarning", "ObservationInfo", "RosterEntry", "RosterStatus", "SpotCheckInfo",
    "SpotItemInfo", "StaffInfo", "VillageMonth", "VisitInfo", "add_household", "add_monitoring", "add_months",
    "add_staff", "assistant_named", "close_observation", "draw_spot_check", "due_page", "due_visits",
    "history_items", "is_due", "monitor_state", "monitoring_page", "monitoring_warnings", "month_bounds",
    "monthly_report", "observation_list", "observation_page", "parse_month", "place_on_observation",
    "quarter_bounds", "quarter_of", "raise_lead", "record_check", "record_visit", "review_observation", "roster",
    "roster_page", "roster_status_of", "sample", "set_status", "spot_check", "spot_checks", "staff",
    "SyncStep", "sync_from_cases", "sync_step", "villages", "visit_state", "visits_of",
]
