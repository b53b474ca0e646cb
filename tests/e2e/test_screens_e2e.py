"""Every page at a projector (1366×768), a desktop (1920×1080) and a phone (390×844), and in the trainers'
projector view at 1366×768: nothing cut, no English.

Screenshots go to tests/e2e/artifacts/screens/ (look at them: canvas tables such as st.dataframe are not
in the DOM, so their cells are checked by eye and by column widths set in the pages).
The DOM check: a metric, label, tab, button or table header whose text is wider than its box
(``scrollWidth > clientWidth``) while its box hides the rest is cut ("61,…", "Điểm hiện tại (chính t…").
English: words Streamlit and plotly show by default, in visible text and in tooltips (title attributes).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

SIZES = {"projector": (1366, 768), "desktop": (1920, 1080), "phone": (390, 844),
         "projector-view": (1366, 768)}  # the trainers' projector view (?view=projector): larger type
QUERY = {"projector-view": "?view=projector"}
PAGES = {
    "": "Tổng quan",  # the default page lives at the root url
    "unit": "Đơn vị",
    "simulate": "Mô phỏng",
    "plan": "Lập kế hoạch",
    "policy": "Kịch bản chính sách",
    "guide": "Học chỉ số",
    "data": "Số liệu",
    "log": "Nhật ký",  # without accounts the local user is quản trị, so the page is in the menu
}
# what Streamlit 1.67 and plotly print when left untranslated
ENGLISH = [
    "Select all", "Deselect all", "Download", "Search", "Deploy", "Fullscreen", "Close fullscreen",
    "Choose an option", "No results", "Browse files", "Drag and drop", "Limit 200MB", "Press Enter",
    "Running...", "Rerun", "Clear all", "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Pan",
    "Box Select", "Lasso Select", "Download plot as a png", "Produced with Plotly", "Toggle Spike Lines",
    "Show closest data on hover", "Compare data on hover", "Add row", "Delete row", "Show/hide columns",
    "Copy to clipboard", "Made with Streamlit", "Page not found",
]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")

CUT_JS = """() => {
  const sel = ['[data-testid="stMetricValue"]', '[data-testid="stMetricLabel"]', '[data-testid="stMetricDelta"]',
    '[data-testid="stWidgetLabel"]', '[data-testid="stTab"]', '[data-testid="stExpander"] summary',
    '[data-testid="stBaseButton-secondary"]', '[data-testid="stBaseButton-primary"]', 'th',
    '[data-testid="stSidebarNav"] a', '[data-testid="stSidebar"] [data-baseweb="select"] div'].join(',');
  const cut = [];
  for (const box of document.querySelectorAll(sel)) {
    for (const e of [box, ...box.querySelectorAll('*')]) {
      const r = e.getBoundingClientRect();
      if (!r.width || !r.height || !e.textContent.trim()) continue;
      const st = getComputedStyle(e);
      const hides = st.overflowX !== 'visible' || st.textOverflow === 'ellipsis';
      if (hides && e.scrollWidth > e.clientWidth + 1) cut.push(e.textContent.trim().slice(0, 80));
    }
  }
  return [...new Set(cut)];
}"""

TOOLTIPS_JS = """() => [...document.querySelectorAll('[title], [data-title]')]
  .filter(e => e.getBoundingClientRect().width > 0)
  .map(e => (e.getAttribute('title') || '') + ' ' + (e.getAttribute('data-title') || ''))"""


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=90_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_and_speaks_vietnamese(browser, server_url, artifacts, size):
    width, height = SIZES[size]
    out = artifacts / "screens"
    out.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                              is_mobile=size == "phone", has_touch=size == "phone")
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for path, heading in PAGES.items():
            _open(page, f"{server_url}/{path}{QUERY.get(size, '')}", heading)
            name = path or "overview"
            page.screenshot(path=str(out / f"{size}-{name}.png"))
            found = [f"cắt: {t}" for t in page.evaluate(CUT_JS)]
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if wide > 1:
                found.append(f"trang rộng hơn màn hình {wide} px")
            text = page.locator("body").inner_text() + "\n" + "\n".join(page.evaluate(TOOLTIPS_JS))
            found += [f"tiếng Anh: {w}" for w in sorted(set(ENGLISH_RE.findall(text)))]
            found += [f"tiếng Anh (bộ lọc): {w}" for w in _dropdown_english(page)]
            found += [f"tiếng Anh (thanh công cụ): {w}" for w in _toolbar_english(page)]
            _whole_page_shot(page, out / f"{size}-{name}-full.png", width, height)
            if found:
                problems[path or 'overview'] = found
    finally:
        ctx.close()
    assert not problems, problems


def _dropdown_english(page) -> list[str]:
    """Open every multiselect on the page (filters): its menu must not offer "Select all"."""
    found: set[str] = set()
    boxes = page.locator('[data-testid="stMultiSelect"] [data-baseweb="select"]')
    for n in range(boxes.count()):
        box = boxes.nth(n)
        if not box.is_visible():
            continue
        box.click()
        menu = page.locator('[data-baseweb="popover"]')
        expect(menu.first).to_be_visible(timeout=30_000)
        found |= set(ENGLISH_RE.findall(menu.first.inner_text()))
        page.keyboard.press("Escape")
        expect(menu).to_have_count(0, timeout=60_000)
    return sorted(found)


def _whole_page_shot(page, path, width: int, height: int) -> None:
    """Streamlit scrolls inside its main container, so a "full page" screenshot is one screen: grow the
    window to the content's height for the picture, then restore it."""
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, min(int(tall), 12_000))})
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": height})


