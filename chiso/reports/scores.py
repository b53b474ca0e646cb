"""Long-format score rows: one row per unit × reported indicator, plus one TOTAL row per unit.

Indicators are reported under the portal's code; a group the portal publishes as a single score
(``ONLINE_SERVICES_GROUP``, ``ONLINE_PAYMENT_GROUP``) is one row whose points are the sum of its
rounded components. This is what the CLI prints and what fidelity checks compare.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from chiso.engine import Scores, round_half_up
from chiso.io.canonical import neutralise
from chiso.units import PUBLISHED_TOTAL, published_column

COLUMNS = [
    "unit_code",
    "unit_name",
    "level",
    "period",
    "group",
    "indicator",
    "numerator",
    "denominator",
    "points",
    "max_points",
    "published_points",
]
TOTAL = "TOTAL"


def score_rows(frame: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    rb = scores.rulebook
    parts = []
    report_codes = list(dict.fromkeys(ind.report_code for ind in rb.indicators))
    n = len(frame)
    for code in report_codes:
        members = [k for k, ind in enumerate(rb.indicators) if ind.report_code == code]
        pts = scores.points[:, members]
        single = len(members) == 1
        parts.append(
            pd.DataFrame(
                {
                    "row": np.arange(n),
                    "group": rb.indicators[members[0]].group,
                    "indicator": code,
                    "numerator": scores.numerator[:, members[0]] if single else np.nan,
                    "denominator": scores.denominator[:, members[0]] if single else np.nan,
                    "points": round_half_up(pts.sum(axis=1)),  # NaN if any member is missing
                    "max_points": rb.compiled.max[members].sum(),
                    "published_points": _published(frame, published_column(code)),
                }
            )
        )
    parts.append(
        pd.DataFrame(
            {
                "row": np.arange(n),
                "group": TOTAL,
                "indicator": TOTAL,
                "numerator": np.nan,
                "denominator": np.nan,
                "points": scores.total,
                "max_points": 100.0,
                "published_points": _published(frame, PUBLISHED_TOTAL),
            }
        )
    )
    rows = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    ident = frame.reindex(columns=["unit_code", "unit_name", "level", "period"]).reset_index(drop=True)
    out = ident.iloc[rows["row"].to_numpy()].reset_index(drop=True)
    out = pd.concat([out, rows.drop(columns="row").reset_index(drop=True)], axis=1)
    return out[COLUMNS]


def _published(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def fidelity(rows: pd.DataFrame, tolerance: float = 0.01) -> pd.DataFrame:
    """Rows where a published value exists and the recomputed one differs (or cannot be computed)."""
    has = rows["published_points"].notna() & (rows["indicator"] != TOTAL)
    diff = (rows["points"] - rows["published_points"]).abs()
    bad = has & ~(diff <= tolerance + 1e-9)
    return rows[bad]


def csv_text(rows: pd.DataFrame) -> str:
    """The rows as CSV for spreadsheets: text cells neutralised like the Excel exports (a unit named
    ``=HYPERLINK(…)`` must not become a live formula when the CSV is opened in Excel)."""
    safe = rows.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False, float_format="%.6g")
