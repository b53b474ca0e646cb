"""Benchmark: chiso's xlsx cell reader against python-calamine (issue 23: «use python-calamine if a
percent-style scan keeps "91,48 %" cells exact; measure it against today's reader»).

    .venv/bin/pip install python-calamine   # not a dependency of chiso: only this bench imports it
    .venv/bin/python bench/bench_xlsx_reader.py [--units 5000] [--repeat 7]

calamine returns values only: a cell shown as «91,48 %» comes back as 0.9148, with no number format. To read
what the user sees, a calamine-based reader still has to find the percentage cells itself: the styles part
(``cellXfs`` whose number format holds «%») and every cell's ``s`` attribute in the sheet XML. Timed, each
on the same bytes:

- ``chiso read_xlsx``: today's reader (bounded inflate, cell count, expat, percent styles, merges);
- ``calamine values``: ``CalamineWorkbook.from_filelike(...).to_python()`` on every sheet, nothing else;
- ``calamine + percent scan``: the above, plus chiso's own bounded inflate and cell count (the hostile-file
  limits must stay) and a regex over the sheet XML for the cells whose style is a percentage.

Exactness: every cell of the calamine-based reading is compared with chiso's (a percentage cell × 100,
rounded as chiso rounds). Workbooks: the 5,000-unit canonical sheet of ``bench_import.py`` (no percentage
cells) and the Tây Ninh 02/2023 report (percentage cells: «91,48 %»), repeated to 5,000 rows. Then one row of
the cells users' files do hold that the two read differently (an Excel error, a date, a boolean, padded text).
"""
from __future__ import annotations

import argparse
import datetime
import io
import os
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import load_workbook  # noqa: E402

from chiso import load_rulebook  # noqa: E402
from chiso.io.canonical import canonical_frame, to_xlsx_bytes  # noqa: E402
from chiso.io.cells import column_index  # noqa: E402
from chiso.io.limits import MAX_UNZIPPED, InflateBudget, inflate_chunks  # noqa: E402
from chiso.io.xlsx import _count_sheet, _open, _percent_styles, _workbook_sheets, read_xlsx  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import median_time, units_table  # noqa: E402  (median, best)

ROOT = Path(__file__).resolve().parents[1]
TAY_NINH = ROOT / "sample_data" / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*? s="(\d+)"')


def canonical_workbook(units: int) -> bytes:

    rb = load_rulebook("portal-2026")
    return to_xlsx_bytes(canonical_frame(units_table(units, rb), rb))


def report_workbook(rows: int) -> bytes:
    """The Tây Ninh report with its unit rows repeated to ``rows``, its rate columns («… (%)») stored as
    Excel percentages (0.9148 shown as «91,48 %»), as many provinces' reports do."""
    wb = load_workbook(TAY_NINH)
    ws = wb.worksheets[0]
    header = next(r for r in ws.iter_rows(max_row=10) if r[2].value == "Mã định danh")
    rates = {c.column for c in header if "%" in str(c.value or "")}
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=header[0].row + 1) if r[2].value]
    while ws.max_row < rows:
        for values in body:
            ws.append([v / 100 if i + 1 in rates and isinstance(v, (int, float)) else v for i, v in enumerate(values)])
            for col in rates:
                ws.cell(ws.max_row, col).number_format = "0.00%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def calamine_values(data: bytes):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]


def percent_cells(data: bytes) -> list[tuple[int, int, int]]:
    """(sheet, row, column) of each cell styled as a percentage: chiso's bounded inflate and cell count
    (the hostile-file limits stay), the styles part, and a regex over the sheet XML."""
    budget, found = InflateBudget(MAX_UNZIPPED), []
    with _open(data, "bench.xlsx") as z:
        percent = _percent_styles(z, "bench.xlsx", budget)
        for k, (name, path, _) in enumerate(_workbook_sheets(z, "bench.xlsx", budget)):
            _count_sheet(z, path, name, "bench.xlsx", budget)
            xml = b"".join(inflate_chunks(z, path, budget, "bench.xlsx"))
            found += [(k, int(m.group(2)) - 1, column_index(m.group(1).decode()))
                      for m in _CELL.finditer(xml) if int(m.group(3)) in percent]
    return found


def calamine_with_percent_scan(data: bytes):
    grids = calamine_values(data)
    for k, r, c in percent_cells(data):
        if isinstance(grids[k][r][c], (int, float)):
            grids[k][r][c] = round(grids[k][r][c] * 100.0, 10)
    return grids


def differences(data: bytes) -> list[str]:
    """The first cells where the calamine-based reading differs from chiso's."""
    ours = read_xlsx(data, "bench.xlsx")
    theirs = calamine_with_percent_scan(data)
    diffs: list[str] = []
    for sheet, grid in zip(ours, theirs):
        for r, row in enumerate(sheet.rows):
            for c, a in enumerate(row):
                b = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
                b = None if b == "" else b
                same = a == b or (isinstance(a, float) and isinstance(b, (int, float)) and float(b) == a)
                if not same and len(diffs) < 5:
                    diffs.append(f"{sheet.name}!R{r + 1}C{c + 1}: chiso {a!r}, calamine {b!r}")
    return diffs


def quirks() -> tuple[list[object], list[object]]:
    """One row of cells that real reports hold, as chiso and as calamine read them."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["#DIV/0!", "=1/0", datetime.date(2023, 2, 1), True, "  UBND Phường 1 "])
    wb.active["A1"].data_type = "e"  # an error value, as Excel stores «#DIV/0!» in a report
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    return read_xlsx(data, "bench.xlsx")[0].rows[0], calamine_values(data)[0][0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for label, data in (("canonical", canonical_workbook(args.units)), ("Tây Ninh report", report_workbook(args.units))):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            cells = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
        n = sum(len(row) for sheet in read_xlsx(data, "bench.xlsx") for row in sheet.rows)
        diffs = differences(data)
        print(f"\n{label}: {len(data) / 1e6:.2f} MB xlsx, {cells / 1e6:.1f} MB sheet XML, {n} cells, "
              f"{len(percent_cells(data))} styled as a percentage")
        print(f"  calamine + percent scan vs chiso: {'identical' if not diffs else 'DIFFERENT: ' + '; '.join(diffs)}")
        base = median_time(lambda: read_xlsx(data, "bench.xlsx"), args.repeat)[0]
        print(f"  {'chiso read_xlsx':28s} median {base:6.3f} s")
        for name, fn in (("calamine values", calamine_values), ("calamine + percent scan", calamine_with_percent_scan)):
            med = median_time(lambda: fn(data), args.repeat)[0]
            print(f"  {name:28s} median {med:6.3f} s   ({med / base:.2f}× chiso)")
    ours, theirs = quirks()
    print("\nerror, formula error, date, boolean, padded text:")
    print(f"  chiso    {ours}\n  calamine {theirs}")


if __name__ == "__main__":
    main()
