"""Widgets of the «Số liệu» page: one unit's counts with meaning and provenance (missing first), the
grid of the whole table, the list of revisions, and the completed table as canonical XLSX/CSV."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from chiso.edits import Edit, cell_text, editable_keys, grid_edits, grid_frame, key_name_vi
from chiso.errors import ChisoError
from chiso.fmt import fmt_number
from chiso.io.canonical import canonical_frame, to_csv_bytes, to_xlsx_bytes
from chiso.units import PROVENANCE_VI, PUBLISHED_TOTAL
from ui import edits_store
from ui.entry import generation, save_edits
from ui.kept_editor import kept_editor
from ui.safe_md import md
from ui.state import AppData

MISSING_VI = "⚠ thiếu — cần nhập"
DATA_TAB_KEY = "data_tab"  # the open tab of Số liệu, in session state
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _provenance(data: AppData, i: int, key: str, resolved: float) -> str:
    if key == PUBLISHED_TOTAL:
        return "có trong tệp" if not math.isnan(data.official[i]) else MISSING_VI
    raw = data.table.provenance.get(key)
    prov = str(raw.iloc[i]) if raw is not None else ""
    value = data.frame[key].iloc[i] if key in data.frame else float("nan")
    if math.isnan(resolved):
        return MISSING_VI + (f" ({PROVENANCE_VI[prov]})" if prov in PROVENANCE_VI else "")
    if math.isnan(value):  # covered by the rulebook's fallback count
        return f"lấy bằng «{data.rb.input(data.rb.input(key).fallback).name_vi}»"
    return PROVENANCE_VI.get(prov, "có trong tệp")


def unit_counts(data: AppData, i: int) -> pd.DataFrame:
    """Every raw count of the rulebook for unit ``i`` (and the official total), missing ones first."""
    rb = data.rb
    rows = []
    for key in editable_keys(rb):
        if key == PUBLISHED_TOTAL:
            resolved = float(data.official[i])
        else:
            resolved = float(data.x[i][rb.input_keys.index(key)])
        rows.append({
            "key": key,
            "Số liệu": key_name_vi(rb, key),
            "Giá trị hiện có": cell_text(resolved) or "—",
            "Nguồn": _provenance(data, i, key, resolved),
            "Giá trị mới": "",
            "_missing": math.isnan(resolved),
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values("_missing", ascending=False, kind="stable").reset_index(drop=True)


def unit_editor(data: AppData, i: int) -> None:
    """One unit's counts; type new values in «Giá trị mới» and save them together."""
    table = unit_counts(data, i)
    n_missing = int(table["_missing"].sum())
    st.caption(f"{n_missing} số liệu còn thiếu (đánh dấu ⚠, đặt lên đầu). Gõ giá trị mới vào cột «Giá trị mới» "
               "(số nguyên, không âm; viết 1.234 hay 1234 đều được) rồi bấm «Lưu các giá trị mới».")
    code = str(data.codes[i])
    edited = kept_editor(  # the unsaved values survive a closed tab
        "data_unit",
        f"unit_editor_{data.edit_key}_{data.rb.id}_{code}_{generation()}",
        table.drop(columns=["_missing"]),
        hide_index=True, width="stretch", num_rows="fixed",
        disabled=["Số liệu", "Giá trị hiện có", "Nguồn"],
        column_order=["Số liệu", "Giá trị hiện có", "Nguồn", "Giá trị mới"],
        column_config={"Giá trị mới": st.column_config.TextColumn("Giá trị mới", help="Để trống: không đổi.")},
    )
    if st.button("Lưu các giá trị mới", type="primary", key="unit_editor_save"):
        edits = [Edit(code, r["key"], r["Giá trị mới"]) for _, r in edited.iterrows()
                 if str(r["Giá trị mới"] or "").strip()]
        if edits:
            save_edits(data, edits)
        else:
            st.warning("Chưa có giá trị mới nào.")


def table_editor(data: AppData) -> None:
    """The whole table as a grid (paste a block from Excel straight in); saved all or nothing."""
    rb = data.rb
    before = grid_frame(data.table, rb)
    config = {"unit_code": st.column_config.TextColumn("Mã đơn vị", disabled=True),
              "unit_name": st.column_config.TextColumn("Tên đơn vị", disabled=True)}
    for key in editable_keys(rb):
        config[key] = st.column_config.TextColumn(key_name_vi(rb, key), help=key)
    after = kept_editor("data_grid", f"grid_editor_{data.edit_key}_{rb.id}_{generation()}", before,  # see above
                        hide_index=True, num_rows="fixed", column_config=config, height=420)
    if st.button("Lưu bảng", type="primary", key="grid_save",
                 help="Kiểm tra mọi ô đã sửa; nếu có ô sai thì không lưu ô nào."):
        try:
            edits = grid_edits(before, after)
        except ChisoError as exc:
            st.error(md(exc))
            return
        if edits:
            save_edits(data, edits)
        else:
            st.info("Không có ô nào thay đổi.")


def revisions_table(data: AppData) -> pd.DataFrame:
    """The revisions of this source and rulebook, newest first: when, who, unit, count, old → new."""
    names = dict(zip(data.codes, data.names))
    rows = [{
        "Thời điểm (UTC)": r.at.strftime("%d/%m/%Y %H:%M:%S"),
        "Người nhập": r.author or "—",
        "Đơn vị": f"{names.get(r.unit_code, '')} ({r.unit_code})",
        "Số liệu": key_name_vi(data.rb, r.key) if r.key in editable_keys(data.rb) else r.key,
        "Cũ → mới": f"{_vn(r.old)} → {_vn(r.new)}",
    } for r in reversed(edits_store.revisions(data.edit_key, data.rb.id))]
    return pd.DataFrame(rows)


def _vn(x: float | None) -> str:
    return "trống" if x is None else fmt_number(x, 6)


def _undo(data: AppData) -> None:
    try:
        rev = edits_store.undo(data.edit_key, data.rb.id)
    except ChisoError as exc:  # the database refused: the revision is still there
        st.error(md(f"Chưa hoàn tác được. {exc}"))
        return
    if rev is not None:
        st.session_state["_edit_notice"] = (f"Đã hoàn tác: «{key_name_vi(data.rb, rev.key)}» của {rev.unit_code} "
                                            f"trở lại {_vn(rev.old)}.")


def history(data: AppData) -> None:
    """The list of revisions and the undo button."""
    table = revisions_table(data)
    st.button("Hoàn tác lần sửa gần nhất", key="edit_undo", on_click=_undo, args=(data,), disabled=table.empty)
    if table.empty:
        st.caption("Chưa có giá trị nào được nhập tay cho nguồn dữ liệu và bộ quy tắc này.")
    else:
        st.dataframe(table, hide_index=True, width="stretch")


def downloads(data: AppData) -> None:
    """The completed table (imported values + revisions) in the canonical format, re-importable."""
    frame = canonical_frame(data.table, data.rb)
    stem = f"so-lieu-{data.rb.id}"
    c = st.columns(2)
    c[0].download_button("Tải bảng đã hoàn thiện (Excel)", data=lambda: to_xlsx_bytes(frame),
                         file_name=f"{stem}.xlsx", mime=XLSX_MIME, key="data_dl_xlsx", on_click="ignore")
    c[1].download_button("Tải bảng đã hoàn thiện (CSV)", data=lambda: to_csv_bytes(frame),
                         file_name=f"{stem}.csv", mime="text/csv", key="data_dl_csv", on_click="ignore")
