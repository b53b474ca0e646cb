"""The unit table: what every importer produces and every consumer reads.

``UnitTable.frame`` has one row per unit and period:
- identity: ``unit_code, unit_name, level, parent_code, period``;
- one float column per raw count the rulebooks know (``Input.key``), NaN when the source lacks it;
- official scores where the source has them: ``published_total``, ``published_group__<GROUP>``
  and ``published__<REPORT_CODE>`` (per indicator, or per single-score group).
``UnitTable.provenance`` has the same rows and one column per count present in the frame, saying where
each value came from (given / derived from a rate / assumed / inherited from the province).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from chiso.errors import ChisoError
from chiso.rulebook import LEVELS, Rulebook

ID_COLUMNS = ["unit_code", "unit_name", "level", "parent_code", "period"]
PUBLISHED_TOTAL = "published_total"
GIVEN, DERIVED, ASSUMED, INHERITED = "given", "derived", "assumed", "inherited"
PROVENANCE_VI = {
    GIVEN: "có trong tệp",
    DERIVED: "suy ra từ tỷ lệ × tổng số",
    ASSUMED: "giả định, cần xác nhận",
    INHERITED: "lấy từ cấp tỉnh",
    "entered": "nhập tay",  # chiso.edits.ENTERED: typed in the app, layered over the imported value
}


def published_group_column(group: str) -> str:
    return f"published_group__{group}"


def published_column(report_code: str) -> str:
    return f"published__{report_code}"


@dataclass
class UnitTable:
    """Validated unit data plus where it came from and what was rejected on the way in."""

    frame: pd.DataFrame
    provenance: pd.DataFrame
    source: str = ""
    synthetic: bool = False
    rejected: list[ChisoError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # tabular imports: headers not recognised (the user may map them) and the mapping used (header → field)
    unmapped_columns: list[str] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def periods(self) -> list[str]:
        return sorted(self.frame["period"].dropna().astype(str).unique())

    def for_period(self, period: str | None) -> "UnitTable":
        if period is None:
            return self
        keep = (self.frame["period"].astype(str) == str(period)).to_numpy()
        return replace(
            self,
            frame=self.frame[keep].reset_index(drop=True),
            provenance=self.provenance[keep].reset_index(drop=True),
        )


def empty_provenance(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Provenance 'given' where a count has a value, empty otherwise."""
    prov = pd.DataFrame(index=frame.index)
    for k in keys:
        if k in frame:
            prov[k] = np.where(frame[k].notna(), GIVEN, "")
    return prov


def inherit_from_province(table: UnitTable, rb: Rulebook) -> UnitTable:
    """Fill counts of 'inherited' indicators from the unit's province row where the unit lacks them.

    The portal copies the province's transparency counts to every department and commune; files that
    carry only the province row get the same result here, marked ``inherited``. A file of several
    periods has one province row per period: a unit inherits from its own period's row only.
    """
    frame = table.frame.copy()
    prov = table.provenance.copy()
    is_province = frame["level"] == "province"
    # (code, period) is unique after import; drop_duplicates keeps a hand-made table from failing here
    provinces = frame[is_province].drop_duplicates(["unit_code", "period"]).set_index(["unit_code", "period"])
    if provinces.empty:
        return table
    keys = sorted(
        {k for ind in rb.indicators if "inherited" in ind.policy.values() for k in (ind.numerator, ind.denominator)}
    )
    parent = pd.MultiIndex.from_arrays([frame["parent_code"].where(~is_province), frame["period"]])
    for k in keys:
        if k not in provinces:
            continue
        from_parent = pd.Series(provinces[k].reindex(parent).to_numpy(), index=frame.index)
        fill = frame.get(k, pd.Series(np.nan, index=frame.index)).isna() & from_parent.notna()
        if fill.any():
            frame[k] = frame.get(k, pd.Series(np.nan, index=frame.index)).where(~fill, from_parent)
            prov[k] = prov.get(k, pd.Series("", index=frame.index)).where(~fill, INHERITED)
    return replace(table, frame=frame, provenance=prov)


__all__ = [
    "ID_COLUMNS",
    "LEVELS",
    "PUBLISHED_TOTAL",
    "UnitTable",
    "empty_provenance",
    "inherit_from_province",
    "published_column",
    "published_group_column",
]
