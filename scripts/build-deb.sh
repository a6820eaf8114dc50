#!/usr/bin/env bash
# Builds dist/window-desk_<version>_<arch>.deb from the PyInstaller bundle (scripts/build-bundle.sh):
#   /opt/window-desk/            the bundle (Python, locked dependencies, resources, fonts, Qt zh_CN)
#   /usr/bin/window-desk         the command
#   /usr/share/applications/     the menu entry 社会救助受理窗口, and its icon
# Each user's data stays in ~/.local/share/window-desk: an upgrade migrates it on first start, and
# removing the package leaves it alone. The architecture is the build machine's (amd64 here; the same
# script on an arm64 Phytium/Kunpeng machine builds the arm64 package).
#   scripts/build-deb.sh [--no-bundle]   (--no-bundle: package an existing dist/window-desk)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--no-bundle" ]]; then
  scripts/build-bundle.sh
fi
[[ -x dist/window-desk/window-desk ]] || { echo "没有找到 dist/window-desk,请先运行 scripts/build-bundle.sh" >&2; exit 2; }

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' src/window_desk/__init__.py)
arch=$(dpkg --print-architecture)
root=build/deb/root
rm -rf build/deb && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" \
  "$root/usr/share/applications" "$root/usr/share/icons/hicolor/256x256/apps"
cp -a dist/window-desk "$root/opt/window-desk"
install -m 0755 installer/deb/window-desk.sh "$root/usr/bin/window-desk"
install -m 0644 installer/deb/window-desk.desktop "$root/usr/share/applications/window-desk.desktop"
install -m 0644 installer/icon/window-desk.png "$root/usr/share/icons/hicolor/256x256/apps/window-desk.png"
for script in postinst postrm; do install -m 0755 "installer/deb/$script" "$root/DEBIAN/$script"; done
size=$(du -sk "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" installer/deb/control.in > "$root/DEBIAN/control"
out="dist/window-desk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out ($(du -h "$out" | cut -f1))"
