"""Policy parameters (救助标准与规则): versioned TOML files, assessment.md §1.

A policy file has a locality and a list of periods, each in force from its
``effective_from`` until the next one starts. The first period sets every
required key; a later period sets only what changed and inherits the rest. A
parsed ``Policy`` holds every period fully resolved, so the assessment never
looks further than ``policy.period_on(day)``.

Every problem in a file is a ``PolicyError`` naming the file, the period and
the key, in Chinese, so a supervisor can fix the file without reading code.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from window_desk.errors import UserError
from window_desk.paths import resource

# Amounts beyond this are typing mistakes, and would strain Decimal's 28 digits.
MAX_AMOUNT = Decimal("1000000000")
FEN = Decimal("0.01")


class PolicyError(UserError):
    """A policy file that cannot be used, or a day no period covers."""

    def __init__(self, message: str, *, filename: str = "", period: str = "", key: str = "") -> None:
        where = " ".join(part for part in (filename, period, key) if part)
        super().__init__(message, field=where or None)
        self.filename = filename
        self.period = period
        self.key = key


# --- the resolved parameters ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standards:
    """元 per person per month."""

    dibao_urban: Decimal
    dibao_rural: Decimal
    tekun_urban: Decimal
    tekun_rural: Decimal
    care_full: Decimal
    care_partial: Decimal
    care_none: Decimal

    def dibao(self, area: str) -> Decimal:
        return self.dibao_urban if area == "urban" else self.dibao_rural

    def tekun(self, area: str) -> Decimal:
        return self.tekun_urban if area == "urban" else self.tekun_rural

    def care(self, self_care: str) -> Decimal:
        return {"full": self.care_full, "partial": self.care_partial, "none": self.care_none}[self_care]


@dataclass(frozen=True, slots=True)
class Rules:
    low_income_multiplier: Decimal
    employment_deduction_ratio: Decimal
    deposit_limit_months: int
    dibao_deduct_rigid: bool
    taper_months: int
    minor_age: int
    elder_age: int
    working_age_min: int
    working_age_max: int
    emergency_months: int
    emergency_prepay_cap: Decimal
    prepay_approval_limit: Decimal
    expenditure_months: int
    temp_max_months: int


# Measures the window decides itself that have no key of their own in the example file:
# they follow the 低保 deadline (same review by the same office) unless the file sets one.
WINDOW_DEADLINE_FALLBACK = {"dibao_single": "dibao", "dibao_taper": "dibao", "low_income": "dibao",
                            "observation": "dibao"}
REFERRAL_CODES = ("medical", "education", "housing", "employment", "disaster", "disability_subsidy",
                  "child_welfare", "legal_aid", "charity", "social_work", "vagrant")


@dataclass(frozen=True, slots=True)
class Deadlines:
    """办理时限 in working days, except ``temp_emergency`` which is in calendar days.

    The optional keys are None when the file never set them; ``for_code`` applies
    the fallbacks (window measures → ``dibao``, referrals → ``referral``).
    """

    dibao: int
    tekun: int
    temp_emergency: int
    prepay_paperwork: int
    temp_expenditure: int
    referral: int
    dibao_single: int | None = None
    dibao_taper: int | None = None
    low_income: int | None = None
    observation: int | None = None
    medical: int | None = None
    education: int | None = None
    housing: int | None = None
    employment: int | None = None
    disaster: int | None = None
    disability_subsidy: int | None = None
    child_welfare: int | None = None
    legal_aid: int | None = None
    charity: int | None = None
    social_work: int | None = None
    vagrant: int | None = None

    def for_code(self, code: str) -> int:
        """The deadline of a measure code; KeyError for a code that is not a measure."""
        own = getattr(self, code, None) if code in _DEADLINE_KEYS else None
        if own is not None:
            return int(own)
        if code in WINDOW_DEADLINE_FALLBACK:
            return int(getattr(self, WINDOW_DEADLINE_FALLBACK[code]))
        if code in REFERRAL_CODES:
            return self.referral
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class Departments:
    """Who receives each referral (职责分工)."""

    medical: str
    education: str
    housing: str
    employment: str
    disaster: str
    disability_subsidy: str
    child_welfare: str
    legal_aid: str
    charity: str
    social_work: str
    vagrant: str

    def for_code(self, code: str) -> str | None:
        """The department for a referral code; None for the window's own measures."""
        return getattr(self, code) if code in REFERRAL_CODES else None


@dataclass(frozen=True, slots=True)
class Period:
    effective_from: date
    standards: Standards
    rules: Rules
    deadlines: Deadlines
    departments: Departments


