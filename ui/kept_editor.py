"""A data editor whose unsaved edits outlive it.

Streamlit forgets a widget's state after a run that does not draw it (a closed lazy tab or fold, another
page), and refuses a value written to a data editor's key. So the edited table is kept in the session, one
slot per editor; when the editor is drawn again it starts from that table. Lazy tabs and folds keep the grid
out of a page's first render (Số liệu, Lập kế hoạch) without losing what the user typed.

A save button renews its editor (``renew``, as the button's on_click): the grid is drawn as a new widget
holding every typed cell. Streamlit's grid drops a click's new selection while it believes the pointer is
outside it, and learns otherwise only from a pointer move, one render later: after a click on the button, a
click straight back on a cell (after a scroll, a quick hand) selected nothing, and the keys went into the
cell selected before, another unit's. A new widget starts believing the pointer is over it. (Streamlit sends
a typed cell 150 ms after Enter: one typed less than that before the click reaches the old widget after it
is gone, and is lost, as it already was when a successful save renews the key.)
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st


def _slot(slot: str) -> str:
    return f"_editor_{slot}"


def kept_table(slot: str, key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The last edited table of editor ``key`` in ``slot`` (``data`` if it has none): for a closed fold."""
    held = st.session_state.get(_slot(slot))
    return held[3] if held is not None and held[0] == key else data


def shown_table(slot: str, key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The table editor ``key`` showed when the user started typing (``data`` when nothing was kept). A save
    compares the edits with this, never with data reloaded since: another user's save in between must
    not look like this user's edit, nor be overwritten without a word."""
    held = st.session_state.get(_slot(slot))
    return held[1] if held is not None and held[0] == key else data


def _typed(state: object) -> bool:
    return isinstance(state, dict) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def _widget(key: str, mount: int) -> str:
    """The widget key of editor ``key`` drawn anew ``mount`` times (``renew``)."""
    return f"{key}~{mount}" if mount else key


def _with_typed(table: pd.DataFrame, state: object) -> pd.DataFrame:
    """``table`` with the typed cells of a fixed-rows editor's state (text cells: put in as typed)."""
    out = table.copy()
    rows = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    for row, cells in rows.items():
        for col, value in cells.items():
            out.iat[int(row), out.columns.get_loc(col)] = value
    return out


def renew(slot: str) -> None:
    """Draw the editor of ``slot`` as a new widget on this run, starting from every cell typed so far (the
    on_click of its save button, run before the script: the widget's state holds the last typed cell even
    when the run that would have kept it was cut short by the click)."""
    ss = st.session_state
    held = ss.get(_slot(slot))
    if held is None:
        return
    key, shown, start, edited, dirty, mount = held
    state = ss.get(_widget(key, mount))
    if _typed(state):  # drawn on the last run: its state is newer than the kept table
        edited = _with_typed(start, state)
    ss[_slot(slot)] = (key, shown, edited, edited, dirty or _typed(state), mount + 1)


def typed_cells(key: str) -> int:
    """How many cells of the fixed-rows editor ``key`` differ from the table shown before the first typed
    cell: the typed, unsaved ones, renewed or not (a cell typed back to what it was is none, as for the save)."""
    held = next((h for name, h in st.session_state.items()
                 if name.startswith(_slot("")) and isinstance(h, tuple) and h[0] == key), None)
    if held is None or not held[4] or held[1].shape != held[3].shape:
        return 0
    shown, edited = held[1].to_numpy(dtype=object), held[3].to_numpy(dtype=object)
    rows, cols = np.nonzero(shown != edited)  # the few candidates, then compared as the save does
    return sum(_text(shown[r, c]) != _text(edited[r, c]) for r, c in zip(rows, cols))


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


def kept_editor(slot: str, key: str, data: pd.DataFrame, **kw) -> pd.DataFrame:
    """``st.data_editor(data, key=key, **kw)`` that starts from its last edits when drawn again.

    One slot holds one editor: a different ``key`` (another unit, rulebook, or a save that renews the
    key) starts afresh from ``data``. While nothing is typed the editor shows ``data`` as it is now (another
    user's save appears); from the first typed cell on, its starting table stays the one the user typed
    into, so that Streamlit's row/column edits land in the cells the user saw (rows may be reordered in
    fresh data: missing counts first) and the save can compare with what was shown. Keeping the last drawn
    table costs one table per session (~2 MB for the national grid): the price of never misplacing a value."""
    ss = st.session_state
    held = ss.get(_slot(slot))
    if held is None or held[0] != key:
        held = (key, data, data, data, False, 0)
    _, shown, start, edited, dirty, mount = held  # shown: the table drawn before the first typed cell
    widget = _widget(key, mount)
    dirty = dirty or (widget in ss and _typed(ss[widget]))  # typed now, or kept from before a closed tab
    if not dirty:  # nothing typed yet: show the data as it is now
        shown = start = edited = data
    elif widget not in ss:  # first drawn since Streamlit forgot it (or renewed): start from the kept edits
        start = edited
    edited = st.data_editor(start, key=widget, **kw)
    ss[_slot(slot)] = (key, shown, start, edited, dirty or _typed(ss.get(widget)), mount)
    return edited
