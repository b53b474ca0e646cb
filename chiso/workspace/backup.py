"""The whole workspace as one portable file, and back: SQLite → PostgreSQL and the other way round.

The file is gzip'd JSON Lines (UTF-8), read and written as a stream:

    {"format": "chiso-workspace-backup", "format_version": 1, "schema_revision": "0002",
     "created_at": "2026-11-30T08:00:00+00:00", "tables": [{"name": "datasets", "columns": […], "rows": 3}, …]}
    {"table": "datasets"}           then one JSON array per row, columns in the manifest's order,
    [1, "phu-tho-2026-q3", …]       by primary key; the tables in dependency order
    …
    {"end": true, "rows": 12345}    (a file cut short has no end line and is refused)

Every table of ``Base.metadata`` is included, whatever tables later migrations add (values.py encodes
each column by its type). A restore replaces everything in one transaction and only from a file of the
same schema revision as the target: a failure anywhere leaves the workspace as it was.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterator

from sqlalchemy import Connection, Engine, Table, func, select, text

from chiso.workspace.db import current_revision, guarded, head_revision
from chiso.workspace.errors import WorkspaceError
from chiso.workspace.models import Base
from chiso.workspace.values import BadValue, decoder, encoder

FORMAT, FORMAT_VERSION = "chiso-workspace-backup", 1
MAX_FILE_BYTES = 8 << 30  # compressed; a workspace of every province for years is well under 1 GiB
MAX_LINE_CHARS = 64 << 20  # one row (a saved plan's JSON, a dataset's notes) is far smaller
MIN_UNPACKED, MAX_RATIO = 256 << 20, 200  # gzip bombs: stop once the text outgrows the file this much
BATCH = 2000


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    created_at: str
    rows: dict[str, int]  # table → row count, in dependency order

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _columns(t: Table) -> list[str]:
    return [c.name for c in t.columns]


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


# ------------------------------------------------------------------ backup


def backup(engine: Engine, path: str | Path) -> Manifest:
    """Write every row of the workspace to ``path`` (refused if it exists), from one consistent snapshot.
    Written beside it first and renamed at the end: a failed backup leaves no half file."""
    path = Path(path)
    if path.exists():
        raise WorkspaceError(f"Tệp «{path}» đã có; hãy chọn tên khác (bản sao lưu không ghi đè tệp nào).")
    part = path.with_name(path.name + ".part")
    try:
        with guarded("sao lưu"), _snapshot(engine) as conn, gzip.open(part, "wt", encoding="utf-8", compresslevel=6) as out:
            manifest = _write(conn, out)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return manifest


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one committed state across all the SELECTs of the backup."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        else:  # pysqlite opens no transaction for SELECTs by itself: one BEGIN holds the WAL snapshot
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _write(conn: Connection, out: IO[str]) -> Manifest:
    revision = current_revision_of(conn)
    counts = {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in tables()}
    manifest = Manifest(revision, datetime.now(timezone.utc).isoformat(), counts)
    out.write(_line({
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": revision,
        "created_at": manifest.created_at,
        "tables": [{"name": t.name, "columns": _columns(t), "rows": counts[t.name]} for t in tables()],
    }))
    for t in tables():
        out.write(_line({"table": t.name}))
        encoders = [encoder(c) for c in t.columns]
        rows = conn.execution_options(yield_per=BATCH).execute(select(t).order_by(*t.primary_key.columns))
        for row in rows:
            out.write(_line([enc(v) for enc, v in zip(encoders, row)]))
    out.write(_line({"end": True, "rows": manifest.total}))
    return manifest


def current_revision_of(conn: Connection) -> str:
    return conn.scalar(text("SELECT version_num FROM alembic_version")) or ""


# ------------------------------------------------------------------ reading a backup file


class _Reader:
    """Strict, bounded reading of a backup file: one JSON value per line, nothing evaluated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.line_no = 0
        self.left = max(MIN_UNPACKED, MAX_RATIO * path.stat().st_size)

    def lines(self, f: IO[str]) -> Iterator[Any]:
        while line := self._readline(f):
            self.line_no += 1
            self.left -= len(line)
            if len(line) > MAX_LINE_CHARS or self.left < 0 or not line.endswith("\n"):
                raise self.bad("dòng quá dài, tệp quá lớn hoặc bị cắt cụt")
            yield self._json(line)

    def _readline(self, f: IO[str]) -> str:
        try:
            return f.readline(MAX_LINE_CHARS + 1)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError):  # not gzip, cut short, not UTF-8
            raise self.bad("không giải nén được hoặc bị cắt cụt") from None

    def _json(self, line: str) -> Any:
        try:
            return json.loads(line, parse_constant=_no_constant, object_pairs_hook=_no_duplicate_keys)
        except (ValueError, RecursionError):
            raise self.bad("không phải JSON hợp lệ") from None

    def bad(self, why: str) -> WorkspaceError:
        return WorkspaceError(
            f"Tệp «{self.path}» không phải bản sao lưu chiso hợp lệ ({why}, dòng {self.line_no}); chưa thay đổi gì."
        )


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def _open(path: Path) -> IO[str]:
    """The text stream of a backup file; anything that is not a gzip file is refused before reading."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            magic = f.read(2)
    except OSError as exc:
        raise WorkspaceError(f"Không đọc được tệp «{path}»: {exc.strerror or exc}.") from None
    if magic != b"\x1f\x8b" or size > MAX_FILE_BYTES:
        raise WorkspaceError(f"Tệp «{path}» không phải bản sao lưu chiso (tệp .gz do lệnh backup tạo ra); chưa thay đổi gì.")
    return gzip.open(path, "rt", encoding="utf-8", newline="\n")


def _manifest(reader: _Reader, first: Any) -> Manifest:
    ok = isinstance(first, dict) and first.get("format") == FORMAT and first.get("format_version") == FORMAT_VERSION
    if not ok or not isinstance(first.get("schema_revision"), str) or not isinstance(first.get("tables"), list):
        raise reader.bad("không có phần mô tả của bản sao lưu")
    revision = first["schema_revision"][:100]
    rows = _table_rows(first["tables"])
    if rows is None and revision == head_revision():  # another revision may list other tables: refused later
        raise reader.bad("danh sách bảng không khớp lược đồ")
    return Manifest(revision, str(first.get("created_at", ""))[:100], rows or {})


def _table_rows(entries: list[Any]) -> dict[str, int] | None:
    """Rows per table when the manifest lists exactly this code's tables and columns, in order; else None."""
    expected = [(t.name, _columns(t)) for t in tables()]
    listed = [(e.get("name"), e.get("columns")) if isinstance(e, dict) else None for e in entries]
    counts = [e.get("rows") if isinstance(e, dict) else None for e in entries]
    if listed != expected or not all(type(n) is int and n >= 0 for n in counts):
        return None
    return {name: n for (name, _), n in zip(expected, counts)}


