"""What a session's heavy job (``chiso.jobs``) looks like while it runs, shared by the batch plan and the
collection from the portal: the place in the queue or the progress bar, «Hủy», and the finished job once."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from chiso.jobs import Job


def take_finished(key: str, status: Callable[[], None]) -> dict | None:
    """The record of this session's job under ``key`` once, when it has finished (then forgotten); while it
    runs, ``status`` (a self-refreshing fragment) is drawn and None returned."""
    rec = st.session_state.get(key)
    if not rec:
        return None
    if not rec["job"].finished:
        status()
        return None
    del st.session_state[key]
    return rec


def status_body(key: str, waiting: Callable[[int], str], progress: Callable[[dict, Job], str], cancel_key: str) -> None:
    """The inside of a job's status fragment: a full rerun once it finished, else its state and «Hủy»."""
    rec = st.session_state.get(key)
    if not rec or rec["job"].finished:
        st.rerun()  # the whole page: it shows the result and stops the fragment's timer
    job: Job = rec["job"]
    if job.cancel_requested:
        st.info("Đang hủy…")
        return
    place = rec["queue"].position(job)
    if place:
        st.info(waiting(place))
    else:
        st.progress(job.progress, text=progress(rec, job))
    st.button("Hủy", key=cancel_key, on_click=job.cancel)
