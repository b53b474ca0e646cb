"""Where hand revisions live, per source (``"sample:<key>"`` or ``"upload:<content hash>"``, with
``@<period>`` for one period of a several-period source) and rulebook, in order.

Revisions of a bundled sample or of a dataset stored in the workspace are kept in the workspace database, so an entered count survives a
refresh and a server restart while the sample file stays read-only. An upload enters the workspace
only when the user says so, so its revisions stay in the browser session. When the database cannot
be opened, sample revisions fall back to the session too (with the warning ``ui.db`` shows).
"""
from __future__ import annotations

import hashlib

import streamlit as st

from chiso.edits import Revision
from chiso.errors import ChisoError
from chiso.workspace import Workspace
from ui.db import workspace
from ui.safe_md import md

_STORE = "_edit_revisions"  # session key: {(source_key, rulebook_id): [Revision, …]}
SAMPLE, STORED = "sample:", "dataset:"  # kept in the database; uploads are not


def _all() -> dict[tuple[str, str], list[Revision]]:
    return st.session_state.setdefault(_STORE, {})


def _db(source_key: str) -> Workspace | None:
    return workspace() if source_key.startswith((SAMPLE, STORED)) else None


def revisions(source_key: str, rulebook_id: str) -> list[Revision]:
    """Every revision of this source under this rulebook, oldest first (a copy)."""
    ws = _db(source_key)
    if ws is not None:
        try:
            return ws.revisions(source_key, rulebook_id)
        except ChisoError as exc:  # unreadable now: show the imported values and say why
            st.warning(md(f"Không đọc được số liệu nhập tay từ cơ sở dữ liệu làm việc. {exc}"))
    return list(_all().get((source_key, rulebook_id), []))


def add(source_key: str, rulebook_id: str, revs: list[Revision]) -> None:
    """Append ``revs`` (already validated) all at once: they are stored together or not at all."""
    if not revs:
        return
    ws = _db(source_key)
    if ws is not None:
        ws.add_revisions(source_key, rulebook_id, revs)
        return
    store = _all()
    store[(source_key, rulebook_id)] = [*store.get((source_key, rulebook_id), []), *revs]


def undo(source_key: str, rulebook_id: str) -> Revision | None:
    """Remove and return the last revision (None when there is none)."""
    ws = _db(source_key)
    if ws is not None:
        return ws.undo_revision(source_key, rulebook_id)
    store = _all()
    revs = store.get((source_key, rulebook_id), [])
    if not revs:
        return None
    store[(source_key, rulebook_id)] = revs[:-1]
    return revs[-1]


def sample_key(key: str) -> str:
    return f"{SAMPLE}{key}"


def upload_key(files: tuple[tuple[str, bytes], ...]) -> str:
    """Same files (names and bytes) → same key, so revisions follow the upload, not the session."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return f"upload:{h.hexdigest()[:16]}"
