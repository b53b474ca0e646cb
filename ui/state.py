"""The unit picker every page shares, and the names pages import from one place.

Where things live: the loaded data (``ui.data_source``), the sidebar (``ui.sidebar``), the address bar
(``ui.address``), and every session key (``ui.session``).
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from chiso.rulebook import LEVEL_NAMES_VI, LEVELS
from ui import address
from ui.data_source import AppData
from ui.session import (  # noqa: F401  (re-exported for pages)
    PENDING_SCENARIO, RULEBOOK, SIMULATE_PAGE, SOURCE, UNIT_KEY, UNIT_PAGE, remembered, saved_scenarios,
    send_to_simulator,
)
from ui.sidebar import rulebook_caption, sidebar  # noqa: F401  (re-exported for pages)


def selected_unit(data: AppData) -> int:
    """Index of the unit in ``unit_code`` (the first unit when none or unknown)."""
    code = st.session_state.get(UNIT_KEY)
    hits = np.flatnonzero(data.codes == code) if code is not None else []
    return int(hits[0]) if len(hits) else 0


def unit_picker(data: AppData, key: str) -> int:
    """A searchable unit selectbox bound to the shared ``unit_code`` (and the address bar); returns the unit's
    index."""
    i = selected_unit(data)
    codes = list(data.codes)
    names = dict(zip(codes, data.names))
    levels = dict(zip(codes, (LEVEL_NAMES_VI[LEVELS[j]] for j in data.level_idx)))
    st.session_state[key] = codes[i]

    def _changed() -> None:
        st.session_state[UNIT_KEY] = st.session_state[key]

    st.selectbox(
        "Đơn vị",
        codes,
        format_func=lambda c: f"{names[c]} — {levels[c]} ({c})",
        key=key,
        on_change=_changed,
        help="Gõ để tìm theo tên hoặc mã đơn vị.",
    )
    st.session_state[UNIT_KEY] = st.session_state[key]
    address.put_unit(data, str(st.session_state[key]))
    return selected_unit(data)
