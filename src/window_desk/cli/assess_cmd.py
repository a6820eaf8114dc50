"""``window-desk assess FILE [--policy FILE]``: the household JSON of assessment.md §2 in, §5 out."""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from window_desk.cli._common import db_url, read_input
from window_desk.errors import UserError

if TYPE_CHECKING:
    from window_desk.policy import Policy

_JSON_MESSAGES = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "字段名应使用双引号",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "JSON 结束后还有多余内容",
    "Unterminated string starting at": "字符串没有结束的引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义字符",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("assess", help="综合评估：读入家庭情况 JSON，输出评估结果 JSON")
    parser.add_argument("file", metavar="FILE", help="家庭情况 JSON 文件（assessment.md §2）；- 表示标准输入")
    # Its own dest: a subparser default would otherwise overwrite the global --policy.
    parser.add_argument("--policy", dest="assess_policy", metavar="FILE",
                        help="救助政策文件（TOML）；也可写在子命令之前")
    parser.set_defaults(func=run)


class _NotANumber(ValueError):
    pass


def _reject_constant(name: str) -> Decimal:
    raise _NotANumber(name)


def parse_household_json(text: str, source: str) -> object:
    """JSON with every number read as an exact Decimal; a syntax error names line and column."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        message = _JSON_MESSAGES.get(exc.msg, exc.msg)
        raise UserError(f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列，{message}", field=source) from None
    except _NotANumber as exc:  # NaN / Infinity are not amounts
        raise UserError(f"JSON 中不能有 {exc}（不是有效的数值）", field=source) from None
    except ValueError:  # e.g. an integer with thousands of digits
        raise UserError("JSON 中有无法读取的数值", field=source) from None
    except RecursionError:
        raise UserError("JSON 嵌套过深", field=source) from None


def _policy(args: argparse.Namespace) -> Policy:
    from window_desk.policy import default_policy, load_policy

    path = getattr(args, "assess_policy", None) or getattr(args, "policy", None)
    if path:
        return load_policy(Path(path))
    stored = _policy_from_settings(args)
    return stored if stored is not None else default_policy()


def _policy_from_settings(args: argparse.Namespace) -> Policy | None:
    """The policy chosen in settings (cli.md), when a database exists; never creates one."""
    from window_desk.paths import default_db_path

    if not (args.db or os.environ.get("WINDOW_DESK_DB") or default_db_path().exists()):
        return None
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services.policy_store import active_policy
    from window_desk.uow import UnitOfWork

    database = open_database(db_url(args))
    try:
        with UnitOfWork(database, Actor.cli(), write=False) as uow:
            return active_policy(uow).policy
    finally:
        database.dispose()


def run(args: argparse.Namespace) -> int:
    from window_desk.assessment import assess, assessment_to_json, household_from_json

    source = "标准输入" if args.file == "-" else args.file
    obj = parse_household_json(read_input(args.file), source)
    household = household_from_json(obj)
    policy = _policy(args)
    result = assessment_to_json(assess(household, policy))
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0
