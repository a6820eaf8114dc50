"""Importing a village's own watch roster (重点人群花名册, 附件1) from .xlsx.

One row per person; rows with the same 户编号 (or, without that column, each row whose 与户主关系 is
户主 and the rows under it) form one household. Headers are found by name anywhere in the first ten
rows (spaces and full/half-width brackets ignored, a few usual aliases). Every row is checked first;
any bad row — reported by its row number and column name — refuses the whole file, and a good file is
written in one transaction: all or nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from window_desk import idnumber, vocab
from window_desk.errors import UserError
from window_desk.permissions import requires
from window_desk.services import discovery, discovery_roster
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

COLUMNS: dict[str, tuple[str, ...]] = {
    "village": ("村（社区）", "村社区", "村", "社区", "村(社区)名称"),
    "household": ("户编号", "户号", "序号"),
    "name": ("姓名", "成员姓名"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码"),
    "relation": ("与户主关系", "关系"),
    "address": ("家庭住址", "住址"),
    "phone": ("联系电话", "电话"),
    "reason": ("纳入原因", "关注原因", "困难情形", "主要困难"),
    "assistant": ("协理员", "社会救助协理员", "走访人"),
    "since": ("纳入时间", "纳入日期"),
}
REQUIRED = ("name", "id_number")
RELATION_WORDS = {v: k for k, v in vocab.RELATIONS.items()} | {"户主": "self", "本人": "self", "妻": "spouse",
                                                                "夫": "spouse", "子": "child", "女": "child",
                                                                "父": "parent", "母": "parent"}
MAX_ROWS = 5000


class ImportRejected(UserError):
    """The file was refused; ``problems`` lists (row, column, message), nothing was saved."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        lines = [f"第{r}行 {c}：{m}" if r else f"{c}：{m}" for r, c, m in problems[:20]]
        more = f"（另有 {len(problems) - 20} 处）" if len(problems) > 20 else ""
        super().__init__("花名册未导入，请改正后重新导入：\n" + "\n".join(lines) + more, field="花名册文件")


@dataclass
class _Household:
    village: str
    row: int
    reason: str = ""
    address: str = ""
    phone: str = ""
    assistant: str = ""
    since: date | None = None
    members: list[discovery.MemberIn] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    households: int
    persons: int
    ids: tuple[int, ...]


