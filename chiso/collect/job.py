"""A collection as a heavy job of ``chiso.jobs`` (the app's «Tải từ Cổng DVCQG»): progress per endpoint,
cancel between endpoints, the dataset stored only when all six are in and verified."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chiso.collect.client import PortalClient
from chiso.collect.periods import Period
from chiso.collect.provinces import Province
from chiso.collect.run import PAGE_SIZE, collect, store
from chiso.jobs import Job
from chiso.workspace import Workspace
from chiso.workspace.access import Role, require_role

ENDPOINTS = list(PAGE_SIZE)
WHO_MAY = [Role.ADMIN, Role.AGGREGATOR]  # the roles that may store datasets


@dataclass(frozen=True)
class CollectRun:
    dataset_id: int
    stored: bool  # False: the portal's answers had not changed since the last collection
    source: str
    period: str
    units: int


def may_collect(ws: Workspace) -> bool:
    return ws.actor.role in WHO_MAY


def next_endpoint(progress: float) -> str | None:
    """The endpoint being fetched at ``progress`` (None once all six are in)."""
    done = round(progress * len(ENDPOINTS))
    return ENDPOINTS[done] if done < len(ENDPOINTS) else None


def collect_work(ws: Workspace, province: Province, period: Period, base_url: str,
                 delay: float = 2.0) -> Callable[[Job], CollectRun]:
    """The work of one job; refused at once (AccessError) for an actor who may not store datasets."""
    require_role(ws.actor, WHO_MAY, "tải số liệu từ Cổng DVCQG vào cơ sở dữ liệu chung")

    def work(job: Job) -> CollectRun:
        job.report(0)
        client = PortalClient(base_url, delay)
        try:
            collected = collect(client, province, period, progress=lambda i, _e, _p: job.report(i / len(ENDPOINTS)))
        finally:
            client.close()
        job.report(1)  # a cancel up to here stores nothing
        ds_id, stored = store(ws, collected)
        return CollectRun(ds_id, stored, collected.source, period.label, len(collected.table))

    return work
