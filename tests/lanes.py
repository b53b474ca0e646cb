"""Test lanes: markers put on every test by where it lives and what it needs, so that a developer can run
the fast lane while working and CI runs everything (scripts/test.sh, no -m).

    .venv/bin/python -m pytest -n 2 -m "not browser and not pg and not slow"    # the fast lane, on both cores

- ``browser``: a real Chromium drives the app (tests/e2e);
- ``pg``: the test runs against PostgreSQL (the ``postgresql`` case of a workspace backend, or ``pg_url``);
- ``slow``: the modules that search widely or build large inputs, and those that start a Python process per
  test (the CLI's), listed below, measured with --durations.
"""
from __future__ import annotations

from pathlib import Path

import pytest

SLOW = {  # the longest modules of a full run on the 2-core machine (pytest --durations), 2026-12-07
    "test_fuzz_inputs.py",
    "test_hostile_limits.py",
    "test_import_20000_units.py",
    "test_import_property.py",
    "test_planner_property.py",
    "test_cli.py",  # tests/workspace: a `python -m chiso` process per test (~30 s)
    "test_users_cli.py",  # the same for `users` (~25 s)
    "test_bench_load.py",  # a server and two protocol-level sessions
    "test_bench_server_render.py",
}
MARKERS = {
    "browser": "drives the app in a real Chromium (tests/e2e)",
    "pg": "runs against PostgreSQL (CHISO_TEST_PG_URL)",
    "slow": "searches widely or builds large inputs; left out of the fast lane",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def _uses_postgresql(item: pytest.Item) -> bool:
    """``pg_url`` asked for directly, or the ``postgresql`` case of a parametrised backend."""
    callspec = getattr(item, "callspec", None)
    return "pg_url" in getattr(item, "fixturenames", ()) or bool(callspec and "postgresql" in callspec.params.values())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if "e2e" in path.parts:
            item.add_marker(pytest.mark.browser)
        if _uses_postgresql(item):
            item.add_marker(pytest.mark.pg)
        if path.name in SLOW:
            item.add_marker(pytest.mark.slow)
