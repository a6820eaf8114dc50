"""Which CJK fonts the documents are set in, and which font prints each character.

Three roles (forms.md): ``body`` (宋体/仿宋/楷体 style), ``title`` (黑体/小标宋 style) and
``fallback`` (faces that cover rare characters, e.g. BabelStone Han for Extension B).
Fonts are looked for in this order, first match of a role first:

1. the township's font folder: the ``font_dir`` argument, else the environment
   variable ``WINDOW_DESK_FONT_DIR`` (every .ttf/.ttc/.otf in it, not recursive);
2. the system's fonts: on Windows the known files in ``C:\\Windows\\Fonts``
   (simfang.ttf, simsun.ttc, simkai.ttf, simhei.ttf, …), elsewhere every font that
   fontconfig (``fc-list :lang=zh``) lists as covering Chinese;
3. the fonts the project installs (Debian: fonts-lxgw-wenkai, fonts-wqy-zenhei,
   fonts-babelstone-han, fonts-arphic-uming), by their known paths.

Only TrueType-outline fonts (an sfnt with a ``glyf`` table) are used: reportlab can
embed only those, so CFF-flavoured OpenType (Noto CJK, Source Han) is skipped.

Each role's *chain* is its own faces followed by every other usable face, so a
character the body font lacks is printed by the next face that has it (per
character, see ``FontSet.runs``); a character no face has is a ``RenderError`` that
names the field and the character. Fonts are loaded and registered with reportlab
once per process.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from window_desk.errors import UserError

ROLES = ("body", "title", "fallback")
FONT_DIR_ENV = "WINDOW_DESK_FONT_DIR"
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


class RenderError(UserError):
    """A document cannot be rendered from this data; the message names the field."""

    def __str__(self) -> str:  # the message already names the field
        return self.message


# Name patterns that say which role a face plays (matched against file name, family and
# PostScript name, lower-cased). Earlier pattern = better for that role.
_TITLE_PATTERNS = ("xiaobiaosong", "xbs", "小标宋", "simhei", "heiti", "黑体", "zenhei", "zen hei", "hei")
_BODY_PATTERNS = ("fangsong", "simfang", "仿宋", "fs_gb2312", "simsun", "songti", "宋体", "song",
                  "simkai", "kaiti", "楷体", "wenkai", "kai", "ming")
_FALLBACK_PATTERNS = ("babelstone", "extb", "simsunb", "hanazono", "mingliub", "yahei", "msyh")
# Variants that are worse than the regular face of the same family.
_PENALTY_PATTERNS = ("light", "bold", "mono", "sharp", " tw", " hk", "mbe", "italic")

# Windows: the fonts a Chinese Windows ships, by role.
_WINDOWS_FONTS = {
    "body": ("simfang.ttf", "STFANGSO.TTF", "simsun.ttc", "STSONG.TTF", "simkai.ttf", "STKAITI.TTF"),
    "title": ("FZXBSJW.TTF", "simhei.ttf", "STXIHEI.TTF"),
    "fallback": ("simsunb.ttf", "msyh.ttc", "SimSun-ExtB.ttf"),
}
# The Debian packages scripts/system-packages.sh installs: (path, subfont index, role).
_PROJECT_FONTS = (
    ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, "body"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "body"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "title"),
    ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", 0, "fallback"),
)


@dataclass(frozen=True)
class FontFile:
    """One face on disk: a file and, for a .ttc collection, the index inside it."""

    path: str
    index: int
    role: str
    source: str  # "township", "system" or "project"
    name: str = ""  # family, style and PostScript name where known, for ranking
    family: str = ""  # the family, for skipping a second style of one family


@dataclass
class Face:
    """A face registered with reportlab: its name there, its cmap and its widths."""

    reg_name: str
    file: FontFile
    cmap: dict[int, int]
    widths: dict[int, int]
    default_width: int

    def has(self, code: int) -> bool:
        return self.cmap.get(code, 0) != 0


def sfnt_kinds(path: str | os.PathLike[str]) -> list[bool]:
    """For each face in a .ttf/.otf/.ttc: does it have TrueType outlines (a ``glyf`` table)?"""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12:
                return []
            offsets = [0]
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if count > 1000:
                    return []
                offsets = list(struct.unpack(f">{count}I", fh.read(4 * count)))
            result = []
            for offset in offsets:
                fh.seek(offset)
                sfnt = fh.read(12)
                if len(sfnt) < 12:
                    result.append(False)
                    continue
                num_tables = struct.unpack(">H", sfnt[4:6])[0]
                directory = fh.read(16 * num_tables)
                tags = {directory[i:i + 4] for i in range(0, len(directory), 16)}
                result.append(sfnt[:4] in (b"\x00\x01\x00\x00", b"true") and b"glyf" in tags)
            return result
    except OSError:
        return []


def is_truetype(path: str | os.PathLike[str], index: int = 0) -> bool:
    kinds = sfnt_kinds(path)
    return 0 <= index < len(kinds) and kinds[index]


def classify(*names: str) -> str:
    """The role a face plays, from its file, family and PostScript names."""
    text = " ".join(n.lower() for n in names if n)
    if any(p in text for p in _FALLBACK_PATTERNS):
        return "fallback"
    if any(p in text for p in _TITLE_PATTERNS):
        return "title"
    if any(p in text for p in _BODY_PATTERNS):
        return "body"
    return "fallback"


def _rank(font: FontFile) -> tuple[int, int, str]:
    """Sort key inside one source: the better style for its role first, regular faces first."""
    text = f"{Path(font.path).name} {font.name}".lower()
    patterns = {"title": _TITLE_PATTERNS, "body": _BODY_PATTERNS, "fallback": _FALLBACK_PATTERNS}[font.role]
    best = next((i for i, p in enumerate(patterns) if p in text), len(patterns))
    penalty = sum(1 for p in _PENALTY_PATTERNS if p in text)
    return penalty, best, font.path


def township_fonts(folder: str | os.PathLike[str] | None) -> list[FontFile]:
    """Every TrueType face in the township's folder (not recursive)."""
    if not folder:
        return []
    root = Path(folder)
    if not root.is_dir():
        raise RenderError(f"字体文件夹不存在:{root}", field="font_dir")
    found = []
    for path in sorted(root.iterdir()):
        if path.suffix.lower() not in _FONT_SUFFIXES:
            continue
        for index, ok in enumerate(sfnt_kinds(path)):
            if ok:
                role = classify(path.stem)
                # one face per file: the other faces of a .ttc are variants (SimSun / NSimSun)
                found.append(FontFile(str(path), index, role, "township", path.stem, path.stem))
    return found


