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
from ui.job_view import status_body, take_finished
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
    rec = take_finished(KEY, _status)
    if rec is None:
        return
    job: Job = rec["job"]
    if job.state == DONE:
        st.session_state[LAST] = {"sig": rec["sig"], "plans": job.result.plans, "seconds": job.result.seconds,
                                  "title": rec["title"]}
    elif job.state == CANCELLED:
        st.warning("Đã hủy lập kế hoạch cho nhiều đơn vị; chưa có kết quả mới.")
    else:
        st.error("Không lập được kế hoạch cho nhiều đơn vị. " + md(job.error))


@st.fragment(run_every=REFRESH_S)
def _status() -> None:
    status_body(KEY, lambda place: f"Đang chờ: vị trí {fmt_int(place)} trong hàng đợi. Mỗi lúc máy chủ chỉ lập "
                "một số ít kế hoạch lớn để những người khác vẫn dùng được ứng dụng.", _progress, "batch_cancel")


def _progress(rec: dict, job: Job) -> str:
    total = rec["units"]
    return f"Đang lập kế hoạch: {fmt_int(round(job.progress * total))} / {fmt_int(total)} đơn vị"
