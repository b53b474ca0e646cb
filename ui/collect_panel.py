"""«Tải từ Cổng DVCQG»: pick a province and a period, collect them in the server's heavy-job queue
(``chiso.jobs.HEAVY``) with progress per endpoint and «Hủy»; the stored dataset becomes the data source.
Shown only to roles that may store datasets (quản trị, cán bộ tổng hợp); the store checks it again."""
from __future__ import annotations

import streamlit as st

from chiso import jobs
from chiso.collect.client import endpoint_vi, portal_url
from chiso.collect.job import ENDPOINTS, CollectRun, collect_work, may_collect, next_endpoint
from chiso.collect.periods import Period, recent_periods, today_in_vietnam
from chiso.collect.provinces import Province, provinces
from chiso.collect.run import SOURCE_PREFIX
from chiso.errors import ChisoError
from chiso.fmt import fmt_time
from chiso.jobs import CANCELLED, DONE, Job
from chiso.rulebook import DEFAULT_RULEBOOK
from chiso.workspace import Workspace
from ui.db import workspace
from ui.job_view import status_body, take_finished
from ui.safe_md import md
from ui.state import RULEBOOK, SOURCE, AppData

KEY = "collect_job"
REFRESH_S = 0.7
DELAY_S = 2.0  # between two requests to the portal, as the command line's default


def _index_of(items: list, wanted) -> int:
    return next((n for n, item in enumerate(items) if wanted(item)), 0)


def panel(data: AppData | None = None) -> None:
    """``data``: the data on screen; its province and period are the first choice (collect what you look at)."""
    ws = workspace(quiet=True)
    if ws is None or not may_collect(ws):
        return
    with st.expander("Tải từ Cổng DVCQG", expanded=KEY in st.session_state):
        st.caption("Tải sáu nhóm số liệu đánh giá của một tỉnh, một kỳ từ Cổng DVCQG vào cơ sở dữ liệu làm việc, "
                   "kèm bằng chứng (từng byte của mỗi phản hồi). Mỗi lần một yêu cầu, nghỉ khoảng 2 giây giữa hai "
                   "yêu cầu; Cổng từ chối hoặc trả lời sai thì dừng và không lưu gì. Nếu mạng cơ quan không vào "
                   "được Cổng: tải sáu tệp JSON trên một máy khác rồi đưa vào ở thanh bên («Chọn tệp»).")
        c = st.columns(2)
        codes = set(map(str, data.codes)) if data is not None else set()
        options, periods = provinces(), recent_periods(today_in_vietnam())
        province = c[0].selectbox("Tỉnh/thành phố", options, key="collect_province",
                                  index=_index_of(options, lambda p: p.code in codes),
                                  format_func=lambda p: f"{p.short_name} ({p.code})")
        period = c[1].selectbox("Kỳ", periods, key="collect_period",
                                index=_index_of(periods, lambda p: data is not None and p.label == data.period),
                                format_func=lambda p: p.label,
                                help="Tháng chỉ có sau ngày cuối tháng; quý và năm hiện tại tính đến nay.")
        # the button names what it will fetch: the choice is confirmed by the server, not only by the box
        if st.button(f"Tải {province.short_name}, kỳ {period.label}", key="collect_start", disabled=_running()):
            _submit(ws, province, period)
        _show()
        _collected(ws)


def _collected(ws: Workspace) -> None:
    """When each source was last collected (the version in use), so a room knows how fresh its data is."""
    try:
        found = [d for d in ws.datasets() if d.source.startswith(SOURCE_PREFIX)]
    except ChisoError:
        return
    if found:
        st.caption("Đã tải: " + "; ".join(md(f"{d.source} kỳ {d.period} lúc {fmt_time(d.imported_at)}")
                                          for d in sorted(found, key=lambda d: d.imported_at, reverse=True)[:10]))


def _running() -> bool:
    rec = st.session_state.get(KEY)
    return bool(rec) and not rec["job"].finished


def _submit(ws: Workspace, province: Province, period: Period) -> None:
    try:
        work = collect_work(ws, province, period, portal_url(), DELAY_S)
    except ChisoError as exc:
        st.error(md(exc))
        return
    queue = jobs.HEAVY  # read at call time: tests give the process a fresh queue
    st.session_state[KEY] = {"job": queue.submit(f"Tải {province.code} {period.label}", work), "queue": queue}
    st.rerun()


def _show() -> None:
    rec = take_finished(KEY, _status)
    if rec is None:
        return
    job: Job = rec["job"]
    if job.state == DONE:
        run: CollectRun = job.result
        if run.stored:
            st.session_state[SOURCE], st.session_state[RULEBOOK] = f"ds:{run.dataset_id}", DEFAULT_RULEBOOK
            st.session_state["_collect_done"] = (f"Đã lưu «{run.source}», kỳ {run.period}, {run.units} đơn vị; "
                                                 "đang dùng làm nguồn số liệu.")
            st.rerun()
        st.info(f"Số liệu «{run.source}» kỳ {run.period} không đổi so với lần tải trước; không lưu thêm.")
    elif job.state == CANCELLED:
        st.warning("Đã hủy tải từ Cổng DVCQG; chưa lưu gì.")
    else:
        st.error(md(job.error))


def notice() -> None:
    """The message of a collection that just became the data source (shown once, after the rerun)."""
    done = st.session_state.pop("_collect_done", None)
    if done:
        st.success(md(done))


@st.fragment(run_every=REFRESH_S)
def _status() -> None:
    status_body(KEY, lambda place: f"Đang chờ: vị trí {place} trong hàng đợi việc nặng của máy chủ.", _progress,
                "collect_cancel")


def _progress(rec: dict, job: Job) -> str:
    done = round(job.progress * len(ENDPOINTS))
    now = next_endpoint(job.progress)
    return f"Đã tải {done}/{len(ENDPOINTS)} nhóm; đang: {endpoint_vi(now) if now else 'lưu vào cơ sở dữ liệu'}"
