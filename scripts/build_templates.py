#!/usr/bin/env python3
"""Build the Word templates of the nine documents: ``resources/templates/<kind>.docx``.

    .venv/bin/python scripts/build_templates.py            # rewrite resources/templates/
    .venv/bin/python scripts/build_templates.py --out DIR  # somewhere else

The templates are ordinary Word files with docxtpl (Jinja) placeholders —
``{{ applicant.name }}``, ``{%tr for m in members %}`` table-row loops,
``{%p for x in materials %}`` paragraph loops — so a township can open one in
Word, change the wording or the letterhead, and put the edited copy in its
template folder (``WINDOW_DESK_TEMPLATE_DIR``); ``window_desk.forms.docx_render``
fills them. Keep each ``{{ … }}`` / ``{% … %}`` typed in one go when editing,
and do not delete the rows or paragraphs that hold only a ``{%tr … %}`` or
``{%p … %}`` tag: they are the loops.

Layout after GB/T 9704-2012: A4, top margin 37 mm, binding (left) 28 mm, type
area 156 × 225 mm (so right 26 mm, bottom 35 mm); title 22 pt (二号) 小标宋,
falling back to 黑体; body 16 pt (三号) 仿宋_GB2312, falling back to 仿宋, at
1.5 line spacing; 12 pt (小四) inside tables; page numbers ``— 1 —``. The
daily register is A4 landscape. Every page carries the issuing office, the
document number, the date and the clerk (经办人) in its header and footer.

The builders live in ``window_desk.forms.wordtpl`` (one module per family of kinds, as the PDF
layouts); a template that leaves out a field of its kind's list, or names one the list lacks, is
refused (``window_desk.forms.fields``).

Filters the templates may use (see docx_render): ``cn_date`` (2026-03-09 →
2026年3月9日), ``money`` (→ 2500.00), ``capitals`` (→ 贰仟伍佰元整), ``yesno``
(→ 齐全 / 不全).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from window_desk.forms.docx_render import KINDS, TITLES  # noqa: F401 - for callers
from window_desk.forms.wordtpl import *  # noqa: F403 - BUILDERS, build, build_<kind> for callers and tests
from window_desk.forms.wordtpl import BUILDERS, build
from window_desk.forms.wordtpl import build_all as _build_all

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "resources" / "templates"


def build_all(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    return _build_all(Path(out_dir))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成文书的 Word 模板 (resources/templates/*.docx)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出文件夹 (默认 resources/templates)")
    parser.add_argument("kinds", nargs="*", metavar="KIND", help="只生成这几种 (默认全部): " + ", ".join(KINDS))
    args = parser.parse_args(argv)
    kinds = args.kinds or list(KINDS)
    unknown = [k for k in kinds if k not in BUILDERS]
    if unknown:
        parser.error("未知的文书种类: " + ", ".join(unknown))
    for kind in kinds:
        print(build(kind, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
