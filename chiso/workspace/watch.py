"""The SQLite workspace file, watched while the app runs.

A pooled SQLite connection keeps the file it opened (its inode), not the path: once the file is deleted,
moved away or replaced by another one, every later save would go to the ghost of the old file, be
reported saved, and vanish at the next restart. So the engine remembers which file its first connection
opened (device and inode) and, before every use of a connection (one ``os.stat``, ~1 µs, per
transaction), refuses when the path now names no file or another file. Moving the same file back makes
the workspace work again; anything else needs a restart (or a restore from a backup).
"""
from __future__ import annotations

import os

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import SQLAlchemyError

from chiso.workspace.errors import WorkspaceError


def watch_file(engine: Engine, path: str) -> None:
    """Refuse every connection of ``engine`` once ``path`` is not the file it first opened."""
    path = os.path.abspath(path)  # the process may change directory; SQLite resolved it at connect
    opened: list[tuple[int, int]] = []  # the identity of the file the first connection opened (or created)

    @event.listens_for(engine, "connect")
    def _remember(_dbapi_conn, _record) -> None:
        if not opened:
            opened.append(_identity(path) or (-1, -1))

    @event.listens_for(engine, "do_connect")
    def _before_opening(_dialect, _record, _cargs, _cparams) -> None:
        # a new connection would create an empty file at a deleted path: check before SQLite opens it
        if opened:
            _check(path, opened[0])

    @event.listens_for(engine, "engine_connect")
    def _before_use(conn: Connection) -> None:
        try:
            _check(path, opened[0])
        except WorkspaceError:
            _flush_wal(conn)
            conn.invalidate()  # its descriptors point at the ghost file: close them for good
            conn.close()
            engine.dispose()  # and those of every pooled connection
            raise


def _flush_wal(conn: Connection) -> None:
    """Move the ghost's pending WAL frames into the ghost and empty the ``-wal`` file, which is still at
    the path: left there, its frames would be laid over whatever file is opened at the path next."""
    try:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except SQLAlchemyError:  # best effort: SQLite may refuse on a moved file; the refusal below stands anyway
        pass


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _check(path: str, opened: tuple[int, int]) -> None:
    if _identity(path) != opened:
        raise WorkspaceError(
            f"Tệp cơ sở dữ liệu làm việc «{path}» đã bị xóa hoặc thay thế trong khi ứng dụng đang chạy; "
            "chưa lưu gì. Nếu đó là nhầm lẫn, hãy đặt lại tệp cũ vào đúng chỗ (làm việc tiếp được ngay) hoặc "
            "khôi phục từ bản sao lưu (python -m chiso restore TỆP --yes) rồi khởi động lại ứng dụng; "
            "nếu tệp được thay có chủ ý, hãy khởi động lại ứng dụng để mở tệp mới."
        )
