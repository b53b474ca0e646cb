"""Issue 22, items 22, 23 and 30, measured in a real browser.

- 22: the projector view (``?view=projector``) enlarges the indicator tables, the grids (canvas), the charts'
  axes and legends and the inputs, and folds the sidebar into a rail that the pointer opens again (the toggle
  that turns the view off stays one move away).
- 23: the sidebar's selectboxes show their whole value (a one-line ``<input>``: its text must not be wider
  than its box), «(giả lập)» and the period included; a stored dataset's label starts with its period.
- 30: on a phone (390×844) Số liệu's editable column is in view without scrolling sideways, the whole
  table's grid lets one reach and type in an editable cell, and Tổng quan's cohort figures take a few lines,
  so that the units' table starts about one screen down (the stacked cards took two).
Screenshots go to tests/e2e/artifacts/layout/ (look at them).
"""
from __future__ import annotations

import re
import tempfile

import pytest
from playwright.sync_api import expect

from chiso.edits import editable_keys, key_name_vi
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as get_sample
from chiso.workspace import open_workspace

from conftest import EXPECT_TIMEOUT_MS, free_port, start_server, stop_server

PROJECTOR = (1366, 768)
PHONE = (390, 844)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _context(browser, size: tuple[int, int]):
    phone = size[0] < 500
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN",
                              is_mobile=phone, has_touch=phone)
    page = ctx.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    return ctx, page


def _open(page, url: str, heading: str) -> None:
    """The page drawn and idle: heading shown, script finished, no skeleton or stale element left."""
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)


@pytest.fixture(scope="module")
def shots(artifacts):
    out = artifacts / "layout"
    out.mkdir(exist_ok=True)
    return out


# ------------------------------------------------------------------ item 22: the projector view

SIDEBAR_RIGHT = "document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right"


def _sidebar_right(page) -> float:
    return page.evaluate(f"() => {SIDEBAR_RIGHT}")


def test_projector_view_folds_the_sidebar_and_its_toggle_stays_reachable(browser, server_url, shots):
    ctx, page = _context(browser, PROJECTOR)
    try:
        _open(page, f"{server_url}/", "Tổng quan")
        assert _sidebar_right(page) >= 250  # normal view: the sidebar is open
        _open(page, f"{server_url}/?view=projector", "Tổng quan")
        page.screenshot(path=str(shots / "projector-folded.png"))
        assert _sidebar_right(page) <= 30, "the projector view keeps the sidebar open"
        main = page.locator('[data-testid="stMain"]').bounding_box()
        assert main["x"] <= 30 and main["width"] >= PROJECTOR[0] - 30, main  # the page takes the room
        toggle = page.get_by_text("Chế độ trình chiếu", exact=True)
        page.mouse.move(10, PROJECTOR[1] / 2)  # the pointer on the rail opens it again (Streamlit slides it)
        page.wait_for_function(f"() => {SIDEBAR_RIGHT} >= 250")
        expect(toggle).to_be_in_viewport(ratio=1)
        page.screenshot(path=str(shots / "projector-opened.png"))
        toggle.click()  # the view turns off from there
        page.wait_for_selector(IDLE)
        expect(page).not_to_have_url(re.compile("view=projector"))
        page.mouse.move(PROJECTOR[0] - 10, PROJECTOR[1] / 2)  # away from the sidebar: it stays open
        expect(page.locator('[data-testid="stSidebar"]')).to_have_css("position", "relative")
        page.wait_for_function(f"() => {SIDEBAR_RIGHT} >= 250")
    finally:
        ctx.close()


GRID_JS = """() => { const c = document.querySelector('[data-testid="stDataFrame"] canvas');
  const m = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  const r = c.getBoundingClientRect(); return [r.width / c.offsetWidth, r.right - m.right]; }"""


