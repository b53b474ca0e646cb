"""The batch plan runs through the server's heavy-job queue: place in the queue, progress "n / m đơn vị",
«Hủy», and the result when done. Two AppTests in one process share the queue, as two sessions of one
server do. The planner is paused on an Event where a test needs a job to stay busy (no sleeps)."""
from __future__ import annotations

import itertools
import threading

import pytest

from chiso import jobs
from chiso.errors import DataError
from chiso.fmt import fmt_int
from chiso.jobs import CANCELLED, DONE, RUNNING, JobQueue
from chiso.plan import solver
from chiso.plan.setup import scope_rows

from ui.safe_md import md

from conftest import metric, open_page

PLAN = "pages/plan.py"


@pytest.fixture
def queue(monkeypatch) -> JobQueue:
    """A fresh one-slot queue for this test (jobs of other tests never hold its slot)."""
    q = JobQueue(slots=1)
    monkeypatch.setattr(jobs, "HEAVY", q)
    return q


@pytest.fixture
def pause(monkeypatch):
    """``pause(k)``: the planner stops before its unit k+1 until released; returns (reached, release)."""
    release = threading.Event()
    real = solver.plan

    def install(after: int) -> tuple[threading.Event, threading.Event]:
        reached, calls = threading.Event(), itertools.count(1)

        def plan(*args, **kw):
            if next(calls) == after + 1:
                reached.set()
                release.wait(120)
            return real(*args, **kw)

        monkeypatch.setattr(solver, "plan", plan)
        return reached, release

    yield install
    release.set()  # never leave a worker thread parked


def communes(sample) -> int:
    return len(scope_rows(sample.frame, "commune"))


def texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def job_of(at):
    return at.session_state["batch_job"]["job"]


def running_batch(pause, units: int):
    """Plan page with a batch submitted and paused after ``units`` units: (the page, its release event)."""
    reached, release = pause(units)
    at = open_page(PLAN)
    at.button(key="batch_solve").click().run()
    assert reached.wait(60)
    at.run()
    return at, release


def test_progress_then_the_result(sample, queue, pause):
    at, release = running_batch(pause, 3)
    n = communes(sample)
    bar = at.get("progress")[0].proto
    assert bar.text == f"Đang lập kế hoạch: 3 / {fmt_int(n)} đơn vị"
    assert bar.value == int(3 / n * 100)
    assert at.button(key="batch_cancel").label == "Hủy"
    assert not [m for m in at.metric if m.label == "Số đơn vị"]  # no result yet

    job = job_of(at)
    release.set()
    assert job.wait(120) and job.state == DONE
    at.run()
    assert "batch_job" not in at.session_state
    assert not at.get("progress") and not [b for b in at.button if b.key == "batch_cancel"]
    assert metric(at, "Số đơn vị").value == fmt_int(n)
    assert any(f"Lập {fmt_int(n)} kế hoạch trong" in c for c in texts(at, "caption"))


def test_cancel_a_running_batch(sample, queue, pause):
    at, release = running_batch(pause, 2)
    job = job_of(at)
    at.button(key="batch_cancel").click().run()
    assert "Đang hủy…" in texts(at, "info")  # the planner is still inside unit 3
    release.set()
    assert job.wait(120) and job.state == CANCELLED and job.progress < 1
    at.run()
    assert any(w.startswith("Đã hủy lập kế hoạch") for w in texts(at, "warning"))
    assert not [m for m in at.metric if m.label == "Số đơn vị"]
    at.run()  # the notice is said once
    assert not any(w.startswith("Đã hủy") for w in texts(at, "warning"))


def test_a_second_session_sees_its_place_in_the_queue(sample, queue):
    gate, started = threading.Event(), threading.Event()

    def other(job):  # someone else's heavy job holds the only slot
        started.set()
        gate.wait(120)

    blocker = queue.submit("lô khác", other)
    try:
        assert started.wait(10) and blocker.state == RUNNING
        first, second = open_page(PLAN), open_page(PLAN)
        first.button(key="batch_solve").click().run()
        second.button(key="batch_solve").click().run()
        assert "Đang chờ: vị trí 1 trong hàng đợi" in " ".join(texts(first, "info"))
        assert "Đang chờ: vị trí 2 trong hàng đợi" in " ".join(texts(second, "info"))

        waiting = job_of(first)
        first.button(key="batch_cancel").click().run()
        said = texts(first, "warning")  # a waiting job may be cancelled within this very run
        assert waiting.wait(10) and waiting.state == CANCELLED
        first.run()
        said += texts(first, "warning")
        assert sum(w.startswith("Đã hủy lập kế hoạch") for w in said) == 1
        second.run()
        assert "Đang chờ: vị trí 1 trong hàng đợi" in " ".join(texts(second, "info"))  # moved up
    finally:
        gate.set()
    job = job_of(second)
    assert job.wait(120) and job.state == DONE
    second.run()
    assert metric(second, "Số đơn vị").value == fmt_int(communes(sample))


def test_a_failed_batch_says_so(queue, monkeypatch):
    def refuse(*args, **kw):
        raise DataError("Thiếu số liệu để lập kế hoạch.")

    monkeypatch.setattr(solver, "plan", refuse)
    at = open_page(PLAN)
    at.button(key="batch_solve").click().run()
    job = job_of(at) if "batch_job" in at.session_state else None
    if job:
        assert job.wait(60)
        at.run()
    assert not at.exception
    want = "Không lập được kế hoạch cho nhiều đơn vị. " + md("Thiếu số liệu để lập kế hoạch.")
    assert want in texts(at, "error"), texts(at, "error")
