#!/usr/bin/env bash
# Installs the .deb into a fresh Debian 12 chroot and checks the installed desk, as a township PC
# without internet would get it. Run as root (debootstrap, chroot, unshare); not part of the suite.
#   installer/deb/test-install-chroot.sh dist/window-desk_<v>_<arch>.deb [BASE.tar]
# BASE.tar: a tarred `debootstrap --variant=minbase bookworm` tree to start from (saves 2 minutes).
# Steps: the OS's own packages the .deb depends on (and the checking tools) come from Debian with the
# network; then the network is cut (unshare -n) for the install and every check:
#   window-desk --version, id check, a paper rendered with the bundled fonts (embedded, checked by
#   pdffonts), the desk opened under Xvfb (its first-start window found by title), an upgrade over a
#   database an older install left (the data kept and migrated), and removal keeping the data.
set -euo pipefail
deb=$(realpath "$1")
base=${2:-}
root=$(mktemp -d /tmp/wd-deb-chroot.XXXXXX)
cleanup() { umount -R "$root/proc" "$root/dev" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
if [[ -n "$base" ]]; then tar -C "$root" -xf "$base"; else debootstrap --variant=minbase bookworm "$root" >/dev/null; fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
offline() { unshare -n chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

depends=$(dpkg-deb -f "$deb" Depends | sed -e 's/([^)]*)//g' -e 's/,/ /g')
echo "== OS packages the .deb depends on, and the checking tools (network on)"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  $depends xvfb xauth xdotool poppler-utils >/dev/null
cp "$deb" "$root/tmp/window-desk.deb"

echo "== install with no network"
offline dpkg -i /tmp/window-desk.deb >/dev/null
offline test -x /usr/bin/window-desk
offline test -f /usr/share/applications/window-desk.desktop
grep -q "^Name\[zh_CN\]=社会救助受理窗口" "$root/usr/share/applications/window-desk.desktop"

echo "== the installed desk, offline"
offline window-desk --version
offline window-desk id check 11010519491231002X
sample=$(find "$root/opt/window-desk" -path '*resources/samples/forms/acceptance_notice.json' | head -1)
offline window-desk forms render acceptance_notice --data "${sample#"$root"}" --out /tmp/notice.pdf
fonts=$(offline pdffonts /tmp/notice.pdf)
echo "$fonts"
# every font embedded (column "emb" is yes), and at least one from the bundle's fonts
if echo "$fonts" | tail -n +3 | awk '{print $(NF-4)}' | grep -qv yes; then echo "a font is not embedded" >&2; exit 1; fi
offline pdftotext /tmp/notice.pdf - | grep -q "受理通知书"

echo "== the desk under Xvfb"
offline bash -c 'export WINDOW_DESK_HOME=/tmp/desk-home QT_QPA_PLATFORM=xcb
  xvfb-run -a -s "-screen 0 1280x900x24" bash -c "window-desk & pid=\$!
    for i in \$(seq 1 40); do
      if xdotool search --name \"首次使用\" >/dev/null 2>&1; then echo \"first-start window shown after \$((i / 4)) s\"; kill \$pid; exit 0; fi
      sleep 0.25
    done
    echo \"the desk showed no window\" >&2; kill \$pid; exit 1"'

echo "== a database an older release left: migrated on first start, nothing lost; then reinstall and remove"
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/tmp/upgrade-home"
"$here/.venv/bin/python" "$here/installer/deb/make_old_db.py" "$root/tmp/upgrade-home/window-desk.sqlite3"
old_case() {  # what the installed desk left in the file, read from outside
  "$here/.venv/bin/python" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT version_num FROM alembic_version").fetchone()[0], c.execute("SELECT number FROM cases").fetchone()[0])' \
    "$root/tmp/upgrade-home/window-desk.sqlite3"
}
offline bash -c 'WINDOW_DESK_HOME=/tmp/upgrade-home window-desk audit verify'  # opens it: migrates
# the newest migration the installed desk carries
head=$(ls "$root"/opt/window-desk/_internal/window_desk/db/migrations/versions | grep -E '^[0-9]{4}_.*\.py$' | sort | tail -1 | cut -c1-4)
[[ "$(old_case)" == "$head 示范镇-2026-00001" ]] || { echo "upgrade lost data: $(old_case)" >&2; exit 1; }
echo "older database migrated to $head, its case kept"
offline dpkg -i /tmp/window-desk.deb >/dev/null
offline bash -c 'WINDOW_DESK_HOME=/tmp/upgrade-home window-desk audit verify'
[[ "$(old_case)" == "$head 示范镇-2026-00001" ]]
offline dpkg --purge window-desk >/dev/null
test -f "$root/tmp/upgrade-home/window-desk.sqlite3"
test ! -e "$root/opt/window-desk"
echo "ok: installed, ran offline, upgraded and removed with the data kept"
