"""The workspace database as the app opens it: once per server process and database URL.

Kept apart from ``ui.state`` so that the data loading (which reads hand revisions) and the saved
scenarios share one open workspace without an import cycle.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.workspace import Workspace, database_url, open_workspace
from ui.safe_md import md


@st.cache_resource(show_spinner="Đang mở cơ sở dữ liệu làm việc…")
def _open(url: str) -> Workspace:
    return open_workspace(url)


def workspace(quiet: bool = False) -> Workspace | None:
    """The open workspace, or None (with a message unless ``quiet``) when the database cannot be opened."""
    try:
        return _open(database_url())
    except ChisoError as exc:
        if not quiet:
            st.warning(md(f"Không mở được cơ sở dữ liệu làm việc: số liệu nhập tay và kịch bản chỉ được giữ "
                          f"trong phiên này. {exc}"))
        return None
