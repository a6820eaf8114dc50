"""Where the documents' fonts come from: township folder, system, project; TrueType only."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from tests.conftest import missing
from window_desk.forms import RenderError, render_pdf
from window_desk.forms import fonts as F
from tests.forms.pdf_tools import load_sample, pdffonts

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def _need(path: Path) -> Path:
    if not path.is_file():
        missing(f"{path} is not installed (scripts/system-packages.sh installs it)")
    return path


@pytest.fixture(autouse=True)
def _fresh_fontsets() -> None:
    F.clear_cache()
    yield
    F.clear_cache()


def _fake_sfnt(path: Path, tag: bytes, tables: list[bytes]) -> None:
    """A minimal sfnt header with a table directory (enough for the outline check)."""
    head = tag + struct.pack(">HHHH", len(tables), 0, 0, 0)
    directory = b"".join(t + struct.pack(">III", 0, 0, 0) for t in tables)
    path.write_bytes(head + directory)


def test_only_truetype_outlines_count(tmp_path: Path) -> None:
    _fake_sfnt(tmp_path / "cff.otf", b"OTTO", [b"CFF ", b"cmap", b"head"])
    _fake_sfnt(tmp_path / "tt.ttf", b"\x00\x01\x00\x00", [b"glyf", b"cmap", b"head", b"loca"])
    _fake_sfnt(tmp_path / "notglyf.ttf", b"\x00\x01\x00\x00", [b"cmap", b"head"])
    (tmp_path / "junk.ttf").write_bytes(b"not a font")
    assert F.sfnt_kinds(tmp_path / "cff.otf") == [False]
    assert F.sfnt_kinds(tmp_path / "tt.ttf") == [True]
    assert F.sfnt_kinds(tmp_path / "notglyf.ttf") == [False]
    assert not any(F.sfnt_kinds(tmp_path / "junk.ttf"))
    assert F.is_truetype(_need(UMING), 0)  # a .ttc collection
    found = F.township_fonts(tmp_path)
    assert [Path(f.path).name for f in found] == ["tt.ttf"]


def test_fontconfig_lists_no_cff_font() -> None:
    for font in F.fontconfig_fonts():
        assert F.is_truetype(font.path, font.index), font


def test_roles_from_names() -> None:
    assert F.classify("simfang") == "body"
    assert F.classify("simsun") == "body"
    assert F.classify("FZXBSJW", "方正小标宋简体") == "title"
    assert F.classify("simhei") == "title"
    assert F.classify("BabelStoneHan") == "fallback"
    assert F.classify("LXGWWenKai-Regular", "LXGW WenKai") == "body"
    assert F.classify("wqy-zenhei.ttc", "WenQuanYi Zen Hei") == "title"


def test_the_machine_has_a_body_a_title_and_an_extension_b_font() -> None:
    fonts = F.get_fontset()
    assert fonts.chains["body"] and fonts.chains["title"]
    for ch in "朱𠈌高𪚥王䶮堃喆赟犇龑𡒄𣲗𨭉":
        assert fonts.face_for(ch) is not None, ch
    # the same faces in every chain, only in another order
    assert {f.reg_name for f in fonts.chains["body"]} == {f.reg_name for f in fonts.chains["title"]}


def test_a_township_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    os.symlink(_need(UMING), folder / "simfang.ttc")  # a 仿宋 the township dropped in
    fonts = F.get_fontset(folder)
    assert fonts.files[0] == F.FontFile(str(folder / "simfang.ttc"), 0, "body", "township", "simfang", "simfang")
    # the same face found again by fontconfig is not listed twice; it leads the body chain
    assert [(os.path.realpath(f.path), f.index) for f in fonts.files].count((str(UMING), 0)) == 1
    assert fonts.chains["body"][0].file.path.endswith(("simfang.ttc", "uming.ttc"))
    assert os.path.realpath(fonts.chains["body"][0].file.path) == str(UMING)
    # the environment variable names the same folder when no argument is given
    monkeypatch.setenv(F.FONT_DIR_ENV, str(folder))
    F.clear_cache()
    assert F.get_fontset().files[0].source == "township"
    pdf = render_pdf("acceptance_notice", load_sample("acceptance_notice"), fonts=folder)
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf)
    assert any("UMing" in f["name"] for f in pdffonts(out))


def test_a_missing_township_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="字体文件夹不存在"):
        F.get_fontset(tmp_path / "nowhere")


def test_a_chain_without_the_character_names_the_field() -> None:
    face = F.load_face(F.FontFile(str(_need(WENKAI)), 0, "body", "project", "LXGW WenKai", "LXGW WenKai"))
    assert not face.has(ord("𠈌"))  # WenKai lacks this Extension B character
    only_wenkai = F.FontSet({"body": [face], "title": [face], "fallback": [face]})
    with pytest.raises(RenderError) as caught:
        render_pdf("authorization", load_sample("authorization"), fonts=only_wenkai)
    assert "applicant.name" in str(caught.value)
    assert "「𠈌」（U+2020C）" in str(caught.value)


def test_faces_are_registered_once_per_process() -> None:
    font = F.FontFile(str(_need(WENKAI)), 0, "body", "project", "x", "x")
    assert F.load_face(font) is F.load_face(font)
    assert F.get_fontset() is F.get_fontset()