def describe(path: str | Path) -> Manifest:
    """The manifest of a backup file (its first line), checked; the rows are not read."""
    path = Path(path)
    with _open(path) as f:
        reader = _Reader(path)
        return _manifest(reader, next(reader.lines(f), None))


# ------------------------------------------------------------------ restore


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the workspace now (what a restore would replace)."""
    with guarded("đếm dữ liệu"), engine.connect() as conn:
        return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in tables()}


def refuse_other_revision(manifest: Manifest, engine: Engine) -> None:
    target = current_revision(engine) or ""
    if manifest.schema_revision != target:
        raise WorkspaceError(
            f"Bản sao lưu có phiên bản lược đồ «{manifest.schema_revision}», cơ sở dữ liệu làm việc ở «{target}»: "
            "chỉ khôi phục được bản sao lưu cùng phiên bản (khôi phục bằng bản chiso đã tạo ra nó, rồi cập nhật "
            "chiso để nâng cấp lược đồ). Chưa thay đổi gì."
        )


def restore(engine: Engine, path: str | Path) -> Manifest:
    """Replace every row of the workspace by those of the backup at ``path``, in one transaction."""
    path = Path(path)
    manifest = describe(path)
    refuse_other_revision(manifest, engine)
    reader = _Reader(path)
    with guarded("khôi phục"), engine.begin() as conn, _open(path) as f:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before the first DELETE
        for t in reversed(tables()):
            conn.execute(t.delete())
        _load(conn, reader, reader.lines(f), manifest)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return manifest


def _load(conn: Connection, reader: _Reader, lines: Iterator[Any], manifest: Manifest) -> None:
    next(lines)  # the manifest, checked by describe()
    for t in tables():
        if next(lines, None) != {"table": t.name}:
            raise reader.bad(f"thiếu đầu bảng {t.name}")
        _load_table(conn, reader, lines, t, manifest.rows[t.name])
    if next(lines, None) != {"end": True, "rows": manifest.total} or next(lines, None) is not None:
        raise reader.bad("thiếu dòng kết thúc hoặc thừa dữ liệu")


def _load_table(conn: Connection, reader: _Reader, lines: Iterator[Any], t: Table, n: int) -> None:
    names, decoders = _columns(t), [decoder(c) for c in t.columns]
    batch: list[dict[str, Any]] = []
    for _ in range(n):
        row = next(lines, None)
        if not isinstance(row, list) or len(row) != len(names):
            raise reader.bad(f"dòng dữ liệu của bảng {t.name} sai dạng")
        try:
            batch.append({k: dec(v) for k, dec, v in zip(names, decoders, row)})
        except BadValue:
            raise reader.bad(f"giá trị không hợp lệ trong bảng {t.name}") from None
        if len(batch) == BATCH:
            conn.execute(t.insert(), batch)
            batch = []
    if batch:
        conn.execute(t.insert(), batch)


def _reset_sequences(conn: Connection) -> None:
    """Rows came with their ids: move each id sequence past the largest, or the next save collides."""
    for t in tables():
        col = t.autoincrement_column
        if col is None:
            continue
        q = conn.dialect.identifier_preparer
        table, column = q.format_table(t), q.quote(col.name)
        conn.execute(
            text(f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({column}), 0) + 1, false) FROM {table}"),
            {"t": table, "c": col.name},
        )
