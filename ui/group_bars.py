"""Đơn vị's group scores against their maxima, as native progress rows.

Not a plotly chart: the page's first render waited for plotly's 4,7 MB script (about 3,5 s of the
browser's time on the 2-core machine, bench/bench_browser.py) to draw six bars. A group with no data at
all is held: its row is written as ``chiso.explain.group_value`` writes it («giữ nguyên», or the official
group score when known), never as "0,00 / max".
"""
from __future__ import annotations

import streamlit as st

from chiso.explain import GroupValue
from chiso.fmt import fmt_number
from chiso.rulebook import Rulebook


def group_rows(rb: Rulebook, values: list[GroupValue]) -> list[tuple[float, str]]:
    """(fraction of the maximum, words) per group, in the rulebook's order; a held group without an
    official group score has no length to draw: its words say «giữ nguyên» (the page's note says why)."""
    rows = []
    for g, v in zip(rb.groups, values):
        shown = 0.0 if v.points is None else v.points
        rows.append((min(1.0, max(0.0, shown / g.max)) if g.max else 0.0, f"{g.name_vi}: {v.of(fmt_number(g.max))}"))
    return rows


def group_bars(rb: Rulebook, values: list[GroupValue]) -> None:
    st.markdown("**Điểm theo nhóm chỉ số so với điểm tối đa**")
    for fraction, text in group_rows(rb, values):
        st.progress(fraction, text=text)
