"""The lever widgets of the simulator: one slider per lever, with a typed count and a target rate in its popover.

Widgets are written only by callbacks (never on every run): a rerun still in flight must not pull a
slider back while the user is pressing the arrow keys. The scenario itself is the dict
``ui.session.SimState`` whose ``levers`` maps lever keys to integer deltas.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from chiso.fmt import fmt_int, fmt_percent
from chiso.lever_text import change_vi, count_from_typed, counts_left, gain_hint_vi, typed_bounds, typed_value
from chiso.rulebook import LEVEL_NAMES_VI, Rulebook
from chiso.scenario import count_bounds, delta_for_count, delta_for_rate, fixed_reason_vi, rate_after, shown_count
from ui.session import SIM

# the slider's own numbers cannot be formatted the Vietnamese way: the label carries them instead
_HIDE_SLIDER_NUMBERS = ("<style>.stSlider [data-testid='stSliderThumbValue'], .stSlider [data-testid='stSliderTickBar']"
                        "{visibility: hidden; height: 0.2rem;}</style>")


def _sync(rooms: list, key: str, n: int, which: tuple[str, ...] = ("n", "c", "r")) -> None:
    """Write the widgets of lever ``n`` from the scenario (slider, typed count, rate)."""
    ss = st.session_state
    d = ss[SIM].levers.get(key, 0)
    rate = rate_after(rooms[n], d)
    values = {"n": shown_count(rooms[n], d), "c": typed_value(rooms[n], d),
              "r": int(np.floor(rate * 100 + 1e-9)) if not np.isnan(rate) else 0}
    for w in which:
        ss[f"lv_{w}_{key}"] = values[w]


def _on_count(rooms: list, key: str, n: int) -> None:
    ss = st.session_state
    ss[SIM].levers[key] = delta_for_count(rooms[n], ss[f"lv_n_{key}"])
    _sync(rooms, key, n, ("c", "r"))


def _within(key: str, value: float, lo: float, hi: float, what_vi: str) -> float:
    """A typed value brought into its bounds, saying so under the lever. The boxes have no min/max of their
    own: Streamlit then ignores an out-of-range value with only an English tooltip."""
    kept = min(max(value, lo), hi)
    if kept != value:
        st.session_state[f"_lv_note_{key}"] = (f"Đã nhập {fmt_int(value)}: {what_vi} chỉ từ {fmt_int(lo)} đến "
                                                f"{fmt_int(hi)}, nên lấy {fmt_int(kept)}.")
    return kept


def _on_typed(rooms: list, key: str, n: int) -> None:
    ss = st.session_state
    lo, hi = typed_bounds(rooms[n])
    typed = _within(key, ss[f"lv_c_{key}"] or 0, lo, hi, "số lượng")
    ss[SIM].levers[key] = delta_for_count(rooms[n], count_from_typed(rooms[n], typed))
    _sync(rooms, key, n)


def _on_rate(rooms: list, key: str, n: int) -> None:
    ss = st.session_state
    rate = _within(key, ss[f"lv_r_{key}"] or 0, 0, 100, "tỷ lệ (%)")
    ss[SIM].levers[key] = delta_for_rate(rooms[n], rate / 100.0)
    _sync(rooms, key, n)


def _reset(rooms: list, key: str, n: int) -> None:
    st.session_state[SIM].levers.pop(key, None)
    _sync(rooms, key, n)


def _reset_all(rooms: list, live: list[int]) -> None:
    st.session_state[SIM].levers = {}
    for n in live:
        _sync(rooms, rooms[n].lever.key, n)


def lever_panel(rb: Rulebook, rooms: list, level: str, marg, synced: tuple, entry=None, needs_data=None) -> None:
    """Draw every lever of the unit; levers this level cannot move are listed with the rule's reason.

    ``synced`` identifies the unit, rulebook and applied scenario: when it changes, every widget starts
    again from the scenario. ``marg`` is ``chiso.scenario.marginal`` at the current scenario.
    ``entry(lever_key)``, when given, draws the boxes for the counts a dead lever lacks (ui.entry);
    ``needs_data(lever_key)`` tells those levers apart, listed first: typing the counts brings them to life,
    so they are not among the levers that cannot change the score.
    """
    ss = st.session_state
    sim = ss[SIM]
    live = [n for n, r in enumerate(rooms) if not fixed_reason_vi(r)]  # levers that get widgets
    if ss.get("_lv_synced") != synced:
        ss["_lv_synced"] = synced
        for n in live:
            _sync(rooms, rooms[n].lever.key, n)

    st.html(_HIDE_SLIDER_NUMBERS)
    head, btn = st.columns([4, 1])
    head.subheader("Yếu tố cải thiện")
    btn.button("Đặt lại tất cả", on_click=_reset_all, args=(rooms, live), key="reset_all", width="stretch",
               disabled=not any(sim.levers.values()))
    st.caption("Kéo thanh trượt (hoặc dùng phím mũi tên), hoặc bấm «Nhập số» để gõ số lượng (hồ sơ quá hạn: "
               "gõ số còn lại) hay tỷ lệ mục tiêu (%). "
               "Giới hạn theo số liệu: không vượt quá mẫu số, không nhỏ hơn 0.")
    fixed = []
    for n, room in enumerate(rooms):
        reason = fixed_reason_vi(room, rb)
        if reason:
            fixed.append((room.lever, reason))
            continue
        _lever_row(rooms, n, int(sim.levers.get(room.lever.key, 0)), marg)
    lacking = [(lv, why) for lv, why in fixed if needs_data is not None and needs_data(lv.key)]
    if lacking:  # alive as soon as the counts are typed: not among those that cannot change the score
        with st.container(border=True):
            st.markdown("**Yếu tố cần nhập thêm số liệu để mô phỏng**")
            for lv, reason in lacking:
                st.markdown(f"- {lv.name_vi}: {reason}")
                if entry is not None:
                    entry(lv.key)
    still = [(lv, why) for lv, why in fixed if (lv, why) not in lacking]
    if still:
        with st.container(border=True):
            st.markdown(f"**Yếu tố không làm đổi điểm của đơn vị này** ({LEVEL_NAMES_VI[level].lower()})")
            for lv, reason in still:
                st.markdown(f"- {lv.name_vi}: {reason}")


def _lever_row(rooms: list, n: int, d: int, marg) -> None:
    """One lever: slider (label carries the formatted numbers), typed count, target rate, reset."""
    ss = st.session_state
    room = rooms[n]
    lv = room.lever
    lo, hi = count_bounds(room)
    new = shown_count(room, d)
    rate = rate_after(room, d)
    if any(f"lv_{w}_{lv.key}" not in ss for w in "ncr"):  # state dropped (page switch): restore it
        _sync(rooms, lv.key, n)
    change = f" · {change_vi(lv, d)}" if d else ""  # overdue dossiers: «bớt 30», not «+30»
    if lv.remaining_vi:  # e.g. overdue dossiers: users count what is left, not the on-time ones
        change = f" · còn {fmt_int(room.denominator - new)} {lv.remaining_vi}{change}"
    # a horizontal container, not columns: columns stack on a phone, which put «Nhập số» on a row of its own
    row = st.container(horizontal=True, vertical_alignment="center", wrap=False)
    c1 = row.container()
    c1.slider(
        f"{lv.name_vi}: {fmt_int(new)} / {fmt_int(room.denominator)} {lv.unit_vi} ({fmt_percent(rate)}){change}",
        min_value=lo, max_value=hi, step=1, key=f"lv_n_{lv.key}",
        on_change=_on_count, args=(rooms, lv.key, n),
        help=(lv.note_vi or None),
    )
    # typed count, rate and reset in a popover: the browser mounts its widgets only when it opens, which
    # takes ~0,35 s off drawing Mô phỏng's 16 levers (2-core machine) and keeps a lever one row on a phone
    t_lo, t_hi = typed_bounds(room)  # overdue dossiers: typed as what is left, not as on-time counts
    with row.popover("Nhập số", icon=":material/edit:", width="content"):
        st.number_input(f"Còn {lv.remaining_vi}" if counts_left(room) else f"Số {lv.unit_vi}", step=1,
                        key=f"lv_c_{lv.key}", on_change=_on_typed, args=(rooms, lv.key, n),
                        help=f"Từ {fmt_int(t_lo)} đến {fmt_int(t_hi)}; số ngoài khoảng này được đưa về giới hạn.")
        st.number_input("Tỷ lệ (%)", step=1, key=f"lv_r_{lv.key}", help="Từ 0 đến 100.",
                        on_change=_on_rate, args=(rooms, lv.key, n), disabled=np.isnan(rate))
        st.button("Đặt lại yếu tố này", key=f"lv_x_{lv.key}", on_click=_reset, args=(rooms, lv.key, n),
                  disabled=not d, width="stretch")
    note = ss.pop(f"_lv_note_{lv.key}", None)
    if note:
        c1.warning(note)
    if marg.step[n] > 0:
        c1.caption(gain_hint_vi(room, marg.step[n], marg.gain[n], marg.gain_one[n], hi))
    elif d >= 0 and d >= room.steps_up:
        c1.caption("Đã đạt giới hạn: không thể tăng thêm.")
