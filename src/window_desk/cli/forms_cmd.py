"""``window-desk forms``: render one document from a JSON data file; list the kinds.

    window-desk forms render KIND --data FILE --out OUT.pdf|OUT.docx [--reprint] [--font-dir DIR]
    window-desk forms kinds

Bad input (an unknown kind, a file that is not JSON, a missing field, a character
no font has, an unsupported extension) exits 2 with one line naming it, and
leaves no output file: the document is written to a temporary file beside OUT
and renamed only when it is complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from window_desk.cli._common import emit_json, read_input
from window_desk.errors import UserError

EXTENSIONS = {".pdf": "pdf", ".docx": "docx"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("forms", help="文书：由 JSON 数据生成 PDF 或 Word 文书")
    forms_sub = parser.add_subparsers(dest="forms_command", metavar="ACTION", parser_class=type(parser))
    render = forms_sub.add_parser("render", help="生成一份文书")
    render.add_argument("kind", metavar="KIND", help="文书种类（见 window-desk forms kinds）")
    render.add_argument("--data", required=True, metavar="FILE", help="文书数据 JSON 文件；- 表示标准输入")
    render.add_argument("--out", required=True, metavar="OUT", help="输出文件，以 .pdf 或 .docx 结尾")
    render.add_argument("--reprint", action="store_true", help="补打：页面上印“补打”字样")
    render.add_argument("--font-dir", metavar="DIR", help="乡镇字体文件夹（默认取环境变量 WINDOW_DESK_FONT_DIR）")
    render.set_defaults(func=run_render)
    kinds = forms_sub.add_parser("kinds", help="列出文书种类（JSON，每行一种）")
    kinds.set_defaults(func=run_kinds)
    parser.set_defaults(func=_missing_action)


def _missing_action(args: argparse.Namespace) -> int:
    raise UserError("请指定操作：render 或 kinds（例如 window-desk forms render KIND --data FILE --out OUT.pdf）")


def run_kinds(args: argparse.Namespace) -> int:
    from window_desk.forms import KINDS

    for kind, spec in KINDS.items():
        emit_json({"kind": kind, "title": spec.title, "number_word": spec.number_word,
                   "landscape": spec.landscape, "required": list(spec.required)})
    return 0


def run_render(args: argparse.Namespace) -> int:
    from window_desk.cli.assess_cmd import parse_household_json
    from window_desk.forms import KINDS, render, require_kind

    require_kind(args.kind)
    out = Path(args.out)
    fmt = EXTENSIONS.get(out.suffix.lower())
    if fmt is None:
        raise UserError(f"不支持的输出格式 {out.suffix or '（无扩展名）'}：输出文件应以 .pdf 或 .docx 结尾", field="--out")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"输出文件夹不存在：{folder}", field="--out")
    source = "标准输入" if args.data == "-" else args.data
    data = parse_household_json(read_input(args.data, field="--data"), source)
    if not isinstance(data, dict):
        raise UserError(f"{source}：文书数据应为 JSON 对象", field="--data")
    fonts = args.font_dir or None
    content = render(args.kind, data, fmt, reprint=args.reprint, fonts=fonts)
    _write_atomically(out, content)
    print(f"已生成{KINDS[args.kind].title}:{out}", file=sys.stderr)
    return 0


def _write_atomically(out: Path, content: bytes) -> None:
    """Write beside ``out`` and rename: a half-written document never has the real name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent if str(out.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"无法写入 {out}:{exc.strerror}", field="--out") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
