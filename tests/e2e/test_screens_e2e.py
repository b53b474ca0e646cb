"""Every page at a projector (1366×768), a desktop (1920×1080) and a phone (390×844), and in the trainers'
projector view at 1366×768: nothing cut, no English — on load, and after typing into the page's inputs.

Screenshots go to tests/e2e/artifacts/screens/ (look at them: canvas tables such as st.dataframe are not
in the DOM, so their cells are checked by eye and by column widths set in the pages).
The DOM check: a metric, label, tab, button or table header whose text is wider than its box
(``scrollWidth > clientWidth``) while its box hides the rest is cut ("61,…", "Điểm hiện tại (chính t…").
English: the words Streamlit 1.67, its libraries and plotly show by default (taken from Streamlit's bundle,
streamlit/static/static/js), and common English words anywhere, in the text a page renders and in every
aria-label, title, placeholder and alt of the page (what a screen reader reads and a tooltip shows), also
in the states typing leaves (range errors, «no results», tooltips, a table's search) and in whatever showed
for a moment in between (the «running» widget): static/vi.js (ui/vi_text.py) turns them into Vietnamese.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

SIZES = {"projector": (1366, 768), "desktop": (1920, 1080), "phone": (390, 844),
         "projector-view": (1366, 768)}  # the trainers' projector view (?view=projector): larger type
QUERY = {"projector-view": "?view=projector"}
TYPED_SIZES = ("projector", "desktop", "phone")
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
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# what Streamlit 1.67 (and the libraries it bundles: react-aria, glide-data-grid) and plotly print when left
# untranslated: the texts of the widgets chiso draws, grepped from the bundle
ENGLISH = [
    # the page around the app
    "Skip to main content", "Collapse sidebar", "Expand sidebar", "Sidebar", "App pages", "Main menu",
    "Navigate to home page", "View less", "Rerun", "Deploy", "Made with Streamlit", "Page not found",
    "Running...", "Stop", "Stopping...", "Connecting", "Connection error", "Please wait", "Link to heading",
    "Scroll tabs left", "Scroll tabs right", "Notifications", "Close", "Dismiss", "Error", "Help", "Help for",
    "Loading", "progress", "st.iframe", "Copy to clipboard", "Copied",
    # inputs
    "Choose an option", "Choose options", "No results", "No options to select", "Open", "Show suggestions",
    "Select all", "Deselect all", "Clear all", "Clear value", "Selected values", "options available",
    "selected", "Increment", "Decrement", "Number is", "allowed range", "Please enter a value",
    "Invalid value", "Invalid input", "Press Enter", "Show password", "Hide password",
    # file uploader
    "Browse files", "Drag and drop", "Upload", "Add files", "Limit", "per file", "File must be", "or smaller",
    "files are not allowed", "file upload", "Upload failed", "Remove",
    # tables
    "Download", "Download as CSV", "Search", "Type to search", "Previous Result", "Next Result",
    "Close Search", "results", "Fullscreen", "Close fullscreen", "Show/hide columns", "Add row", "Delete row",
    "Sort ascending", "Sort descending", "Pin column", "Hide column", "Autosize", "Copy column name",
    # plotly
    "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Pan", "Box Select", "Lasso Select",
    "Download plot as a png", "Produced with Plotly", "Toggle Spike Lines", "Show closest data on hover",
    "Compare data on hover", "Double-click",
]
ENGLISH_RE = re.compile(r"(?<![\w./-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/-])")
# common English words of interface texts (none is a Vietnamese word: no «to», «in», «an», «do» here)
WORDS = ("the is are of for and with your you this please must press allowed value values file files select "
         "search download upload show hide clear click here between number than equal not result results "
         "option options open close menu help more less loading error invalid page found submit apply drag "
         "drop browse limit per row rows column columns sort copy settings print about rerun stop running "
         "connecting fullscreen sidebar expand collapse increment decrement remove add delete zoom reset icon "
         "progress heading skip navigate notification notifications dismiss suggestions selected available "
         "wait connection server chart")
# a word, not part of a technical name (dvc-progress-tree, sample_data, file.csv)
WORDS_RE = re.compile(r"(?<![\w./-])(" + "|".join(WORDS.split()) + r")(?![\w./-])", re.IGNORECASE)
MONTHS_RE = re.compile(r"(?<![A-Za-z])(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?![A-Za-z])")
ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder", "alt", "aria-description",
         "aria-roledescription", "aria-valuetext", "data-title"]

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

# every text the page renders (a Material icon's name is a font ligature, not a word: left out) and the
# attributes of every element, shown or not (a hidden toolbar's labels are still read out once it shows)
TEXTS_JS = """attrs => {
  const out = new Set();
  const skip = '[data-testid="stIconMaterial"], [translate="no"], script, style, noscript';
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement, t = n.nodeValue.trim();
    if (t && p && !p.closest(skip) && p.getClientRects().length) out.add(t);
  }
  for (const e of document.querySelectorAll('*'))
    for (const a of attrs) { const v = e.getAttribute(a); if (v && v.trim()) out.add(v.trim()); }
  return [...out];
}"""

# installed before the app's scripts: remembers any English that showed even for a moment (the «running»
# widget, a toast), once static/vi.js had its chance to rewrite it (a timer after the mutation's callbacks)
RECORDER_JS = """([english, words, months, attrs]) => {
  const res = [new RegExp(english), new RegExp(words, 'i'), new RegExp(months)];
  const seen = window.__chisoEnglishSeen = [];
  const skip = '[data-testid="stIconMaterial"], [translate="no"], script, style, noscript';
  let todo = [], timer = 0;
  const note = s => { s = (s || '').trim(); if (s && res.some(r => r.test(s)) && !seen.includes(s) && seen.length < 200) seen.push(s); };
  const look = n => {
    if (!n.isConnected) return;
    if (n.nodeType === 3) { const p = n.parentElement; if (p && !p.closest(skip) && p.getClientRects().length) note(n.nodeValue); return; }
    if (n.nodeType !== 1 || n.matches(skip)) return;
    for (const a of attrs) note(n.getAttribute(a));
    const walk = document.createTreeWalker(n, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let m = walk.nextNode(); m; m = walk.nextNode()) look1(m);
  };
  const look1 = m => {
    if (m.nodeType === 1) { for (const a of attrs) note(m.getAttribute(a)); return; }
    const p = m.parentElement; if (p && !p.closest(skip) && p.getClientRects().length) note(m.nodeValue);
  };
  const flush = () => { timer = 0; const batch = todo; todo = []; batch.forEach(look); };
  new MutationObserver(records => {
    if (!window.__chisoVi) return;  // before the app's first run loaded static/vi.js: nothing to judge yet
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach(n => todo.push(n)); else todo.push(r.target);
    }
    if (!timer) timer = setTimeout(flush, 0);
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: attrs});
}"""

def _init_scripts(ctx) -> None:
    ctx.add_init_script(script=f"({RECORDER_JS})({_js_args()})")


def _js_args() -> str:
    import json

    return json.dumps([ENGLISH_RE.pattern, WORDS_RE.pattern, MONTHS_RE.pattern, ATTRS])


def english_in(text: str) -> set[str]:
    return set(ENGLISH_RE.findall(text)) | {w.lower() for w in WORDS_RE.findall(text)} | set(MONTHS_RE.findall(text))


def english_on_page(page, where: str) -> list[str]:
    """English on the page now, and any that showed since the page opened: «where: words ← «text»»."""
    texts = page.evaluate(TEXTS_JS, ATTRS) + page.evaluate("() => window.__chisoEnglishSeen || []")
    return sorted({f"{where}: {', '.join(sorted(english_in(t)))} ← «{t[:100]}»" for t in texts if english_in(t)})


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=90_000)


def _open(page, url: str, heading: str) -> None:
    """Open a page and wait for what the server drew: its heading, the end of the run, every chart drawn."""
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=90_000)
    _idle(page)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-testid="stPlotlyChart"]:not(:has(.main-svg))')).to_have_count(0, timeout=60_000)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_and_speaks_vietnamese(browser, server_url, artifacts, size):
    width, height = SIZES[size]
    out = artifacts / "screens"
    out.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                              is_mobile=size == "phone", has_touch=size == "phone")
    _init_scripts(ctx)
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
            found += english_on_page(page, "tiếng Anh")
            found += [f"tiếng Anh (bộ lọc): {w}" for w in _dropdown_english(page)]
            found += [f"tiếng Anh (thanh công cụ): {w}" for w in _toolbar_english(page)]
            _whole_page_shot(page, out / f"{size}-{name}-full.png", width, height)
            if found:
                problems[name] = found
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
        found |= english_in(menu.first.inner_text())
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
                found |= english_in(" | ".join(labels))
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count() and menu.first.is_visible():
        found.add("main menu (⋮)")
    return sorted(found)


# ---------------------------------------------------------------- typed states

def _main(page):
    return page.locator('[data-testid="stMain"]')


def _visible(locator):
    """The first visible one of ``locator``, or None."""
    for n in range(locator.count()):
        if locator.nth(n).is_visible():
            return locator.nth(n)
    return None


class Runs:
    """The app's runs, as the server reports them on the page's websocket («script finished»): a test waits
    for the run its click or typing started, not for a fixed time (a quick run may never show as running)."""

    def __init__(self, page):
        self.sockets: list = []
        page.on("websocket", lambda ws: self.sockets.append(ws))

    def after(self, action) -> None:
        """Do ``action`` and wait until the run it starts has finished."""
        with self.sockets[-1].expect_event("framereceived", predicate=_finished, timeout=90_000):
            action()


def _finished(payload) -> bool:
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "script_finished"


def _prepare(page, runs: Runs, path: str) -> None:
    """Bring the page's inputs on screen: the custom policy rule (a bounded number box), the unit's chart."""
    if path == "policy":
        page.get_by_role("combobox", name="Quy tắc", exact=True).focus()
        page.keyboard.press("ArrowDown")
        runs.after(page.get_by_role("option", name="Tự đặt quy tắc…").click)
        expect(_main(page).locator('[data-testid="stNumberInput"]').first).to_be_visible()
    fold = _main(page).locator('[data-testid="stExpander"] summary').filter(has_text="Biểu đồ qua các kỳ")
    if path == "unit" and fold.count():
        runs.after(fold.first.click)
        expect(_main(page).locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()


def _filter_without_match(page) -> bool:
    """Type a filter no option matches into the page's first dropdown: «no results» shows."""
    box = _visible(_main(page).locator('[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input'))
    if box is None:
        box = _visible(page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input'))
    if box is None:
        return False
    box.focus()
    page.keyboard.type("zzqx")
    expect(page.locator('[role="listbox"]').first).to_be_visible()
    return True


def _close_filter(page) -> None:
    page.keyboard.press("Escape")
    expect(page.locator('[role="listbox"]')).to_have_count(0)


def _type_text(page, runs: Runs):
    """Type a word into the page's first text box and apply it (Enter): the app answers (a filter finds
    nothing, a target is not a number, a name changes). Returns the box and what it held, or None."""
    box = _visible(_main(page).locator('[data-testid="stTextInput"] input:not([disabled])'))
    if box is None:
        return None
    before = box.input_value()
    box.fill("zzqx")
    runs.after(lambda: box.press("Enter"))
    return box, before


def _restore_text(runs: Runs, typed) -> None:
    box, before = typed
    box.fill(before)
    runs.after(lambda: box.press("Enter"))


def _number_out_of_range(page, runs: Runs):
    """Type 99999 into the page's first number box (a lever's is in its «Nhập số» popover) and apply it: a
    bounded box refuses it in the browser with an error and its tooltip, an open one lets the app clamp it.
    Returns the box, what it held and whether the app ran, or None."""
    box = _visible(_main(page).locator('[data-testid="stNumberInput"] input'))
    if box is None:
        popover = _visible(_main(page).locator('[data-testid="stPopover"] button').filter(has_text="Nhập số"))
        if popover is None:
            return None
        popover.click()
        box = page.locator('[data-testid="stPopoverBody"] [data-testid="stNumberInput"] input').first
        expect(box).to_be_visible()
    before = box.input_value()
    high = box.get_attribute("max")
    box.fill("99999")
    if high is not None and float(high) < 99999:  # refused by Streamlit's browser side: no run
        box.press("Enter")
        number = box.locator("xpath=ancestor::*[@data-testid='stNumberInput']")
        expect(number.get_by_role("alert")).to_be_visible()
        number.get_by_test_id("stTooltipErrorHoverTarget").hover()
        expect(page.get_by_role("tooltip")).to_be_visible()
        return box, before, False
    runs.after(lambda: box.press("Enter"))
    return box, before, True


def _restore_number(page, runs: Runs, typed) -> None:
    box, before, ran = typed
    if box.is_visible():
        box.fill(before)
        if ran:
            runs.after(lambda: box.press("Enter"))
        else:
            box.press("Enter")
    page.keyboard.press("Escape")  # a popover closes


def _hover_help(page) -> bool:
    icon = _visible(_main(page).locator('[data-testid="stTooltipIcon"]'))
    if icon is None:
        return False
    icon.hover()
    expect(page.locator('[data-testid="stTooltipContent"]').first).to_be_visible()
    return True


def _search_table(page) -> bool:
    """Search a table (Ctrl+F in it, the toolbar's «search»): its search box, buttons and result count."""
    table = _visible(_main(page).locator('[data-testid="stDataFrame"]'))
    if table is None:
        return False
    table.scroll_into_view_if_needed()
    # focus, not a click: a click on a cell may select its row, which opens the unit on Tổng quan
    table.get_by_test_id("data-grid-canvas").focus()
    page.keyboard.press("Control+f")
    search = table.locator('[data-testid="search-input"]')
    expect(search).to_be_visible()
    search.fill("zzqx")
    expect(table.locator(".gdg-search-status")).to_be_visible()  # «Type to search», then the count found
    return True


def _typed_states(page, runs: Runs, path: str) -> list[str]:
    """Type into the page's inputs as a user would and collect the English each state shows."""
    found = english_on_page(page, "khi mở")
    _prepare(page, runs, path)
    found += english_on_page(page, "khi mở phần ẩn")
    if _filter_without_match(page):
        found += english_on_page(page, "lọc không khớp")
        _close_filter(page)
    typed = _type_text(page, runs)
    if typed:
        found += english_on_page(page, "gõ chữ")
        _restore_text(runs, typed)
    number = _number_out_of_range(page, runs)
    if number:
        found += english_on_page(page, "số ngoài khoảng")
        _restore_number(page, runs, number)
    if _hover_help(page):
        found += english_on_page(page, "trợ giúp")
        page.mouse.move(0, 0)
    if _search_table(page):
        found += english_on_page(page, "tìm trong bảng")
        page.keyboard.press("Escape")
    return found


@pytest.mark.parametrize("size", TYPED_SIZES)
def test_typed_states_speak_vietnamese(browser, server_url, size):
    """On every page: a filter without a match, a word in a text box, 99999 in a number box, a help icon
    hovered, a table searched. No state may show Streamlit's English («No results», «Number is outside the
    allowed range…», «Help for …», «Type to search»), in the text or in an attribute."""
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                              is_mobile=size == "phone", has_touch=size == "phone")
    _init_scripts(ctx)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    runs = Runs(page)
    problems: dict[str, list[str]] = {}
    try:
        for path, heading in PAGES.items():
            _open(page, f"{server_url}/{path}", heading)
            found = _typed_states(page, runs, path)
            if found:
                problems[path or "overview"] = found
    finally:
        ctx.close()
    assert not problems, problems


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
