"""Plotly figures with Vietnamese labels and Vietnamese number separators (1.234,5)."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from chiso.engine import Scores
from chiso.explain import HELD_VI, group_values
from chiso.history import PeriodScore
from chiso.fmt import fmt_delta, fmt_points
from chiso.rulebook import Rulebook
from ui.projector import chart_scale

# plotly's toolbar is English (zoom, pan, "Download plot as a png"): hidden; the charts are read, not explored
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "vi"}
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13)


def plot_text(text: object) -> str:
    """User text (a period from a file, a name) for any plotly label, legend, hover or title: plotly draws
    its own HTML subset there (<a href> becomes a live link, <b> bold), and decodes entities only in text,
    so escaped «<» «>» «&» show literally."""
    return html.escape("" if text is None else str(text), quote=False)


def fit_reader(fig: go.Figure, height: int) -> go.Figure:
    """Font and height of ``fig`` for the reader. In the projector view the text is larger (title, axes,
    ticks, legend, labels, annotations) and the chart taller to hold it; Streamlit's chart theme sets the
    ticks' and legend's size itself, so they are named here, not left to follow the figure's font."""
    s = chart_scale()
    size = round(FONT["size"] * s)
    fig.update_layout(font=dict(FONT, size=size), height=round(height * (1 + (s - 1) / 2)))
    if s != 1:
        title = fig.layout.title.font.size
        fig.update_layout(legend_font_size=size, **({"title_font_size": round(title * s)} if title else {}))
        fig.update_xaxes(tickfont_size=size, title_font_size=size)
        fig.update_yaxes(tickfont_size=size, title_font_size=size)
    return fig


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(
        separators=",.",  # decimal ",", thousands "." — the Vietnamese way
        margin=dict(l=10, r=30, t=40, b=10),
        showlegend=kw.pop("showlegend", False),
        **kw,
    )
    return fit_reader(fig, height)


def waterfall(rb: Rulebook, base: Scores, scen: Scores, i: int = 0) -> go.Figure:
    """Baseline total → change of every group → scenario total (groups add up exactly).

    Horizontal, read top to bottom, so that the Vietnamese group names never overlap. A group without data
    reads «giữ nguyên», not a change of 0,00, and the held part of both totals is a grey «Giữ nguyên» segment."""
    b_total, s_total = float(base.total[i]), float(scen.total[0])
    diffs = np.round(scen.group_points[0] - base.group_points[i], 2)
    held = [v.held for v in group_values(base, i)]
    held_pts = float(base.held[i])
    labels = ["Kịch bản gốc"] + [g.name_vi for g in rb.groups] + ["Kịch bản"]
    texts = [HELD_GROUP_VI if h else fmt_delta(d) for d, h in zip(diffs, held)]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=labels,
            measure=["absolute"] + ["relative"] * len(diffs) + ["total"],
            x=[b_total] + list(diffs) + [s_total],
            text=[_total_text(b_total, held_pts)] + texts + [_total_text(s_total, held_pts)],
            textposition="outside",
            cliponaxis=False,
            increasing=dict(marker=dict(color="#0a7d2c")),
            decreasing=dict(marker=dict(color="#b3261e")),
            totals=dict(marker=dict(color="#2f6db5")),
            connector=dict(line=dict(color="#999", width=1)),
            customdata=[fmt_points(b_total)] + texts + [fmt_points(s_total)],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    lo = min(b_total, s_total)
    span = max(5.0, abs(s_total - b_total) * 2)
    if held_pts:
        fig.add_trace(_held_segment(held_pts, [labels[0], labels[-1]], [b_total, s_total]))
    fig.update_xaxes(title_text="Tổng điểm", range=[max(0.0, lo - span), min(100.0, max(b_total, s_total) + span / 2)])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=dict(text="Từ kịch bản gốc đến kịch bản: thay đổi theo nhóm", font=dict(size=15)),
                      barmode="overlay")
    return _layout(fig, 380 if held_pts else 360, showlegend=bool(held_pts), legend=dict(orientation="h", y=-0.3))


HELD_GROUP_VI = HELD_VI  # a group without data, written as chiso writes it


def _total_text(total: float, held: float) -> str:
    return f"{fmt_points(total)} (gồm {fmt_points(held)} {HELD_GROUP_VI})" if held else fmt_points(total)


def _held_segment(held: float, rows: list[str], totals: list[float]) -> go.Bar:
    """The held points inside each total, hatched grey over the total's end: the axis starts near the totals
    (the changes would be invisible from 0), so the end of each bar is what can be seen; the legend names it."""
    return go.Bar(orientation="h", y=rows, x=[held] * len(rows), base=[t - held for t in totals],
                  name=f"Giữ nguyên (điểm không có trong tệp): {fmt_points(held)} điểm",
                  marker=dict(color="rgba(120,120,120,0.45)", pattern=dict(shape="/")), width=0.45,
                  hovertemplate=f"Điểm không có trong tệp (giữ nguyên): {fmt_points(held)} điểm<extra></extra>")


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
