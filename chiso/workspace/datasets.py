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
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from chiso.errors import ChisoError, DataError, Location, RulebookError
from chiso.units import ID_COLUMNS, UnitTable
from chiso.workspace.errors import NotFoundError
from chiso.workspace.models import Count, Dataset, Unit
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
        return f"dataset:{self.id}"


def info(row: Dataset) -> DatasetInfo:
    return DatasetInfo(
        row.id, row.source, row.source_label, row.content_hash, row.period, row.rulebook, row.synthetic, _utc(row.imported_at)
    )


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes


def content_hash(paths: list[str | Path]) -> str:
    """SHA-256 over every file's name and bytes (a folder: its files in sorted order)."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes())
    return h.hexdigest()


def write_dataset(s: Session, table: UnitTable, source: str, digest: str, period: str, rulebook: str) -> int:
    """Store ``table`` as the dataset of this source, period and rulebook; return its id.

    Re-importing replaces the units and counts but keeps the dataset's id, so that hand revisions and
    saved items keyed ``dataset:<id>`` still point at it (on every backend).
    """
    check_table(table, source)
    ds = s.scalars(
        select(Dataset).where(Dataset.source == source, Dataset.period == period, Dataset.rulebook == rulebook)
    ).one_or_none()
    if ds is None:
        ds = Dataset(source=source, period=period, rulebook=rulebook)
        s.add(ds)
    else:
        s.execute(delete(Unit).where(Unit.dataset_id == ds.id))
    ds.source_label = table.source
    ds.content_hash = digest
    ds.synthetic = bool(table.synthetic)
    ds.columns_json = json.dumps([[c, str(t)] for c, t in table.frame.dtypes.items()], ensure_ascii=False)
    ds.provenance_columns_json = json.dumps(list(table.provenance.columns), ensure_ascii=False)
    ds.meta_json = json.dumps(_meta(table), ensure_ascii=False)
    ds.imported_at = datetime.now(timezone.utc)
    s.flush()
    _write_units(s, ds.id, table)
    return ds.id


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


def _write_units(s: Session, dataset_id: int, table: UnitTable) -> None:
    frame, prov = table.frame, table.provenance
    ids = [c for c in ID_COLUMNS if c in frame]
    texts = _text_columns(frame)
    cells = {c: [_cell(v) for v in frame[c].tolist()] for c in ids + texts}  # column-wise: fast on 4.000 units
    units = [
        {
            "dataset_id": dataset_id,
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


def read_dataset(s: Session, dataset_id: int) -> UnitTable:
    ds = s.get(Dataset, dataset_id)
    if ds is None:
        raise NotFoundError(f"Không còn bộ số liệu số {dataset_id} trong cơ sở dữ liệu làm việc.")
    columns: list[list[str]] = json.loads(ds.columns_json)
    units = s.execute(select(Unit).where(Unit.dataset_id == ds.id).order_by(Unit.row_no)).scalars().all()
    index = {u.id: i for i, u in enumerate(units)}
    n = len(units)
    data: dict[str, np.ndarray | list] = {}
    extra = [json.loads(u.extra_json) for u in units]
    numeric: dict[str, np.ndarray] = {}
    prov: dict[str, np.ndarray] = {c: np.full(n, "", dtype=object) for c in json.loads(ds.provenance_columns_json)}
    counts = s.execute(
        select(Count.unit_id, Count.key, Count.value, Count.provenance).join(Unit).where(Unit.dataset_id == ds.id)
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
