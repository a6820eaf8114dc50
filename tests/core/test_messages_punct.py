"""Full-width punctuation in what the headless commands and the services' errors say in Chinese
(the UI's own strings are scanned by tests/ui/test_papers_text.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import run_cli
from window_desk.errors import UserError
from window_desk.punct import half_width_marks, is_cjk

CLI = Path(__file__).resolve().parents[2] / "src" / "window_desk" / "cli"
# "window-desk register: 消息" — the program's name and its colon are the Unix prefix of every line the
# commands print to stderr, Latin on both sides of the mark; the message after it is what is checked.
PROGRAM_PREFIX = re.compile(r"^(window-desk [a-z -]+)?: ")


def test_every_chinese_cli_string_uses_full_width_punctuation() -> None:
    found: list[str] = []
    for path in sorted(CLI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = PROGRAM_PREFIX.sub("", node.value)
                if any(is_cjk(c) for c in text) and half_width_marks(text):
                    found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert found == []


def test_a_user_error_reads_full_width_however_it_was_written() -> None:
    error = UserError("无法写入 /tmp/day.xlsx:权限不足(只读)", field="--out")
    assert error.message == "无法写入 /tmp/day.xlsx：权限不足（只读）"
    assert str(error) == "--out: 无法写入 /tmp/day.xlsx：权限不足（只读）"
    assert str(UserError("请选择", field="来访方式")) == "来访方式：请选择"
    # Latin text, times and amounts keep their marks.
    assert UserError("09:15, 2,500.00 (A)").message == "09:15, 2,500.00 (A)"


def test_audit_verify_says_so_in_full_width(db_url: str, db: object) -> None:
    done = run_cli("--db", db_url, "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "审计日志完好：共" in done.stdout and "，哈希链校验通过" in done.stdout
    refused = run_cli("--db", db_url, "register", "export", "--date", "2026-11-02", "--out", "day.csv")
    assert refused.returncode == 2
    assert refused.stderr.startswith("window-desk register: --out: 导出文件应以 .xlsx 或 .pdf 结尾：day.csv")
