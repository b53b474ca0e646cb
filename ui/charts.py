"""Plotly figures with Vietnamese labels and Vietnamese number separators (1.234,5)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from chiso.engine import Scores
from chiso.history import PeriodScore
from chiso.fmt import fmt_delta, fmt_number, fmt_points
from chiso.rulebook import Rulebook

# plotly's toolbar is English (zoom, pan, "Download plot as a png"): hidden; the charts are read, not explored
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "vi"}
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13)


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(
        separators=",.",  # decimal ",", thousands "." — the Vietnamese way
        height=height,
        margin=dict(l=10, r=30, t=40, b=10),
        font=FONT,
        showlegend=kw.pop("showlegend", False),
        **kw,
    )
    return fig


def group_bars(
    rb: Rulebook, points: np.ndarray, missing: np.ndarray | None = None,
    title: str = "Điểm theo nhóm chỉ số so với điểm tối đa",
    empty: np.ndarray | None = None, official: np.ndarray | None = None,
) -> go.Figure:
    """Horizontal bars: each group's points against its maximum. Groups lacking some data are marked *;
    groups with no data at all are held: drawn grey at the official group score when known, never as 0."""
    g_n = len(rb.groups)
    miss = list(np.zeros(g_n, bool) if missing is None else missing)[::-1]
    held = list(np.zeros(g_n, bool) if empty is None else empty)[::-1]
    off = list(np.full(g_n, np.nan) if official is None else np.asarray(official, dtype=float))[::-1]
    names = [g.name_vi + (" *" if m and not h else "") for g, m, h in zip(rb.groups[::-1], miss, held)]
    maxima = [g.max for g in rb.groups][::-1]
    pts = list(np.asarray(points, dtype=float))[::-1]
    fig = go.Figure()
    fig.add_bar(
        y=names, x=maxima, orientation="h", name="Điểm tối đa", marker_color="#e3e8ef",
        text=[_bar_text(p, m, ms, h, o) for p, m, ms, h, o in zip(pts, maxima, miss, held, off)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>Điểm tối đa: %{x:.2f}<extra></extra>",
    )
    fig.add_bar(
        y=names, x=[np.nan if h else p for p, h in zip(pts, held)], orientation="h", name="Điểm đạt",
        marker_color="#2f6db5", hovertemplate="%{y}<br>Điểm đạt: %{x:.2f}<extra></extra>",
    )
    if any(held):
        fig.add_bar(
            y=names, x=[o if h else np.nan for o, h in zip(off, held)], orientation="h",
            name="Giữ nguyên (không có số liệu)", marker_color="#9aa3ae",
            hovertemplate="%{y}<br>Điểm chính thức, giữ nguyên: %{x:.2f}<extra></extra>",
        )
    fig.update_layout(barmode="overlay", title=dict(text=title, font=dict(size=15)))
    fig.update_xaxes(range=[0, max(maxima) * 1.9])
    return _layout(fig, 320, showlegend=True, legend=dict(orientation="h", y=-0.12))


def _bar_text(p: float, mx: float, miss: bool, held: bool, official: float) -> str:
    if held:
        known = "" if np.isnan(official) else f"{fmt_points(official)} / {fmt_number(mx)} "
        return f"{known}(giữ nguyên, không có số liệu)"
    return f"{fmt_points(p)} / {fmt_number(mx)}" + (" (thiếu số liệu)" if miss else "")


def waterfall(rb: Rulebook, base: Scores, scen: Scores, i: int = 0) -> go.Figure:
    """Baseline total → change of every group → scenario total (groups add up exactly).

    Horizontal, read top to bottom, so that the Vietnamese group names never overlap."""
    b_total, s_total = float(base.total[i]), float(scen.total[0])
    diffs = np.round(scen.group_points[0] - base.group_points[i], 2)
    labels = ["Kịch bản gốc"] + [g.name_vi for g in rb.groups] + ["Kịch bản"]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=labels,
            measure=["absolute"] + ["relative"] * len(diffs) + ["total"],
            x=[b_total] + list(diffs) + [s_total],
            text=[fmt_points(b_total)] + [fmt_delta(d) for d in diffs] + [fmt_points(s_total)],
            textposition="outside",
            cliponaxis=False,
            increasing=dict(marker=dict(color="#0a7d2c")),
            decreasing=dict(marker=dict(color="#b3261e")),
            totals=dict(marker=dict(color="#2f6db5")),
            connector=dict(line=dict(color="#999", width=1)),
            hovertemplate="%{y}: %{x:.2f} điểm<extra></extra>",
        )
    )
    lo = min(b_total, s_total)
    span = max(5.0, abs(s_total - b_total) * 2)
    fig.update_xaxes(title_text="Tổng điểm", range=[max(0.0, lo - span), min(100.0, max(b_total, s_total) + span / 2)])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=dict(text="Từ kịch bản gốc đến kịch bản: thay đổi theo nhóm", font=dict(size=15)))
    return _layout(fig, 360)


def rank_histogram(totals: np.ndarray, marks: dict[str, float], title: str) -> go.Figure:
    """Distribution of a cohort's totals with vertical marks (the unit, median, P75)."""
    fig = go.Figure(go.Histogram(x=totals, nbinsx=30, marker_color="#9db7d8", hovertemplate="%{x}: %{y} đơn vị<extra></extra>"))
    colors = ["#b3261e", "#0a7d2c", "#6a3d9a", "#444"]
    for (label, v), c in zip(marks.items(), colors):
        fig.add_vline(x=v, line_color=c, line_width=2, annotation_text=label, annotation_position="top")
    fig.update_xaxes(title_text="Tổng điểm")
    fig.update_yaxes(title_text="Số đơn vị")
    fig.update_layout(title=dict(text=title, font=dict(size=15)))
    return _layout(fig, 300)


def history_chart(rows: list[PeriodScore], x: list[str]) -> go.Figure:
    """A unit's total (line, with rank on hover) and group points (stacked bars) per period."""
    fig = go.Figure(go.Scatter(x=x, y=[r.total for r in rows], mode="lines+markers+text", name="Tổng điểm",
                               text=[fmt_points(r.total) for r in rows], textposition="top center",
                               customdata=[f"{r.rank}/{r.cohort_size}" for r in rows],
                               hovertemplate="%{x}: %{y} điểm, xếp hạng %{customdata}<extra></extra>"))
    for g in rows[-1].groups:
        fig.add_trace(go.Bar(x=x, y=[r.groups.get(g, 0.0) for r in rows], name=g, opacity=0.45))
    return _layout(fig, 340, barmode="stack", showlegend=True, title="Tổng điểm và điểm từng nhóm qua các kỳ",
                   yaxis=dict(range=[0, 100]))
