"""chiso.jobs: heavy jobs run at most ``slots`` at a time, in order, with progress and cancel."""
from __future__ import annotations

import os
import threading

from chiso.errors import DataError
from chiso.jobs import CANCELLED, DONE, FAILED, QUEUED, JobQueue, heavy_slots


def _gated(gate: threading.Event, started: threading.Event | None = None, steps: int = 4):
    def work(job):
        if started:
            started.set()
        for k in range(steps):
            gate.wait(10)
            job.report((k + 1) / steps)
        return "kết quả"

    return work


def test_one_slot_runs_jobs_in_order_and_reports_positions() -> None:
    q = JobQueue(slots=1)
    gate, started = threading.Event(), threading.Event()
    first = q.submit("lô 1", _gated(gate, started))
    assert started.wait(10)
    second, third = q.submit("lô 2", _gated(gate)), q.submit("lô 3", _gated(gate))
    assert (q.position(first), q.position(second), q.position(third)) == (0, 1, 2)
    assert second.state == QUEUED and third.state == QUEUED
    gate.set()
    assert all(j.wait(10) for j in (first, second, third))
    assert [j.state for j in (first, second, third)] == [DONE, DONE, DONE]
    assert first.result == "kết quả" and first.progress == 1.0


def test_cancel_a_running_job_and_a_waiting_one() -> None:
    q = JobQueue(slots=1)
    gate, started = threading.Event(), threading.Event()
    running = q.submit("lô 1", _gated(gate, started))
    assert started.wait(10)
    waiting = q.submit("lô 2", _gated(gate))
    after = q.submit("lô 3", _gated(gate))
    waiting.cancel()
    assert waiting.wait(10) and waiting.state == CANCELLED and q.position(after) == 1
    running.cancel()
    gate.set()
    assert running.wait(10) and running.state == CANCELLED
    assert after.wait(10) and after.state == DONE  # the queue moves on


def test_a_user_error_is_kept_as_a_message() -> None:
    def work(job):
        raise DataError("Không có đơn vị nào trong phạm vi.")

    job = JobQueue().submit("lô", work)
    assert job.wait(10) and job.state == FAILED and "Không có đơn vị" in job.error


def test_two_slots_run_two_jobs_at_once() -> None:
    q = JobQueue(slots=2)
    gate = threading.Event()
    a_started, b_started = threading.Event(), threading.Event()
    a, b = q.submit("a", _gated(gate, a_started)), q.submit("b", _gated(gate, b_started))
    assert a_started.wait(10) and b_started.wait(10)
    gate.set()
    assert a.wait(10) and b.wait(10)


def test_a_bug_finishes_the_job_with_a_plain_message() -> None:
    def work(job):
        raise ZeroDivisionError

    job = JobQueue().submit("lô", work)
    assert job.wait(10) and job.state == FAILED and "nhật ký máy chủ" in job.error


def test_slots_come_from_the_environment_and_bad_values_fall_back_to_one() -> None:
    assert heavy_slots("") == 1
    assert heavy_slots("3") == 3
    assert heavy_slots("0") == 1 and heavy_slots("hai") == 1 and heavy_slots("-2") == 1


def test_a_job_runs_at_a_lower_priority_than_the_server() -> None:
    def nice(job):
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    job = JobQueue().submit("lô", nice)
    assert job.wait(10) and job.state == DONE
    assert job.result > os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) or job.result == 19
