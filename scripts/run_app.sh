#!/usr/bin/env bash
# Start the app on the bundled sample data (creates the venv on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m ui.serve "$@"  # warm start: samples scored before the first visitor
