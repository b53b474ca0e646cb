"""Typing numbers into the app: the small form beside a missing count (dead lever, planner blocker) and
the one save path every entry widget shares (validate all → store all → rerun, or a message)."""
from __future__ import annotations

import streamlit as st

from chiso.edits import Edit, lever_missing_counts, make_revisions, missing_counts
from chiso.errors import ChisoError
from ui import edits_store
from ui.safe_md import md
from ui.state import AppData

AUTHOR = "edit_author"  # session key: the optional name stored with every revision of this session
NOTICE = "_edit_notice"  # a message to show after the rerun that follows a save or an undo
GENERATION = "_edit_generation"  # bumped on every save: part of the editors' widget keys


def generation() -> int:
    return int(st.session_state.get(GENERATION, 0))


def save_edits(data: AppData, edits: list[Edit]) -> bool:
    """Validate ``edits`` against the data as the user sees it and store them as one batch of revisions.

    Any bad cell shows every problem and stores nothing (False). Reruns the app when something changed,
    so that every page recomputes with the entered values."""
    try:
        revs = make_revisions(data.table, data.rb, edits, author=st.session_state.get(AUTHOR, ""))
    except ChisoError as exc:
        st.error(md(exc))
        return False
    if not revs:
        st.info("Không có giá trị nào thay đổi.")
        return False
    try:
        edits_store.add(data.edit_key, data.rb.id, revs)
    except ChisoError as exc:  # the database refused (locked, full, gone): nothing was stored
        st.error(md(exc))
        return False
    st.session_state[GENERATION] = generation() + 1  # editors start empty again on the new values
    st.session_state[NOTICE] = f"Đã lưu {len(revs)} giá trị nhập tay. Mọi trang đã tính lại theo số liệu mới."
    st.rerun()
    return True


def show_notice() -> None:
    note = st.session_state.pop(NOTICE, None)
    if note:
        st.success(md(note))  # unit codes come from the user's file


def missing_form(data: AppData, i: int, keys: list[str], where: str) -> None:
    """One whole-number box per missing count of unit ``i`` and a save button, right where the app says
    the count is missing. Nothing is stored until «Lưu số liệu»; a bad value is refused with a message."""
    if not keys or not data.edit_key:
        return
    code = str(data.codes[i])
    with st.form(f"entry_{where}_{code}", border=False):
        cols = st.columns([3] * len(keys) + [2], vertical_alignment="bottom")
        for n, key in enumerate(keys):
            cols[n].number_input(
                f"Nhập: {data.rb.input(key).name_vi}", min_value=0, step=1, value=None,
                key=f"entry_{where}_{code}_{key}", placeholder="số lượng",
                help="Số nguyên, không âm. Giá trị nhập tay được lưu như một lần sửa (xem trang Số liệu) "
                     "và có thể hoàn tác.",
            )
        saved = cols[-1].form_submit_button("Lưu số liệu")
    if saved:
        ss = st.session_state
        edits = [Edit(code, k, ss[f"entry_{where}_{code}_{k}"]) for k in keys
                 if ss.get(f"entry_{where}_{code}_{k}") is not None]
        if edits:
            save_edits(data, edits)
        else:
            st.warning("Hãy nhập ít nhất một số liệu trước khi lưu.")


def lever_entry(data: AppData, i: int, lever_key: str) -> None:
    """Beside a dead lever: the counts it lacks, to type now."""
    missing_form(data, i, lever_missing_counts(data.x[i], data.level(i), data.rb, lever_key), f"lv_{lever_key}")


def indicators_entry(data: AppData, i: int, indicator_codes: tuple[str, ...], where: str) -> None:
    """In the planner's blockers: the counts the indicators lack, to type now."""
    missing_form(data, i, missing_counts(data.x[i], data.rb, indicator_codes), where)
