"""The intake payload's own rules: its blank shape, the field checks with their Chinese messages, the
signatures and guardians it needs, and the assessment input made from it. Pure functions of the payload
(no database); part of ``window_desk.services.intake``, which re-exports every name."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from window_desk import idnumber, vocab
from window_desk.assessment import (
    assess,
    assessment_to_json,
    household_from_json,
    manual_measure,
    measure_to_json,
)
from window_desk.errors import UserError
from window_desk.money import money_error, parse_money
from window_desk.policy import Policy
from window_desk.timeutil import today

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")
RIGID_FIELDS = ("medical", "education", "care", "housing")
EMERGENCY_EVENTS = frozenset({"disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death"})
# The relation of a guardian to the member signing through them (the glossary's list, without "self").
GUARDIAN_RELATIONS = {code: label for code, label in vocab.RELATIONS.items() if code != "self"}
MINOR_AGE = 18  # 民法典第十七条: under 18 is a minor, without full civil capacity
# A case is open while the window or a department still works on it.
OPEN_STATUSES = frozenset({"accepted", "missing_materials"})
# The window's own benefits a person can already be receiving (a closed case that granted one).
BENEFIT_CODES = frozenset({"dibao", "tekun", "low_income", "dibao_single"})
MEMBER_KEYS = ("id_number", "name", "relation", "labor_capacity", "self_care", "disability", "health", "schooling",
               "employed", "income", "supporter_capable")


def blank_guardian() -> dict[str, str]:
    return {"name": "", "relation": "", "id_number": ""}


def guardian_of(member: dict[str, Any]) -> dict[str, str]:
    """The member's guardian as a dict (drafts written before guardians had fields hold a bare name)."""
    g = member.get("guardian")
    if isinstance(g, dict):
        return {"name": str(g.get("name") or ""), "relation": str(g.get("relation") or ""),
                "id_number": str(g.get("id_number") or "")}
    return {"name": str(g or ""), "relation": "", "id_number": ""}


def blank_member(relation: str = "self") -> dict[str, Any]:
    return {
        "name": "",
        "id_number": "",
        "relation": relation,
        "labor_capacity": "full",
        "self_care": "full",
        "disability": None,
        "health": "healthy",
        "schooling": None,
        "employed": False,
        "supporter_capable": False,
        "lacks_capacity": False,
        "guardian": blank_guardian(),
        "signed": False,
        "income": {field: "0.00" for field in INCOME_FIELDS},
    }


def blank_payload(day: date) -> dict[str, Any]:
    return {
        "application_date": day.isoformat(),
        "area": "urban",
        "address": "",
        "phone": "",
        "matter": "",
        "current_benefits": [],
        "housing": "adequate",
        "events": [],
        "materials": ["id_card", "authorization"],
        "assets": {"deposits": "0.00", "non_essential_vehicles": 0, "extra_houses": 0},
        "rigid_expenses": {field: "0.00" for field in RIGID_FIELDS},
        "members": [blank_member("self")],
        "unsigned_reason": "",
        "duplicate_reason": "",
        "authorization_documents": [],
        "overrides": [],
    }


def _dec(value: object) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal("0")


def json_ready(value: Any) -> Any:
    """Decimals as strings, recursively, for JSON columns."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode  # built once


def sha256_json(value: Any) -> str:
    return hashlib.sha256(_CANONICAL(value).encode("utf-8")).hexdigest()


def member_total_income(member: dict[str, Any]) -> Decimal | None:
    """Everything the member receives a month except exempt income (for the members table);
    None while one of the amounts typed is not an amount (the table says so instead of guessing)."""
    income = member.get("income", {})
    amounts = [parse_money(str(income.get(f, ""))) for f in INCOME_FIELDS if f != "exempt"]
    if any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal("0.00"))


def is_blank(payload: dict[str, Any]) -> bool:
    """True when nothing worth keeping was typed (no draft needed)."""
    fresh = blank_payload(date.fromisoformat(payload["application_date"]))
    return {k: v for k, v in payload.items() if k != "application_date"} == {
        k: v for k, v in fresh.items() if k != "application_date"
    }


def assessment_input(payload: dict[str, Any]) -> dict[str, Any]:
    """The household JSON of assessment.md §2, from the intake payload (money as Decimal)."""
    members = []
    for m in payload["members"]:
        member = {key: m.get(key) for key in MEMBER_KEYS}
        member["id_number"] = idnumber.normalize(m.get("id_number", ""))
        check = idnumber.check(m.get("id_number", ""))
        if check.valid and check.id_number:
            member["id_number"] = check.id_number  # 15-digit numbers upgraded
        member["income"] = {f: _dec(m.get("income", {}).get(f)) for f in INCOME_FIELDS}
        members.append(member)
    return {
        "application_date": payload["application_date"],
        "area": payload["area"],
        "current_benefits": list(payload.get("current_benefits", [])),
        "members": members,
        "assets": {
            "deposits": _dec(payload["assets"].get("deposits")),
            "non_essential_vehicles": int(payload["assets"].get("non_essential_vehicles") or 0),
            "extra_houses": int(payload["assets"].get("extra_houses") or 0),
        },
        "rigid_expenses": {f: _dec(payload["rigid_expenses"].get(f)) for f in RIGID_FIELDS},
        "housing": payload.get("housing", "adequate"),
        "events": list(payload.get("events", [])),
    }


@dataclass(frozen=True)
class FieldProblem:
    """One problem of the form: ``path`` locates the widget (e.g. ("members", 1, "income", "wage")),
    ``field`` is the Chinese name shown, ``message`` says what is wrong."""

    path: tuple[Any, ...]
    field: str
    message: str

    def text(self) -> str:
        return f"{self.field}：{self.message}"


class FormErrors(UserError):
    """Every problem of the form at once; ``problems[0]`` is where the focus goes."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("；\n".join(p.text() for p in problems), field=None)
        self.problems = problems


