"""The SQLite workspace file is watched: deleted, moved away or replaced by another file while the app
runs, a save is refused with a Vietnamese WorkspaceError instead of going to the ghost of the old file
(pooled connections keep its inode) and being reported saved, then lost at the next restart."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from chiso.edits import Revision
from chiso.rulebook import load_rulebook
from chiso.scenario import Scenario
from chiso.workspace import WorkspaceError, open_workspace, sample_key

KEY, RB = sample_key("phu-tho"), "portal-2026"
REV = Revision("H44", "dossiers_received", 1.0, 2.0, datetime(2026, 12, 1, tzinfo=timezone.utc))
GONE = "đã bị xóa hoặc thay thế trong khi ứng dụng đang chạy; chưa lưu gì"


def rev(k: float) -> Revision:
    return replace(REV, new=k)


def scenario(name: str) -> Scenario:
    return Scenario(name, load_rulebook(RB).id, "H44.100", "2026-Q3", {"digitised": 10})


def copy_of(path: Path, to: Path) -> Path:
    """A consistent copy of a live workspace file (as a backup tool would take it)."""
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(to)) as dst:
        src.backup(dst)
    return to


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "workspace.sqlite3"


def test_saving_into_a_deleted_file_is_refused_and_creates_nothing(path):
    ws = open_workspace(f"sqlite:///{path}")
    ws.add_revision(KEY, RB, rev(1))
    ws.save_scenario(scenario("Trước"), KEY)
    os.remove(path)
    with pytest.raises(WorkspaceError, match=GONE) as err:
        ws.save_scenario(scenario("Sau khi xóa"), KEY)
    assert str(path) in str(err.value) and "khởi động lại" in str(err.value)
    with pytest.raises(WorkspaceError, match=GONE):  # reads too: never the ghost of the deleted file
        ws.revisions(KEY, RB)
    with pytest.raises(WorkspaceError, match=GONE):  # and again: every later call, not only the first
        ws.add_revision(KEY, RB, rev(2))
    assert not path.exists(), "a refused call must not leave a new empty workspace behind"
    ws.close()


def test_saving_into_a_replaced_file_is_refused_and_the_replacement_is_intact(path, tmp_path):
    ws = open_workspace(f"sqlite:///{path}")
    ws.add_revision(KEY, RB, rev(1))
    older = copy_of(path, tmp_path / "older.sqlite3")  # a copy taken now, put back later by an admin
    ws.add_revision(KEY, RB, rev(2))
    os.replace(older, path)  # the file is replaced (mv, a restore by copying a file over it)
    with pytest.raises(WorkspaceError, match=GONE):
        ws.add_revision(KEY, RB, rev(3))
    with pytest.raises(WorkspaceError, match=GONE):
        ws.saved("scenario", KEY, RB)
    ws.close()
    with closing(open_workspace(f"sqlite:///{path}")) as again:  # a restart: the file now at the path
        assert again.revisions(KEY, RB) == [rev(1)]  # nothing refused is there, nothing claimed is missing
        again.add_revision(KEY, RB, rev(4))
        assert again.revisions(KEY, RB) == [rev(1), rev(4)]


def test_a_file_moved_away_and_back_works_again(path, tmp_path):
    with closing(open_workspace(f"sqlite:///{path}")) as ws:
        ws.add_revision(KEY, RB, rev(1))
        os.rename(path, tmp_path / "away.sqlite3")
        with pytest.raises(WorkspaceError, match=GONE):
            ws.add_revision(KEY, RB, rev(2))
        os.rename(tmp_path / "away.sqlite3", path)  # the same file (same inode) is back
        ws.add_revision(KEY, RB, rev(3))
        assert ws.revisions(KEY, RB) == [rev(1), rev(3)]


def test_a_new_workspace_file_and_a_second_workspace_on_it_are_not_false_alarms(path):
    with closing(open_workspace(f"sqlite:///{path}")) as a, closing(open_workspace(f"sqlite:///{path}")) as b:
        a.add_revision(KEY, RB, rev(1))
        b.add_revision(KEY, RB, rev(2))
        assert a.revisions(KEY, RB) == b.revisions(KEY, RB) == [rev(1), rev(2)]


def test_memory_and_uri_databases_are_not_watched(tmp_path):
    with closing(open_workspace("sqlite://")) as ws:
        ws.add_revision(KEY, RB, rev(1))
        assert ws.revisions(KEY, RB) == [rev(1)]
    path = tmp_path / "u.sqlite3"
    open_workspace(f"sqlite:///{path}").close()
    with closing(open_workspace(f"sqlite:///file:{path}?mode=rw&uri=true")) as ws:
        ws.add_revision(KEY, RB, rev(1))
        assert ws.revisions(KEY, RB) == [rev(1)]
