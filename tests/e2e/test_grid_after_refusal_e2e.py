"""Số liệu → «Cả bảng» after a refused «Lưu bảng» (issue 22, item 3): the next click on another unit's cell
selects that cell, so what the user types goes there, not into the cell selected before the refusal
(H44.106 went from 10 to 40). The refused cells stay in the grid, to be fixed and saved.

Why it happened: Streamlit's grid drops a click's new selection while it believes the pointer is outside
the grid (it learns otherwise from a pointer move, one render later). Clicking «Lưu bảng» takes the pointer
out; a click that comes straight back (no move drawn over the grid in between: a scroll, a quick hand, a
test's click) selected nothing, and the keys went to the old cell. ui.kept_editor now draws the grid anew
on «Lưu bảng», with every typed cell, and a new grid starts believing the pointer is over it.

Phú Thọ (the default sample), 1366×768: the rows are the province, then its departments and wards; the
first count column is a numerator (0 in the rows used here, so typing 0 puts a cell back) whose
denominator, the next column, is 54."""
from __future__ import annotations

import tempfile

import pytest
from playwright.sync_api import expect

from chiso.edits import editable_keys
from chiso.rulebook import load_rulebook
from chiso.workspace import open_workspace

from conftest import EXPECT_TIMEOUT_MS, free_port, idle, start_server, stop_server, type_in_grid

RB = load_rulebook("portal-2026")
COUNT = editable_keys(RB)[0]  # the grid's first count column (grid column 2, after Mã and Tên)
COL = 2
SOURCE = "sample:phu-tho"  # where the workspace keeps the hand revisions of the Phú Thọ sample


@pytest.fixture
def grid_page(browser):
    """A fresh server with its own database, and a page on «Số liệu» → «Cả bảng» at a laptop's size."""
    db = f"sqlite:///{tempfile.mkdtemp(prefix='chiso-grid-')}/workspace.sqlite3"
    port = free_port()
    proc = start_server(port, env={"CHISO_DATABASE_URL": db})
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        page = ctx.new_page()
        page.set_default_timeout(EXPECT_TIMEOUT_MS)
        page.goto(f"http://127.0.0.1:{port}/data")
        # the first tab's editor drawn and the run over: a click on another tab now is not undone by that run
        expect(page.get_by_role("tabpanel", name="Một đơn vị").locator('[data-testid="data-grid-canvas"]')
               ).to_be_visible()
        idle(page)
        tab = page.get_by_role("tab", name="Cả bảng")
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        expect(cell(page, 0, 0)).to_have_text("H44")
        idle(page)
        yield page, db
    finally:
        ctx.close()
        stop_server(proc)


def canvas(page):
    return page.get_by_role("tabpanel", name="Cả bảng").locator('[data-testid="data-grid-canvas"]')


def cell(page, col: int, row: int):
    """A cell of the grid as drawn: the grid's accessible copy of the cells in view (not displayed itself)."""
    return canvas(page).locator(f'[id="glide-cell-{col}-{row}"]')


def type_cell(page, row: int, value: str, pending: int) -> None:
    """As a user does: click the unit's code in ``row`` once (the click after a refusal is the one that was
    lost), move right to the first count, type (conftest.type_in_grid)."""
    expect(cell(page, 0, row)).to_be_attached()  # the grid (maybe drawn anew) has the row
    type_in_grid(page, canvas(page), row, value, pending, right=COL, click_x=30)


def save(page) -> None:
    page.get_by_role("button", name="Lưu bảng").click()


def refused(page, reason: str) -> None:
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=reason)).to_be_visible()
    idle(page)


def stored(db: str) -> dict[tuple[str, str], float | None]:
    ws = open_workspace(db)
    try:
        return {(r.unit_code, r.key): r.new for r in ws.revisions(SOURCE, RB.id)}
    finally:
        ws.close()


def test_after_a_refused_save_the_next_click_selects_the_clicked_unit_and_the_refused_cells_stay(grid_page):
    page, db = grid_page
    codes = {row: cell(page, 0, row).inner_text() for row in (4, 8)}
    type_cell(page, 1, "-5", pending=1)
    save(page)
    refused(page, "không được âm")
    expect(page.get_by_text("1 ô đã sửa, chưa lưu.")).to_be_visible()  # the refused cell is kept…
    expect(cell(page, COL, 1)).to_have_text("-5")  # …where it was typed

    type_cell(page, 4, "40", pending=2)  # the first click after the refusal: another unit's row
    expect(cell(page, COL, 4)).to_have_text("40")
    expect(cell(page, COL, 1)).to_have_text("-5")
    type_cell(page, 1, "0", pending=1)  # the refused cell fixed: back to its value

    type_cell(page, 6, "60", pending=2)  # more than its denominator (54)
    save(page)
    refused(page, "lớn hơn mẫu số")
    type_cell(page, 8, "7", pending=3)
    expect(cell(page, COL, 8)).to_have_text("7")
    expect(cell(page, COL, 6)).to_have_text("60")
    expect(cell(page, COL, 4)).to_have_text("40")
    type_cell(page, 6, "0", pending=2)

    assert stored(db) == {}, "the refused saves stored nothing"
    save(page)
    expect(page.get_by_text("Đã lưu 2 giá trị nhập tay")).to_be_visible()
    assert stored(db) == {(codes[4], COUNT): 40.0, (codes[8], COUNT): 7.0}
