"""chiso.plan.batch: the batch plan as a queued job gives plan_table's plans, reports each unit, and stops
at the next unit when cancelled."""
from __future__ import annotations

from chiso.calibration import baseline
from chiso.jobs import CANCELLED, DONE, JobQueue
from chiso.plan.batch import batch_work
from chiso.plan.setup import scope_rows
from chiso.plan.solver import plan_table
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample


def _sample():
    s = available_samples()[0]
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    return table, baseline(table, rb)


def test_the_job_gives_the_plans_of_plan_table() -> None:
    table, base = _sample()
    codes = base.codes[scope_rows(table.frame, "commune")][:12]
    job = JobQueue().submit("lô", batch_work(table, base, 70, codes))
    assert job.wait(120) and job.state == DONE and job.progress == 1.0
    want = plan_table(table, base, 70, codes=codes)
    assert [p.to_dict() for p in job.result.plans] == [p.to_dict() for p in want]
    assert job.result.seconds > 0


def test_cancel_stops_at_the_next_unit() -> None:
    table, base = _sample()
    codes = base.codes[scope_rows(table.frame, "commune")][:12]
    work = batch_work(table, base, 70, codes)
    seen: list[float] = []

    def cancelling(job):  # the owner cancels once the third unit is reported
        original = job.report

        def report(fraction: float) -> None:
            seen.append(fraction)
            original(fraction)
            if len(seen) == 3:
                job.cancel()

        job.report = report
        return work(job)

    job = JobQueue().submit("lô", cancelling)
    assert job.wait(120) and job.state == CANCELLED
    assert len(seen) == 4 and job.progress == 3 / 12