def windows_fonts() -> list[FontFile]:
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    found = []
    for role, names in _WINDOWS_FONTS.items():
        for name in names:
            path = folder / name
            if path.is_file() and is_truetype(path):
                found.append(FontFile(str(path), 0, role, "system", path.stem, path.stem.lower()))
    return found


def fontconfig_fonts() -> list[FontFile]:
    """Fonts fontconfig knows cover Chinese, TrueType outlines only."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "--format", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\t%{postscriptname}\n"],
            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=20, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 5 or not parts[0]:
            continue
        path, index_text, family, style, psname = parts[:5]
        try:
            index = int(index_text)
        except ValueError:
            continue
        if not is_truetype(path, index):
            continue
        name = f"{family} {style} {psname}"
        found.append(FontFile(path, index, classify(Path(path).name, family, psname), "system", name, family))
    return found


def _bundled(path: str) -> str:
    """The same font inside an installed bundle's resources/fonts/ (installer/bundle.py puts it there),
    so a desk installed from one file needs no font package from the system."""
    from window_desk.paths import resources_dir

    return str(resources_dir() / "fonts" / Path(path).name)


def project_fonts() -> list[FontFile]:
    found = []
    for p, i, role in _PROJECT_FONTS:
        for candidate in (_bundled(p), p):
            if Path(candidate).is_file() and is_truetype(candidate, i):
                found.append(FontFile(candidate, i, role, "project", Path(p).stem, Path(p).stem.split("-")[0]))
                break
    return found


def discover(font_dir: str | os.PathLike[str] | None = None) -> list[FontFile]:
    """Every usable face, township first, then system, then project; best of each role first."""
    folder = font_dir if font_dir is not None else os.environ.get(FONT_DIR_ENV) or None
    system = windows_fonts() if sys.platform == "win32" else fontconfig_fonts()
    result: list[FontFile] = []
    seen: set[tuple[str, int]] = set()
    for group in (township_fonts(folder), system, project_fonts()):
        for font in sorted(group, key=_rank):
            key = (os.path.realpath(font.path), font.index)
            if key not in seen:
                seen.add(key)
                result.append(font)
    return result


_REGISTERED: dict[tuple[str, int], Face] = {}
_REGISTER_LOCK = threading.Lock()


def load_face(font: FontFile) -> Face:
    """Register one face with reportlab (once per process) and return it."""
    key = (os.path.realpath(font.path), font.index)
    with _REGISTER_LOCK:
        face = _REGISTERED.get(key)
        if face is not None:
            return face
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        reg_name = f"WD{len(_REGISTERED) + 1}-" + re.sub(r"[^A-Za-z0-9]+", "", Path(font.path).stem)[:24]
        if font.index:
            reg_name += f"-{font.index}"
        try:
            ttf = TTFont(reg_name, font.path, subfontIndex=font.index)
        except Exception as exc:  # a broken or unsupported file: say which
            raise RenderError(f"无法读取字体文件 {font.path}:{exc}", field="font") from exc
        _share_tables(ttf.face)
        pdfmetrics.registerFont(ttf)
        ttf_face = ttf.face
        face = Face(reg_name, font, ttf_face.charToGlyph, ttf_face.charWidths, int(ttf_face.defaultWidth))
        _REGISTERED[key] = face
        return face


class _TableSlice:
    """A table of the font file, sliced without copying the whole table first."""

    __slots__ = ("_view", "_start", "_length")

    def __init__(self, view: memoryview, start: int, length: int) -> None:
        self._view, self._start, self._length = view, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, item: slice) -> bytes:
        if not isinstance(item, slice):
            raise TypeError("table slices only")
        start, stop, _ = item.indices(self._length)
        return bytes(self._view[self._start + start:self._start + max(start, stop)])


def _share_tables(face: object) -> None:
    """Stop reportlab copying a font's whole ``glyf`` table for every document it subsets.

    ``TTFontFile.makeSubset`` calls ``get_table('glyf')``, which slices the table out of
    the file's bytes — 15-50 MB for a CJK face, copied for every subset of every
    document (most of the time a document takes). It only ever slices that table again
    glyph by glyph, so a view that slices the file directly gives the same bytes. Small
    tables are cached as they are. The face object is this module's own (one per
    registered font), so no other reportlab user is affected.
    """
    data = getattr(face, "_ttf_data", None)
    original = getattr(face, "get_table", None)
    if not isinstance(data, bytes) or original is None:
        return
    view = memoryview(data)
    cache: dict[str, bytes] = {}

    def get_table(tag: str) -> object:
        if tag == "glyf":
            pos, length = face.get_table_pos(tag)  # type: ignore[attr-defined]
            return _TableSlice(view, pos, length)
        if tag not in cache:
            cache[tag] = original(tag)
        return cache[tag]

    face.get_table = get_table  # type: ignore[attr-defined]


# Characters that never need a glyph: layout handles them.
_LAYOUT_CHARS = frozenset("\n\r\t ")


@dataclass
class FontSet:
    """The faces one render uses, as a fallback chain per role."""

    chains: dict[str, list[Face]]
    files: list[FontFile] = field(default_factory=list)
    _memo: dict[tuple[str, str], Face | None] = field(default_factory=dict, repr=False)

    def face_for(self, char: str, role: str = "body") -> Face | None:
        key = (role, char)
        try:
            return self._memo[key]
        except KeyError:
            pass
        code = ord(char)
        found = next((f for f in self.chains[role] if f.has(code)), None)
        self._memo[key] = found
        return found

    def runs(self, text: str, role: str = "body") -> list[tuple[Face, str]]:
        """``text`` cut into runs that one face prints; a space goes with the run it is in."""
        out: list[tuple[Face, str]] = []
        current: Face | None = None
        start = 0
        for i, ch in enumerate(text):
            face = self.face_for(ch, role)
            if face is None:
                if ch in _LAYOUT_CHARS and current is not None:
                    continue
                raise RenderError(missing_glyph_message(ch, None), field=None)
            if face is not current:
                if current is not None and i > start:
                    out.append((current, text[start:i]))
                current, start = face, i
        if current is not None:
            out.append((current, text[start:]))
        return out

    def check(self, text: str, field_path: str) -> None:
        """Raise ``RenderError`` naming ``field_path`` for the first character nothing can print."""
        for ch in text:
            if ch in _LAYOUT_CHARS:
                continue
            category = unicodedata.category(ch)
            if category in ("Co", "Cn", "Cs") or (category == "Cc"):
                raise RenderError(missing_glyph_message(ch, field_path), field=field_path)
            if self.face_for(ch, "body") is None:
                raise RenderError(missing_glyph_message(ch, field_path), field=field_path)

    def names(self) -> dict[str, list[str]]:
        return {role: [f.file.path + (f"#{f.file.index}" if f.file.index else "") for f in chain]
                for role, chain in self.chains.items()}


def missing_glyph_message(ch: str, field_path: str | None) -> str:
    code = ord(ch)
    category = unicodedata.category(ch)
    shown = ch if category not in ("Cc", "Cs", "Co", "Cn") and ch.isprintable() else ""
    why = {"Co": "(私用区字符)", "Cn": "(未分配的码位)", "Cs": "(孤立的代理码位)", "Cc": "(控制字符)"}.get(category, "")
    where = f"字段 {field_path} 中的" if field_path else "文书中的"
    char = f"「{shown}」" if shown else ""
    return f"{where}字符{char}(U+{code:04X}){why}没有可用字体,无法打印"


_FONTSETS: dict[str, FontSet] = {}
_FONTSET_LOCK = threading.Lock()


def _chain(role: str, faces: list[Face]) -> list[Face]:
    order = {"body": ("body", "fallback", "title"), "title": ("title", "body", "fallback"),
             "fallback": ("fallback", "body", "title")}[role]
    return [f for r in order for f in faces if f.file.role == r]


def get_fontset(fonts: object = None) -> FontSet:
    """The fonts for a render: ``fonts`` may be a ``FontSet``, a folder, or None (env / system / project)."""
    if isinstance(fonts, FontSet):
        return fonts
    if fonts is not None and not isinstance(fonts, (str, os.PathLike)):
        raise TypeError(f"fonts must be a FontSet, a folder or None, not {type(fonts).__name__}")
    folder = os.fspath(fonts) if fonts is not None else os.environ.get(FONT_DIR_ENV) or ""
    with _FONTSET_LOCK:
        cached = _FONTSETS.get(folder)
        if cached is not None:
            return cached
        files = discover(folder or None)
        if not files:
            raise RenderError(
                "没有找到可嵌入的中文 TrueType 字体:请安装 fonts-lxgw-wenkai 等字体包,"
                f"或在环境变量 {FONT_DIR_ENV} 指定的文件夹中放入 simfang.ttf、simhei.ttf 等字体",
                field="font")
        faces = [load_face(f) for f in _usable(files)]
        fontset = FontSet({role: _chain(role, faces) for role in ROLES}, files)
        _FONTSETS[folder] = fontset
        return fontset


def _usable(files: Iterable[FontFile]) -> Iterator[FontFile]:
    """Skip faces that add nothing but cost load time: a second style of a family already in."""
    taken: set[str] = set()
    for font in files:
        family = re.sub(r"\b(mono|sharp|cn|tw|hk|mbe)\b", "", font.family.lower())
        family = " ".join(family.split())
        if family in taken:
            continue
        taken.add(family)
        yield font


def clear_cache() -> None:
    """Forget discovered font sets (registered faces stay registered): for tests and settings changes."""
    with _FONTSET_LOCK:
        _FONTSETS.clear()
