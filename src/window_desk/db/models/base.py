"""Naming conventions, the declarative base and the ``Stamped`` mixin every table shares.

Part of ``window_desk.db.models``, which re-exports every name; import from there."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from window_desk.db.types import AwareDateTime, Money

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: AwareDateTime(), Decimal: Money(), dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """Who created a row and when."""

    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
