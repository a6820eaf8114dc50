#!/usr/bin/env bash
# Builds the self-contained one-folder bundle dist/window-desk/ with PyInstaller, from the hashed locks
# (requirements/desk.lock + requirements/installer.lock) in a build venv of its own (.build-venv).
# Needs the font packages of scripts/system-packages.sh on the build machine: their fonts go in the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
if [[ ! -x .build-venv/bin/python ]]; then
  python3 -m venv .build-venv
fi
pip=(.build-venv/bin/python -m pip --disable-pip-version-check -q)
"${pip[@]}" install --require-hashes -r requirements/build.lock -r requirements/desk.lock -r requirements/installer.lock
"${pip[@]}" install --no-deps --no-build-isolation .
.build-venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/window-desk.spec
echo "bundle: dist/window-desk ($(du -sh dist/window-desk | cut -f1))"
