"""Portable column types for money and aware times."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

from window_desk.money import from_fen, to_fen
from window_desk.timeutil import TZ


class Money(TypeDecorator[Decimal]):
    """元 as ``Decimal`` in Python, integer fen in the database (exact on every backend)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: object) -> int | None:
        if value is None:
            return None
        if not isinstance(value, (Decimal, int)) or isinstance(value, bool):
            raise TypeError(f"Money column needs Decimal, got {type(value).__name__}")
        return to_fen(Decimal(value))

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        return None if value is None else from_fen(int(value))


class AwareDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware Asia/Shanghai datetimes out; stored as UTC.

    SQLite keeps no offset, so everything is normalised to UTC on the way in and
    read back as UTC; PostgreSQL's timestamptz does the same natively.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use window_desk.timeutil.now()")
        utc = value.astimezone(timezone.utc)
        return utc.replace(tzinfo=None) if getattr(dialect, "name", "") == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(TZ)
