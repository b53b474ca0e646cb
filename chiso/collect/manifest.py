"""The evidence of a collected dataset as files: ``<endpoint>.json`` byte for byte, and ``manifest.json``.

The manifest records the period (the responses do not), so ``python -m chiso import`` of the folder needs
no ``--period``; and for every file the request sent, when, the HTTP status, the size and the SHA-256.
"""
from __future__ import annotations

import json
from pathlib import Path

from chiso.collect.provinces import Province
from chiso.errors import DataError, Location
from chiso.workspace.datasets import DatasetInfo
from chiso.workspace.evidence import Evidence


def file_name(endpoint: str, page: int) -> str:
    return f"{endpoint}.json" if page == 1 else f"{endpoint}.page-{page}.json"


def manifest(info: DatasetInfo, province: Province, items: list[Evidence]) -> dict[str, object]:
    return {
        "source": info.source,
        "province": {"code": province.code, "name": province.name, "rootDepartmentId": province.root_id},
        "period": info.period,
        "rulebook": info.rulebook,
        "stored_at": info.imported_at.isoformat(),
        "responses": [
            {"file": file_name(e.endpoint, e.page), "endpoint": e.endpoint, "page": e.page, "request_url": e.request_url,
             "request_body": json.loads(e.request_body), "requested_at": e.requested_at.isoformat(),
             "http_status": e.http_status, "bytes": len(e.body), "sha256": e.sha256}
            for e in items
        ],
    }


def write_evidence(out: Path, info: DatasetInfo, province: Province, items: list[Evidence]) -> list[Path]:
    """Write every response and the manifest into ``out``; never overwrites a file already there."""
    files = {out / file_name(e.endpoint, e.page): e.body for e in items}
    files[out / "manifest.json"] = (json.dumps(manifest(info, province, items), ensure_ascii=False, indent=1)
                                    + "\n").encode("utf-8")
    taken = [p.name for p in files if p.exists()]
    if taken:
        raise DataError(f"Thư mục đã có tệp {', '.join(taken)}; hãy chọn một thư mục trống.", Location(file=str(out)))
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            path.write_bytes(data)
    except OSError as exc:
        raise DataError(f"Không ghi được tệp ({exc.strerror}).", Location(file=str(out))) from None
    return list(files)