def _toolbar_english(page) -> list[str]:
    """Hover every table and chart: a toolbar that appears must not speak English (aria-labels are what
    its tooltips show); the app's main menu must not either."""
    found: set[str] = set()
    for sel in ('[data-testid="stDataFrame"]', '[data-testid="stPlotlyChart"]'):
        items = page.locator(sel)
        for n in range(items.count()):
            if items.nth(n).is_visible():
                items.nth(n).hover()
                labels = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stElementToolbar"] button')]
                  .filter(b => b.getBoundingClientRect().width > 0).map(b => b.getAttribute('aria-label') || '')""")
                found |= set(ENGLISH_RE.findall(" | ".join(labels)))
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count() and menu.first.is_visible():
        found.add("main menu (⋮)")
    return sorted(found)


def test_phone_indicator_tables_keep_readable_columns(browser, server_url):
    """Đơn vị's ten-column indicator tables squeezed into 390 px wrapped every indicator name a word per line
    (the page was 8.320 px long): on a phone they keep a projector's width and scroll sideways in their box,
    while the page itself stays as wide as the screen."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        _open(page, f"{server_url}/unit", "Đơn vị")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.chiso-table.wide table')]
          .filter(t => t.getBoundingClientRect().height > 0)
          .map(t => [t.offsetWidth, t.parentElement.scrollWidth > t.parentElement.clientWidth,
                     getComputedStyle(t.parentElement).overflowX])""")
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    finally:
        ctx.close()
    assert boxes, "no indicator table shown on Đơn vị"
    for width, scrolls, overflow in boxes:
        assert width >= 600 and scrolls and overflow == "auto", (width, scrolls, overflow)
    assert wide <= 1


def test_phone_lever_keeps_its_button_beside_the_slider(browser, server_url):
    """Columns stack on a phone, which put each lever's «Nhập số» on a row of its own (16 extra rows on
    Mô phỏng): the button sits beside its slider at 390 px."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        _open(page, f"{server_url}/simulate", "Mô phỏng")
        slider = page.locator('[data-testid="stSlider"]').first.bounding_box()
        button = page.locator('[data-testid="stPopover"]').filter(has_text="Nhập số").first.bounding_box()
    finally:
        ctx.close()
    assert button["x"] >= slider["x"] + slider["width"] - 1, (slider, button)  # to its right
    assert button["y"] < slider["y"] + slider["height"], (slider, button)  # on the same row


def test_plan_button_in_view_at_1366(browser, server_url):
    """At a projector's 1366×768 the planner's main button («Lập kế hoạch») shows without scrolling, and
    with it the target it plans for."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    try:
        _open(page, f"{server_url}/plan", "Lập kế hoạch")
        expect(page.get_by_role("button", name="Lập kế hoạch", exact=True)).to_be_in_viewport(ratio=1)
        expect(page.locator('[data-testid="stSelectbox"]').filter(has_text="Mục tiêu", visible=True)).to_be_in_viewport(ratio=1)
    finally:
        ctx.close()


METRIC_SIZES_JS = """() => [...document.querySelectorAll('[data-testid=stMetric]')]
  .filter(m => m.getBoundingClientRect().width > 0).map(m => {
    const px = sel => parseFloat(getComputedStyle(m.querySelector(sel + ' p') || m.querySelector(sel)).fontSize);
    return [m.innerText.split('\\n')[0], px('[data-testid=stMetricLabel]'), px('[data-testid=stMetricValue]')]; })"""


def test_projector_view_enlarges_type_and_keeps_numbers_large(browser, server_url):
    """The projector view's larger paragraphs once shrank every metric's number below its label (30 → 21 px
    at 1366): numbers keep their size, labels and the score bar grow."""
    sizes = {}
    for view in ("", "?view=projector"):
        ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = ctx.new_page()
        try:
            _open(page, f"{server_url}/simulate{view}", "Mô phỏng")
            frame = page.locator(".st-key-score_bar iframe").element_handle().content_frame()
            bar = frame.evaluate("() => parseFloat(getComputedStyle("
                                 "document.querySelector('[data-testid=live-total]')).fontSize)")
            sizes[view] = (page.evaluate(METRIC_SIZES_JS), bar)
        finally:
            ctx.close()
    (normal, bar_normal), (big, bar_big) = sizes[""], sizes["?view=projector"]
    assert big and len(big) == len(normal)
    for (name, label, value), (_, label0, value0) in zip(big, normal):
        assert label > label0 and value >= value0 and value >= 1.3 * label, (name, label, value, label0, value0)
    assert bar_big > bar_normal
