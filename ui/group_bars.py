"""Đơn vị's group scores against their maxima, as native progress rows.

Not a plotly chart: the page's first render waited for plotly's 4,7 MB script (about 3,5 s of the
browser's time on the 2-core machine, bench/bench_browser.py) to draw six bars. A group with no data at
all is held: shown at its official group score when known, and never as "0,00 / max".
"""
from __future__ import annotations

import math

import numpy as np
import streamlit as st

from chiso.fmt import fmt_number, fmt_points
from chiso.rulebook import Rulebook


def group_text(name: str, p: float, mx: float, miss: bool, held: bool, official: float) -> str:
    """The row's words: "Nhóm: 12,30 / 18", marked when data is missing or the group is held."""
    if held:
        known = "" if math.isnan(official) else f"{fmt_points(official)} / {fmt_number(mx)} "
        return f"{name}: {known}(giữ nguyên, không có số liệu)"
    return f"{name}: {fmt_points(p)} / {fmt_number(mx)}" + (" * (thiếu số liệu)" if miss else "")


def group_rows(rb: Rulebook, points: np.ndarray, missing: np.ndarray, empty: np.ndarray,
               official: np.ndarray) -> list[tuple[float, str]]:
    """(fraction of the maximum, words) per group, in the rulebook's order."""
    rows = []
    for n, g in enumerate(rb.groups):
        held, off = bool(empty[n]), float(official[n])
        shown = (0.0 if math.isnan(off) else off) if held else float(points[n])
        rows.append((min(1.0, max(0.0, shown / g.max)) if g.max else 0.0,
                     group_text(g.name_vi, float(points[n]), g.max, bool(missing[n]), held, off)))
    return rows


def group_bars(rb: Rulebook, points: np.ndarray, missing: np.ndarray, empty: np.ndarray,
               official: np.ndarray) -> None:
    st.markdown("**Điểm theo nhóm chỉ số so với điểm tối đa**")
    for fraction, text in group_rows(rb, points, missing, empty, official):
        st.progress(fraction, text=text)
