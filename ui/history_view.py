"""Đơn vị → Lịch sử: the unit's total, groups and rank over every period the app knows (the bundled
periods of the same units, the datasets stored in the workspace, the data on screen), and what changed
since the previous period, per indicator, with the reason."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from chiso.source_key import SourceKey
from chiso.errors import ChisoError
from chiso.explain import group_notes_vi, group_value
from chiso.fmt import fmt_delta, fmt_points, fmt_time
from chiso.history import PeriodScore, indicator_changes, period_score, unit_history
from chiso.rulebook import Rulebook
from chiso.samples import load_sample, same_series, sample
from chiso.units import UnitTable
from ui.charts import PLOTLY_CONFIG, history_chart
from ui.html_table import html_table
from ui.safe_md import md
from ui.state import SOURCE, AppData
from ui.workspace import workspace


@st.cache_resource(show_spinner="Đang đọc các kỳ khác…", max_entries=16)
def _sample_table(key: str, _rb: Rulebook, rb_id: str) -> UnitTable:
    return load_sample(sample(key), _rb)


@st.cache_resource(show_spinner="Đang đọc các kỳ đã lưu…", max_entries=32)
def _stored_table(dataset_id: int, imported_at: str, url: str) -> UnitTable:
    return workspace().load_dataset(dataset_id)


def _tables(data: AppData, code: str) -> list[UnitTable]:
    """Every known period of the unit under this rulebook; for a period known twice the later one wins."""
    rb = data.rb
    found: list[UnitTable] = []
    if data.source_key:
        found += [_sample_table(s.key, rb, rb.id) for s in same_series(sample(data.source_key)) if s.key != data.source_key]
    ws = workspace()
    if ws is not None:
        try:
            stored = [d for d in ws.datasets_with_unit(code) if d.rulebook == rb.id]
            found += [_stored_table(d.id, d.imported_at.isoformat(), ws.url) for d in sorted(stored, key=lambda d: d.imported_at)]
        except ChisoError as exc:
            st.error(md(exc))
    return found + [data.table]


@st.cache_resource(show_spinner=False, max_entries=16)
def _version_table(dataset_id: int, version: int, url: str) -> UnitTable:
    return workspace().load_dataset(dataset_id, version)  # a stored version never changes: read once


def snapshots_section(data: AppData, i: int) -> None:
    """A period collected or stored more than once (the current quarter, collected again as it fills): how
    this unit's score moved from one version to the next. Shown only when there are several versions."""
    ws, key = workspace(), data.store_key or ""
    parsed = SourceKey.parse(key)
    if ws is None or parsed is None or parsed.dataset_id is None:
        return
    dataset_id, code = parsed.dataset_id, str(data.codes[i])
    try:
        versions = sorted(ws.dataset_versions(dataset_id), key=lambda v: v.version)
        if len(versions) < 2:
            return
        scores = [period_score(_version_table(dataset_id, v.version, ws.url), data.rb, code) for v in versions]
    except ChisoError as exc:
        st.error(md(exc))
        return
    st.markdown("**Các lần tải của kỳ này**")
    st.html(html_table(pd.DataFrame({
        "Phiên bản": [f"{v.version}" + (" (đang dùng)" if v.in_use else "") for v in versions],
        "Lưu lúc": [fmt_time(v.imported_at) for v in versions],
        "Điểm tính lại": [fmt_points(p.total) for p in scores],
        "Thay đổi": ["—"] + [fmt_delta(b.total - a.total) for a, b in zip(scores, scores[1:])],
    })))


