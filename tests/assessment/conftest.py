"""Helpers for the assessment tests: households written compactly, ID numbers made valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from window_desk.idnumber import check_char
from window_desk.policy import Policy, load_policy, parse_policy

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TOML = REPO / "resources" / "policy" / "default.toml"

# The default policy plus a third period that turns the rigid-expense deduction on.
RIGID_PERIOD = """
[[period]]
effective_from = "2026-06-01"
[period.rules]
dibao_deduct_rigid = true
"""


def pid(birth: str, seq: int, region: str = "110101") -> str:
    """A valid 18-digit ID number for a birth date (YYYY-MM-DD): input fabrication, not an expected value."""
    body = f"{region}{birth.replace('-', '')}{seq:03d}"
    return body + check_char(body)


@pytest.fixture(scope="session")
def default_policy() -> Policy:
    return load_policy(DEFAULT_TOML)


@pytest.fixture(scope="session")
def rigid_policy() -> Policy:
    return parse_policy(DEFAULT_TOML.read_text(encoding="utf-8") + RIGID_PERIOD, "rigid.toml")