def _norm(text: Any) -> str:
    return re.sub(r"[\s()（）:：*]", "", str(text or ""))


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]]:
    aliases = {_norm(a): key for key, names in COLUMNS.items() for a in names}
    for i, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = aliases.get(_norm(cell))
            if key and key not in found:
                found[key] = j
        if all(k in found for k in REQUIRED):
            return i, found
    return -1, {}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read(data: bytes, *, village: str = "") -> list[_Household]:
    """Parse and check the file; ImportRejected with every problem found."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise UserError("不是有效的 .xlsx 文件", field="花名册文件") from None
    ws = wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    head, cols = _find_header(rows)
    if head < 0:
        raise ImportRejected([(0, "表头", "找不到“姓名”和“身份证号码”两列")])
    if "village" not in cols and not village:
        raise ImportRejected([(0, "村（社区）", "表中没有这一列，请在导入时指定村（社区）")])
    label = {key: COLUMNS[key][0] for key in COLUMNS}
    problems: list[tuple[int, str, str]] = []
    households: list[_Household] = []
    by_key: dict[str, _Household] = {}
    numbers: dict[str, int] = {}
    current: _Household | None = None
    for offset, row in enumerate(rows[head + 1:], start=head + 2):
        def get(key: str, row: tuple[Any, ...] = row) -> Any:
            j = cols.get(key)
            return row[j] if j is not None and j < len(row) else None
        if all(_cell_text(c) == "" for c in row):
            continue
        if len(households) > MAX_ROWS:
            problems.append((offset, "表格", f"超过 {MAX_ROWS} 行，请分村导入"))
            break
        name = _cell_text(get("name"))
        if not name:
            problems.append((offset, label["name"], "必须填写"))
        number = _cell_text(get("id_number"))
        check = idnumber.check(number)
        if not number:
            problems.append((offset, label["id_number"], "必须填写"))
        elif not check.valid:
            problems.append((offset, label["id_number"], check.error or "身份证号码无效"))
        elif str(check.id_number) in numbers:
            problems.append((offset, label["id_number"], f"与第{numbers[str(check.id_number)]}行重复"))
        else:
            numbers[str(check.id_number)] = offset
        rel_text = _cell_text(get("relation")) or ("户主" if "relation" not in cols else "")
        relation = RELATION_WORDS.get(rel_text)
        if relation is None:
            problems.append((offset, label["relation"], f"无法识别“{rel_text}”" if rel_text else "必须填写"))
            relation = "other"
        vil = _cell_text(get("village")) or village
        if not vil:
            problems.append((offset, label["village"], "必须填写"))
        key = _cell_text(get("household"))
        if "household" in cols and key:
            hh = by_key.get(f"{vil}/{key}")
            new = hh is None
        else:
            new = relation == "self" or current is None
            hh = None
        if new:
            hh = _Household(village=vil, row=offset)
            households.append(hh)
            if key:
                by_key[f"{vil}/{key}"] = hh
        assert hh is not None
        current = hh
        if relation == "self" and hh.members and hh.members[0].relation == "self":
            problems.append((offset, label["relation"], f"与第{hh.row}行同一户中已有户主"))
        since_raw = get("since")
        if since_raw not in (None, ""):
            try:
                since = since_raw.date() if isinstance(since_raw, datetime) else (
                    since_raw if isinstance(since_raw, date) else date.fromisoformat(_cell_text(since_raw)))
                if since > today():
                    problems.append((offset, label["since"], "不能晚于今天"))
                hh.since = hh.since or since
            except ValueError:
                problems.append((offset, label["since"], f"不是有效的日期：{_cell_text(since_raw)}"))
        for attr in ("reason", "address", "phone", "assistant"):
            text = _cell_text(get(attr))
            if text and not getattr(hh, attr):
                setattr(hh, attr, text)
        member = discovery.MemberIn(name, str(check.id_number or number), relation)
        if relation == "self":
            hh.members.insert(0, member)
        else:
            hh.members.append(member)
    for hh in households:
        if not hh.reason:
            problems.append((hh.row, label["reason"], "每户必须填写纳入原因"))
        if not any(m.relation == "self" for m in hh.members):
            problems.append((hh.row, label["relation"], "这一户没有户主"))
    if not households and not problems:
        problems.append((0, "表格", "没有数据行"))
    if problems:
        raise ImportRejected(sorted(problems))
    return households


@requires("discovery.write")
def import_roster(uow: UnitOfWork, data: bytes, *, village: str = "", filename: str = "") -> ImportResult:
    """Check the whole file, then write every household in this unit of work and commit once."""
    households = read(data, village=village)
    ids = []
    problems: list[tuple[int, str, str]] = []
    for hh in households:
        assistant = discovery_roster.assistant_named(uow, hh.village, hh.assistant, create=True) if hh.assistant else None
        try:
            row = discovery_roster._new_household(uow, hh.village, hh.members, hh.reason, hh.since or today(), assistant,
                                           hh.address[:200], hh.phone[:32])
        except UserError as exc:
            problems.append((hh.row, exc.field or "", exc.message))
            continue
        ids.append(row.id)
    if problems:
        uow.rollback()
        raise ImportRejected(problems)
    uow.audit("discovery.roster_import", "watch_roster", ",".join(sorted({h.village for h in households}))[:64],
              {"households": len(ids), "file": Path(filename).name[:100]})
    uow.commit()
    return ImportResult(len(ids), sum(len(h.members) for h in households), tuple(ids))
