"""The tables, as SQLAlchemy 2 typed models.

Conventions, so that later migrations add columns rather than redesign:
- every row records ``created_at`` (aware) and ``created_by`` (the actor label:
  a user name, or ``cli:<os user>`` for headless commands);
- codes are the glossary's English names, stored as short strings; the Chinese
  is in ``window_desk.vocab``;
- money is ``Money`` (integer fen), times ``AwareDateTime``; flexible detail
  that the rules own (assessment input and result, document data) is JSON;
- nothing is deleted: voiding, overriding and amending add rows or set flags.

The tables are grouped by area in the modules of this package — ``base`` (the declarative base),
``cases`` (users, settings, people, inquiries, households, cases), ``records`` (policy, assessments,
referrals, documents, daily review, audit), ``additions`` (what migrations 0004–0009 added, in their
order) and ``discovery`` (主动发现) — and every name is re-exported here: import from
``window_desk.db.models``. Importing this package registers every table on ``Base.metadata``, which
Alembic's autogenerate compares against (``db/migrations/env.py``).
"""

from __future__ import annotations

from window_desk.db.models.base import (
    NAMING_CONVENTION,
    Base,
    Stamped,
)
from window_desk.db.models.cases import (
    Case,
    Draft,
    Handoff,
    Household,
    Inquiry,
    Member,
    Person,
    Setting,
    User,
)
from window_desk.db.models.records import (
    Amendment,
    Assessment,
    AuditEntry,
    AuditHead,
    DailyReview,
    Document,
    DocumentCounter,
    DocumentPrint,
    MeasureOverride,
    PolicyVersion,
    Referral,
)
from window_desk.db.models.additions import (
    CaseNameKey,
    DocumentPrintJob,
    PersonPhoto,
    Prepayment,
    ReserveEntry,
)
from window_desk.db.models.discovery import (
    DiscoveryStaff,
    MonitoringEntry,
    ObservationEntry,
    ObservationReview,
    SpotCheck,
    SpotCheckItem,
    WatchHousehold,
    WatchMember,
    WatchVisit,
)

__all__ = [
    "CaseNameKey",
    "NAMING_CONVENTION",
    "Base",
    "Stamped",
    "User",
    "Setting",
    "Person",
    "Inquiry",
    "Handoff",
    "Household",
    "Member",
    "Case",
    "Draft",
    "PolicyVersion",
    "Assessment",
    "MeasureOverride",
    "Referral",
    "DocumentCounter",
    "Document",
    "DocumentPrint",
    "DailyReview",
    "Amendment",
    "AuditEntry",
    "AuditHead",
    "PersonPhoto",
    "Prepayment",
    "ReserveEntry",
    "DocumentPrintJob",
    "DiscoveryStaff",
    "WatchHousehold",
    "WatchMember",
    "WatchVisit",
    "ObservationEntry",
    "ObservationReview",
    "MonitoringEntry",
    "SpotCheck",
    "SpotCheckItem",
]