def needs_guardian(member: dict[str, Any], application_date: date) -> bool:
    """A member without full civil capacity — a minor on the application date, or one marked so —
    signs the authorization letter through a guardian."""
    if member.get("lacks_capacity"):
        return True
    check = idnumber.check(member.get("id_number", ""))
    if check.valid and check.birth_date:
        return idnumber.age_on(check.birth_date, application_date) < MINOR_AGE
    return False


def default_guardians(payload: dict[str, Any]) -> None:
    """Fill a blank guardian of each member who needs one with the applicant (the usual case at the
    window: a parent applying with minor children); the clerk sees it on the form and may change it."""
    members = payload.get("members") or []
    if not members:
        return
    day = date.fromisoformat(payload["application_date"])
    applicant = members[0]
    by_relation = {"child": "parent", "grandchild": "grandparent", "spouse": "spouse", "parent": "child",
                   "sibling": "sibling"}
    for m in members[1:]:
        g = m.get("guardian")
        auto = isinstance(g, dict) and bool(g.get("auto"))
        if needs_guardian(m, day) and (auto or not guardian_of(m)["name"]) and applicant.get("name"):
            # "auto": filled here and not touched by the clerk since, so it follows the member's relation.
            m["guardian"] = {"name": applicant["name"], "relation": by_relation.get(m.get("relation", ""), "other"),
                             "id_number": applicant.get("id_number", ""), "auto": True}


def _member_label(i: int, m: dict[str, Any]) -> str:
    name = str(m.get("name") or "").strip()
    return f"第{i + 1}位成员（{name}）" if name else f"第{i + 1}位成员"


