"""Policy files (assessment.md §1): the default, validation naming file/period/key, inheritance, period lookup."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from window_desk.errors import UserError
from window_desk.policy import PolicyError, default_policy_path, load_policy, parse_policy

from .conftest import DEFAULT_TOML

TEXT = DEFAULT_TOML.read_text(encoding="utf-8")


def test_default_path_is_the_packaged_file() -> None:
    assert default_policy_path().resolve() == DEFAULT_TOML.resolve()


def test_default_policy_is_the_spec_example() -> None:
    policy = load_policy(DEFAULT_TOML)
    assert policy.locality == "示范镇"
    assert policy.source == TEXT
    assert policy.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert policy.filename == str(DEFAULT_TOML)
    first, second = policy.periods
    assert first.effective_from == date(2021, 11, 1)
    s = first.standards
    assert (s.dibao_urban, s.dibao_rural, s.tekun_urban, s.tekun_rural) == (830, 630, 1420, 1000)
    assert (s.care_full, s.care_partial, s.care_none) == (150, 450, 1000)
    assert all(isinstance(v, Decimal) for v in (s.dibao_urban, s.care_none))
    r = first.rules
    assert r.low_income_multiplier == Decimal("2") and isinstance(r.low_income_multiplier, Decimal)
    assert r.employment_deduction_ratio == Decimal("0.3") and isinstance(r.employment_deduction_ratio, Decimal)
    assert (r.deposit_limit_months, r.taper_months, r.minor_age, r.elder_age) == (24, 6, 18, 60)
    assert (r.working_age_min, r.working_age_max, r.emergency_months) == (16, 60, 3)
    assert (r.emergency_prepay_cap, r.prepay_approval_limit) == (3000, 2000)
    assert (r.expenditure_months, r.temp_max_months, r.dibao_deduct_rigid) == (3, 6, False)
    d = first.deadlines
    assert (d.dibao, d.tekun, d.temp_emergency, d.prepay_paperwork, d.temp_expenditure, d.referral) == (15, 15, 1, 5,
                                                                                                        10, 10)
    assert first.departments.medical == "区医保局" and first.departments.vagrant == "救助管理站"
    assert first.departments.social_work == "乡镇(街道)社工站"
    # The second period sets only dibao_urban and inherits the rest.
    assert second.effective_from == date(2022, 7, 1)
    assert second.standards.dibao_urban == 860
    assert second.standards.dibao_rural == 630 and second.standards.tekun_urban == 1420
    assert second.rules == first.rules and second.deadlines == first.deadlines
    assert second.departments == first.departments


def test_period_on_picks_the_period_in_force() -> None:
    policy = parse_policy(TEXT, "default.toml")
    assert policy.period_on(date(2021, 11, 1)).effective_from == date(2021, 11, 1)
    assert policy.period_on(date(2022, 6, 30)).standards.dibao_urban == 830
    assert policy.period_on(date(2022, 7, 1)).standards.dibao_urban == 860
    assert policy.period_on(date(2030, 1, 1)).standards.dibao_urban == 860


def test_day_before_the_first_period_is_an_error() -> None:
    policy = parse_policy(TEXT, "default.toml")
    with pytest.raises(PolicyError) as err:
        policy.period_on(date(2020, 5, 1))
    assert isinstance(err.value, UserError)
    assert "2020-05-01 没有生效的救助标准" in str(err.value)
    assert "2021-11-01" in str(err.value)
    with pytest.raises(PolicyError):
        policy.period_on(date(2021, 10, 31))


def test_later_periods_inherit_what_they_do_not_set() -> None:
    text = TEXT + """
