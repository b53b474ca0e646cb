"""Tổng quan in a real browser: a click on a unit's name in the table opens that unit (issue 22.13: only the
small selection checkbox did, though the caption says «Bấm vào một dòng để mở đơn vị đó»)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from chiso.calibration import baseline, published_total
from chiso.cohort import ranking_table
from chiso.engine import level_index
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import available_samples, load_sample

ROW_PX = 35  # Streamlit's grid: header and rows


def first_row_name() -> str:
    """The name in the table's first row, ordered as Tổng quan orders it (level, rank, name)."""
    s = available_samples()[0]
    rb = load_rulebook(s.rulebook)
    t = load_sample(s, rb)
    lvl = level_index(t.frame["level"])
    table = ranking_table(baseline(t, rb), t.frame, lvl, published_total(t.frame))
    table = table.assign(_o=table["level"].map(LEVELS.index)).sort_values(["_o", "rank", "unit_name"])
    return str(table["unit_name"].iloc[0])


def test_a_click_on_a_units_name_opens_it(page, server_url):
    name = first_row_name()
    page.goto(server_url)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    # the first data row, inside «Tên đơn vị» (after the selection checkbox column), as a user clicks it
    page.mouse.click(box["x"] + 150, box["y"] + ROW_PX + ROW_PX / 2)
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Đơn vị").locator("input")
    expect(picker).to_have_value(re.compile("^" + re.escape(name) + " — "))
