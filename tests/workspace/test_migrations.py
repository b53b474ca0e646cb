"""Schema migrations from an empty database and from the previous version holding data; open errors."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect

from chiso.edits import Revision
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.workspace import WorkspaceError, db, open_workspace
from chiso.workspace.db import current_revision, head_revision, make_engine, migrate
from chiso.workspace.store import Workspace

from conftest import stamp_future

REV = Revision("H44", "dossiers_received", 1.0, 2.0, datetime(2026, 12, 1, tzinfo=timezone.utc))
PHU_THO = Path(SAMPLE_DIR) / "portal" / "phu-tho-2026-q3"


def test_an_empty_database_is_created_at_the_head_revision(db_url):
    ws = open_workspace(db_url)
    try:
        assert current_revision(ws.engine) == head_revision() == "0002"
        tables = set(inspect(ws.engine).get_table_names())
        assert {"datasets", "units", "counts", "revisions", "scenarios", "plans", "alembic_version"} <= tables
    finally:
        ws.close()


def test_migrating_from_the_previous_version_keeps_the_data(db_url):
    engine = make_engine(db_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "scenarios" not in inspect(engine).get_table_names()
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb, period="2026-Q3")
    (ds_id,) = Workspace(engine).import_paths([PHU_THO], table, rb.id)  # written by the 0001 schema
    engine.dispose()
    ws = open_workspace(db_url)  # the app or CLI opening it later migrates it to the head
    try:
        assert current_revision(ws.engine) == "0002"
        assert ws.load_dataset(ds_id).frame.equals(table.frame)
        ws.add_revision(f"dataset:{ds_id}", rb.id, REV)
        assert ws.revision_count(f"dataset:{ds_id}", rb.id) == 1
    finally:
        ws.close()


def test_opening_twice_is_idempotent(db_url):
    open_workspace(db_url).close()
    ws = open_workspace(db_url)
    assert current_revision(ws.engine) == "0002"
    ws.close()


def test_the_default_sqlite_file_is_in_wal_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("CHISO_DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "DEFAULT_PATH", tmp_path / ".chiso" / "workspace.sqlite3")
    ws = open_workspace()
    ws.close()
    con = sqlite3.connect(tmp_path / ".chiso" / "workspace.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_the_environment_variable_chooses_the_database(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("CHISO_DATABASE_URL", f"sqlite:///{target}")
    open_workspace().close()
    assert target.exists()


def test_a_locked_database_is_a_vietnamese_error(tmp_path, monkeypatch):
    path = tmp_path / "w.sqlite3"
    ws = open_workspace(f"sqlite:///{path}")
    assert ws.revisions("sample:x", "portal-2026") == []
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkspaceError, match="đang bị khóa"):
            open_workspace(f"sqlite:///{path}").add_revision("sample:x", "portal-2026", REV)
    finally:
        blocker.rollback()
        blocker.close()
        ws.close()


def test_an_unreachable_server_is_a_vietnamese_error():
    with pytest.raises(WorkspaceError, match="không kết nối được"):
        open_workspace("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_a_path_that_cannot_be_created_is_a_vietnamese_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(WorkspaceError, match="Không tạo được thư mục"):
        open_workspace(f"sqlite:///{blocker / 'sub' / 'w.sqlite3'}")


def test_bad_urls_and_disk_full_are_vietnamese_errors():
    with pytest.raises(WorkspaceError, match="không hợp lệ"):
        open_workspace("không phải url")
    with pytest.raises(WorkspaceError, match="ổ đĩa đã đầy"):
        with db.guarded("lưu"):
            raise sqlite3.OperationalError("database or disk is full")


def test_a_schema_revision_from_a_newer_chiso_is_a_vietnamese_error_and_changes_nothing(db_url):
    stamp_future(db_url)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(db_url)
    said = str(err.value)
    assert "phiên bản lược đồ «ffff_future» mới hơn" in said and "hãy cập nhật chiso" in said
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == "ffff_future"  # nothing downgraded or rewritten
    finally:
        engine.dispose()
