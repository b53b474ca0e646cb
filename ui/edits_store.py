"""Where hand revisions live, per source (``"sample:<key>"``, ``"dataset:<id>"`` or ``"upload:<hash>"``, with
``@<period>`` for one period of a several-period source) and rulebook, saved in batches.

Revisions of a bundled sample or of a stored dataset are kept in the workspace database (a save is checked
there against what its author saw, and rights are checked there too), so an entered count survives a
refresh and a server restart while the sample file stays read-only. An upload enters the workspace only
when the user says so, so its revisions stay in the browser session. When the database cannot be opened,
sample revisions fall back to the session too (with the warning ``ui.db`` shows).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import streamlit as st

from chiso.edits import Revision
from chiso.errors import ChisoError
from chiso.source_key import SourceKey
from chiso.workspace import Workspace, database_url
from chiso.workspace.batches import BatchInfo
from ui.auth import actor
from ui.db import workspace
from ui.safe_md import md

_STORE = "_edit_batches"  # session key: {(source_key, rulebook_id): [[Revision, …], …]} (one list per save)


@dataclass(frozen=True)
class Revisions:
    """The revisions in force and a stamp that changes whenever they do (the caches' key)."""

    items: list[Revision]
    stamp: tuple


def _all() -> dict[tuple[str, str], list[list[Revision]]]:
    return st.session_state.setdefault(_STORE, {})


def _db(source_key: str) -> Workspace | None:
    key = SourceKey.parse(source_key)
    return workspace() if key is not None and key.kept_in_database else None


@st.cache_resource(show_spinner=False, max_entries=16)
def _read(url: str, source_key: str, rulebook_id: str, stamp: tuple[int, int]) -> list[Revision]:
    """Read once per change (the stamp), not on every rerun: 11.514 revisions take ~0,1 s to read."""
    ws = workspace()
    return ws.revisions(source_key, rulebook_id) if ws is not None else []


def current(source_key: str, rulebook_id: str) -> Revisions:
    """Every revision in force of this source under this rulebook, oldest first."""
    ws = _db(source_key)
    if ws is not None:
        try:
            stamp = ws.revision_stamp(source_key, rulebook_id)
            return Revisions(list(_read(database_url(), source_key, rulebook_id, stamp)), ("db", *stamp))
        except ChisoError as exc:  # unreadable now: show the imported values and say why
            st.warning(md(f"Không đọc được số liệu nhập tay từ cơ sở dữ liệu làm việc. {exc}"))
    batches = _all().get((source_key, rulebook_id), [])
    items = [r for b in batches for r in b]
    return Revisions(items, ("session", hash(tuple((r.unit_code, r.key, r.new) for r in items))))


def revisions(source_key: str, rulebook_id: str) -> list[Revision]:
    return current(source_key, rulebook_id).items


def add(source_key: str, rulebook_id: str, revs: list[Revision]) -> None:
    """Store ``revs`` (already validated) as one batch: all or nothing. In the database the save is checked
    against what the user saw (``ConflictError``) and against their rights (``AccessError``)."""
    if not revs:
        return
    ws = _db(source_key)
    if ws is not None:
        ws.save_edits(source_key, rulebook_id, revs)
        return
    store = _all()
    store[(source_key, rulebook_id)] = [*store.get((source_key, rulebook_id), []), list(revs)]


def own_last(source_key: str, rulebook_id: str) -> BatchInfo | None:
    """This user's last batch still in force (what «Hoàn tác» offers to take back)."""
    ws = _db(source_key)
    if ws is not None:
        return ws.own_last_batch(source_key, rulebook_id)
    batches = _all().get((source_key, rulebook_id), [])
    if not batches:
        return None
    last = batches[-1]
    a = actor()
    return BatchInfo(len(batches), source_key, rulebook_id, a.name, a.login, last[0].at or datetime.now(timezone.utc),
                     len(last), None, "", tuple(last))


def undo(source_key: str, rulebook_id: str, batch_id: int) -> None:
    """Undo the batch the user confirmed (refused when it is no longer their last one)."""
    ws = _db(source_key)
    if ws is not None:
        ws.undo_batch(source_key, rulebook_id, batch_id)
        return
    batches = _all().get((source_key, rulebook_id), [])
    if len(batches) != batch_id:
        raise ChisoError("Lần lưu này không còn là lần lưu gần nhất; chưa hoàn tác gì.")
    _all()[(source_key, rulebook_id)] = batches[:-1]


def listing(source_key: str, rulebook_id: str) -> list[BatchInfo]:
    """Every save, newest first (the database keeps undone ones too, marked)."""
    ws = _db(source_key)
    if ws is not None:
        return ws.edit_batches(source_key, rulebook_id)
    batches = _all().get((source_key, rulebook_id), [])
    return [BatchInfo(n + 1, source_key, rulebook_id, b[0].author, "", b[0].at, len(b), None, "")
            for n, b in reversed(list(enumerate(batches)))]

