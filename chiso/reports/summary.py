"""The one-page printable summary of a unit's scenario, for a meeting: self-contained HTML with print CSS.

Python works out what the page says (formatted Vietnamese text, already decided); the markup is the template
``templates/unit_summary.html.j2``, rendered with autoescape on, so every text (unit names, scenario names,
file names) is escaped and none becomes markup.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from chiso.explain import FIXED_AT_LEVEL_VI, GroupValue, group_notes_vi
from chiso.fmt import fmt_delta, fmt_int, fmt_percent, fmt_points
from chiso.lever_text import as_counted
from chiso.reports.unit_report import UnitReport, group_change, group_rows
from chiso.rulebook import LEVEL_NAMES_VI
from chiso.scenario import LeverRoom, count_after, rate_after

_ENV = Environment(loader=PackageLoader("chiso.reports", "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class GroupLine:
    """One group row; a held group has ``held`` (its «giữ nguyên» text) where the bar would be."""

    label: str
    before: str
    after: str
    change: str
    max: str
    held: str | None
    bar_pct: str


@dataclass(frozen=True)
class LeverLine:
    name: str
    before: str
    change: str
    rate_before: str
    rate_after: str


@dataclass(frozen=True)
class LossLine:
    name: str
    lost: str
    rule: str


def unit_summary_html(r: UnitReport) -> str:
    """A self-contained, escaped, one-page A4 summary of a unit's scenario for a meeting."""
    meta, rb = r.meta, r.meta.rb
    b, s = r.base, r.current.scores
    diff = float(s.total[0] - b.total[0])
    groups = group_rows(r)[1:-1]
    return _ENV.get_template("unit_summary.html.j2").render(
        r=r, meta=meta,
        level_vi=LEVEL_NAMES_VI.get(r.level, r.level),
        official=fmt_points(r.official_total), base_total=fmt_points(b.total[0]), total=fmt_points(s.total[0]),
        diff=fmt_delta(diff), diff_class="up" if diff > 0 else ("down" if diff < 0 else ""),
        held=fmt_points(b.held[0]), band_before=rb.band(b.total[0]), band_after=rb.band(s.total[0]),
        groups=[_group_line(lab, bv, sv, mx) for lab, bv, sv, mx in groups],
        group_notes=group_notes_vi([bv for _, bv, _, _ in groups]),
        levers=[_lever_line(room, r.current.levers[room.lever.key]) for room in r.rooms
                if r.current.levers.get(room.lever.key, 0)],
        losses=_losses(r),
    )


def _group_line(label: str, b: GroupValue, s: GroupValue, mx: float) -> GroupLine:
    change = group_change(b, s)
    return GroupLine(label, b.text, s.text, "" if change is None else fmt_delta(change), fmt_points(mx),
                     s.text if s.points is None else None, _pct(s.points, mx))


def _pct(v: float | None, mx: float) -> str:
    """Width of the bar, in percent of the group's maximum."""
    if v is None or not mx or math.isnan(v):
        return "0"
    return f"{max(0.0, min(100.0, 100.0 * v / mx)):.1f}"


def _lever_line(room: LeverRoom, d: float) -> LeverLine:
    """A changed lever, counted as users count (overdue dossiers: what is left)."""
    lv = room.lever
    _, before, change, _ = as_counted(lv.unit_vi, lv.remaining_vi, room.denominator, room.current, count_after(room, d))
    return LeverLine(lv.name_vi, fmt_int(before), _signed(change), fmt_percent(rate_after(room, 0)),
                     fmt_percent(rate_after(room, d)))


def _losses(r: UnitReport) -> list[LossLine]:
    """The five indicators losing most points at the baseline; one the unit cannot move says so."""
    lost = r.base.explain(0).sort_values("lost", ascending=False).head(5)
    return [LossLine(row.name_vi + ("" if row.movable else f" · {FIXED_AT_LEVEL_VI}"), fmt_points(row.lost), row.rule_vi)
            for row in lost.itertuples() if row.lost and not math.isnan(row.lost)]


def _signed(d: float) -> str:
    return ("+" if d > 0 else ("−" if d < 0 else "")) + fmt_int(abs(d))
