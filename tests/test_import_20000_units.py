"""The documented 20.000 units per source can be reached: a canonical file of 20.000 units with the published
points of every indicator (the widest canonical layout) fits every limit, as XLSX and as CSV; one unit more
is refused in Vietnamese. (Before: 1.000.000 cells stopped it at about 14.000 units.)"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from chiso import load_rulebook
from chiso.errors import ChisoError
from chiso.io import columns as C
from chiso.io.canonical import canonical_frame, to_csv_bytes, to_xlsx_bytes
from chiso.io.limits import MAX_CELLS, MAX_GRID_ROWS, MAX_UNITS
from chiso.io.tabular import load_tabular
from chiso.rulebook import available_rulebooks

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from bench_import import units_table  # noqa: E402

RB = load_rulebook("portal-2026")


@pytest.mark.parametrize("rb_id", available_rulebooks())
def test_the_widest_canonical_layout_fits_the_cell_limit(rb_id):
    width = len(C.canonical_columns(load_rulebook(rb_id), per_indicator=True)) + 1  # + a column of the user's own
    assert MAX_GRID_ROWS * width <= MAX_CELLS


@pytest.fixture(scope="module")
def full_frame():
    # the synthetic country is scaled up to about the size asked: ask a little more, keep exactly MAX_UNITS
    frame = canonical_frame(units_table(MAX_UNITS + 500, RB), RB, per_indicator=True).head(MAX_UNITS).copy()
    assert len(frame) == MAX_UNITS
    # the official points written too (an empty cell is not a cell in the xlsx): 63 of the 71 columns filled
    for c in (c for c in frame.columns if frame[c].isna().all() and "điểm" in c.lower()):
        frame[c] = 1.5
    return frame


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_20000_units_import(full_frame, fmt):
    data = to_xlsx_bytes(full_frame) if fmt == "xlsx" else to_csv_bytes(full_frame)
    table = load_tabular(f"ca-nuoc-2026-Q3.{fmt}", data, RB)
    assert len(table.frame) == MAX_UNITS and not table.rejected


def test_one_unit_more_is_refused_in_vietnamese(full_frame):
    extra = full_frame.iloc[[0]].assign(**{full_frame.columns[0]: "X.EXTRA"})
    data = to_csv_bytes(pd.concat([full_frame, extra], ignore_index=True))
    with pytest.raises(ChisoError, match="20.000"):
        load_tabular("ca-nuoc-2026-Q3.csv", data, RB)
