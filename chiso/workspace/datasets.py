"""Store a UnitTable as rows (dataset → units → counts) and read it back exactly.

Exact means: the same columns in the same order with the same dtypes, the same float values (NaN
included), the same provenance, warnings, rejected rows and column mapping. Numeric cells are stored
as 8-byte floats, NULL for NaN; a count row exists when the cell has a value or a provenance.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from chiso.source_key import SourceKey
from chiso.errors import ChisoError, DataError, Location, RulebookError
from chiso.units import ID_COLUMNS, UnitTable
from chiso.fmt import fmt_time
from chiso.workspace.errors import NotFoundError, WorkspaceError
from chiso.workspace.models import Count, Dataset, DatasetVersion, Unit, utc
from chiso.workspace.validate import check_table


@dataclass(frozen=True)
class DatasetInfo:
    """What a list of stored datasets shows (no units loaded)."""

    id: int
    source: str
    source_label: str
    content_hash: str
    period: str
    rulebook: str
    synthetic: bool
    imported_at: datetime

    @property
    def source_key(self) -> str:
        return str(SourceKey.dataset(self.id))


def info(row: Dataset) -> DatasetInfo:
    return DatasetInfo(
        row.id, row.source, row.source_label, row.content_hash, row.period, row.rulebook, row.synthetic, utc(row.imported_at)
    )




def content_hash(paths: list[str | Path]) -> str:
    """SHA-256 over every file's name and bytes (a folder: its files in sorted order)."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes())
    return h.hexdigest()


class DatasetExistsError(WorkspaceError):
    """This source and period are stored already; the caller asks, then saves a new version."""


def find_dataset(s: Session, source: str, period: str, rulebook: str) -> Dataset | None:
    return s.scalars(
        select(Dataset).where(Dataset.source == source, Dataset.period == period, Dataset.rulebook == rulebook)
    ).one_or_none()


def write_dataset(s: Session, table: UnitTable, source: str, digest: str, period: str, rulebook: str,
                  by: str = "", new_version: bool = False) -> int:
    """Store ``table`` as the dataset of this source, period and rulebook; return its id.

    A source and period stored already are never replaced silently: the same content is a no-op, other
    content is refused (``DatasetExistsError``) unless the caller asked for a new version, which becomes the
    one in use while the old ones stay restorable. The dataset's id never changes, so hand revisions and
    saved items keyed ``dataset:<id>`` keep pointing at it.
    """
    check_table(table, source)  # before the database: both backends refuse the same things, in Vietnamese
    ds = find_dataset(s, source, period, rulebook)
    if ds is not None and ds.content_hash == digest:
        return ds.id
    if ds is not None and not new_version:
        raise DatasetExistsError(
            f"Đã có bộ số liệu «{source}» kỳ {period} (phiên bản {ds.version}, lưu lúc "
            f"{fmt_time(utc(ds.imported_at))}{' bởi ' + ds.imported_by if ds.imported_by else ''}). Lưu tệp này "
            "thành phiên bản mới? Phiên bản cũ vẫn được giữ và có thể khôi phục."
        )
    if ds is None:
        ds = Dataset(source=source, period=period, rulebook=rulebook, version=0)
        s.add(ds)
    version = (s.scalar(select(func.max(DatasetVersion.version)).where(DatasetVersion.dataset_id == ds.id))
               if ds.id else None) or 0
    header = {
        "source_label": table.source,
        "content_hash": digest,
        "synthetic": bool(table.synthetic),
        "columns_json": json.dumps([[c, str(t)] for c, t in table.frame.dtypes.items()], ensure_ascii=False),
        "provenance_columns_json": json.dumps(list(table.provenance.columns), ensure_ascii=False),
        "meta_json": json.dumps(_meta(table), ensure_ascii=False),
        "imported_at": datetime.now(timezone.utc),
        "imported_by": by[:200],
    }
    _set_header(ds, header, version + 1)
    s.flush()
    s.add(DatasetVersion(dataset_id=ds.id, version=version + 1, **header))
    _write_units(s, ds.id, version + 1, table)
    return ds.id


def _set_header(ds: Dataset, header: dict, version: int) -> None:
    for k, v in header.items():
        setattr(ds, k, v)
    ds.version = version


@dataclass(frozen=True)
class VersionInfo:
    version: int
    source_label: str
    content_hash: str
    imported_at: datetime
    imported_by: str
    in_use: bool


def versions(s: Session, dataset_id: int) -> list[VersionInfo]:
    ds = _dataset(s, dataset_id)
    rows = s.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset_id)
                     .order_by(DatasetVersion.version.desc()))
    return [VersionInfo(v.version, v.source_label, v.content_hash, utc(v.imported_at), v.imported_by,
                        v.version == ds.version) for v in rows]


def use_version(s: Session, dataset_id: int, version: int) -> Dataset:
    """Make a stored version the one in use again (its units were never deleted)."""
    ds = _dataset(s, dataset_id)
    v = s.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset_id,
                                               DatasetVersion.version == version)).one_or_none()
    if v is None:
        raise NotFoundError(f"Bộ số liệu số {dataset_id} không có phiên bản {version}.")
    header = {c: getattr(v, c) for c in ("source_label", "content_hash", "synthetic", "columns_json",
                                         "provenance_columns_json", "meta_json", "imported_at", "imported_by")}
    _set_header(ds, header, version)
    return ds


def _header(s: Session, ds: Dataset, version: int | None) -> Dataset | DatasetVersion:
    if version is None or version == ds.version:
        return ds
    v = s.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == ds.id,
                                               DatasetVersion.version == version)).one_or_none()
    if v is None:
        raise NotFoundError(f"Bộ số liệu số {ds.id} không có phiên bản {version}.")
    return v


