"""The app's side of saved scenarios: those of the data on screen, kept in the workspace database
(mirrored into the session). A bundled sample is keyed ``sample:<key>``, a dataset stored in the
workspace ``dataset:<id>``; an upload not stored there keeps its scenarios in the session only.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.scenario import Scenario
from chiso.workspace import SavedItem, sample_key, scenario_of
from ui.auth import keeps_nothing
from ui.db import workspace
from ui.safe_md import md
from ui.state import AppData

_FROM_DB = "_ws_scenario_names"  # names the session mirrors from the database (to drop deleted ones)


def source_key(data: AppData) -> str | None:
    """Where this data's scenarios and plans are kept: a bundled sample or a stored dataset (None for an
    upload not stored in the workspace: its scenarios stay in the session)."""
    return data.store_key or (sample_key(data.source_key) if data.source_key else None)


def sync_saved(data: AppData, saved: dict[str, Scenario]) -> dict[str, SavedItem] | None:
    """Mirror the stored scenarios of this data and rulebook into ``saved``; return them by name
    (None when this data's scenarios live in the session only)."""
    ws, key = workspace(), source_key(data)
    if ws is None or key is None:
        return None
    try:
        items = {i.name: i for i in ws.saved("scenario", key, data.rb.id)}
        fresh = {name: scenario_of(item, data.rb) for name, item in items.items()}
    except ChisoError as exc:
        st.error(md(exc))
        return None
    for gone in set(st.session_state.get(_FROM_DB, ())) - set(items):
        saved.pop(gone, None)  # deleted or renamed by another session
    saved.update(fresh)
    st.session_state[_FROM_DB] = set(items)
    return items


def store_scenario(data: AppData, sc: Scenario, version: int | None = None, overwrite: bool = False) -> SavedItem | None:
    """Save in the workspace (None when this data is not stored there, or for a khách / học viên, whose
    scenarios stay in the session). Raises NameTakenError/StaleVersionError."""
    ws, key = workspace(), source_key(data)
    if ws is None or key is None or keeps_nothing():
        return None
    return ws.save_scenario(sc, key, version=version, overwrite=overwrite)


def delete_scenario(data: AppData, item: SavedItem) -> None:
    ws = workspace()
    if ws is not None:
        ws.delete_saved("scenario", item.id, item.version)


def rename_scenario(item: SavedItem, new_name: str) -> None:
    """Rename in the workspace; a name already taken or a stale version raises a Vietnamese ChisoError."""
    ws = workspace()
    if ws is not None:
        ws.rename_saved("scenario", item.id, item.version, new_name)
