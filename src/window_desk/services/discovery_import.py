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
from collections.abc import Callable
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


def _load_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise UserError("不是有效的 .xlsx 文件", field="花名册文件") from None
    ws = wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


LABEL = {key: COLUMNS[key][0] for key in COLUMNS}


def _person(offset: int, get: Callable[[str], Any], cols: dict[str, int], numbers: dict[str, int],
            problems: list[tuple[int, str, str]]) -> tuple[str, str, str]:
    """A row's name, ID number (normalised when valid) and relation code, each problem noted."""
    name = _cell_text(get("name"))
    if not name:
        problems.append((offset, LABEL["name"], "必须填写"))
    number = _cell_text(get("id_number"))
    check = idnumber.check(number)
    if not number:
        problems.append((offset, LABEL["id_number"], "必须填写"))
    elif not check.valid:
        problems.append((offset, LABEL["id_number"], check.error or "身份证号码无效"))
    elif str(check.id_number) in numbers:
        problems.append((offset, LABEL["id_number"], f"与第{numbers[str(check.id_number)]}行重复"))
    else:
        numbers[str(check.id_number)] = offset
    rel_text = _cell_text(get("relation")) or ("户主" if "relation" not in cols else "")
    relation = RELATION_WORDS.get(rel_text)
    if relation is None:
        problems.append((offset, LABEL["relation"], f"无法识别“{rel_text}”" if rel_text else "必须填写"))
        relation = "other"
    return name, str(check.id_number or number), relation


def _since(offset: int, raw: Any, problems: list[tuple[int, str, str]]) -> date | None:
    if raw in (None, ""):
        return None
    try:
        since = raw.date() if isinstance(raw, datetime) else (
            raw if isinstance(raw, date) else date.fromisoformat(_cell_text(raw)))
    except ValueError:
        problems.append((offset, LABEL["since"], f"不是有效的日期：{_cell_text(raw)}"))
        return None
    if since > today():
        problems.append((offset, LABEL["since"], "不能晚于今天"))
    return since


class _Reader:
    """Rows into households: a row starts a new household at its 户编号, or (without that column) at
    each 户主; the household's own fields are taken from its first row that has them."""

    def __init__(self, cols: dict[str, int], village: str) -> None:
        self.cols, self.village = cols, village
        self.problems: list[tuple[int, str, str]] = []
        self.households: list[_Household] = []
        self.by_key: dict[str, _Household] = {}
        self.numbers: dict[str, int] = {}
        self.current: _Household | None = None

    def household(self, offset: int, vil: str, key: str, relation: str) -> _Household:
        hh = self.by_key.get(f"{vil}/{key}") if "household" in self.cols and key else None
        new = hh is None if "household" in self.cols and key else (relation == "self" or self.current is None)
        if new:
            hh = _Household(village=vil, row=offset)
            self.households.append(hh)
            if key:
                self.by_key[f"{vil}/{key}"] = hh
        elif hh is None:
            hh = self.current
        assert hh is not None
        self.current = hh
        return hh

    def row(self, offset: int, row: tuple[Any, ...]) -> None:
        def get(key: str) -> Any:
            j = self.cols.get(key)
            return row[j] if j is not None and j < len(row) else None

        name, number, relation = _person(offset, get, self.cols, self.numbers, self.problems)
        vil = _cell_text(get("village")) or self.village
        if not vil:
            self.problems.append((offset, LABEL["village"], "必须填写"))
        hh = self.household(offset, vil, _cell_text(get("household")), relation)
        if relation == "self" and hh.members and hh.members[0].relation == "self":
            self.problems.append((offset, LABEL["relation"], f"与第{hh.row}行同一户中已有户主"))
        since = _since(offset, get("since"), self.problems)
        if since is not None:
            hh.since = hh.since or since
        for attr in ("reason", "address", "phone", "assistant"):
            text = _cell_text(get(attr))
            if text and not getattr(hh, attr):
                setattr(hh, attr, text)
        member = discovery.MemberIn(name, number, relation)
        if relation == "self":
            hh.members.insert(0, member)
        else:
            hh.members.append(member)

    def finish(self) -> None:
        for hh in self.households:
            if not hh.reason:
                self.problems.append((hh.row, LABEL["reason"], "每户必须填写纳入原因"))
            if not any(m.relation == "self" for m in hh.members):
                self.problems.append((hh.row, LABEL["relation"], "这一户没有户主"))
        if not self.households and not self.problems:
            self.problems.append((0, "表格", "没有数据行"))


def read(data: bytes, *, village: str = "") -> list[_Household]:
    """Parse and check the file; ImportRejected with every problem found."""
    rows = _load_rows(data)
    head, cols = _find_header(rows)
    if head < 0:
        raise ImportRejected([(0, "表头", "找不到“姓名”和“身份证号码”两列")])
    if "village" not in cols and not village:
        raise ImportRejected([(0, "村（社区）", "表中没有这一列，请在导入时指定村（社区）")])
    reader = _Reader(cols, village)
    for offset, row in enumerate(rows[head + 1:], start=head + 2):
        if all(_cell_text(c) == "" for c in row):
            continue
        if len(reader.households) > MAX_ROWS:
            reader.problems.append((offset, "表格", f"超过 {MAX_ROWS} 行，请分村导入"))
            break
        reader.row(offset, row)
    reader.finish()
    if reader.problems:
        raise ImportRejected(sorted(reader.problems))
    return reader.households


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