@dataclass(frozen=True)
class Policy:
    locality: str
    periods: tuple[Period, ...]
    source: str = field(repr=False)
    sha256: str
    filename: str
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.effective_from for p in self.periods))

    def period_on(self, day: date) -> Period:
        """The period in force on ``day``; PolicyError when ``day`` is before the first period."""
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            first = self._starts[0].isoformat()
            raise PolicyError(f"{day.isoformat()} 没有生效的救助标准(政策文件 {Path(self.filename).name} "
                              f"中最早的时期自 {first} 起)", key="application_date")
        return self.periods[index]

    def period_label(self, period: Period) -> str:
        """``第2个时期(2022-07-01)``, as error messages and the desk name a period."""
        return f"第{self.periods.index(period) + 1}个时期({period.effective_from.isoformat()})"


# --- the schema -----------------------------------------------------------------------------

# kind of each key: what values it takes. "req" keys must be set by the first period.
_MONEY, _POSITIVE_MONEY, _MULTIPLIER, _RATIO, _BOOL, _DEPT = "money", "positive", "multiplier", "ratio", "bool", "dept"
_AGE, _MONTHS, _DAYS = "age", "months", "days"
_INT_LIMITS = {_AGE: 150, _MONTHS: 1200, _DAYS: 365}

_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "standards": {
        "dibao_urban": (_POSITIVE_MONEY, True),
        "dibao_rural": (_POSITIVE_MONEY, True),
        "tekun_urban": (_POSITIVE_MONEY, True),
        "tekun_rural": (_POSITIVE_MONEY, True),
        "care_full": (_MONEY, True),
        "care_partial": (_MONEY, True),
        "care_none": (_MONEY, True),
    },
    "rules": {
        "low_income_multiplier": (_MULTIPLIER, True),
        "employment_deduction_ratio": (_RATIO, True),
        "deposit_limit_months": (_MONTHS, True),
        "dibao_deduct_rigid": (_BOOL, True),
        "taper_months": (_MONTHS, True),
        "minor_age": (_AGE, True),
        "elder_age": (_AGE, True),
        "working_age_min": (_AGE, True),
        "working_age_max": (_AGE, True),
        "emergency_months": (_MONTHS, True),
        "emergency_prepay_cap": (_MONEY, True),
        "prepay_approval_limit": (_MONEY, True),
        "expenditure_months": (_MONTHS, True),
        "temp_max_months": (_MONTHS, True),
    },
    "deadlines": {
        **{key: (_DAYS, True) for key in ("dibao", "tekun", "temp_emergency", "prepay_paperwork",
                                           "temp_expenditure", "referral")},
        **{key: (_DAYS, False) for key in (*WINDOW_DEADLINE_FALLBACK, *REFERRAL_CODES)},
    },
    "departments": {key: (_DEPT, True) for key in REFERRAL_CODES},
}
_DEADLINE_KEYS = frozenset(_SCHEMA["deadlines"])
_TABLE_TYPES = {"standards": Standards, "rules": Rules, "deadlines": Deadlines, "departments": Departments}
_PERIOD_KEYS = ("effective_from", *_SCHEMA)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _describe(keys: object) -> str:
    return "、".join(str(k) for k in keys)  # type: ignore[attr-defined]


def _check_value(kind: str, value: Any) -> tuple[Any, str | None]:
    """(typed value, None) or (None, Chinese problem)."""
    if kind == _BOOL:
        return (value, None) if isinstance(value, bool) else (None, "应为 true 或 false")
    if kind == _DEPT:
        if not isinstance(value, str) or not value.strip():
            return None, "应为非空的部门名称(用引号括起的文字)"
        if len(value.strip()) > 100:
            return None, "部门名称过长(最多100个字)"
        return value.strip(), None
    if kind in _INT_LIMITS:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "应为整数"
        if value < 0:
            return None, "不能为负数"
        if value > _INT_LIMITS[kind]:
            return None, f"不能超过{_INT_LIMITS[kind]}"
        return value, None
    # numbers: money, ratios, multipliers (tomllib gives Decimal for floats: parse_float=Decimal)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None, "应为数字"
    number = Decimal(value)
    if not number.is_finite():
        return None, "不是有效的数字"
    if number < 0:
        return None, "不能为负数"
    if number > MAX_AMOUNT:
        return None, "数值过大"
    if kind == _MULTIPLIER:
        return (number, None) if number > 1 else (None, "倍数必须大于1")
    if kind == _RATIO:
        return (number, None) if number <= 1 else (None, "比例应在0到1之间")
    if number != number.quantize(FEN):
        return None, "金额最多两位小数(精确到分)"
    if kind == _POSITIVE_MONEY and number == 0:
        return None, "标准必须大于0"
    return number, None


def _parse_date(value: Any) -> date | None:
    # TOML has real dates; the example writes a quoted string. Both are accepted.
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


_Fail = Callable[..., PolicyError]


