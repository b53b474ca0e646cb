"""Plotly curves for the training guide: points against the rate, and against the count for one unit.

The points come from ``chiso.guide.calc`` (the engine); this module only draws them, in Vietnamese,
with Vietnamese separators. Unit names are never put into a figure (they are user data).
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from chiso.fmt import fmt_int, fmt_percent
from chiso.guide.calc import Units, count_grid, indicator_points, rate_curve
from chiso.rulebook import Rulebook
from ui.charts import fit_reader

LINE = "#2f6db5"
MARK = "#b3261e"
THRESH = "#0a7d2c"


def _layout(fig: go.Figure, title: str, x_title: str, y_max: float) -> go.Figure:
    fig.update_layout(
        separators=",.",  # decimal ",", thousands "." — the Vietnamese way
        margin=dict(l=10, r=20, t=50, b=10),
        title=dict(text=title, font=dict(size=15)),
        showlegend=True,
        legend=dict(orientation="h", y=-0.25),
        hovermode="closest",
    )
    fig.update_yaxes(title_text="Điểm", range=[0, y_max * 1.1 if y_max > 0 else 1], rangemode="tozero")
    fig.update_xaxes(title_text=x_title)
    return fit_reader(fig, 340)  # larger in the projector view


def rate_figure(rb: Rulebook, code: str, level: str = "commune", rate: float | None = None) -> go.Figure:
    """Points as a function of the rate (0–100%), threshold marked, and a unit's rate if given."""
    ind = rb.indicator(code)
    rates = np.linspace(0.0, 1.0, 401)
    pts = rate_curve(rb, code, rates, level)
    fig = go.Figure()
    fig.add_scatter(
        x=rates * 100, y=pts, mode="lines", name="Điểm theo tỷ lệ", line=dict(color=LINE, width=3),
        hovertemplate="Tỷ lệ %{x:.1f}%<br>%{y:.2f} điểm<extra></extra>",
    )
    if ind.curve == "threshold" and ind.threshold < 1.0:
        fig.add_vline(
            x=ind.threshold * 100, line_color=THRESH, line_dash="dash",
            annotation_text=f"Ngưỡng đủ điểm {fmt_percent(ind.threshold)}", annotation_position="bottom right",
        )
    if rate is not None and not math.isnan(rate):
        y = float(rate_curve(rb, code, np.array([rate]), level)[0])
        fig.add_scatter(
            x=[rate * 100], y=[y], mode="markers", name=f"Vị trí hiện tại: {fmt_percent(rate)}",
            marker=dict(color=MARK, size=13, symbol="diamond"), cliponaxis=False,
            hovertemplate="Hiện tại: %{x:.2f}%<br>%{y:.2f} điểm<extra></extra>",
        )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return _layout(fig, "Điểm theo tỷ lệ", "Tỷ lệ (tử số ÷ mẫu số)", ind.max)


def count_figure(units: Units, i: int, code: str) -> go.Figure | None:
    """Points as the unit's numerator count changes, its denominator and other counts kept; None if unknown."""
    rb = units.rb
    ind = rb.indicator(code)
    k = rb.indicator_codes.index(code)
    num, den = float(units.base.numerator[i, k]), float(units.base.denominator[i, k])
    if math.isnan(den) or den <= 0:
        return None
    grid = count_grid(num, den)
    pts = indicator_points(units, rb, code, grid, den, i=i)
    word = rb.input(ind.numerator).name_vi
    fig = go.Figure()
    fig.add_scatter(
        x=grid, y=pts, mode="lines", name="Điểm theo số lượng", line=dict(color=LINE, width=3),
        hovertemplate="%{x:,.0f}<br>%{y:.2f} điểm<extra></extra>",
    )
    if ind.curve == "threshold" and ind.threshold < 1.0:
        at = math.ceil(ind.threshold * den - 1e-9)
        fig.add_vline(
            x=at, line_color=THRESH, line_dash="dash",
            annotation_text=f"Ngưỡng {fmt_percent(ind.threshold)} = {fmt_int(at)}", annotation_position="bottom right",
        )
    if not math.isnan(num):
        y = float(units.base.points[i, k])
        fig.add_scatter(
            x=[num], y=[y], mode="markers", name=f"Hiện tại: {fmt_int(num)} / {fmt_int(den)}",
            marker=dict(color=MARK, size=13, symbol="diamond"), cliponaxis=False,
            hovertemplate="Hiện tại: %{x:,.0f}<br>%{y:.2f} điểm<extra></extra>",
        )
    fig.update_xaxes(range=[0, den], tickformat=",d")
    return _layout(fig, f"Điểm theo số lượng (mẫu số {fmt_int(den)})", word, ind.max)
