"""One collection: the six endpoints of one province and period, each response verified before it counts.

A response counts only when it parses completely under the JSON importer's strict rules, is the endpoint
asked for, and its province (overview/parent ``departmentId``) is the ``rootDepartmentId`` sent. The
dataset is then built from the verified bytes by the same importer as an upload, and stored with its
evidence in one transaction: a run that stops anywhere stores nothing.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from chiso.collect.client import PortalClient, blocked
from chiso.collect.manifest import file_name
from chiso.collect.periods import Period
from chiso.collect.provinces import Province
from chiso.errors import DataError
from chiso.io.portal import detect_endpoint, load_portal_bytes, parse_response
from chiso.rulebook import DEFAULT_RULEBOOK, load_rulebook
from chiso.units import UnitTable
from chiso.workspace import Workspace
from chiso.workspace.evidence import Evidence

# the six endpoints in the portal page's order, with the page size its own page asks for (api.md)
SOURCE_PREFIX = "Cổng DVCQG · "  # every collected dataset's source starts so (the panel lists them by it)
PAGE_SIZE = {
    "transparency": 200,
    "handling-satisfaction": 200,
    "dossier-digitized": 200,
    "dvc-progress-tree": 100,
    "provide-online-tree": 200,
    "formality-online-payment-tree": 100,
}
DATE_RANGE = {"handling-satisfaction"}  # takes fromDate/toDate instead of timeType
MAX_PAGES = 20  # 34 provinces have a few hundred units at most: more pages means something is wrong


@dataclass
class Collected:
    province: Province
    period: Period
    table: UnitTable
    responses: list[Evidence]

    @property
    def source(self) -> str:
        return source_name(self.province)

    @property
    def digest(self) -> str:
        """SHA-256 over every response (endpoint, page, bytes): the same answers are the same dataset."""
        h = hashlib.sha256()
        for e in self.responses:
            h.update(f"{e.endpoint}:{e.page}".encode() + b"\0" + e.body)
        return h.hexdigest()


def source_name(province: Province) -> str:
    return f"{SOURCE_PREFIX}{province.short_name}"


Pages = list[Evidence]


def collect(client: PortalClient, province: Province, period: Period,
            progress: Callable[[int, str, Pages], None] | None = None,
            resume: Callable[[str], Pages | None] | None = None,
            checkpoint: Callable[[str, Pages], None] | None = None) -> Collected:
    """Fetch and verify the six endpoints, one after the other; PortalBlocked at the first problem.

    ``resume(endpoint)`` may give back the pages an interrupted run already fetched (verified again, not
    asked again); ``checkpoint(endpoint, pages)`` keeps each endpoint's verified pages as soon as they are in."""
    responses: list[Evidence] = []
    files: list[tuple[str, bytes]] = []
    for i, endpoint in enumerate(PAGE_SIZE, 1):
        kept = resume(endpoint) if resume else None
        if kept:
            pages = [(e, verify(e, province)) for e in kept]
        else:
            pages = _fetch_endpoint(client, endpoint, province, period)
            if checkpoint:
                checkpoint(endpoint, [e for e, _ in pages])
        responses += [e for e, _ in pages]
        files += [(file_name(e.endpoint, e.page), e.body) for e, _ in pages]  # pages are joined by the importer
        if progress:
            progress(i, endpoint, [e for e, _ in pages])
    rb = load_rulebook(DEFAULT_RULEBOOK)
    try:
        table = load_portal_bytes(sorted(files), period.label, rb)  # a folder's order: the same table as `import`
    except DataError as exc:  # the pages together break a rule (a unit twice, on-time > received)
        raise blocked((exc.location.file or "?").removesuffix(".json"), f"số liệu không hợp lệ ({exc}).") from None
    table.source = source_name(province)
    return Collected(province, period, table, responses)


def store(ws: Workspace, c: Collected) -> tuple[int, bool]:
    """The dataset and its evidence, as a new version when the content changed (nothing when it did not)."""
    return ws.store_collected(c.table, c.source, c.digest, DEFAULT_RULEBOOK, c.responses)


def _fetch_endpoint(client: PortalClient, endpoint: str, province: Province,
                    period: Period) -> list[tuple[Evidence, dict]]:
    pages: list[tuple[Evidence, dict]] = []
    page = 1
    while True:
        body = period.body(province.root_id, page, PAGE_SIZE[endpoint], endpoint in DATE_RANGE)
        got = client.post(endpoint, page, body)
        doc = verify(got, province)
        pages.append((got, doc))
        total = _total_pages(doc)
        if page >= total:  # ask for the next page only while currentPage < totalPages
            return pages
        if page >= MAX_PAGES:
            raise blocked(endpoint, f"phản hồi báo {total} trang, nhiều hơn mức hợp lý {MAX_PAGES} trang.")
        page += 1


def verify(e: Evidence, province: Province) -> dict:
    """The parsed response when it is complete, of the endpoint asked for and of the province asked for."""
    try:
        doc = parse_response(f"{e.endpoint}.json", e.body)
        kind = detect_endpoint(doc, f"{e.endpoint}.json")
    except DataError as exc:
        raise blocked(e.endpoint, f"phản hồi không dùng được: {exc.message}") from None
    if kind != e.endpoint:
        raise blocked(e.endpoint, f"phản hồi là số liệu của nhóm «{kind}», không phải nhóm đã hỏi.")
    data = doc["data"]
    root = data.get("overview") if isinstance(data.get("overview"), dict) else data.get("parent")
    got = root.get("departmentId") if isinstance(root, dict) else None
    if got != province.root_id:
        name = root.get("departmentName") if isinstance(root, dict) else None
        raise blocked(e.endpoint, f"phản hồi thuộc đơn vị khác («{str(name)[:80]}», mã «{str(got)[:60]}»), không phải "
                      f"{province.name} đã hỏi; không dùng phản hồi này.")
    return doc


def _total_pages(doc: dict) -> int:
    pagination = doc["data"].get("pagination")
    total = pagination.get("totalPages") if isinstance(pagination, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) and total > 0 else 1
