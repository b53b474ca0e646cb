"""The app's side of the workspace database: one open workspace per server and database URL, and the
saved scenarios of the data on screen (kept in the database, mirrored into the session).

A bundled sample is keyed ``sample:<key>``; uploads are not stored (they enter the workspace only when
the user says so, which the app does not offer yet), so their scenarios stay in the session.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.scenario import Scenario
from chiso.workspace import SavedItem, sample_key, scenario_of
from ui.db import workspace
from ui.safe_md import md
from ui.state import AppData

_FROM_DB = "_ws_scenario_names"  # names the session mirrors from the database (to drop deleted ones)


def source_key(data: AppData) -> str | None:
    return sample_key(data.source_key) if data.source_key else None


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
    """Save in the workspace (None when this data is not stored there). Raises NameTakenError/StaleVersionError."""
    ws, key = workspace(), source_key(data)
    if ws is None or key is None:
        return None
    return ws.save_scenario(sc, key, version=version, overwrite=overwrite)


def delete_scenario(data: AppData, item: SavedItem) -> None:
    ws = workspace()
    if ws is not None:
        ws.delete_saved("scenario", item.id, item.version)
