"""Datasets kept in the workspace database, as the sidebar offers them.

An upload enters the workspace only when the user presses «Lưu tệp vào cơ sở dữ liệu làm việc»; from then
on it is a data source like the bundled samples («Đã lưu: …»), for every session and after a restart,
with its hand revisions, scenarios and plans kept under ``dataset:<id>``. Bundled samples are never written.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from chiso.errors import ChisoError
from chiso.units import UnitTable
from chiso.workspace import Workspace
from chiso.workspace.datasets import DatasetExistsError, DatasetInfo
from ui.db import workspace
from ui.confirm import ask, asked
from ui.safe_md import md

PREFIX = "ds:"  # sidebar source value of a stored dataset


def stored_sources() -> dict[str, str]:
    """Sidebar labels of the stored datasets, by source value (empty when the database is unavailable)."""
    ws = workspace(quiet=True)
    if ws is None:
        return {}
    try:
        infos = ws.datasets()
    except ChisoError:
        return {}
    return {f"{PREFIX}{d.id}": stored_label(d) for d in infos}


def stored_label(d: DatasetInfo) -> str:
    """«Đã lưu: kỳ 2026-Q3 · Cổng DVCQG · Phú Thọ»: the period (and «giả lập») first, where the sidebar's
    one-line box never cuts them; a long source name ends in «…» there, whole in the list and the caption."""
    synthetic = " (giả lập)" if d.synthetic else ""
    return f"Đã lưu: kỳ {d.period}{synthetic} · {d.source_label or d.source}"


def dataset_id(source: str) -> int | None:
    return int(source[len(PREFIX):]) if source.startswith(PREFIX) and source[len(PREFIX):].isdigit() else None


def stored_info(dataset: int) -> DatasetInfo:
    """What the workspace knows of a stored dataset (refused with a message when it is gone)."""
    info = next((d for d in _ws().datasets() if d.id == dataset), None)
    if info is None:
        raise ChisoError("Bộ số liệu này không còn trong cơ sở dữ liệu làm việc (đã bị xóa?).")
    return info


def label_of(info: DatasetInfo) -> str:
    return f"Đã lưu: {info.source_label or info.source} (kỳ {info.period})"


@st.cache_resource(show_spinner="Đang đọc bộ số liệu đã lưu…", max_entries=8)
def read_table(dataset: int, imported_at: str, url: str) -> UnitTable:
    """The stored table, read once per dataset version (a re-import changes ``imported_at``) and server."""
    return _ws().load_dataset(dataset)


def _ws() -> Workspace:
    ws = workspace()
    if ws is None:
        raise ChisoError("Không mở được cơ sở dữ liệu làm việc.")
    return ws


def save_upload_button(files: tuple[tuple[str, bytes], ...], table: UnitTable, rulebook_id: str,
                       on_saved) -> None:
    """«Lưu tệp vào cơ sở dữ liệu làm việc»: the user's explicit step that keeps an upload for good. A source
    and period stored already are never replaced silently: the user is asked, and the old version is kept."""
    if st.sidebar.button("Lưu tệp vào cơ sở dữ liệu làm việc", key="store_upload", width="stretch",
                         help="Giữ tệp này (cùng cách gán cột) cho mọi người dùng máy chủ, kể cả sau khi khởi động "
                              "lại. Nếu đã có tệp cùng tên và kỳ, ứng dụng hỏi trước rồi lưu thành phiên bản mới; "
                              "phiên bản cũ vẫn được giữ và khôi phục được."):
        _store(files, table, rulebook_id, on_saved, new_version=False)
    question = st.session_state.get(_EXISTS)
    if question and asked("store_new_version", question, "Lưu thành phiên bản mới", where=st.sidebar):
        _store(files, table, rulebook_id, on_saved, new_version=True)


_EXISTS = "_store_exists"  # session: the question asked when the source and period are stored already


def _store(files, table: UnitTable, rulebook_id: str, on_saved, new_version: bool) -> None:
    ws = workspace()
    if ws is None:
        return
    digest = hashlib.sha256(b"".join(hashlib.sha256(b).digest() for _, b in files)).hexdigest()
    try:
        ids = ws.import_table(table, ", ".join(n for n, _ in files), digest, rulebook_id, new_version=new_version)
    except DatasetExistsError as exc:
        st.session_state[_EXISTS] = str(exc)
        ask("store_new_version")
        st.rerun()
    except ChisoError as exc:
        st.sidebar.error(md(exc))
        return
    st.session_state.pop(_EXISTS, None)
    on_saved(f"{PREFIX}{ids[-1]}")
