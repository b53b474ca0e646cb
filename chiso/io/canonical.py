"""Write unit data in the canonical format (CSV for Excel in vi-VN, or XLSX), safely.

CSV: UTF-8 with BOM, ";" separator, decimal comma, no thousands separator — what Excel in a Vietnamese
locale opens directly, and what ``chiso.io.tabular`` reads back exactly (floats keep all digits, so a
derived count such as 290,6508 survives the round trip). Text cells that a spreadsheet would run as a
formula (= + - @ tab CR) are prefixed with an apostrophe, which the importer removes again.
"""
from __future__ import annotations

import csv
import io
import math
import re

import numpy as np
import pandas as pd

from chiso.io import columns as C
from chiso.fmt import fmt_exact
from chiso.io.cells import FORMULA_LEADS
from chiso.rulebook import Rulebook
from chiso.units import UnitTable

SHEET_DATA = "Dữ liệu"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not storable in xlsx; dropped from text cells


def neutralise(text: str) -> str:
    """Formula-injection guard for exported text cells."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def canonical_frame(table: UnitTable, rb: Rulebook, per_indicator: bool | None = None) -> pd.DataFrame:
    """The table's columns in canonical order under their Vietnamese headers (values unformatted).

    Every rulebook input and score column is present (empty when the table lacks it); extra columns
    (overdue counts, change vs last period, synthetic marker) only when the table has them.
    """
    f = table.frame
    if per_indicator is None:
        per_indicator = any(str(c).startswith("published__") for c in f.columns)
    cols = C.canonical_columns(rb, per_indicator=per_indicator)
    extras = [c for c in C.extra_columns() if c.key in f.columns and c.key != C.SYNTHETIC]
    out = pd.DataFrame(index=f.index)
    for col in cols + extras:
        if col.key == C.LEVEL:
            out[col.header] = f[C.LEVEL].map(C.LEVEL_VALUES_VI).fillna(f[C.LEVEL]) if C.LEVEL in f else ""
        elif col.key in f:
            out[col.header] = f[col.key]
        else:
            out[col.header] = np.nan if col.kind in ("count", "score", "extra") else ""
    if table.synthetic:
        out[C.EXTRA_HEADERS[C.SYNTHETIC]] = "có"
    return out.reset_index(drop=True)


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool):
        x = float(v)
        return "" if math.isnan(x) else fmt_exact(x)
    if isinstance(v, str):
        return neutralise(v)
    return neutralise(str(v))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([neutralise(str(h)) for h in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        w.writerow([_cell_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = SHEET_DATA) -> bytes:
    """A plain one-sheet workbook (write-only mode: fast for thousands of units)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "C2"
    bold = Font(bold=True)
    header = []
    for h in frame.columns:
        cell = WriteOnlyCell(ws, value=_xlsx_value(str(h)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool):
        x = float(v)
        return None if math.isnan(x) else (int(x) if x == int(x) and abs(x) < 1e15 else x)
    return neutralise(_CONTROL.sub("", str(v)))


def write_canonical(table: UnitTable, rb: Rulebook, path: str, per_indicator: bool | None = None) -> None:
    """Write ``table`` to ``path`` (.csv or .xlsx) in the canonical format."""
    frame = canonical_frame(table, rb, per_indicator)
    data = to_xlsx_bytes(frame) if str(path).lower().endswith(".xlsx") else to_csv_bytes(frame)
    with open(path, "wb") as fh:
        fh.write(data)