[[period]]
effective_from = 2023-01-01
[period.rules]
dibao_deduct_rigid = true
[period.deadlines]
medical = 5
[period.departments]
charity = "镇慈善分会"
"""
    policy = parse_policy(text, "three.toml")
    third = policy.periods[2]
    assert third.effective_from == date(2023, 1, 1)  # a TOML date literal works as well as a string
    assert third.standards.dibao_urban == 860  # from period 2
    assert third.standards.dibao_rural == 630  # from period 1
    assert third.rules.dibao_deduct_rigid is True
    assert third.rules.low_income_multiplier == 2
    assert third.deadlines.for_code("medical") == 5
    assert third.deadlines.for_code("education") == 10  # the referral default
    assert policy.periods[1].deadlines.for_code("medical") == 10
    assert third.departments.charity == "镇慈善分会" and third.departments.medical == "区医保局"


def test_deadline_fallbacks_for_measures_without_their_own_key() -> None:
    deadlines = parse_policy(TEXT).periods[0].deadlines
    assert [deadlines.for_code(c) for c in ("dibao_single", "dibao_taper", "low_income", "observation")] == [15] * 4
    assert deadlines.for_code("vagrant") == 10
    with pytest.raises(KeyError):
        deadlines.for_code("nonsense")


def _replace(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def _error(text: str) -> str:
    with pytest.raises(PolicyError) as err:
        parse_policy(text, "town.toml")
    message = str(err.value)
    assert "Traceback" not in message
    assert "town.toml" in message
    return message


BAD_FILES = [
    # (what, text, phrases the message must contain)
    ("unknown standard", _replace("dibao_urban = 860", "dibao_city = 860"),
     ["第2个时期(2022-07-01)", "standards.dibao_city", "未知"]),
    ("unknown period key", _replace('effective_from = "2022-07-01"', 'effective_from = "2022-07-01"\nlabel = "x"'),
     ["第2个时期(2022-07-01)", "label", "未知"]),
    ("unknown top-level key", "title = 'x'\n" + TEXT, ["title", "未知"]),
    ("unknown table in a period", TEXT + "[period.extras]\nx = 1\n", ["第2个时期(2022-07-01)", "extras"]),
    ("first period misses a key", _replace("care_none = 1000", ""), ["第1个时期(2021-11-01)", "standards.care_none",
                                                                    "缺少"]),
    ("first period misses a department", _replace('vagrant = "救助管理站"', ""), ["第1个时期(2021-11-01)",
                                                                           "departments.vagrant"]),
    ("periods out of order", _replace('effective_from = "2022-07-01"', 'effective_from = "2021-07-01"'),
     ["第2个时期(2021-07-01)", "effective_from", "2021-11-01"]),
    ("two periods on one day", _replace('effective_from = "2022-07-01"', 'effective_from = "2021-11-01"'),
     ["第2个时期(2021-11-01)", "effective_from"]),
    ("negative amount", _replace("dibao_urban = 860", "dibao_urban = -860"),
     ["第2个时期(2022-07-01)", "standards.dibao_urban", "不能为负数"]),
    ("negative care", _replace("care_full = 150", "care_full = -1"), ["第1个时期(2021-11-01)", "standards.care_full",
                                                                      "不能为负数"]),
    ("multiplier exactly 1", _replace("low_income_multiplier = 2.0", "low_income_multiplier = 1.0"),
     ["第1个时期(2021-11-01)", "rules.low_income_multiplier", "大于1"]),
    ("multiplier below 1", _replace("low_income_multiplier = 2.0", "low_income_multiplier = 0.5"),
     ["rules.low_income_multiplier", "大于1"]),
    ("ratio above 1", _replace("employment_deduction_ratio = 0.3", "employment_deduction_ratio = 1.3"),
     ["rules.employment_deduction_ratio", "0到1"]),
    ("age not an integer", _replace("elder_age = 60", "elder_age = 60.5"), ["rules.elder_age", "整数"]),
    ("negative age", _replace("minor_age = 18", "minor_age = -18"), ["rules.minor_age", "不能为负数"]),
    ("deadline as text", _replace("dibao = 15", 'dibao = "15"'), ["deadlines.dibao", "整数"]),
    ("negative deadline", _replace("referral = 10", "referral = -1"), ["deadlines.referral", "不能为负数"]),
    ("absurd deadline", _replace("referral = 10", "referral = 100000"), ["deadlines.referral", "365"]),
    ("empty department", _replace('medical = "区医保局"', 'medical = "  "'), ["departments.medical", "部门"]),
    ("department not text", _replace('medical = "区医保局"', "medical = 3"), ["departments.medical"]),
    ("not a real date", _replace('effective_from = "2022-07-01"', 'effective_from = "2022-02-30"'),
     ["第2个时期", "effective_from", "2022-02-30"]),
    ("date in another format", _replace('effective_from = "2022-07-01"', 'effective_from = "2022/07/01"'),
     ["第2个时期", "effective_from"]),
    ("deduction flag not a boolean", _replace("dibao_deduct_rigid = false", 'dibao_deduct_rigid = "no"'),
     ["rules.dibao_deduct_rigid", "true 或 false"]),
    ("fractions of a fen", _replace("dibao_urban = 860", "dibao_urban = 860.005"), ["standards.dibao_urban", "两位小数"]),
    ("zero standard", _replace("dibao_rural = 630", "dibao_rural = 0"), ["standards.dibao_rural", "大于0"]),
    ("not a number", _replace("tekun_urban = 1420", 'tekun_urban = "1420元"'), ["standards.tekun_urban", "数字"]),
    ("nan", _replace("tekun_urban = 1420", "tekun_urban = nan"), ["standards.tekun_urban"]),
    ("working ages crossed", _replace("working_age_min = 16", "working_age_min = 60"),
     ["rules.working_age_max", "下限"]),
    ("no locality", TEXT.replace('[locality]\nname = "示范镇"', ""), ["locality"]),
    ("empty locality name", _replace('name = "示范镇"', 'name = ""'), ["locality.name"]),
    ("no period", '[locality]\nname = "示范镇"\n', ["period", "至少"]),
    ("TOML syntax error", _replace("dibao_urban = 860", "dibao_urban = = 860"), ["TOML 语法错误", "行", "列"]),
]


@pytest.mark.parametrize(("text", "phrases"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_naming_file_period_and_key(text: str, phrases: list[str]) -> None:
    message = _error(text)
    for phrase in phrases:
        assert phrase in message, (phrase, message)


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    lines = TEXT.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("dibao_urban = 860"))
    lines[index] = "dibao_urban = = 860"
    message = _error("\n".join(lines))
    assert f"第{index + 1}行" in message


def test_load_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value) and "不存在" in str(err.value)


def test_load_tolerates_a_windows_bom_and_refuses_other_encodings(tmp_path: Path) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert load_policy(bom).locality == "示范镇"
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(TEXT.encode("gbk"))
    with pytest.raises(PolicyError) as err:
        load_policy(gbk)
    assert "UTF-8" in str(err.value)


def test_error_carries_its_parts() -> None:
    with pytest.raises(PolicyError) as err:
        parse_policy(_replace("dibao_urban = 860", "dibao_urban = -1"), "x.toml")
    assert err.value.filename == "x.toml"
    assert err.value.period == "第2个时期(2022-07-01)"
    assert err.value.key == "standards.dibao_urban"
