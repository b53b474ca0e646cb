"""``backup`` / ``restore``: the whole workspace through one portable file, SQLite ↔ PostgreSQL, every row
back exactly; a file of another schema revision or no backup at all is refused and changes nothing."""
from __future__ import annotations

import gzip
import json
from contextlib import ExitStack, closing, contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from chiso.edits import Revision
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.scenario import Scenario
from chiso.workspace import WorkspaceError, open_workspace, sample_key
from chiso.workspace import backup as bk
from chiso.workspace.access import Role
from chiso.workspace.evidence import Evidence
from chiso.workspace.models import Base

from conftest import chiso, fresh_pg_database

KEY, RB = sample_key("phu-tho"), "portal-2026"
PHU_THO = Path(SAMPLE_DIR) / "portal" / "phu-tho-2026-q3"
AT = datetime(2026, 11, 30, 8, 15, 42, 123456, tzinfo=timezone.utc)
TRICKY = [0.1 + 0.2, 1e-300, 1 / 3, -1.5e308, 2.0**53 + 2, None]  # every bit must come back


def fill(url: str) -> None:
    """A workspace with a row in every table, awkward floats and text, NULLs, and a gap in the ids."""
    rb = load_rulebook(RB)
    with closing(open_workspace(url)) as ws:
        ws.import_paths([PHU_THO], load_paths([PHU_THO], rb, period="2026-Q3"), rb.id)
        author = 'Lan "Hà"\n\t; DROP TABLE x; --'
        ws.add_revisions(KEY, RB, [Revision("H44", "dossiers_received", v, w, AT, author) for v, w in zip(TRICKY, TRICKY[1:])])
        ws.undo_revision(KEY, RB)  # a batch marked undone: restored as it is
        ws.add_account("lan", Role.UNIT, ("H44.100",), "Lan", "một mật khẩu đủ dài")
        ws.save_scenario(Scenario("Họp quý 4", rb.id, "H44.100", "2026-Q3", {"digitised": 12}), KEY)
        ws.save_plan("Kế hoạch «A»", {"unit": "H44.100", "rulebook": RB, "target": 80.5, "steps": []}, KEY, "2026-Q3")
        evidence = Evidence("transparency", 1, "http://127.0.0.1/t", '{"year":2026}', AT, 201, bytes(range(256)))
        ws.store_collected(load_paths([PHU_THO], rb, period="2026-Q3"), "Cổng DVCQG · Phú Thọ", "c1", rb.id, [evidence])


def contents(url: str, raw: bool) -> dict[str, list[tuple]]:
    """Every row of every table by primary key: as the database stores it (``raw``), or as typed values
    with datetimes in UTC (to compare across backends, which store them differently)."""
    with closing(open_workspace(url)) as ws, ws.engine.connect() as conn:
        out = {}
        for t in Base.metadata.sorted_tables:
            q = select(t).order_by(*t.primary_key.columns)
            if raw:
                out[t.name] = [tuple(r) for r in conn.exec_driver_sql(str(q.compile(conn)))]
            else:
                out[t.name] = [tuple(_utc(v) for v in r) for r in conn.execute(q)]
        return out


def _utc(v):
    if isinstance(v, datetime):
        return v.replace(tzinfo=timezone.utc) if v.tzinfo is None else v.astimezone(timezone.utc)
    return v


@contextmanager
def database(kind: str, tmp_path: Path, name: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / name}.sqlite3"
    else:
        with fresh_pg_database() as url:
            yield url


TRIPS = [("sqlite", "sqlite"), ("sqlite", "postgresql"), ("postgresql", "postgresql"), ("postgresql", "sqlite")]


@pytest.mark.parametrize("source_kind,target_kind", TRIPS, ids=["-to-".join(t) for t in TRIPS])
def test_a_round_trip_brings_back_every_row_exactly(source_kind, target_kind, tmp_path):
    with ExitStack() as stack:
        source = stack.enter_context(database(source_kind, tmp_path, "source"))
        target = stack.enter_context(database(target_kind, tmp_path, "target"))
        fill(source)
        with closing(open_workspace(target)) as ws:
            ws.add_revision(KEY, RB, Revision("X", "k", 1.0, 2.0, AT))  # replaced, not merged
        with closing(open_workspace(source)) as ws:
            made = bk.backup(ws.engine, tmp_path / "b.jsonl.gz")
        assert all(made.rows[t.name] > 0 for t in Base.metadata.sorted_tables), made.rows
        with closing(open_workspace(target)) as ws:
            bk.restore(ws.engine, tmp_path / "b.jsonl.gz")
        same_backend = source_kind == target_kind
        assert contents(target, raw=same_backend) == contents(source, raw=same_backend)
        with closing(open_workspace(target)) as ws:  # later saves: new ids past the restored ones
            before = ws.revisions(KEY, RB)
            ws.add_revision(KEY, RB, Revision("H44", "k", None, 7.0, AT))
            assert ws.revisions(KEY, RB)[:-1] == before and len(ws.revisions(KEY, RB)) == len(before) + 1
            ws.save_scenario(Scenario("Mới", RB, "H44.100", "2026-Q3", {"digitised": 1}), KEY)
            ws.import_paths([PHU_THO], load_paths([PHU_THO], load_rulebook(RB), period="2026-Q4"), RB)


def test_a_backup_never_overwrites_a_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    there = tmp_path / "b.jsonl.gz"
    there.write_bytes(b"keep me")
    with closing(open_workspace(url)) as ws, pytest.raises(WorkspaceError, match="đã có; hãy chọn tên khác"):
        bk.backup(ws.engine, there)
    assert there.read_bytes() == b"keep me"


# ---------------------------------------------------------------- refused files change nothing


