"""Where hand revisions live: for now the browser session; the workspace database replaces the body of
these three functions later, behind the same signatures, without touching any page.

Revisions are kept per source (``"sample:<key>"`` or ``"upload:<content hash>"``) and rulebook, in order.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from chiso.edits import Revision

_STORE = "_edit_revisions"  # session key: {(source_key, rulebook_id): [Revision, …]}


def _all() -> dict[tuple[str, str], list[Revision]]:
    return st.session_state.setdefault(_STORE, {})


def revisions(source_key: str, rulebook_id: str) -> list[Revision]:
    """Every revision of this source under this rulebook, oldest first (a copy)."""
    return list(_all().get((source_key, rulebook_id), []))


def add(source_key: str, rulebook_id: str, revs: list[Revision]) -> None:
    """Append ``revs`` (already validated) all at once: they are stored together or not at all."""
    if not revs:
        return
    store = _all()
    store[(source_key, rulebook_id)] = [*store.get((source_key, rulebook_id), []), *revs]


def undo(source_key: str, rulebook_id: str) -> Revision | None:
    """Remove and return the last revision (None when there is none)."""
    store = _all()
    revs = store.get((source_key, rulebook_id), [])
    if not revs:
        return None
    store[(source_key, rulebook_id)] = revs[:-1]
    return revs[-1]


def sample_key(key: str) -> str:
    return f"sample:{key}"


def upload_key(files: tuple[tuple[str, bytes], ...]) -> str:
    """Same files (names and bytes) → same key, so revisions follow the upload, not the session."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return f"upload:{h.hexdigest()[:16]}"