def form_errors(payload: dict[str, Any], on: date | None = None) -> list[FieldProblem]:
    """Every problem of the intake form, in the order of the form (first = where the focus goes).

    Long because: one check per field, written in the form's own order, so the messages (and the
    field the focus jumps to) come out in the order the clerk sees the fields."""
    day_today = on or today()
    out: list[FieldProblem] = []

    def bad(path: tuple[Any, ...], field: str, message: str) -> None:
        out.append(FieldProblem(path, field, message))

    try:
        day = date.fromisoformat(str(payload.get("application_date")))
    except ValueError:
        bad(("application_date",), "申请日期", "不是有效的日期")
        day = day_today
    else:
        if day > day_today:
            bad(("application_date",), "申请日期", f"不能晚于今天({day_today.isoformat()})")
    if not str(payload.get("matter", "")).strip():
        bad(("matter",), "申请事项", "请填写申请事项")
    members = payload.get("members") or []
    if not members:
        bad(("members",), "家庭成员", "至少需要一名家庭成员(申请人)")
    seen: dict[str, int] = {}
    for i, m in enumerate(members):
        label = _member_label(i, m)
        if not str(m.get("name", "")).strip():
            bad(("members", i, "name"), f"{label}·姓名", "姓名不能为空")
        check = idnumber.check(m.get("id_number", ""), today=day_today)
        if not check.valid:
            bad(("members", i, "id_number"), f"{label}·身份证号", f"身份证号码无效:{check.error}")
        elif check.id_number in seen:
            bad(("members", i, "id_number"), f"{label}·身份证号", f"与第{seen[check.id_number] + 1}位成员的身份证号相同")
        else:
            assert check.id_number is not None
            seen[check.id_number] = i
        relation = m.get("relation")
        if relation not in vocab.RELATIONS:
            bad(("members", i, "relation"), f"{label}·关系", "请从列表中选择与申请人的关系")
        elif i == 0 and relation != "self":
            bad(("members", i, "relation"), "第1位成员·关系", "第一位成员应为申请人本人(关系选“本人”)")
        elif i > 0 and relation == "self":
            bad(("members", i, "relation"), f"{label}·关系", "只有第一位成员（申请人）的关系是“本人”")
        for field in INCOME_FIELDS:
            message = money_error(str((m.get("income") or {}).get(field, "")),
                                  f"{label}·{vocab.INCOME_KINDS[field]}")
            if message:
                field_name, _, why = message.partition("：")
                bad(("members", i, "income", field), field_name, why)
        if needs_guardian(m, day):
            g = guardian_of(m)
            who = f"{label}·监护人"
            if not g["name"].strip():
                bad(("members", i, "guardian", "name"), f"{who}姓名",
                    "未成年人或无完全民事行为能力的成员须由监护人代签授权书,请填写监护人")
            if g["relation"] not in GUARDIAN_RELATIONS:
                bad(("members", i, "guardian", "relation"), f"{who}与成员关系", "请选择监护人与该成员的关系")
            g_check = idnumber.check(g["id_number"], today=day_today)
            if not g_check.valid:
                bad(("members", i, "guardian", "id_number"), f"{who}身份证号", f"身份证号码无效:{g_check.error}")
            elif check.valid and g_check.id_number == check.id_number:
                bad(("members", i, "guardian", "id_number"), f"{who}身份证号", "监护人不能是成员本人")
    assets = payload.get("assets") or {}
    message = money_error(str(assets.get("deposits", "")), "存款及有价证券")
    if message:
        bad(("assets", "deposits"), "存款及有价证券", message.partition("：")[2])
    for field in RIGID_FIELDS:
        name = f"月{vocab.RIGID_EXPENSES[field]}支出"
        message = money_error(str((payload.get("rigid_expenses") or {}).get(field, "")), name)
        if message:
            bad(("rigid_expenses", field), name, message.partition("：")[2])
    unknown = [m for m in payload.get("materials", []) if m not in vocab.MATERIALS]
    if unknown:
        bad(("materials",), "已收材料", f"未知的材料 {unknown[0]!r}")
    return out


def check_intake(payload: dict[str, Any], on: date | None = None) -> None:
    """Raise FormErrors with every problem of the form at once (nothing is saved or assessed)."""
    problems = form_errors(payload, on)
    if problems:
        raise FormErrors(problems)


def unsigned_members(payload: dict[str, Any]) -> list[str]:
    """Who has not yet signed the authorization letter (as "姓名" or "姓名(监护人某某代签)")."""
    day = date.fromisoformat(payload["application_date"])
    out = []
    for m in payload.get("members", []):
        if m.get("signed"):
            continue
        name = str(m.get("name") or "").strip() or "(未填姓名)"
        if needs_guardian(m, day) and guardian_of(m)["name"]:
            name += f"(由监护人{guardian_of(m)['name']}代签)"
        out.append(name)
    return out


def check_signatures(payload: dict[str, Any]) -> None:
    """Acceptance needs every signature on the authorization letter, or a written reason why not."""
    unsigned = unsigned_members(payload)
    if unsigned and len(str(payload.get("unsigned_reason", "")).strip()) < 2:
        raise UserError(f"以下成员尚未在核对授权书上签字:{'、'.join(unsigned)}。请在签字核对中勾选,"
                        f"或写明未签字的原因", field="未签字原因")


# --- assessing and accepting ------------------------------------------------------------------


def run_assessment(payload: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The assessment of the payload's household, as the JSON of assessment.md §5. Pure."""
    household = household_from_json(assessment_input(payload))
    return assessment_to_json(assess(household, policy))


def complete_added_measure(payload: dict[str, Any], policy: Policy, override: dict[str, Any]) -> dict[str, Any]:
    """The full measure (department, due date, amounts) for a measure the clerk adds."""
    day = date.fromisoformat(payload["application_date"])
    period = policy.period_on(day)
    amounts = {k: Decimal(v) for k, v in (override.get("amounts") or {}).items()}
    measure = manual_measure(override["code"], period, day, member_ids=override.get("member_ids"),
                             reason=override["reason"], **amounts)
    return measure_to_json(measure)
