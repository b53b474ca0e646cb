"""A process-wide bounded queue for heavy jobs (a batch plan of thousands of communes, a large upload),
so that they cannot starve the lever moves of everyone else in a training room.

Pure Python: at most ``slots`` jobs run at once, in worker threads; the others wait in order and can say
their place in the queue. A job reports its progress and checks ``cancelled`` between steps (cooperative:
a Python thread cannot be stopped from outside). Streamlit-free; the page polls ``Job`` from its reruns.
"""
from __future__ import annotations

import itertools
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from chiso.errors import ChisoError

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"


class Cancelled(ChisoError):
    """Raised inside a job when its owner cancelled it."""


@dataclass
class Job:
    """One heavy job: its state, progress (0–1), result or error, and a cancel flag."""

    id: int
    label: str
    work: Callable[[Job], object]
    state: str = QUEUED
    progress: float = 0.0
    result: object = None
    error: str = ""
    _cancel: threading.Event = field(default_factory=threading.Event)
    _done: threading.Event = field(default_factory=threading.Event)
    _wake: Callable[[], None] = lambda: None  # the queue re-checks who may start after a cancel

    def report(self, fraction: float) -> None:
        """Called by the work between steps: records progress, stops the job if it was cancelled."""
        if self._cancel.is_set():
            raise Cancelled("Đã hủy theo yêu cầu.")
        self.progress = min(1.0, max(0.0, float(fraction)))

    def cancel(self) -> None:
        self._cancel.set()
        self._wake()

    def _finish(self, state: str) -> None:
        self.state = state
        self._done.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


class JobQueue:
    """At most ``slots`` jobs at once; the rest wait first come, first served."""

    def __init__(self, slots: int = 1) -> None:
        self._slots = slots
        self._running = 0
        self._turn = threading.Condition()
        self._waiting: list[Job] = []
        self._ids = itertools.count(1)

    def submit(self, label: str, work: Callable[[Job], object]) -> Job:
        job = Job(next(self._ids), label, work)
        job._wake = self._wake_all
        with self._turn:
            self._waiting.append(job)
        threading.Thread(target=self._run, args=(job,), name=f"chiso-job-{job.id}", daemon=True).start()
        return job

    def position(self, job: Job) -> int:
        """1 for the next job to start, 0 when it is running or finished."""
        with self._turn:
            return self._waiting.index(job) + 1 if job in self._waiting else 0

    def _wake_all(self) -> None:
        with self._turn:
            self._turn.notify_all()

    def _run(self, job: Job) -> None:
        with self._turn:
            while not job._cancel.is_set() and not (self._running < self._slots and self._waiting[0] is job):
                self._turn.wait()
            self._waiting.remove(job)
            if job._cancel.is_set():
                self._turn.notify_all()
                job._finish(CANCELLED)
                return
            self._running += 1
        try:
            job.state = RUNNING
            _lower_priority()
            job.result = job.work(job)
        except Cancelled:
            job._finish(CANCELLED)
        except ChisoError as exc:
            job.error = str(exc)
            job._finish(FAILED)
        except Exception:  # a bug: logged with its traceback for us, a plain message for the user
            logging.getLogger(__name__).exception("job %s (%s) failed", job.id, job.label)
            job.error = "Lỗi ngoài dự kiến khi chạy; đã ghi vào nhật ký máy chủ."
            job._finish(FAILED)
        else:
            job.progress = 1.0
            job._finish(DONE)
        finally:
            with self._turn:
                self._running -= 1
                self._turn.notify_all()


def _lower_priority() -> None:
    """Nice the worker thread (Linux schedules threads one by one), so that the OS prefers the room's
    reruns. Best effort: the GIL still makes a CPU-bound thread compete, hence the work also yields."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + 10))
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


ENV_SLOTS = "CHISO_HEAVY_JOBS"


def heavy_slots(value: str | None = None) -> int:
    """Heavy jobs at once per server process: ``CHISO_HEAVY_JOBS``, else 1 (2 cores, one left for the room)."""
    raw = (os.environ.get(ENV_SLOTS, "") if value is None else value).strip()
    if not raw:
        return 1
    try:
        slots = int(raw)
    except ValueError:
        slots = 0
    if slots < 1:
        logging.getLogger(__name__).warning("%s=%r is not a positive whole number: using 1", ENV_SLOTS, raw)
        return 1
    return slots


HEAVY = JobQueue(slots=heavy_slots())  # process-wide: every session of this server shares it
