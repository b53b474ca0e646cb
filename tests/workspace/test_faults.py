"""Faults with nothing lost (issue 11): a PostgreSQL connection dropped mid-session, a full database, a
database locked or read-only at start. Each is a Vietnamese WorkspaceError or a transparent reconnect, and
the last committed state is intact. (SIGKILL mid-save and two servers on one PostgreSQL: test_processes.py;
an unreachable server and an uncreatable path: test_migrations.py.)"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from chiso.edits import Revision
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.workspace import WorkspaceError, db, open_workspace

from conftest import pg_admin_url

KEY, RB = "sample:phu-tho", "portal-2026"
REV = Revision("H44", "dossiers_received", 1.0, 2.0, datetime(2026, 12, 1, tzinfo=timezone.utc))
PHU_THO = SAMPLE_DIR / "portal" / "phu-tho-2026-q3"


def revs(n: int, start: float = 10.0) -> list[Revision]:
    return [replace(REV, old=start + k, new=start + k + 1) for k in range(n)]


# ---------------------------------------------------------------- PostgreSQL: a connection dropped


def terminate(pg_url: str, pid: int | None = None) -> int:
    """From another connection, as an administrator or a failover would: end ``pid`` (default: every
    other backend of the test database). Waits until the backends are gone. Returns how many ended."""
    admin = create_engine(make_url(pg_admin_url()), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            return len(c.execute(
                text("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                     "WHERE datname = :db AND pid <> pg_backend_pid() AND (CAST(:pid AS integer) IS NULL OR pid = CAST(:pid AS integer))"),
                {"db": make_url(pg_url).database, "pid": pid},
            ).all())
    finally:
        admin.dispose()


def test_a_dropped_idle_connection_reconnects_and_keeps_what_was_saved(pg_url):
    with closing(open_workspace(pg_url)) as ws:
        ws.add_revisions(KEY, RB, revs(3))
        assert terminate(pg_url) >= 1  # the pooled connection of this session is gone
        assert ws.revisions(KEY, RB) == revs(3)  # pool_pre_ping: a fresh connection, no error for the user
        ws.add_revision(KEY, RB, replace(REV, old=13.0))  # based on the value stored by revs(3)
        assert ws.revisions(KEY, RB) == revs(3) + [replace(REV, old=13.0)]


def test_a_connection_dropped_in_the_middle_of_a_save_writes_none_of_it(pg_url):
    with closing(open_workspace(pg_url)) as ws:
        ws.add_revisions(KEY, RB, revs(2))
        inserted = []

        @event.listens_for(ws.engine, "after_cursor_execute")
        def drop_after_first_insert(conn, cursor, statement, params, context, many) -> None:
            if statement.lstrip().upper().startswith("INSERT") and not inserted:
                inserted.append(conn.connection.dbapi_connection.info.backend_pid)
                terminate(pg_url, inserted[0])  # the server goes away between two rows of one save

        with pytest.raises(WorkspaceError) as err:
            ws.add_revisions(KEY, RB, revs(3, start=12.0))
        assert inserted, "the save never reached the database"
        assert str(err.value).startswith("Không lưu số liệu nhập tay được trong cơ sở dữ liệu làm việc: ")
        assert "kết nối" in str(err.value)
        event.remove(ws.engine, "after_cursor_execute", drop_after_first_insert)

        assert ws.revisions(KEY, RB) == revs(2)  # the committed state, and not one row of the failed save
        ws.add_revisions(KEY, RB, revs(1, start=12.0))  # the same workspace object works again
        assert ws.revisions(KEY, RB) == revs(2) + revs(1, start=12.0)


# ---------------------------------------------------------------- SQLite: the database is full


def test_a_full_database_is_a_vietnamese_error_and_keeps_the_earlier_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    ws = open_workspace(url)
    ws.add_revisions(KEY, RB, revs(2))
    ws.close()

    full = open_workspace(url)  # the same file, where no page may be added: SQLITE_FULL, as on a full disk

    @event.listens_for(full.engine, "connect")
    def no_more_pages(dbapi_conn, _record) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    full.engine.dispose()  # connections from now on carry the limit
    rb = load_rulebook(RB)
    table = load_paths([PHU_THO], rb)
    with pytest.raises(WorkspaceError, match="ổ đĩa đã đầy") as err:
        full.import_paths([PHU_THO], table, rb.id)
    assert str(err.value).startswith("Không ")
    with pytest.raises(WorkspaceError, match="ổ đĩa đã đầy"):
        full.add_revisions(KEY, RB, revs(400, start=12.0))
    full.close()

    again = open_workspace(url)
    try:
        assert again.revisions(KEY, RB) == revs(2)
        assert again.datasets() == []  # the failed import left nothing half-written
    finally:
        again.close()


# ---------------------------------------------------------------- at start: locked, read-only


def test_a_database_locked_by_another_program_at_start_is_a_vietnamese_error(tmp_path, monkeypatch):
    path = tmp_path / "w.sqlite3"
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    blocker = sqlite3.connect(path)  # not yet a workspace: the first open must create the schema
    blocker.execute("CREATE TABLE other_program (x)")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkspaceError, match="đang bị khóa bởi phiên khác") as err:
            open_workspace(f"sqlite:///{path}")
        assert str(err.value).startswith("Không ")
    finally:
        blocker.rollback()
        blocker.close()
    open_workspace(f"sqlite:///{path}").close()  # once released, it opens


def test_a_read_only_database_at_start_is_a_vietnamese_error(tmp_path):
    # read-only through SQLite itself (mode=ro): file permissions do not stop root, who runs CI here
    path = tmp_path / "w.sqlite3"
    sqlite3.connect(path).close()  # an empty file, not migrated yet
    with pytest.raises(WorkspaceError, match="không có quyền ghi") as err:
        open_workspace(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert str(err.value).startswith("Không ")
    assert not Path("file:").exists()  # the URI is not taken for a folder to create
