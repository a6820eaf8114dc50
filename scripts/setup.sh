#!/usr/bin/env bash
# Sets up window-desk in ./.venv: system packages, then the Python packages from the hashed lock.
#   scripts/setup.sh          the desk
#   scripts/setup.sh --test   the desk and everything the test suite needs
# Python packages come only from requirements/*.lock (pip --require-hashes), so every machine
# gets the same, tested versions; scripts/lock.sh refreshes the locks.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh "${1:-}"

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
lock=requirements/desk.lock
if [[ "${1:-}" == "--test" ]]; then
  lock=requirements/test.lock
fi
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${pip[@]}" install --require-hashes -r requirements/build.lock -r "$lock"
# The project itself: its dependencies are all in the lock already, its build backend too.
"${pip[@]}" install --no-deps --no-build-isolation -e .
"${pip[@]}" check
