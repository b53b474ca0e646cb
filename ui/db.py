"""The workspace database as the app opens it: once per server process and database URL, and bound to the
actor of each browser session, so that every write is checked against that person's rights in ``chiso``.

Kept apart from ``ui.state`` so that the data loading (which reads hand revisions) and the saved
scenarios share one open workspace without an import cycle.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.workspace import Workspace, database_url, open_workspace
from ui.auth import actor
from ui.safe_md import md


@st.cache_resource(show_spinner="Đang mở cơ sở dữ liệu làm việc…")
def _open(url: str) -> Workspace:
    return open_workspace(url)


def shared_workspace() -> Workspace:
    """The open workspace, unbound (sign-in uses it); raises a Vietnamese ChisoError when it cannot open."""
    return _open(database_url())


def workspace(quiet: bool = False) -> Workspace | None:
    """The open workspace as this session's actor, or None (with a message unless ``quiet``) when the
    database cannot be opened."""
    try:
        return shared_workspace().for_actor(actor())
    except ChisoError as exc:
        if not quiet:
            st.warning(md(f"Không mở được cơ sở dữ liệu làm việc: số liệu nhập tay và kịch bản chỉ được giữ "
                          f"trong phiên này. {exc}"))
        return None