def _px(page, selector: str) -> float:
    return page.evaluate("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector)


def _measure(page, server_url: str, view: str) -> dict[str, float]:
    """Sizes a projector audience reads: the units' grid (canvas: its drawn scale), a text box, a selectbox,
    an indicator table's cells, a chart's axis ticks and legend, a slider's thumb."""
    got: dict[str, float] = {}
    _open(page, f"{server_url}/{view}", "Tổng quan")
    got["grid scale"], overflow = page.evaluate(GRID_JS)
    assert overflow <= 1, f"the grid is wider than the page's column by {overflow} px"
    got["text box"] = _px(page, '.st-key-ov_search input')
    got["selectbox"] = _px(page, '[data-testid="stMain"] [data-testid="stSelectbox"] input')
    _open(page, f"{server_url}/unit{view}", "Đơn vị")
    got["indicator table"] = _px(page, '.chiso-table td')
    _open(page, f"{server_url}/guide{view}", "Học chỉ số")
    page.get_by_role("tab", name=re.compile("Đường cong điểm")).click()
    expect(page.locator('[data-testid="stPlotlyChart"] .xtick text').first).to_be_visible()
    got["axis ticks"] = _px(page, '[data-testid="stPlotlyChart"] .xtick text')
    got["legend"] = _px(page, '[data-testid="stPlotlyChart"] .legendtext')
    _open(page, f"{server_url}/simulate{view}", "Mô phỏng")
    thumb = page.locator('[data-testid="stSlider"] [style*="translate"]').first
    got["slider thumb"] = thumb.bounding_box()["width"]
    return got


def test_projector_view_enlarges_tables_charts_and_inputs(browser, server_url, shots):
    sizes = {}
    for view in ("", "?view=projector"):
        ctx, page = _context(browser, PROJECTOR)
        try:
            sizes[view] = _measure(page, server_url, view)
            page.screenshot(path=str(shots / f"sizes{view.replace('?view=', '-') or '-normal'}.png"))
        finally:
            ctx.close()
    normal, big = sizes[""], sizes["?view=projector"]
    small = {k: (normal[k], big[k]) for k in normal if big[k] < 1.2 * normal[k]}
    assert not small, f"not larger in the projector view (normal, projector): {small}"


# ------------------------------------------------------------------ item 23: the sidebar's labels

SELECTS_JS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')]
  .map(i => [i.value, i.scrollWidth, i.clientWidth])"""


@pytest.mark.parametrize("size", [PROJECTOR, (1920, 1080)], ids=["1366", "1920"])
def test_sidebar_boxes_show_the_whole_synthetic_sample_and_rulebook(browser, server_url, shots, size):
    ctx, page = _context(browser, size)
    try:
        _open(page, f"{server_url}/?src=phu-tho-q2-gia-lap&rb=qd766-2022", "Tổng quan")
        boxes = page.evaluate(SELECTS_JS)
        page.locator('[data-testid="stSidebar"]').screenshot(path=str(shots / f"sidebar-{size[0]}.png"))
    finally:
        ctx.close()
    values = [v for v, _, _ in boxes]
    assert any("quý 2/2026 (giả lập)" in v for v in values), values
    assert any(v.startswith("QĐ 766") for v in values), values
    cut = [(v, sw, cw) for v, sw, cw in boxes if sw > cw]
    assert not cut, f"text wider than its box (value, text px, box px): {cut}"


@pytest.fixture(scope="module")
def stored_server(browser):
    """A server whose workspace holds one stored dataset: the Phú Thọ sample's synthetic quarter 2."""
    db = f"sqlite:///{tempfile.mkdtemp(prefix='chiso-layout-')}/workspace.sqlite3"
    s = get_sample("phu-tho-q2-gia-lap")
    table = load_sample(s, load_rulebook(s.rulebook))
    table.source = "Cổng DVCQG · Phú Thọ"  # as a collection names it (chiso.collect.run)
    ws = open_workspace(db)
    try:
        ws.import_table(table, "layout-test", "layout-test", s.rulebook)
    finally:
        ws.close()
    port = free_port()
    proc = start_server(port, env={"CHISO_DATABASE_URL": db})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


def test_a_stored_dataset_shows_its_period_and_synthetic_mark_in_the_sidebar(browser, stored_server, shots):
    """«Đã lưu: Cổng DVCQG · Phú Thọ — kỳ 2026-Q2» was cut at «…kỳ 202»: the period (and «giả lập») come
    first, inside the box; only the end of a long source name may give way."""
    ctx, page = _context(browser, PROJECTOR)
    try:
        _open(page, stored_server, "Tổng quan")
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        box.locator("input").focus()
        page.keyboard.press("ArrowDown")
        page.get_by_role("option", name=re.compile("^Đã lưu")).click()
        page.wait_for_selector(IDLE)
        field = box.locator("input")
        expect(field).to_have_value(re.compile(r"^Đã lưu: kỳ 2026-Q2 \(giả lập\) · Cổng DVCQG · Phú Thọ$"))
        page.locator('[data-testid="stSidebar"]').screenshot(path=str(shots / "sidebar-stored.png"))
        seen = page.evaluate("""i => { const c = document.createElement('canvas').getContext('2d');
          c.font = getComputedStyle(i).font; const pad = parseFloat(getComputedStyle(i).paddingLeft);
          return i.clientWidth - pad - c.measureText(i.value.split(' · ')[0]).width; }""", field.element_handle())
    finally:
        ctx.close()
    assert seen >= 0, f"the period and «(giả lập)» overflow the box by {-seen:.0f} px"


# ------------------------------------------------------------------ item 30: a phone

HEADERS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] th[role=columnheader]')]
  .map(t => t.textContent)"""
SCROLL_JS = "() => document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller').scrollLeft"


def _open_cell_editor(page, column: int) -> tuple[dict, float]:
    """Select the grid's first row, first cell, move right to ``column`` with the keyboard and open its editor:
    the editor's box (where the cell is drawn) and how far the grid had to scroll sideways to show it."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 8, box["y"] + 35 + 17)  # header and rows are 35 px
    expect(page.locator('[data-testid="stDataFrame"] td[aria-selected="true"]')).to_have_count(1)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator(".gdg-style").first
    expect(editor).to_be_visible()
    return editor.bounding_box(), page.evaluate(SCROLL_JS)