def _dataset(s: Session, dataset_id: int) -> Dataset:
    ds = s.get(Dataset, dataset_id)
    if ds is None:
        raise NotFoundError(f"Không còn bộ số liệu số {dataset_id} trong cơ sở dữ liệu làm việc.")
    return ds


def parents(s: Session, dataset_id: int) -> dict[str, str | None]:
    """Each unit's parent code in the version in use (for the rights of cán bộ tổng hợp)."""
    ds = _dataset(s, dataset_id)
    q = select(Unit.unit_code, Unit.parent_code).where(Unit.dataset_id == ds.id, Unit.version == ds.version)
    return {str(c): p for c, p in s.execute(q) if c is not None}


def _meta(table: UnitTable) -> dict:
    return {
        "warnings": list(table.warnings),
        "rejected": [
            {"type": type(e).__name__, "message": e.message, **{k: getattr(e.location, k) for k in _LOC}}
            for e in table.rejected
        ],
        "unmapped_columns": list(table.unmapped_columns),
        "column_map": dict(table.column_map),
    }


_LOC = ("file", "sheet", "row", "column")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ID_COLUMNS and not pd.api.types.is_numeric_dtype(frame[c].dtype)]


def _cell(v) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v)


def _write_units(s: Session, dataset_id: int, version: int, table: UnitTable) -> None:
    frame, prov = table.frame, table.provenance
    ids = [c for c in ID_COLUMNS if c in frame]
    texts = _text_columns(frame)
    cells = {c: [_cell(v) for v in frame[c].tolist()] for c in ids + texts}  # column-wise: fast on 4.000 units
    units = [
        {
            "dataset_id": dataset_id,
            "version": version,
            "row_no": i,
            **{c: cells[c][i] for c in ids},
            "extra_json": json.dumps({c: cells[c][i] for c in texts}, ensure_ascii=False),
        }
        for i in range(len(frame))
    ]
    unit_ids = list(s.scalars(insert(Unit).returning(Unit.id, sort_by_parameter_order=True), units))
    numeric = [c for c in frame.columns if c not in ids and c not in texts]
    values = {c: frame[c].to_numpy(dtype=float, na_value=np.nan) for c in numeric}
    provs = {c: prov[c].fillna("").astype(str).to_numpy() for c in prov.columns}
    rows = []
    for c in dict.fromkeys(numeric + list(prov.columns)):
        vals = values.get(c)
        pv = provs.get(c)
        for i, uid in enumerate(unit_ids):
            v = None if vals is None or np.isnan(vals[i]) else float(vals[i])
            p = "" if pv is None else pv[i]
            if v is not None or p:
                rows.append({"unit_id": uid, "key": c, "value": v, "provenance": p})
    for start in range(0, len(rows), 20_000):  # bounded batches: a national set has ~200k cells
        s.execute(Count.__table__.insert(), rows[start : start + 20_000])  # Core executemany: no ORM per row


def read_dataset(s: Session, dataset_id: int, version: int | None = None) -> UnitTable:
    """The version in use, or an earlier ``version`` (each keeps its own header and units)."""
    ds = _header(s, _dataset(s, dataset_id), version)
    columns: list[list[str]] = json.loads(ds.columns_json)
    mine = (Unit.dataset_id == dataset_id) & (Unit.version == ds.version)
    units = s.execute(select(Unit).where(mine).order_by(Unit.row_no)).scalars().all()
    index = {u.id: i for i, u in enumerate(units)}
    n = len(units)
    data: dict[str, np.ndarray | list] = {}
    extra = [json.loads(u.extra_json) for u in units]
    numeric: dict[str, np.ndarray] = {}
    prov: dict[str, np.ndarray] = {c: np.full(n, "", dtype=object) for c in json.loads(ds.provenance_columns_json)}
    counts = s.execute(
        select(Count.unit_id, Count.key, Count.value, Count.provenance).join(Unit).where(mine)
    )
    for uid, key, value, provenance in counts:
        i = index[uid]
        if value is not None:
            if key not in numeric:
                numeric[key] = np.full(n, np.nan)
            numeric[key][i] = value
        if key in prov:
            prov[key][i] = provenance
    for name, dtype in columns:
        if name in ID_COLUMNS:
            data[name] = [getattr(u, name) for u in units]
        elif name in numeric or _is_numeric(dtype):
            data[name] = numeric.get(name, np.full(n, np.nan))
        else:
            data[name] = [e.get(name) for e in extra]
    frame = pd.DataFrame(data, columns=[c for c, _ in columns])
    frame = frame.astype({c: t for c, t in columns})
    meta = json.loads(ds.meta_json)
    return UnitTable(
        frame=frame,
        provenance=_provenance(prov, frame.index),
        source=ds.source_label,
        synthetic=ds.synthetic,
        rejected=[_error(r) for r in meta.get("rejected", [])],
        warnings=list(meta.get("warnings", [])),
        unmapped_columns=list(meta.get("unmapped_columns", [])),
        column_map=dict(meta.get("column_map", {})),
    )


def _is_numeric(dtype: str) -> bool:
    return dtype.startswith(("float", "int", "uint", "Float", "Int", "UInt", "bool"))


def _error(r: dict) -> ChisoError:
    cls = {"DataError": DataError, "RulebookError": RulebookError}.get(r.get("type", ""), ChisoError)
    return cls(r.get("message", ""), Location(**{k: r.get(k) for k in _LOC}))


def _provenance(prov: dict[str, np.ndarray], index: pd.Index) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    for c, v in prov.items():
        out[c] = pd.Series(v, index=index, dtype="str")
    return out
