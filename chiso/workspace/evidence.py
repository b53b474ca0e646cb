"""Evidence of a collected dataset: the portal's responses kept byte for byte, per dataset version.

Written in the same transaction as the dataset version they produced, so there is never a dataset
without its evidence nor evidence of a run that stored nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiso.workspace.models import PortalResponse, utc


@dataclass(frozen=True)
class Evidence:
    endpoint: str
    page: int
    request_url: str
    request_body: str
    requested_at: datetime
    http_status: int
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def add(s: Session, dataset_id: int, version: int, items: list[Evidence]) -> None:
    s.add_all(PortalResponse(dataset_id=dataset_id, version=version, endpoint=e.endpoint, page=e.page,
                             request_url=e.request_url[:500], request_body=e.request_body,
                             requested_at=e.requested_at, http_status=e.http_status, sha256=e.sha256, body=e.body)
              for e in items)


def of_version(s: Session, dataset_id: int, version: int) -> list[Evidence]:
    q = select(PortalResponse).where(PortalResponse.dataset_id == dataset_id, PortalResponse.version == version)
    return [Evidence(r.endpoint, r.page, r.request_url, r.request_body, utc(r.requested_at), r.http_status, r.body)
            for r in s.scalars(q.order_by(PortalResponse.id))]