def history_section(data: AppData, i: int) -> None:
    code = str(data.codes[i])
    tables = _tables(data, code)
    rows = unit_history([(t, data.rb) for t in tables], code)
    if len(rows) < 2:
        st.caption("Mới có một kỳ của đơn vị này. Để xem lịch sử, tải lên tệp của kỳ khác («Tải tệp lên…» ở thanh "
                   "bên) rồi bấm «Lưu tệp vào cơ sở dữ liệu làm việc».",
                   help="Người quản trị máy chủ cũng lưu được các kỳ bằng lệnh python -m chiso import.")
        return
    # built only while open: plotly's script would otherwise hold the page's first render (the table says it all)
    fold = st.expander("Biểu đồ qua các kỳ", icon=":material/show_chart:", key="unit_history_open", on_change="rerun")
    if fold.open:
        with fold:
            st.plotly_chart(history_chart(rows, [_label(r) for r in rows], data.rb), width="stretch",
                            key="unit_history_chart", config=PLOTLY_CONFIG)  # no English toolbar
    st.dataframe(_history_table(data.rb, rows), hide_index=True, width="stretch", key="unit_history_table")
    notes = _held_notes(rows) + (["(giả lập) = dữ liệu mô phỏng, không phải số liệu chính thức."]
                                 if any(r.synthetic for r in rows) else [])
    if notes:
        st.caption(" ".join(notes))
    by_period = {str(t.frame["period"].iloc[0]): t for t in tables if len(t.frame)}
    prev, cur = rows[-2], rows[-1]
    st.markdown(f"**Thay đổi từ kỳ {md(prev.period)} đến kỳ {md(cur.period)}** "
                f"({md(fmt_delta(cur.total - prev.total))} điểm)")
    changes = indicator_changes(by_period[prev.period], by_period[cur.period], data.rb, code)
    if not changes:
        st.caption("Không chỉ tiêu nào thay đổi.")
        return
    # an HTML table, not st.dataframe: the reasons wrap instead of being cut off at 1366 px
    st.html(html_table(pd.DataFrame({
        "Chỉ tiêu": [c.name_vi for c in changes],
        "Điểm kỳ trước": [fmt_points(c.points_before) for c in changes],
        "Điểm kỳ này": [fmt_points(c.points_after) for c in changes],
        "Thay đổi": [fmt_delta(c.delta) if c.delta is not None else "" for c in changes],
        "Vì sao": [c.reason_vi for c in changes],
    }), numeric=("Điểm kỳ trước", "Điểm kỳ này", "Thay đổi"), wide=True))


def _label(r: PeriodScore) -> str:
    return f"{r.period} (giả lập)" if r.synthetic else r.period


def _history_table(rb: Rulebook, rows: list[PeriodScore]) -> pd.DataFrame:
    names = {g.code: g.name_vi for g in rb.groups}
    out = pd.DataFrame({
        "Kỳ": [_label(r) for r in rows],
        "Tổng điểm": [fmt_points(r.total) for r in rows],
        "Điểm chính thức": [fmt_points(r.official_total) for r in rows],
        "Xếp hạng trong nhóm": [f"{r.rank}/{r.cohort_size}" for r in rows],
    })
    for g in rows[-1].groups:  # a group without data: «giữ nguyên», never 0,00
        out[names.get(g, g)] = [_group(r, g) for r in rows]
    return out


def _group(r: PeriodScore, g: str) -> str:
    points = r.groups.get(g)
    return group_value(points, empty=points is None and g in r.groups, holding=bool(r.held)).text


def _held_notes(rows: list[PeriodScore]) -> list[str]:
    """What «giữ nguyên» in the table means, once."""
    return group_notes_vi([group_value(v, empty=v is None, holding=bool(r.held)) for r in rows for v in r.groups.values()])


# ---------------------------------------------------------------- Tổng quan: period picker, change since the previous period


def period_picker(data: AppData) -> None:
    """«Kỳ đánh giá»: the periods of the same units bundled as samples of one series (Phú Thọ Q2, Q3);
    picking one opens that sample, as the sidebar's data source would."""
    if not data.source_key:
        return
    series = sorted(same_series(sample(data.source_key)), key=lambda s: s.period)
    if len(series) < 2:
        return
    labels = {s.key: f"{s.period} (giả lập)" if s.synthetic else s.period for s in series}
    # the picker shows the source on screen, however it was chosen (the sidebar too): a value of its own
    # kept from an earlier run would otherwise be read as a new pick and switch the sidebar's choice back
    st.session_state["ov_period"] = data.source_key
    st.selectbox("Kỳ đánh giá", list(labels), format_func=labels.get, key="ov_period",
                 on_change=lambda: st.session_state.__setitem__(SOURCE, st.session_state["ov_period"]))


def previous_period(data: AppData) -> UnitTable | None:
    """The latest known period before the one on screen (bundled series or stored datasets), if any."""
    now = data.period
    earlier = [t for t in _other_periods(data) if len(t.frame) and str(t.frame["period"].iloc[0]) < now]
    return max(earlier, key=lambda t: str(t.frame["period"].iloc[0])) if earlier else None


def _other_periods(data: AppData) -> list[UnitTable]:
    rb = data.rb
    found = []
    if data.source_key:
        found += [_sample_table(s.key, rb, rb.id) for s in same_series(sample(data.source_key)) if s.key != data.source_key]
    ws = workspace(quiet=True)
    if ws is not None:
        try:
            found += [_stored_table(d.id, d.imported_at.isoformat(), ws.url) for d in ws.datasets(rb.id)]
        except ChisoError:
            pass  # the overview still shows the period on screen; the unit page says what failed
    return found
