"""What can be checked of the installers without building them (issue 16): the bundle's data land
where the installed desk looks for them, through the same path code; the packaging files name what
exists. Building and installing the bundle is scripts/build-deb.sh + installer/deb/test-install-chroot.sh."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

INSTALLER = REPO / "installer"


def _bundle_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bundle", INSTALLER / "bundle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_data_source_of_the_spec_exists() -> None:
    bundle = _bundle_module()
    datas = bundle.datas()
    assert any(dest.endswith("resources/fonts") for _, dest in datas)
    missing = [src for src, _ in datas if not Path(src).exists()]
    assert missing == [], f"the bundle would lack: {missing} (font packages from scripts/system-packages.sh?)"
    for _, dest in datas:
        assert dest.startswith("window_desk/"), dest


def test_the_bundle_layout_is_found_by_the_installed_path_code(tmp_path: Path) -> None:
    """Lay the data out as PyInstaller does (``_internal/window_desk/...``) beside a copy of the
    package's path module, and ask that code, in a fresh interpreter, where everything is."""
    bundle = _bundle_module()
    internal = tmp_path / "_internal"
    package = internal / "window_desk"
    package.mkdir(parents=True)
    for name in ("__init__.py", "paths.py"):
        shutil.copy(REPO / "src" / "window_desk" / name, package / name)
    for src, dest in bundle.datas():
        target = internal / dest
        target.mkdir(parents=True, exist_ok=True)
        source = Path(src)
        if source.is_dir():
            shutil.copytree(source, target / source.name if not dest.endswith(source.name) else target,
                            dirs_exist_ok=True)
        else:
            (target / source.name).symlink_to(source)
    probe = (
        "import window_desk.paths as p\n"
        "print(p.resources_dir())\n"
        "print(p.resource('policy', 'default.toml').is_file())\n"
        "print(p.resource('templates', 'acceptance_notice.docx').is_file())\n"
        "print(sorted(x.name for x in p.resource('fonts').iterdir() if x.suffix in ('.ttf', '.ttc')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(internal)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True).stdout.splitlines()
    assert out[0] == str(package / "resources")
    assert out[1:3] == ["True", "True"]
    assert out[3] == str(sorted(Path(font).name for _, font, _ in bundle.BUNDLED_FONTS))


def test_papers_take_the_bundled_fonts_when_the_system_has_none(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from window_desk import paths
    from window_desk.forms import fonts

    bundled = tmp_path / "resources"
    (bundled / "fonts").mkdir(parents=True)
    for source, index, _role in fonts._PROJECT_FONTS:
        if Path(source).exists():
            (bundled / "fonts" / Path(source).name).symlink_to(source)
    monkeypatch.setattr(paths, "resources_dir", lambda: bundled)
    found = fonts.project_fonts()
    assert found, "no project font found"
    assert all(Path(f.path).parent == bundled / "fonts" for f in found)


def test_the_deb_and_windows_files_name_what_exists() -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]
    desktop.read(INSTALLER / "deb" / "window-desk.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Name[zh_CN]"] == "社会救助受理窗口"
    assert entry["Exec"] == "/usr/bin/window-desk"
    assert (INSTALLER / "icon" / f"{entry['Icon']}.png").is_file()
    control = (INSTALLER / "deb" / "control.in").read_text(encoding="utf-8")
    assert "Package: window-desk" in control and "@ARCH@" in control
    iss = (INSTALLER / "windows" / "window-desk.iss").read_text(encoding="utf-8")
    assert r'Source: "..\..\dist\window-desk\*"' in iss
    assert (INSTALLER / "icon" / "window-desk.ico").is_file() and r"..\icon\window-desk.ico" in iss
    assert "{localappdata}" not in iss.lower()  # the installer never touches users' data
    spec = (INSTALLER / "window-desk.spec").read_text(encoding="utf-8")
    assert "launcher.py" in spec and (INSTALLER / "launcher.py").is_file()
