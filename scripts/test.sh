#!/usr/bin/env bash
# Install everything the tests need (Debian's chromium and postgresql, a venv with pinned packages) and run them all.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
# A throw-away PostgreSQL for the workspace tests (CHISO_TEST_PG_URL; stopped on exit, so no exec below).
source scripts/pg_cluster.sh
# Never `playwright install`: the browser tests drive Debian's /usr/bin/chromium.
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