def parse_policy(text: str, filename: str = "<policy>") -> Policy:
    """Parse and validate a policy file's text; PolicyError names file, period and key."""

    def fail(message: str, period: str = "", key: str = "") -> PolicyError:
        return PolicyError(message, filename=filename, period=period, key=key)

    raw = _toml(text, fail)
    name = _locality(raw, fail)
    raw_periods = raw.get("period")
    if not isinstance(raw_periods, list) or not raw_periods:
        raise fail("至少需要一个 [[period]] 时期", key="period")

    periods: list[Period] = []
    resolved: dict[str, dict[str, Any]] = {table: {} for table in _SCHEMA}
    previous: date | None = None
    for index, raw_period in enumerate(raw_periods):
        period = _period(raw_period, index, previous, resolved, fail)
        periods.append(period)
        previous = period.effective_from

    return Policy(
        locality=name,
        periods=tuple(periods),
        source=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        filename=filename,
    )


def _toml(text: str, fail: _Fail) -> dict[str, Any]:
    """The file's TOML (decimals exact), with only the two top-level keys it may have."""
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        where = _TOML_POSITION.search(detail)
        position = f"第{where.group(1)}行第{where.group(2)}列" if where else ""
        raise fail(f"TOML 语法错误{position}:{_TOML_POSITION.sub('', detail).strip()}") from None
    for key in raw:
        if key not in ("locality", "period"):
            raise fail(f"未知的项 {key}(只允许 [locality] 和 [[period]])", key=key)
    return raw


def _locality(raw: dict[str, Any], fail: _Fail) -> str:
    """The ``[locality]`` table's name, stripped."""
    locality_table = raw.get("locality")
    if not isinstance(locality_table, dict):
        raise fail("缺少 [locality] 表(地区名称)", key="locality")
    for key in locality_table:
        if key != "name":
            raise fail("未知的项(只允许 name)", key=f"locality.{key}")
    name = locality_table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("应为非空的地区名称", key="locality.name")
    return name.strip()


def _period(raw_period: Any, index: int, previous: date | None, resolved: dict[str, dict[str, Any]],
            fail: _Fail) -> Period:
    """One ``[[period]]``: its start after the previous one's, its values over the earlier periods'
    (``resolved`` carries them on; the first period must set every required one)."""
    label = f"第{index + 1}个时期"
    if not isinstance(raw_period, dict):
        raise fail("应为 [[period]] 表", period=label)
    start = _parse_date(raw_period.get("effective_from"))
    if "effective_from" not in raw_period:
        raise fail("缺少执行起始日", period=label, key="effective_from")
    if start is None:
        raise fail(f"不是有效的日期 {raw_period['effective_from']!r}(应为 YYYY-MM-DD)", period=label,
                   key="effective_from")
    label = f"{label}({start.isoformat()})"
    if previous is not None and start <= previous:
        raise fail(f"时期未按日期先后排列:应晚于前一时期的 {previous.isoformat()}", period=label,
                   key="effective_from")
    for key in raw_period:
        if key not in _PERIOD_KEYS:
            raise fail(f"未知的项(允许:{_describe(_PERIOD_KEYS)})", period=label, key=key)
    for table, schema in _SCHEMA.items():
        values = raw_period.get(table, {})
        if not isinstance(values, dict):
            raise fail("应为表", period=label, key=table)
        for key, value in values.items():
            if key not in schema:
                raise fail("未知的参数", period=label, key=f"{table}.{key}")
            typed, problem = _check_value(schema[key][0], value)
            if problem:
                raise fail(problem, period=label, key=f"{table}.{key}")
            resolved[table][key] = typed
        if index == 0:
            for key, (_, required) in schema.items():
                if required and key not in resolved[table]:
                    raise fail("缺少参数(第一个时期必须设定全部参数)", period=label, key=f"{table}.{key}")
    rules = resolved["rules"]
    if rules["working_age_min"] >= rules["working_age_max"]:
        raise fail(f"劳动年龄上限({rules['working_age_max']})应大于下限({rules['working_age_min']})",
                   period=label, key="rules.working_age_max")
    return Period(
        effective_from=start,
        **{table: _TABLE_TYPES[table](**resolved[table]) for table in _SCHEMA},  # type: ignore[arg-type]
    )


def load_policy(path: str | Path) -> Policy:
    """Read and parse a policy file (UTF-8; a Windows BOM is tolerated)."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PolicyError("政策文件不存在", filename=name) from None
    except UnicodeDecodeError:
        raise PolicyError("政策文件不是 UTF-8 编码的文本", filename=name) from None
    except OSError as exc:
        raise PolicyError(f"无法读取政策文件:{exc.strerror}", filename=name) from None
    return parse_policy(text, name)


def default_policy_path() -> Path:
    return resource("policy", "default.toml")


@cache
def default_policy() -> Policy:
    """The packaged default, parsed once per process."""
    return load_policy(default_policy_path())


__all__ = [
    "Deadlines", "Departments", "Period", "Policy", "PolicyError", "Rules", "Standards",
    "default_policy", "default_policy_path", "load_policy", "parse_policy",
]
