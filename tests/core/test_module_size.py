"""Modules and functions stay small enough to read (issue 17): no module in src/window_desk over 500
lines, no function over 60 lines unless its docstring has a line starting "Long because:" that says
why. A file over a limit is split along its seams, its public names re-exported."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "window_desk"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
REASON = "Long because:"

# Files being split that may stay long for a while (name: why). Empty since issue 17's splits landed;
# nothing else goes here: a new long file or function is split, or says why it is long.
STILL_SPLITTING: dict[str, str] = {}
# Released migrations are history: they are never edited, so their upgrade() stays as it was written.
FROZEN = ("db/migrations/versions/",)


def module_lines(source: str) -> int:
    return len(source.splitlines())


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, length) of each function longer than ``limit`` lines whose docstring gives
    no reason (a line starting ``Long because:``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        doc = ast.get_docstring(node) or ""
        if length > limit and not any(line.strip().startswith(REASON) for line in doc.splitlines()):
            found.append((node.name, node.lineno, length))
    return found


def _measured() -> list[tuple[str, str]]:
    files = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in STILL_SPLITTING or rel.startswith(FROZEN):
            continue
        files.append((rel, path.read_text(encoding="utf-8")))
    return files


def test_no_module_over_500_lines() -> None:
    files = _measured()
    assert len(files) > 100  # the walk really saw the package
    over = [f"{rel}: {module_lines(text)} lines" for rel, text in files if module_lines(text) > MAX_MODULE_LINES]
    assert over == [], "split these along their seams (re-export the public names): " + "; ".join(over)


def test_no_function_over_60_lines_without_a_reason() -> None:
    over = [f"{rel}:{line} {name}() is {length} lines" for rel, text in _measured()
            for name, line, length in long_functions(text)]
    assert over == [], f"split these, or give the reason in a docstring line starting {REASON!r}: " + "; ".join(over)


def test_the_allowlist_holds_only_files_that_still_need_it() -> None:
    """When a file on the list is split, it comes off the list (so the list only ever shrinks)."""
    done = []
    for rel in STILL_SPLITTING:
        path = SRC / rel
        if not path.exists():
            done.append(f"{rel} (gone)")
            continue
        text = path.read_text(encoding="utf-8")
        if module_lines(text) <= MAX_MODULE_LINES and not long_functions(text):
            done.append(rel)
    assert done == [], f"take these off STILL_SPLITTING: {done}"


def test_the_measure_sees_a_long_function_and_its_reason() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    plain = f"def f():\n{body}"
    assert long_functions(plain) == [("f", 1, 61)]
    assert long_functions(f"def f():\n{''.join(body.splitlines(keepends=True)[:59])}") == []  # 60 lines: fine
    reasoned = f'def f():\n    """Sixty steps.\n\n    Long because: one table of steps reads best in one place.\n    """\n{body}'
    assert long_functions(reasoned) == []
    hidden = f'def f():\n    """It mentions Long because: only mid-line."""\n{body}'
    assert [name for name, _, _ in long_functions(hidden)] == ["f"]
    nested = f"class C:\n    def m(self):\n{''.join('    ' + line for line in body.splitlines(keepends=True))}"
    assert [name for name, _, _ in long_functions(nested)] == ["m"]
    assert module_lines("a = 1\n" * 501) == 501
