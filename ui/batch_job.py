"""The batch plan as a job of the server's heavy-job queue (``chiso.jobs.HEAVY``): submit, then a status
that refreshes itself (place in the queue, progress, «Hủy») until the job finishes; the finished plans
become ``batch_last``, which the page shows. A job belongs to its session (st.session_state).
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from chiso import jobs
from chiso.fmt import fmt_int
from chiso.jobs import CANCELLED, DONE, Job
from ui.safe_md import md

KEY = "batch_job"
LAST = "batch_last"
REFRESH_S = 0.7  # often enough to see the bar move, rare enough to cost the room nothing


def submit(work: Callable[[Job], object], units: int, sig: tuple, title: str) -> None:
    """Queue the work; an unfinished job of this session is cancelled (the new request supersedes it)."""
    old = st.session_state.get(KEY)
    if old and not old["job"].finished:
        old["job"].cancel()
    queue = jobs.HEAVY  # read at call time: tests give the process a fresh queue
    st.session_state[KEY] = {"job": queue.submit(title, work), "queue": queue, "units": units,
                             "sig": sig, "title": title}


def show() -> None:
    """On every full run: this session's job while it runs, or what became of it (once)."""
    rec = st.session_state.get(KEY)
    if not rec:
        return
    job: Job = rec["job"]
    if not job.finished:
        _status()
        return
    del st.session_state[KEY]
    if job.state == DONE:
        st.session_state[LAST] = {"sig": rec["sig"], "plans": job.result.plans, "seconds": job.result.seconds,
                                  "title": rec["title"]}
    elif job.state == CANCELLED:
        st.warning("Đã hủy lập kế hoạch cho nhiều đơn vị; chưa có kết quả mới.")
    else:
        st.error("Không lập được kế hoạch cho nhiều đơn vị. " + md(job.error))


@st.fragment(run_every=REFRESH_S)
def _status() -> None:
    rec = st.session_state.get(KEY)
    if not rec or rec["job"].finished:
        st.rerun()  # the whole page: it shows the result and stops this timer
    job: Job = rec["job"]
    place = rec["queue"].position(job)
    if job.cancel_requested:
        st.info("Đang hủy…")
        return
    if place:
        st.info(f"Đang chờ: vị trí {fmt_int(place)} trong hàng đợi. Mỗi lúc máy chủ chỉ lập một số ít "
                "kế hoạch lớn để những người khác vẫn dùng được ứng dụng.")
    else:
        total = rec["units"]
        done = round(job.progress * total)
        st.progress(job.progress, text=f"Đang lập kế hoạch: {fmt_int(done)} / {fmt_int(total)} đơn vị")
    st.button("Hủy", key="batch_cancel", on_click=job.cancel)
