"""Plotly figures with Vietnamese labels and Vietnamese number separators (1.234,5)."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from chiso.engine import Scores
from chiso.history import PeriodScore
from chiso.fmt import fmt_delta, fmt_points
from chiso.rulebook import Rulebook

# plotly's toolbar is English (zoom, pan, "Download plot as a png"): hidden; the charts are read, not explored
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "vi"}
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13)


def plot_text(text: object) -> str:
    """User text (a period from a file, a name) for any plotly label, legend, hover or title: plotly draws
    its own HTML subset there (<a href> becomes a live link, <b> bold), and decodes entities only in text,
    so escaped «<» «>» «&» show literally."""
    return html.escape("" if text is None else str(text), quote=False)


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


HELD_VI = "Điểm không có trong tệp (giữ nguyên)"


def history_chart(rows: list[PeriodScore], x: list[str], rb: Rulebook) -> go.Figure:
    """A unit's total (line, with rank on hover) and, stacked up to it, its group points and held points per
    period; ``x``: the period labels, user text (escaped here), shown as categories (never as dates)."""
    x = [plot_text(p) for p in x]
    fig = go.Figure(go.Scatter(x=x, y=[r.total for r in rows], mode="lines+markers+text", name="Tổng điểm",
                               text=[fmt_points(r.total) for r in rows], textposition="top center",
                               customdata=[f"{r.rank}/{r.cohort_size}" for r in rows],
                               hovertemplate="%{x}: %{y} điểm, xếp hạng %{customdata}<extra></extra>"))
    names = {g.code: g.name_vi for g in rb.groups}
    for g in rows[-1].groups:
        fig.add_trace(go.Bar(x=x, y=[r.groups.get(g, 0.0) for r in rows], name=plot_text(names.get(g, g)),
                             opacity=0.45, hovertemplate="%{x}: %{y} điểm<extra>%{fullData.name}</extra>"))
    if any(r.held for r in rows):  # the bars then reach the total line instead of stopping short of it
        fig.add_trace(go.Bar(x=x, y=[r.held for r in rows], name=HELD_VI, marker_color="#bbbbbb",
                             hovertemplate="%{x}: %{y} điểm<extra>giữ nguyên</extra>"))
    fig.update_xaxes(type="category")
    return _layout(fig, 340, barmode="stack", showlegend=True, title="Tổng điểm và điểm từng nhóm qua các kỳ",
                   yaxis=dict(range=[0, 100]))
