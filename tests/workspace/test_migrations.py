"""Schema migrations from an empty database and from the previous version holding data; open errors."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text

from chiso.edits import Revision
from chiso.workspace import WorkspaceError, db, open_workspace
from chiso.workspace.db import current_revision, head_revision, make_engine, migrate
from chiso.workspace.store import Workspace

from conftest import stamp_future

REV = Revision("H44", "dossiers_received", 1.0, 2.0, datetime(2026, 12, 1, tzinfo=timezone.utc))


def test_an_empty_database_is_created_at_the_head_revision(db_url):
    ws = open_workspace(db_url)
    try:
        assert current_revision(ws.engine) == head_revision() == "0004"
        tables = set(inspect(ws.engine).get_table_names())
        assert {"datasets", "units", "counts", "revisions", "scenarios", "plans", "alembic_version"} <= tables
    finally:
        ws.close()


def _v0002_rows(engine) -> None:
    """What a 0002 workspace held: a one-unit dataset, two saves of revisions (one of two cells), a scenario."""
    t0, t1 = "2026-12-01 08:00:00+00:00", "2026-12-01 09:00:00+00:00"
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO datasets (id, source, source_label, content_hash, period, rulebook, synthetic, columns_json,"
            " provenance_columns_json, meta_json, imported_at) VALUES (1, 'a.csv', 'CSV', 'h', '2026-Q3',"
            " 'portal-2026', false, :cols, '[\"dossiers_received\"]', '{}', :t)"),
            {"cols": json.dumps([["unit_code", "str"], ["unit_name", "str"], ["dossiers_received", "float64"]]),
             "t": t0})
        c.execute(text("INSERT INTO units (id, dataset_id, row_no, unit_code, unit_name, extra_json)"
                       " VALUES (1, 1, 0, 'H44', 'Tỉnh', '{}')"))
        c.execute(text("INSERT INTO counts (unit_id, key, value, provenance) VALUES (1, 'dossiers_received', 7, 'given')"))
        for unit, old, new, at in [("H44", 7, 8, t0), ("H44.1", None, 3, t0), ("H44", 8, 9, t1)]:
            c.execute(text("INSERT INTO revisions (source_key, rulebook, unit_code, key, old, new, at, author)"
                           " VALUES ('dataset:1', 'portal-2026', :u, 'dossiers_received', :o, :n, :at, 'Lan')"),
                      {"u": unit, "o": old, "n": new, "at": at})
        c.execute(text("INSERT INTO scenarios (name, unit_code, source_key, rulebook, period, body_json, version,"
                       " saved_at) VALUES ('A', 'H44', 'dataset:1', 'portal-2026', '2026-Q3', '{}', 1, :t)"), {"t": t0})


def test_migrating_from_the_previous_version_keeps_the_data(db_url):
    engine = make_engine(db_url)
    migrate(engine, "0002")
    _v0002_rows(engine)
    engine.dispose()
    ws = open_workspace(db_url)  # the app or CLI opening it later migrates it to the head
    try:
        assert current_revision(ws.engine) == "0004"
        assert ws.load_dataset(1).frame["dossiers_received"].tolist() == [7.0]
        assert [v.version for v in ws.dataset_versions(1)] == [1]
        assert [(b.n_cells, b.author) for b in ws.edit_batches("dataset:1", "portal-2026")] == [(1, "Lan"), (2, "Lan")]
        assert [r.new for r in ws.revisions("dataset:1", "portal-2026")] == [8.0, 3.0, 9.0]
        assert [i.name for i in ws.saved("scenario", "dataset:1", "portal-2026")] == ["A"]
        ws.add_revision("dataset:1", "portal-2026", replace(REV, old=9.0))  # based on the migrated value
        assert ws.revision_count("dataset:1", "portal-2026") == 4
        assert ws.undo_revision("dataset:1", "portal-2026") == replace(REV, old=9.0, author="")
    finally:
        ws.close()


def test_opening_twice_is_idempotent(db_url):
    open_workspace(db_url).close()
    ws = open_workspace(db_url)
    assert current_revision(ws.engine) == "0004"
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
