"""``window-desk assess FILE [--policy FILE]`` as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

from .conftest import DEFAULT_TOML, pid

# The household of table row dibao_urban_basic, as a clerk would type it: plain JSON numbers.
HOUSEHOLD_TEXT = """{
  "application_date": "2026-03-02",
  "area": "urban",
  "current_benefits": [],
  "members": [
    {"id_number": "%s", "name": "甲", "relation": "self", "labor_capacity": "full", "self_care": "full",
     "disability": null, "health": "healthy", "schooling": null, "employed": true, "supporter_capable": true,
     "income": {"wage": 1000.00, "business": 0, "property": 0, "transfer": 0, "other": 0, "exempt": 0}},
    {"id_number": "%s", "name": "乙", "relation": "spouse", "labor_capacity": "full", "self_care": "full",
     "disability": null, "health": "healthy", "schooling": null, "employed": true, "supporter_capable": true,
     "income": {"wage": 600.1, "other": 0}},
    {"id_number": "%s", "name": "丙", "relation": "child", "labor_capacity": "full", "self_care": "full",
     "disability": null, "health": "healthy", "schooling": "compulsory", "employed": false,
     "supporter_capable": true, "income": {"wage": %s}}
  ],
  "assets": {"deposits": 0, "non_essential_vehicles": 0, "extra_houses": 0},
  "rigid_expenses": {"medical": 0, "education": 0, "care": 0, "housing": 0},
  "housing": "adequate",
  "events": []
}
"""
IDS = (pid("1980-01-15", 1), pid("1982-06-20", 2), pid("2015-09-01", 3))


def household_text(child_wage: str = "0", date: str = "2026-03-02") -> str:
    return (HOUSEHOLD_TEXT % (*IDS, child_wage)).replace("2026-03-02", date)


def _check_usage_error(proc: Any) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    return str(proc.stderr)


def _check_result(result: dict[str, Any], effective_from: str = "2022-07-01") -> None:
    # 1000 − 258 = 742; 600.10 − 258 = 342.10 (600.1 read exactly, no float); I = 1084.10, n = 3,
    # P = 361.3666… → 361.37; dibao 2580 − 1084.10 = 1495.90.
    assert result["policy"] == {"locality": "示范镇", "effective_from": effective_from}
    assert result["counted_income"] == "1084.10"
    assert result["per_capita_income"] == "361.37"
    assert result["tier"] == "dibao"
    assert [(m["code"], m.get("monthly_amount"), m["due_date"]) for m in result["measures"]] == [
        ("dibao", "1495.90", "2026-03-23"), ("education", None, "2026-03-16")]
    assert result["measures"][1]["member_ids"] == [IDS[2]]


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "household.json"
    path.write_text(household_text(), encoding="utf-8")
    proc = run_cli("assess", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "最低生活保障" in proc.stdout  # real Chinese, not \\u escapes
    _check_result(json.loads(proc.stdout))


def test_stdin() -> None:
    proc = run_cli("assess", "-", stdin=household_text())
    assert proc.returncode == 0, proc.stderr
    _check_result(json.loads(proc.stdout))


def test_policy_option_before_or_after_the_command(tmp_path: Path) -> None:
    # A town whose urban standard is 900 from 2026-01-01. The employment deduction follows S: 0.3 × 900 = 270,
    # so 1000 − 270 = 730 and 600.10 − 270 = 330.10, I = 1060.10 → dibao 2700 − 1060.10 = 1639.90.
    policy = tmp_path / "town.toml"
    policy.write_text(DEFAULT_TOML.read_text(encoding="utf-8")
                      + '\n[[period]]\neffective_from = "2026-01-01"\n[period.standards]\ndibao_urban = 900\n',
                      encoding="utf-8")
    for args in (("assess", "-", "--policy", str(policy)), ("--policy", str(policy), "assess", "-")):
        proc = run_cli(*args, stdin=household_text())
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        assert result["policy"]["effective_from"] == "2026-01-01"
        assert result["standards"]["dibao"] == "900.00"
        assert result["measures"][0]["monthly_amount"] == "1639.90"


def test_bad_json_names_line_and_column() -> None:
    text = household_text().replace('"area": "urban",', '"area": "urban"')  # missing comma at the end of line 3
    stderr = _check_usage_error(run_cli("assess", "-", stdin=text))
    assert "JSON 格式错误" in stderr and "第4行" in stderr and "列" in stderr


def test_bad_field_names_the_path() -> None:
    stderr = _check_usage_error(run_cli("assess", "-", stdin=household_text(child_wage="-5")))
    assert "members[2].income.wage" in stderr and "不能为负数" in stderr


def test_missing_file(tmp_path: Path) -> None:
    stderr = _check_usage_error(run_cli("assess", str(tmp_path / "nope.json")))
    assert "文件不存在" in stderr


def test_application_before_the_first_period() -> None:
    stderr = _check_usage_error(run_cli("assess", "-", stdin=household_text(date="2020-05-01")))
    assert "2020-05-01 没有生效的救助标准" in stderr and "2021-11-01" in stderr


def test_bad_policy_file_names_file_period_and_key(tmp_path: Path) -> None:
    policy = tmp_path / "bad.toml"
    policy.write_text(DEFAULT_TOML.read_text(encoding="utf-8").replace("dibao_urban = 860", "dibao_urban = -860"),
                      encoding="utf-8")
    stderr = _check_usage_error(run_cli("assess", "-", "--policy", str(policy), stdin=household_text()))
    assert "bad.toml" in stderr and "第2个时期(2022-07-01)" in stderr and "standards.dibao_urban" in stderr


def test_without_option_uses_the_policy_chosen_in_settings(tmp_path: Path) -> None:
    """cli.md: the default is the policy chosen in settings when a database has one."""
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.db.config import default_db_url
    from window_desk.policy import parse_policy
    from window_desk.services.policy_store import record_version
    from window_desk.uow import UnitOfWork

    chosen = parse_policy(DEFAULT_TOML.read_text(encoding="utf-8").replace('name = "示范镇"', 'name = "东风镇"'),
                          "dongfeng.toml")
    database = open_database(default_db_url())  # the isolated data folder of this test
    try:
        with UnitOfWork(database, Actor.cli()) as uow:
            record_version(uow, chosen, activate=True)
            uow.commit()
    finally:
        database.dispose()
    proc = run_cli("assess", "-", stdin=household_text())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["policy"]["locality"] == "东风镇"
