"""What the installed bundle holds beyond the Python code, and where: one list that the PyInstaller
spec, the build scripts and the tests all read, so a file cannot be packed under one path and
looked for under another.

Paths inside the bundle are relative to the folder of the ``window_desk`` package there, because
``window_desk.paths.resources_dir()`` looks for ``resources/`` next to itself first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_NAME = "window-desk"
MENU_NAME = "社会救助受理窗口"

# Fonts the papers need, shipped in the bundle under resources/fonts/ with their licences. All are
# free to redistribute (Debian main); on Windows, 仿宋/宋体 in C:\Windows\Fonts are found first anyway.
# (Debian package, font file in the package, licence file name in the bundle)
BUNDLED_FONTS = (
    ("fonts-lxgw-wenkai", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", "LXGWWenKai.OFL.txt"),
    ("fonts-wqy-zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "wqy-zenhei.copyright.txt"),
    ("fonts-arphic-uming", "/usr/share/fonts/truetype/arphic/uming.ttc", "arphic-uming.copyright.txt"),
    ("fonts-babelstone-han", "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", "BabelStoneHan.copyright.txt"),
)


def font_sources() -> list[tuple[Path, Path]]:
    """(font file, its licence) for every bundled font, from the build machine's Debian packages."""
    return [(Path(font), Path(f"/usr/share/doc/{package}/copyright")) for package, font, _ in BUNDLED_FONTS]


def datas() -> list[tuple[str, str]]:
    """PyInstaller ``datas``: (source, destination folder inside the bundle)."""
    out = [(str(REPO / "resources" / part), f"window_desk/resources/{part}")
           for part in ("policy", "templates", "samples")]
    fonts_dest = "window_desk/resources/fonts"
    for (package, font, licence), (src, doc) in zip(BUNDLED_FONTS, font_sources(), strict=True):
        out.append((str(src), fonts_dest))
        staged = REPO / "build" / "licences" / licence
        staged.parent.mkdir(parents=True, exist_ok=True)
        if doc.exists():
            staged.write_bytes(doc.read_bytes())
        out.append((str(staged), fonts_dest))
    return out


def build_stamp(version: str) -> str:
    """Date, commit and platform of the build, written into the bundle as window_desk/BUILD
    (``--version`` prints it after the version)."""
    import platform
    import subprocess
    from datetime import datetime, timezone

    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    day = datetime.now(timezone.utc).strftime("%Y%m%d")
    del version  # printed beside the stamp already
    return f"{day} {commit} {sys.platform}-{platform.machine().lower()}"


def missing_inputs() -> list[str]:
    """Files the bundle needs that are not on this machine (fonts come from Debian packages)."""
    missing = [str(Path(src)) for src, _ in datas() if not Path(src).exists()]
    return [m for m in missing if os.sep + "licences" + os.sep not in m]
