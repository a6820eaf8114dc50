#!/usr/bin/env bash
# Sets up window-desk in ./.venv: system packages, then the Python package.
#   scripts/setup.sh          the desk
#   scripts/setup.sh --test   the desk and everything the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh "${1:-}"

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [[ "${1:-}" == "--test" ]]; then
  .venv/bin/python -m pip install -q -e '.[test,postgres]'
else
  .venv/bin/python -m pip install -q -e '.[postgres]'
fi
