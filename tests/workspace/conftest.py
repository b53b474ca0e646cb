"""Workspace fixtures: every test runs against SQLite (a temp file) and PostgreSQL (a fresh database).

PostgreSQL comes from ``CHISO_TEST_PG_URL`` (scripts/test.sh starts a throw-away cluster). Without it the
PostgreSQL cases fail when CI=true and are skipped only on a developer's machine, like the browser tests.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chiso.workspace import Workspace, open_workspace

BACKENDS = ["sqlite", "postgresql"]
ROOT = Path(__file__).resolve().parents[2]


def pg_admin_url() -> str:
    url = os.environ.get("CHISO_TEST_PG_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CHISO_TEST_PG_URL is not set: the PostgreSQL workspace tests must run in CI (scripts/test.sh).")
        pytest.skip("CHISO_TEST_PG_URL is not set (local run only; scripts/test.sh starts PostgreSQL).")
    return url


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped on leaving."""
    admin = make_url(pg_admin_url())
    name = f"chiso_test_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def ws(db_url) -> Iterator[Workspace]:
    w = open_workspace(db_url)
    yield w
    w.close()


def stamp_future(url: str) -> None:
    """The workspace as a newer chiso would leave it: a schema revision this code has never heard of."""
    ws = open_workspace(url)
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    ws.close()


def chiso(url: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    """``python -m chiso ARGS`` as a user runs it, on the workspace at ``url``."""
    env = {"CHISO_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "chiso", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert (done.returncode == 0) == ok, done.stderr
    return done
