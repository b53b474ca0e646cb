"""Typing numbers into the app: the small form beside a missing count (dead lever, planner blocker) and
the one save path every entry widget shares (validate all → store all → rerun, or a message)."""
from __future__ import annotations

import streamlit as st

from chiso.edits import Edit, entry_bounds_vi, key_name_vi, lever_missing_counts, make_revisions, missing_counts
from chiso.errors import ChisoError
from chiso.workspace.batches import ConflictError, describe
from ui import edits_store
from ui.auth import actor
from ui.safe_md import md
from ui.state import AppData

NOTICE = "_edit_notice"  # a message to show after the rerun that follows a save or an undo
GENERATION = "_edit_generation"  # bumped on every save: part of the editors' widget keys


def generation() -> int:
    return int(st.session_state.get(GENERATION, 0))


def reload_editors() -> None:
    """Start every editor afresh on the data as stored now (after a refused save: «Tải lại số liệu»)."""
    st.session_state[GENERATION] = generation() + 1


def conflict_message(data: AppData, err: ConflictError) -> None:
    """Say which cells someone else saved meanwhile (unit, count, value now, who, when) and offer a reload."""
    names = dict(zip(data.codes, data.names))
    lines = describe(err.conflicts, lambda c: f"{names.get(c, '')} ({c})",
                     lambda k: key_name_vi(data.rb, k) if k in data.rb.input_keys or k == "published_total" else k)
    st.error(md("Chưa lưu ô nào: trong lúc bạn nhập, người khác đã lưu số liệu ở các ô này.") + "\n\n"
             + "\n".join(f"- {md(line)}" for line in lines)
             + "\n\n" + md("Hãy bấm «Tải lại số liệu» để thấy số liệu mới nhất, rồi nhập lại."))
    st.button("Tải lại số liệu", key=f"reload_{id(err)}", on_click=reload_editors)


def save_edits(data: AppData, edits: list[Edit]) -> bool:
    """Validate ``edits`` and store them as one batch of revisions, checked against what the user saw.

    Any bad cell shows every problem and stores nothing (False); so does a cell someone else saved since
    the user saw it (the message names it). Reruns the app when something changed, so that every page
    recomputes with the entered values."""
    try:
        revs = make_revisions(data.table, data.rb, edits, author=actor().name)
    except ChisoError as exc:
        st.error(md(exc))
        return False
    if not revs:
        st.info("Không có giá trị nào thay đổi.")
        return False
    try:
        edits_store.add(data.edit_key, data.rb.id, revs)
    except ConflictError as exc:
        conflict_message(data, exc)
        return False
    except ChisoError as exc:  # the database refused (no right, locked, full, gone): nothing was stored
        st.error(md(exc))
        return False
    st.session_state[GENERATION] = generation() + 1  # editors start empty again on the new values
    st.session_state[NOTICE] = f"Đã lưu {len(revs)} giá trị nhập tay. Mọi trang đã tính lại theo số liệu mới."
    st.rerun()
    return True


def show_notice() -> None:
    """A save or an undo confirmed as a toast: it shows in view wherever the user clicked (a banner at the
    page's top was 2.500 px away from the box beside a dead lever) and goes away by itself."""
    note = st.session_state.pop(NOTICE, None)
    if note:
        st.toast(md(note), icon=":material/check_circle:", duration="long")  # unit codes come from the user's file


def _typed_missing(code: str, where: str) -> list[Edit]:
    """The boxes of the form this user submitted, as it was drawn for them: every one of those counts was
    missing then, so its base is «empty». Read before the form is drawn again, because by now someone may
    have saved the count and the fresh form would not show that box (the value must not vanish unsaid)."""
    ss = st.session_state
    shown = ss.get(f"_entry_shown_{where}_{code}", [])
    return [Edit(code, k, ss[f"entry_{where}_{code}_{k}"], base=None) for k in shown
            if ss.get(f"entry_{where}_{code}_{k}") is not None]


def missing_form(data: AppData, i: int, keys: list[str], where: str) -> None:
    """One whole-number box per missing count of unit ``i`` and a save button, right where the app says
    the count is missing. Nothing is stored until «Lưu số liệu»; a bad value is refused with a message,
    and so is a count someone else saved since the box was drawn (with what they saved)."""
    if not data.edit_key:
        return
    code = str(data.codes[i])
    if st.session_state.get(f"entry_save_{where}_{code}"):  # «Lưu số liệu» was pressed on the form drawn before
        edits = _typed_missing(code, where)
        if edits:
            save_edits(data, edits)
        else:
            st.warning("Hãy nhập ít nhất một số liệu trước khi lưu.")
    if not keys:
        return
    st.session_state[f"_entry_shown_{where}_{code}"] = list(keys)
    with st.form(f"entry_{where}_{code}", border=False, enter_to_submit=False):
        for start in range(0, len(keys), BOXES_PER_ROW):  # 15 boxes in one row left 1–3 letters a line at 1366
            cols = st.columns(BOXES_PER_ROW, vertical_alignment="bottom")
            for col, key in zip(cols, keys[start:start + BOXES_PER_ROW]):
                _count_box(col, data, i, key, f"entry_{where}_{code}_{key}")
        st.form_submit_button("Lưu số liệu", key=f"entry_save_{where}_{code}")


BOXES_PER_ROW = 3


def _count_box(col, data: AppData, i: int, key: str, widget_key: str) -> None:
    """One whole-number box; its help names the bounds the unit's other counts set (≥ 1.546 e-copies)."""
    bounds = entry_bounds_vi(data.x[i], data.rb, key)
    col.number_input(
        f"Nhập: {data.rb.input(key).name_vi}", min_value=0, step=1, value=None, key=widget_key,
        placeholder="số lượng",
        help="Số nguyên, không âm" + (f"; {'; '.join(bounds)}" if bounds else "") + ". Giá trị nhập tay được "
             "lưu như một lần sửa (xem trang Số liệu) và có thể hoàn tác.",
    )


def lever_needs_data(data: AppData, i: int, lever_key: str) -> bool:
    """Is this lever dead only because counts are missing (typing them would bring it to life)?"""
    return bool(lever_missing_counts(data.x[i], data.level(i), data.rb, lever_key))


def lever_entry(data: AppData, i: int, lever_key: str) -> None:
    """Beside a dead lever: the counts it lacks, to type now."""
    missing_form(data, i, lever_missing_counts(data.x[i], data.level(i), data.rb, lever_key), f"lv_{lever_key}")


def indicators_entry(data: AppData, i: int, indicator_codes: tuple[str, ...], where: str) -> None:
    """In the planner's blockers: the counts the indicators lack, to type now."""
    missing_form(data, i, missing_counts(data.x[i], data.rb, indicator_codes), where)