def test_phone_unit_editor_shows_the_new_value_column(browser, server_url, shots):
    ctx, page = _context(browser, PHONE)
    try:
        _open(page, f"{server_url}/data", "Số liệu")
        expect(page.locator('[data-testid="stDataFrame"] th[role=columnheader]').first).to_be_attached()
        headers = page.evaluate(HEADERS_JS)  # glide lists the columns it draws in view
        assert "Giá trị mới" in headers, f"in view on a phone: {headers}"
        editor, scrolled = _open_cell_editor(page, headers.index("Giá trị mới"))
        page.screenshot(path=str(shots / "phone-so-lieu-mot-don-vi.png"))
    finally:
        ctx.close()
    assert scrolled == 0, f"the grid scrolled {scrolled} px sideways to show «Giá trị mới»"
    assert editor["x"] >= 0 and editor["x"] + editor["width"] <= PHONE[0], editor


def test_phone_whole_table_reaches_an_editable_cell(browser, server_url, shots):
    """Mã and Tên, pinned at their full width, filled a phone's grid: no count column could be seen or typed in."""
    rb = load_rulebook(get_sample("phu-tho").rulebook)
    first = key_name_vi(rb, editable_keys(rb)[0])
    ctx, page = _context(browser, PHONE)
    try:
        _open(page, f"{server_url}/data", "Số liệu")
        page.get_by_role("tab", name="Cả bảng").click()
        page.wait_for_selector(IDLE)
        expect(page.get_by_role("button", name="Lưu bảng")).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"] th[role=columnheader]').first).to_have_text("Mã đơn vị")
        headers = page.evaluate(HEADERS_JS)
        assert first in headers, f"in view on a phone: {headers}"
        editor, _ = _open_cell_editor(page, headers.index(first))
        page.locator("textarea.gdg-input").fill("5")
        page.keyboard.press("Enter")
        page.screenshot(path=str(shots / "phone-so-lieu-ca-bang.png"))
        expect(page.get_by_text("1 ô đã sửa, chưa lưu")).to_be_visible()
    finally:
        ctx.close()
    assert editor["x"] >= 0 and editor["x"] + editor["width"] <= PHONE[0] and editor["width"] >= 100, editor


def test_phone_overview_cohorts_take_a_few_lines_before_the_table(browser, server_url, shots):
    ctx, page = _context(browser, PHONE)
    try:
        _open(page, f"{server_url}/", "Tổng quan")
        page.screenshot(path=str(shots / "phone-tong-quan.png"))
        top = page.locator('[data-testid="stDataFrame"]').first.bounding_box()["y"]
        medians = page.get_by_text("Trung vị", exact=True)
        shown = [medians.nth(n) for n in range(medians.count()) if medians.nth(n).is_visible()]
    finally:
        ctx.close()
    assert shown, "the cohorts' medians are not shown on a phone"
    assert top <= 1.1 * PHONE[1], f"the units' table starts {top:.0f} px down ({top / PHONE[1]:.1f} screens)"


def test_desktop_overview_keeps_the_cohort_cards(browser, server_url):
    ctx, page = _context(browser, PROJECTOR)
    try:
        _open(page, f"{server_url}/", "Tổng quan")
        cards = page.locator('[data-testid="stMetric"]').filter(has_text="Trung vị")
        expect(cards.first).to_be_visible()
        assert cards.count() == 3  # one per cohort: province, departments, communes
        expect(page.locator(".chiso-table")).to_have_count(1)  # the phone's summary is in the page, hidden
        expect(page.locator(".chiso-table")).to_be_hidden()
    finally:
        ctx.close()
