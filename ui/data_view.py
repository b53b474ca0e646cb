"""Widgets of the «Số liệu» page: one unit's counts with meaning and provenance (missing first), the
grid of the whole table, the list of revisions, and the completed table as canonical XLSX/CSV."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from chiso.edits import Edit, cell_text, editable_keys, grid_edits, grid_frame, key_name_vi
from chiso.errors import ChisoError
from chiso.fmt import fmt_int, fmt_number, fmt_time
from chiso.io.canonical import canonical_frame, to_csv_bytes, to_xlsx_bytes
from chiso.units import PROVENANCE_VI, PUBLISHED_TOTAL
from ui import edits_store
from ui.entry import generation, save_edits
from ui.kept_editor import kept_editor, renew, shown_table, typed_cells
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
    key = f"unit_editor_{data.edit_key}_{data.rb.id}_{code}_{generation()}"
    edited = kept_editor(  # the unsaved values survive a closed tab
        "data_unit",
        key,
        table.drop(columns=["_missing"]),
        hide_index=True, width="stretch", num_rows="fixed",
        disabled=["Số liệu", "Giá trị hiện có", "Nguồn"],
        # the editable column first: a phone shows it beside the start of the name (last, it was off-screen)
        column_order=["Giá trị mới", "Số liệu", "Giá trị hiện có", "Nguồn"],
        column_config={"Giá trị mới": st.column_config.TextColumn("Giá trị mới", help="Để trống: không đổi.")},
    )
    pending_note(key)
    shown = shown_table("data_unit", key, table)
    if st.button("Lưu các giá trị mới", type="primary", key="unit_editor_save", on_click=renew, args=("data_unit",)):
        seen = dict(zip(shown["key"], shown["Giá trị hiện có"]))  # what the user saw, checked by the save
        edits = [Edit(code, r["key"], r["Giá trị mới"], base=_base(seen.get(r["key"]))) for _, r in edited.iterrows()
                 if str(r["Giá trị mới"] or "").strip()]
        if edits:
            save_edits(data, edits)
        else:
            st.warning("Chưa có giá trị mới nào.")


def table_editor(data: AppData) -> None:
    """The whole table as a grid (paste a block from Excel straight in); saved all or nothing."""
    rb = data.rb
    before = grid_frame(data.table, rb)
    # Mã and Tên stay in view while the counts scroll sideways: a paste must land on units the user can see.
    # Their widths are set: sized to their content, the pinned pair filled a phone's grid and no count column
    # could be reached. Set, they fit the longest code and most names; below Streamlit's limit (pinned columns
    # wider than 60 % of the grid, i.e. a phone) they scroll with the rest instead.
    config = {"unit_code": st.column_config.TextColumn("Mã đơn vị", disabled=True, pinned=True, width=100),
              "unit_name": st.column_config.TextColumn("Tên đơn vị", disabled=True, pinned=True, width=200)}
    for key in editable_keys(rb):
        config[key] = st.column_config.TextColumn(key_name_vi(rb, key), help=key)
    key = f"grid_editor_{data.edit_key}_{rb.id}_{generation()}"
    after = kept_editor("data_grid", key, before,  # see above
                        hide_index=True, num_rows="fixed", column_config=config, height=420)
    pending_note(key)
    if st.button("Lưu bảng", type="primary", key="grid_save", on_click=renew, args=("data_grid",),  # see renew
                 help="Kiểm tra mọi ô đã sửa; nếu có ô sai thì không lưu ô nào."):
        try:  # only the cells this user typed, against the table they were shown
            edits = grid_edits(shown_table("data_grid", key, before), after)
        except ChisoError as exc:
            st.error(md(exc))
            return
        if edits:
            save_edits(data, edits)
        else:
            st.info("Không có ô nào thay đổi.")


def pending_note(key: str) -> None:
    """«N ô đã sửa, chưa lưu»: typed cells are not stored until the button, and the user should know (a
    refused save keeps them in the grid drawn anew, so they are counted from the kept tables)."""
    n = typed_cells(key)
    if n:
        st.caption(f"{fmt_int(n)} ô đã sửa, chưa lưu.")


def _base(shown: object) -> str | None:
    """«Giá trị hiện có» as the user saw it: "—" is an empty count."""
    text = str(shown or "").strip()
    return None if text in ("", "—") else text


UNDO_ASK = "_undo_ask"  # session: the batch id whose undo the user is asked to confirm
UNDO_FAILED = "_undo_failed"  # session: why the confirmed undo was refused, shown on the next run
SHOWN_ROWS = 2_000  # newest revisions listed; every one stays in the workspace and the audit trail


def _unit_names(data: AppData) -> dict[str, str]:
    return dict(zip(data.codes, data.names))


def _key_vi(data: AppData, key: str) -> str:
    return key_name_vi(data.rb, key) if key in editable_keys(data.rb) else key


def revisions_table(data: AppData) -> pd.DataFrame:
    """The revisions in force of this source and rulebook, newest first: when (Vietnam time), who, unit,
    count, old → new."""
    names = _unit_names(data)
    revs = edits_store.revisions(data.edit_key, data.rb.id)
    rows = [{
        "Thời điểm": fmt_time(r.at),
        "Người nhập": r.author or "—",
        "Đơn vị": f"{names.get(r.unit_code, '')} ({r.unit_code})",
        "Số liệu": _key_vi(data, r.key),
        "Cũ → mới": f"{_vn(r.old)} → {_vn(r.new)}",
    } for r in revs[::-1][:SHOWN_ROWS]]
    return pd.DataFrame(rows)


def batches_table(data: AppData) -> pd.DataFrame:
    """Every save (batch), newest first: when, who, how many cells, undone or not."""
    rows = [{
        "Thời điểm": fmt_time(b.at),
        "Người nhập": b.author or "—",
        "Số ô": fmt_int(b.n_cells),
        "Trạng thái": f"đã hoàn tác lúc {fmt_time(b.undone_at)}" if b.undone_at else "đang áp dụng",
    } for b in edits_store.listing(data.edit_key, data.rb.id)]
    return pd.DataFrame(rows)


def _vn(x: float | None) -> str:
    return "trống" if x is None else fmt_number(x, 6)


def _ask_undo(batch_id: int) -> None:
    st.session_state[UNDO_ASK] = batch_id


def _undo(data: AppData, batch_id: int) -> None:
    st.session_state.pop(UNDO_ASK, None)
    try:
        edits_store.undo(data.edit_key, data.rb.id, batch_id)
    except ChisoError as exc:  # refused (not the last one any more, no right, database): nothing changed
        st.session_state[UNDO_FAILED] = f"Chưa hoàn tác được. {exc}"
        return
    st.session_state["_edit_notice"] = "Đã hoàn tác lần lưu gần nhất của bạn. Mọi trang đã tính lại."


def _undo_confirmation(data: AppData, last) -> None:
    """What undo will take back, listed, with «Xác nhận hoàn tác» and «Thôi»."""
    names = _unit_names(data)
    with st.container(border=True):
        st.markdown(md(f"Hoàn tác lần lưu lúc {fmt_time(last.at)} ({fmt_int(last.n_cells)} ô)? Các ô sau trở lại "
                       "giá trị trước lần lưu đó (ô nào người khác đã sửa sau thì giữ giá trị của họ):"))
        st.dataframe(pd.DataFrame([{
            "Đơn vị": f"{names.get(r.unit_code, '')} ({r.unit_code})",
            "Số liệu": _key_vi(data, r.key),
            "Trở lại": _vn(r.old),
            "Thay cho": _vn(r.new),
        } for r in last.revisions[:SHOWN_ROWS]]), hide_index=True, width="stretch")
        c = st.columns(2)
        c[0].button("Xác nhận hoàn tác", type="primary", key="edit_undo_yes", on_click=_undo, args=(data, last.id))
        c[1].button("Thôi", key="edit_undo_no", on_click=lambda: st.session_state.pop(UNDO_ASK, None))


def history(data: AppData) -> None:
    """The saves (who, when, how many cells), the revisions in force, and undo of one's own last save."""
    failed = st.session_state.pop(UNDO_FAILED, None)
    if failed:
        st.error(md(failed))
    try:
        last = edits_store.own_last(data.edit_key, data.rb.id)
    except ChisoError as exc:
        st.error(md(exc))
        last = None
    if last is not None and st.session_state.get(UNDO_ASK) == last.id:
        _undo_confirmation(data, last)
    else:
        st.button("Hoàn tác lần lưu gần nhất của bạn", key="edit_undo", on_click=_ask_undo,
                  args=(last.id if last else 0,), disabled=last is None,
                  help="Bỏ cả lần lưu gần nhất do chính bạn thực hiện (mọi ô của lần lưu đó), sau khi xác nhận. "
                       "Lần lưu của người khác không bị ảnh hưởng.")
    saves = batches_table(data)
    if saves.empty:
        st.caption("Chưa có giá trị nào được nhập tay cho nguồn dữ liệu và bộ quy tắc này.")
        return
    st.markdown("**Các lần lưu** (giờ Việt Nam)")
    st.dataframe(saves, hide_index=True, width="stretch")
    st.markdown("**Các giá trị đang áp dụng** (mới nhất trước)")
    st.dataframe(revisions_table(data), hide_index=True, width="stretch")


def downloads(data: AppData) -> None:
    """The completed table (imported values + revisions) in the canonical format, re-importable."""
    frame = canonical_frame(data.table, data.rb)
    stem = f"so-lieu-{data.rb.id}"
    c = st.columns(2)
    c[0].download_button("Tải bảng đã hoàn thiện (Excel)", data=lambda: to_xlsx_bytes(frame),
                         file_name=f"{stem}.xlsx", mime=XLSX_MIME, key="data_dl_xlsx", on_click="ignore")
    c[1].download_button("Tải bảng đã hoàn thiện (CSV)", data=lambda: to_csv_bytes(frame),
                         file_name=f"{stem}.csv", mime="text/csv", key="data_dl_csv", on_click="ignore")
