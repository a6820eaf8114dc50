#!/usr/bin/env bash
# Refreshes the hashed locks in requirements/ from the ranges in pyproject.toml.
#   scripts/lock.sh                 re-resolve, keeping what still satisfies the ranges
#   scripts/lock.sh --upgrade       take the newest versions the ranges allow
#   scripts/lock.sh --upgrade-package NAME   move one package only
# An upgrade is a change with a reason: run scripts/test.sh on it before committing.
# The locks are universal (every OS and Python the ranges allow), so one file serves
# Debian 12's Python 3.11, Windows and newer Pythons alike.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tools=${WINDOW_DESK_TOOLS:-.tools}
if [[ ! -x "$tools/bin/uv" ]] || [[ "$("$tools/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]]; then
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install -q "uv==$UV_VERSION"
fi
compile() {
  "$tools/bin/uv" pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
    --no-header --quiet "$@"
}
compile --extra postgres -o requirements/desk.lock "$@"
compile --extra postgres --extra test -o requirements/test.lock "$@"
"$tools/bin/uv" pip compile requirements/build.in --universal --python-version 3.11 --generate-hashes \
  --no-header --quiet -o requirements/build.lock "$@"
"$tools/bin/uv" pip compile requirements/installer.in --universal --python-version 3.11 --generate-hashes \
  --no-header --quiet -c requirements/desk.lock -o requirements/installer.lock "$@"
echo "requirements/installer.lock, requirements/build.lock, requirements/desk.lock, requirements/test.lock updated"
