"""The batch plan (every unit of a group to a target) as a heavy job of ``chiso.jobs``.

The work plans unit by unit and reports between units, so that the queue shows its progress and a
cancel stops it at the next unit. Streamlit-free: the page submits the work and polls the job.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from chiso.engine import Scores
from chiso.jobs import Job
from chiso.plan.solver import Plan, plan_table
from chiso.units import UnitTable


@dataclass(frozen=True)
class BatchRun:
    """What a finished batch job returns: the plans, and how long the planning itself took."""

    plans: list[Plan]
    seconds: float


def batch_work(
    table: UnitTable,
    base: Scores,
    targets: float | np.ndarray,
    codes: Iterable[str],
    **kw,
) -> Callable[[Job], BatchRun]:
    """The work of one batch job: ``plan_table`` over ``codes`` with progress and cancel between units."""
    codes = list(codes)

    def work(job: Job) -> BatchRun:
        started = time.perf_counter()

        def step(done: int, total: int) -> None:
            job.report(done / total)  # raises Cancelled when the owner cancelled
            time.sleep(0)  # hand the GIL to the room's reruns between units

        plans = plan_table(table, base, targets, codes=codes, progress=step, **kw)
        return BatchRun(plans, time.perf_counter() - started)

    return work


__all__ = ["BatchRun", "batch_work"]