def lines_of(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)


def gz(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))


def tampered(lines: list[str], what: str) -> bytes:
    first, table_at = json.loads(lines[0]), lines.index('{"table":"revisions"}\n')
    if what == "older revision":
        return gz(json.dumps({**first, "schema_revision": "0001"}) + "\n" + "".join(lines[1:]))
    if what == "wrong type":
        row = json.loads(lines[table_at + 1])
        return gz("".join(lines[:table_at + 1]) + json.dumps(["1", *row[1:]]) + "\n" + "".join(lines[table_at + 2:]))
    if what == "a row missing":
        return gz("".join(lines[:table_at + 1] + lines[table_at + 2:]))
    if what == "cut short":
        return gzip.compress("".join(lines).encode())[:-200]
    if what == "no end line":
        return gz("".join(lines[:-1]))
    if what == "extra data":
        return gz("".join(lines) + "[1]\n")
    raise AssertionError(what)


GARBAGE = {
    "empty": b"",
    "text": "Bộ chỉ số 766\n".encode(),
    "gzip magic then junk": b"\x1f\x8b" + bytes(range(256)) * 4,
    "gzip of text": gz("không phải JSON\n"),
    "NaN in JSON": gz('{"format": NaN}\n'),
    "deep nesting": gz("[" * 200_000 + "\n"),
    "a JSON list": gz("[1, 2, 3]\n"),
    "duplicate keys": gz('{"format": "chiso-workspace-backup", "format": "x"}\n'),
}
TAMPERED = ["wrong type", "a row missing", "cut short", "no end line", "extra data"]


@pytest.fixture
def live(db_url, tmp_path) -> tuple[str, list[str]]:
    """A filled workspace and the lines of its backup."""
    fill(db_url)
    with closing(open_workspace(db_url)) as ws:
        bk.backup(ws.engine, tmp_path / "good.jsonl.gz")
    return db_url, lines_of(tmp_path / "good.jsonl.gz")


def refused(url: str, path: Path, says: str) -> None:
    before = contents(url, raw=True)
    with closing(open_workspace(url)) as ws, pytest.raises(WorkspaceError) as err:
        bk.restore(ws.engine, path)
    assert says in str(err.value) and "hưa thay đổi gì" in str(err.value), str(err.value)
    assert contents(url, raw=True) == before


@pytest.mark.parametrize("what", [*GARBAGE, *TAMPERED])
def test_a_file_that_is_no_good_backup_is_refused_and_changes_nothing(what, live, tmp_path):
    url, lines = live
    bad = tmp_path / "bad.gz"
    bad.write_bytes(GARBAGE[what] if what in GARBAGE else tampered(lines, what))
    refused(url, bad, "không phải bản sao lưu chiso")


def test_a_backup_of_another_schema_revision_is_refused(live, tmp_path):
    url, lines = live
    old = tmp_path / "old.gz"
    old.write_bytes(tampered(lines, "older revision"))
    refused(url, old, "Bản sao lưu có phiên bản lược đồ «0001», cơ sở dữ liệu làm việc ở «0004»")


def test_an_overlong_line_is_refused(live, tmp_path, monkeypatch):
    url, lines = live
    monkeypatch.setattr(bk, "MAX_LINE_CHARS", 2000)  # the same check as the 64 MiB one, on a small file
    long = tmp_path / "long.gz"
    long.write_bytes(gz("".join(lines[:2]) + json.dumps(["x" * 5000]) + "\n"))
    refused(url, long, "dòng quá dài")


def test_an_older_revision_in_a_broken_file_still_fails_cleanly(tmp_path):
    first = {"format": "chiso-workspace-backup", "format_version": 1, "schema_revision": "0001", "tables": "x"}
    path = tmp_path / "x.gz"
    path.write_bytes(gz(json.dumps(first) + "\n"))
    with pytest.raises(WorkspaceError, match="không phải bản sao lưu chiso"):
        bk.describe(path)


# ---------------------------------------------------------------- the commands


def test_restore_asks_first_and_the_commands_round_trip(live, tmp_path):
    url, _ = live
    path = str(tmp_path / "cli.jsonl.gz")
    out = chiso(url, "backup", path).stdout
    assert out.startswith("Đã sao lưu ") and "lược đồ 0004" in out and "revisions 5" in out
    with closing(open_workspace(url)) as ws:
        ws.add_revision(KEY, RB, replace(Revision("H44", "k", 1.0, 2.0, AT), author="sau sao lưu"))
    before = contents(url, raw=True)
    asked = chiso(url, "restore", path, ok=False)
    assert asked.returncode == 1 and "Traceback" not in asked.stderr
    assert "THAY TOÀN BỘ" in asked.stderr and "revisions 6" in asked.stderr and "revisions 5" in asked.stderr
    assert "Chưa thay đổi gì" in asked.stderr and "--yes" in asked.stderr
    assert contents(url, raw=True) == before
    done = chiso(url, "restore", path, "--yes").stdout
    assert done.startswith("Đã khôi phục ") and "revisions 5" in done
    with closing(open_workspace(url)) as ws:
        assert all(r.author != "sau sao lưu" for r in ws.revisions(KEY, RB))
    garbage = tmp_path / "g.txt"
    garbage.write_text("không phải bản sao lưu")
    err = chiso(url, "restore", str(garbage), "--yes", ok=False).stderr
    assert "không phải bản sao lưu chiso" in err and "Traceback" not in err


def test_backup_and_restore_help_is_bilingual():
    for command in ("backup", "restore"):
        out = chiso("sqlite://", command, "--help").stdout
        assert "CHISO_DATABASE_URL" in out and "sao lưu" in out and "backup" in out
