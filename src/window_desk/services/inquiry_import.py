"""12345/12349 hotline work orders in as inquiries (``window-desk inquiry import``, and the page's import).

A platform export is an .xlsx or a .csv (UTF-8 with or without BOM, or GBK/GB18030
as Chinese platforms write it). Headers are matched by name, in any order; a
mapping file (JSON ``{"the file's header": "工单号", ...}``) names other headers.
Each row is its own transaction: a 工单号 already imported is skipped and counted,
a bad row is reported with its row number and column and the others still go in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from window_desk.errors import Conflict, UserError
from window_desk.services import inquiries
from window_desk.timeutil import TZ
from window_desk.uow import UnitOfWork

# Standard column → the inquiry field it fills.
COLUMNS = ("工单号", "来电时间", "来电人", "联系电话", "地址", "诉求内容", "紧急程度", "渠道")
REQUIRED = ("工单号", "来电时间", "诉求内容")
# A few spellings platforms use for the same column, besides the standard one.
ALIASES = {"工单编号": "工单号", "受理时间": "来电时间", "来电人姓名": "来电人", "姓名": "来电人",
           "来电号码": "联系电话", "电话": "联系电话", "联系地址": "地址", "诉求": "诉求内容",
           "来电内容": "诉求内容", "紧急度": "紧急程度", "工单来源": "渠道", "来源": "渠道"}
# Which column a service refusal is about.
FIELD_COLUMNS = {"来访人姓名": "来电人", "联系电话": "联系电话", "住址": "地址", "求助事项": "诉求内容",
                 "工单号": "工单号", "登记时间": "来电时间", "来访方式": "渠道", "身份证号": "来电人"}
URGENT_WORDS = {"急难", "紧急", "特急", "加急", "急", "是", "高"}
ORDINARY_WORDS = {"", "普通", "一般", "正常", "否", "低", "中"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
                "%Y%m%d%H%M%S")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class BadRow:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the file's own header, or "" when the row as a whole is wrong
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行" + (f"“{self.column}”列" if self.column else "") + f":{self.message}"


@dataclass
class ImportSummary:
    total: int = 0
    imported: int = 0
    duplicates: int = 0
    bad: list[BadRow] = field(default_factory=list)
    inquiry_ids: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.total, "imported": self.imported, "duplicates": self.duplicates,
                "bad": [{"row": b.row, "column": b.column, "message": b.message} for b in self.bad]}

    def text(self) -> str:
        return f"共 {self.total} 行：导入 {self.imported} 条，重复工单号跳过 {self.duplicates} 条，有误 {len(self.bad)} 行"


# --- reading the file -------------------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{name} 不是 UTF-8 或 GBK 编码的 CSV 文件", field="FILE")


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\u3000", " ").strip()
    return value


def read_rows(path: str | Path) -> tuple[list[str], list[list[Any]]]:
    """The header row and the data rows of an .xlsx or .csv (empty rows dropped later)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise UserError(f"{p.name} 不是电子表格：请提供 .xlsx 或 .csv 文件", field="FILE")
    try:
        size = p.stat().st_size
    except FileNotFoundError as exc:
        raise UserError(f"文件不存在： {p}", field="FILE") from exc
    if size > MAX_FILE_BYTES:
        raise UserError(f"{p.name} 过大（超过50MB）", field="FILE")
    if suffix == ".csv":
        text = _decode(p.read_bytes(), p.name)
        if "\x00" in text:
            raise UserError(f"{p.name} 不是文本格式的 CSV 文件", field="FILE")
        rows = [[_cell(c) for c in r] for r in csv.reader(io.StringIO(text, newline=""))]
    else:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(p, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise UserError(f"{p.name} 不是有效的 .xlsx 电子表格", field="FILE") from exc
        try:
            sheet = book.worksheets[0]
            rows = [[_cell(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    if not rows:
        raise UserError(f"{p.name} 是空表", field="FILE")
    header = [str(h or "").replace("\ufeff", "").strip() for h in rows[0]]
    return header, rows[1:]


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """A mapping file: JSON object from the file's headers to the standard column names."""
    if path is None:
        return {}
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise UserError(f"文件不存在： {p}", field="--mapping") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{p.name} 不是有效的 JSON 对照文件", field="--mapping") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise UserError("对照文件应为 {\"表头\": \"标准列名\"} 形式的 JSON 对象", field="--mapping")
    for target in data.values():
        if target not in COLUMNS:
            raise UserError(f"未知的标准列名“{target}”，可用：{'、'.join(COLUMNS)}", field="--mapping")
    return {k.strip(): v for k, v in data.items()}


def match_header(header: list[str], mapping: dict[str, str], channel: str | None) -> dict[str, int]:
    """Standard column → position in the file; every required column must be found."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        standard = mapping.get(name) or (name if name in COLUMNS else ALIASES.get(name))
        if standard and standard not in positions:
            positions[standard] = i
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise UserError(f"表头中找不到“{'”“'.join(missing)}”列（可用 --mapping 指定对照）", field="FILE")
    if "渠道" not in positions and channel is None:
        raise UserError("文件中没有“渠道”列，请用 --channel 指定（phone_12345 或 phone_12349）", field="--channel")
    return positions


# --- one row ----------------------------------------------------------------------------------------------

class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or 工单号 read as a number
    return str(value).strip()


def _received(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = _text(value)
        if not text:
            raise _RowError("来电时间", "不能为空")
        for fmt in TIME_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise _RowError("来电时间", f"“{text}”不是日期时间（如 2026-12-01 09:30）") from None
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _urgent(value: Any) -> bool:
    text = _text(value)
    if text in URGENT_WORDS:
        return True
    if text in ORDINARY_WORDS:
        return False
    raise _RowError("紧急程度", f"“{text}”无法识别（应为 普通 或 急难）")


def _channel(value: Any, default: str | None) -> str:
    text = _text(value)
    if not text:
        if default is None:
            raise _RowError("渠道", "不能为空（或用 --channel 指定）")
        return default
    if "12349" in text:
        return "phone_12349"
    if "12345" in text:
        return "phone_12345"
    if text in inquiries.CHANNELS:
        return text
    for code, label in inquiries.CHANNELS.items():
        if text == label:
            return code
    raise _RowError("渠道", f"“{text}”无法识别")


def row_to_inquiry(values: list[Any], positions: dict[str, int], channel: str | None) -> inquiries.NewInquiry:
    def get(column: str) -> Any:
        i = positions.get(column)
        return values[i] if i is not None and i < len(values) else None

    order = _text(get("工单号"))
    if not order:
        raise _RowError("工单号", "不能为空")
    return inquiries.NewInquiry(
        channel=_channel(get("渠道"), channel), matter=_text(get("诉求内容")),
        visitor=inquiries.Visitor(name=_text(get("来电人")), phone=_text(get("联系电话")), address=_text(get("地址"))),
        urgent=_urgent(get("紧急程度")), received_at=_received(get("来电时间")), first_responder="",
        work_order_no=order,
    )


# --- the import -------------------------------------------------------------------------------------------

def _iter_rows(rows: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for n, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        yield n, values


def import_file(open_uow: Callable[[], UnitOfWork], path: str | Path, *, channel: str | None = None,
                mapping: dict[str, str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import every row, each in its own transaction (``open_uow()`` gives a fresh unit of work).
    A file that cannot be read, or lacks a required column, is refused whole (UserError)."""
    if channel is not None and channel not in inquiries.CHANNELS:
        raise UserError(f"未知的渠道 {channel}（可用：{'、'.join(inquiries.CHANNELS)}）", field="--channel")
    header, rows = read_rows(path)
    positions = match_header(header, mapping or {}, channel)
    original = {standard: header[i] for standard, i in positions.items()}
    work = list(_iter_rows(rows))
    summary = ImportSummary(total=len(work))
    for done, (n, values) in enumerate(work, start=1):
        try:
            new = row_to_inquiry(values, positions, channel)
            with open_uow() as uow:
                summary.inquiry_ids.append(inquiries.create(uow, new))
            summary.imported += 1
        except _RowError as exc:
            summary.bad.append(BadRow(n, original.get(exc.column, exc.column), exc.message))
        except Conflict as exc:
            if exc.field == "工单号":
                summary.duplicates += 1
            else:
                summary.bad.append(BadRow(n, "", exc.message))
        except UserError as exc:
            column = FIELD_COLUMNS.get(exc.field or "", "")
            summary.bad.append(BadRow(n, original.get(column, column), exc.message))
        if progress is not None:
            progress(done, summary.total)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with open_uow() as uow:
        uow.audit("inquiry.import", "inquiry", "-", {"sha256": digest, "rows": summary.total,
                                                    "imported": summary.imported, "duplicates": summary.duplicates,
                                                    "bad": len(summary.bad)})
        uow.commit()
    return summary
