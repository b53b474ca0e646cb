"""Sheet helpers shared by the Excel workbooks.

- Numbers stay numeric in Excel (number formats do the Vietnamese display in a vi-VN Excel);
  an empty count stays an empty cell, never 0.
- Every text cell that can carry user data (unit names, scenario names, file names) goes through
  ``safe_text``: a leading = + - @ tab or CR would make Excel run it as a formula.
- The rulebook version is named on every sheet.
"""
from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chiso.reports.meta import ExportMeta

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
POINTS, RATE, COUNT, RANK = "0.00", "0.00%", "#,##0", "0"
# a count derived from a published rate × total (290,6508) is not a whole number: shown with its decimals
# and labelled, instead of an integer format that would print a count that is not in the data
DERIVED_COUNT = '#,##0.0000" (suy ra)"'

_HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")


def safe_text(value: object) -> str:
    """Text for a spreadsheet cell: a leading formula character is neutralised with an apostrophe."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def num(x: object) -> float | None:
    """A numeric cell value; NaN and None become an empty cell (missing is not zero)."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


class Sheet:
    """Append rows with per-column number formats; header rows are bold and filled."""

    def __init__(self, wb: Workbook, title: str, meta: ExportMeta, first: bool = False):
        self.ws = wb.active if first else wb.create_sheet()
        self.ws.title = title
        self.widths: dict[int, int] = {}
        self.r = 0
        self.row([f"Bộ quy tắc tính điểm (phiên bản): {meta.rulebook_vi}"], bold=True)
        for note in meta.notes:
            self.row([note])

    def row(self, values: list, formats: list[str | None] | None = None, bold: bool = False,
            head: bool = False) -> int:
        self.r += 1
        r = self.r
        for c, v in enumerate(values, start=1):
            cell = self.ws.cell(row=r, column=c)
            if isinstance(v, str):
                cell.value = safe_text(v)
                self.widths[c] = max(self.widths.get(c, 8), min(len(v) + 2, 60))
            else:
                cell.value = num(v) if v is not None else None
                fmt = formats[c - 1] if formats and c - 1 < len(formats) else None
                if fmt and cell.value is not None:
                    cell.number_format = DERIVED_COUNT if fmt == COUNT and not float(cell.value).is_integer() else fmt
            if bold or head:
                cell.font = Font(bold=True)
            if head:
                cell.fill = _HEAD_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        return r

    def blank(self) -> None:
        self.r += 1

    def table(self, headers: list[str], rows: list[list], formats: list[str | None],
              by_row: list[str] | None = None) -> None:
        """``formats`` per column; or ``by_row``: one number format per row, for its cells after the label."""
        top = self.row(headers, head=True)
        for n, values in enumerate(rows):
            self.row(values, formats if by_row is None else [None] + [by_row[n]] * (len(values) - 1))
        self.ws.freeze_panes = self.ws.cell(row=top + 1, column=1)

    def finish(self) -> None:
        for c, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = max(10, min(w, 60))


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
