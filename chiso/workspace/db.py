"""Where the workspace lives, how its engine is made, and the schema migrations applied on open.

Default: an SQLite file at ``<project>/.chiso/workspace.sqlite3`` in WAL mode (readers never block
the writer; a crash mid-write leaves the last committed state) with a busy timeout, so that two app
sessions writing at once wait instead of failing. ``CHISO_DATABASE_URL`` takes any SQLAlchemy URL,
e.g. ``postgresql+psycopg://user@host/db`` for a shared office server.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from chiso.workspace.errors import WorkspaceError
from chiso.workspace.watch import watch_file

ENV_URL = "CHISO_DATABASE_URL"
PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_PATH = PROJECT_DIR / ".chiso" / "workspace.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
_PG_MIGRATION_LOCK = 766_0001  # advisory lock: two servers starting together migrate one after the other


def database_url(url: str | None = None) -> str:
    """The URL to open: the argument, else ``CHISO_DATABASE_URL``, else the default SQLite file."""
    chosen = url or os.environ.get(ENV_URL, "").strip()
    return chosen or f"sqlite:///{DEFAULT_PATH}"


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise WorkspaceError(f"Địa chỉ cơ sở dữ liệu «{_safe(url)}» không hợp lệ ({ENV_URL}).") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError):
        raise WorkspaceError(
            f"Không có trình kết nối cho «{parsed.drivername}»; với PostgreSQL dùng postgresql+psycopg://…"
        ) from None


def _sqlite_engine(parsed) -> Engine:
    uri = parsed.query.get("uri") == "true"  # file:…?mode=ro: SQLite's own URI, not a path to create
    on_disk = bool(parsed.database) and parsed.database != ":memory:" and not uri
    if on_disk:
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Không tạo được thư mục cho tệp làm việc «{parsed.database}»: {exc.strerror}.") from None
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # every new connection: WAL, wait on locks, enforce FKs
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        cur.close()

    if on_disk:
        watch_file(engine, parsed.database)
    return engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with guarded("đọc phiên bản lược đồ"), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (all of it by default), in one transaction where the DB allows."""
    cfg = alembic_config()
    with guarded("cập nhật lược đồ"), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        refuse_unknown_revision(conn)
        cfg.attributes["connection"] = conn
        try:
            command.upgrade(cfg, revision)
        except CommandError as exc:  # Alembic's own refusals are English and raw: say it in Vietnamese
            raise WorkspaceError(f"Không cập nhật được lược đồ cơ sở dữ liệu làm việc ({str(exc)[:200]}).") from exc


def refuse_unknown_revision(conn: Connection) -> None:
    """A schema stamped by a newer chiso (a revision none of our migrations knows) is left untouched:
    Alembic would only fail with an English traceback, and guessing could damage the newer data."""
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    for rev in MigrationContext.configure(conn).get_current_heads():
        if rev not in known:
            raise WorkspaceError(
                f"Cơ sở dữ liệu làm việc có phiên bản lược đồ «{rev[:100]}» mới hơn phiên bản chiso này hiểu "
                f"(mới nhất: «{head_revision()}»), có lẽ do một bản chiso mới hơn tạo ra; hãy cập nhật chiso. "
                "Chưa thay đổi gì trong cơ sở dữ liệu."
            )


@contextmanager
def guarded(action_vi: str) -> Iterator[None]:
    """Turn database failures (locked, unreachable, disk full, read-only) into a Vietnamese WorkspaceError."""
    try:
        yield
    except WorkspaceError:
        raise
    except (DBAPIError, SQLAlchemyError, sqlite3.Error, OSError) as exc:
        raise WorkspaceError(f"Không {action_vi} được trong cơ sở dữ liệu làm việc: {_reason_vi(exc)}") from exc


def _reason_vi(exc: Exception) -> str:
    msg = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in msg or "lock" in msg and "timeout" in msg:
        return "cơ sở dữ liệu đang bị khóa bởi phiên khác, hãy thử lại sau."
    if "disk" in msg and "full" in msg or "no space" in msg:
        return "ổ đĩa đã đầy."
    if "readonly" in msg or "read-only" in msg or "permission" in msg:
        return "không có quyền ghi vào tệp cơ sở dữ liệu."
    if "unable to open" in msg or "connection" in msg or "connect" in msg or "could not" in msg:
        return "không kết nối được tới cơ sở dữ liệu (kiểm tra CHISO_DATABASE_URL)."
    return "lỗi cơ sở dữ liệu (" + str(getattr(exc, "orig", exc)).splitlines()[0][:200] + ")."


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "…"
