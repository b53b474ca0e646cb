"""The simulator's score bar: total, change, rank and band, recomputed in the browser while a lever moves.

A hand-written component (``ui/components/score_bar``, no build step) that reads the page's lever
sliders every frame and scores the unit with engine.js, the browser twin of ``chiso.engine`` (proved
equal by tests/test_live_engine.py). Python only sends the unit once (``chiso.live.live_payload``);
the levers still commit to Python on release as before, and the metrics below the bar follow.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

_bar = components.declare_component("score_bar", path=str(Path(__file__).parent / "components" / "score_bar"))

# keeps the bar at the top of the window while the levers scroll under it (desktop and phone)
# (Streamlit wraps the keyed container in a layout wrapper of the same height: that is what must stick)
_STICKY = ("<style>[data-testid='stLayoutWrapper']:has(> .st-key-score_bar) {position: sticky; top: 3.75rem;"
           " z-index: 990; background: white; border-bottom: 1px solid rgba(49, 51, 63, 0.2);}"
           " .st-key-score_bar iframe {display: block;}</style>")


def score_bar(payload: dict, committed: list[int]) -> None:
    """Draw the bar; ``committed`` are the live levers' deltas as Python has them (used only when the
    browser cannot read the sliders)."""
    st.html(_STICKY)
    with st.container(key="score_bar"):
        _bar(unit={**payload, "committed": committed}, key="score_bar_live", default=None)
