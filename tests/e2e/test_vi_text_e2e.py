"""Streamlit's built-in English, in Vietnamese (static/vi.js, loaded by ui/vi_text.py): the help buttons'
aria-labels, a number box's range error, a dropdown without a match, the states a user meets only now and then
(the «running» widget, a lost connection, a redacted error, an unknown page), and under the proxy's CSP.
The screens test (test_screens_e2e.py) scans every page for any English left; these name the known cases."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import free_port, start_server, stop_server
from test_csp_e2e import csp_browser, csp_page  # noqa: F401  (fixtures: the README's CSP on every response)

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)


def test_help_buttons_are_named_in_vietnamese(page, server_url):
    """Streamlit names a help button «Help for <label>» (a screen reader reads it out): «Trợ giúp: <label>»."""
    _open(page, server_url, "Tổng quan")
    expect(page.get_by_role("button", name="Trợ giúp: Nguồn dữ liệu", exact=True)).to_have_count(1)
    expect(page.locator('[aria-label^="Help"]')).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("aria-label", "Thanh bên")
    expect(page.get_by_test_id("stSkipToContent")).to_have_text("Bỏ qua, đến nội dung chính")


def test_a_number_out_of_range_is_refused_in_vietnamese(page, server_url):
    """99999 in «Đạt ít nhất (%)» (0–100): Streamlit refuses it with an English error beside the box and in its
    tooltip («Number is outside the allowed range. Please enter a value between 0 and 100.»)."""
    _open(page, f"{server_url}/policy", "Kịch bản chính sách")
    rule = page.get_by_role("combobox", name="Quy tắc", exact=True)
    rule.focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name="Tự đặt quy tắc…").click()
    box = page.get_by_role("spinbutton", name="Đạt ít nhất (%)")
    box.fill("99999")
    box.press("Enter")
    said = "Lỗi: Số nằm ngoài khoảng cho phép. Hãy nhập số từ 0 đến 100."
    number = page.get_by_test_id("stNumberInput").filter(has=box)
    expect(number.get_by_role("alert")).to_have_text(said)
    expect(number.get_by_role("button", name="Tăng")).to_have_count(1)
    number.get_by_test_id("stTooltipErrorHoverTarget").hover()
    expect(page.get_by_role("tooltip")).to_have_text(said)


def test_a_filter_without_a_match_says_so_in_vietnamese(page, server_url):
    _open(page, f"{server_url}/unit", "Đơn vị")
    box = page.get_by_test_id("stMain").get_by_role("combobox", name="Đơn vị", exact=True)
    box.focus()
    page.keyboard.type("zzqx")
    expect(page.get_by_role("listbox")).to_have_text("Không tìm thấy")
    expect(box).to_have_attribute("placeholder", "Chọn một mục")


def test_an_unknown_address_is_told_in_vietnamese(page, server_url):
    """A mistyped address (or an old link to a page that moved): Streamlit's «Page not found» dialog, then the
    first page."""
    page.goto(f"{server_url}/khong-co-trang-nay")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Không có trang này", timeout=90_000)
    expect(dialog).to_contain_text("Đang mở trang đầu.")
    assert "Page" not in dialog.inner_text() and "Running" not in dialog.inner_text()
    expect(dialog.get_by_role("button", name="Đóng")).to_have_count(1)


# English Streamlit shows only now and then, and what the user reads instead
RARE = {
    "Running...": "Đang chạy…",  # the «running» widget (a run longer than half a second)
    "Stop": "Dừng",
    "Stopping...": "Đang dừng…",
    "Connecting": "Đang kết nối",
    "Page not found": "Không có trang này",
    "You have requested page /abc, but no corresponding file was found in the app's pages/ directory. "
    "Running the app's main page.": "Không có trang «/abc». Đang mở trang đầu.",
    "This app has encountered an error. The original error message is redacted to prevent data leaks. Full "
    "error details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' in the "
    "lower right of your app).": "Chương trình gặp lỗi. Chi tiết đã được ghi vào nhật ký của máy chủ; hãy thử "
                                 "lại, nếu vẫn lỗi hãy báo người quản trị.",
    "File must be 25.0MB or smaller.": None,  # the app's own words: ui.vi_text.OVER_LIMIT_VI
    "Number is below the allowed range. Please enter a value greater than or equal to 1000.":
        "Số nhỏ hơn mức cho phép. Hãy nhập số từ 1.000 trở lên.",
    "3 of 12 results": "3 / 12 kết quả",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Sort ascending": "Sắp xếp tăng dần",
    "Copy to clipboard": "Chép",
}


def test_rare_streamlit_texts_are_rewritten_and_the_apps_own_words_are_not(page, server_url):
    """A text or label Streamlit adds later is rewritten as it appears; a user's text drawn by the app (here a
    unit named «Search» in a markdown block) keeps its words."""
    from ui.vi_text import OVER_LIMIT_VI

    _open(page, server_url, "Tổng quan")
    page.wait_for_function("() => window.__chisoVi === true")  # the script is fetched after the first run
    got = page.evaluate("""texts => new Promise(done => {
      const box = document.createElement('div');
      document.body.append(box);
      for (const t of texts) {
        const d = document.createElement('div'); d.textContent = t; box.append(d);
        const b = document.createElement('button'); b.setAttribute('aria-label', t); box.append(b);
      }
      const own = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
      const name = document.createTextNode(' Search');
      own.append(name);
      setTimeout(() => {
        done({texts: [...box.children].map(e => e.tagName === 'DIV' ? e.textContent : e.getAttribute('aria-label')),
              own: name.nodeValue});
        box.remove(); name.remove();
      }, 0);
    })""", list(RARE))
    want = [v or OVER_LIMIT_VI for v in RARE.values() for _ in (0, 1)]
    assert got["texts"] == want
    assert got["own"] == " Search"


def test_a_lost_connection_is_told_in_vietnamese(browser):
    """The server stops: Streamlit's dialog («Connection error», «Streamlit server is not responding. Are you
    connected to the internet?») is Vietnamese."""
    port = free_port()
    proc = start_server(port)
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    try:
        _open(page, f"http://127.0.0.1:{port}/guide", "Học chỉ số")
        stop_server(proc)
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Mất kết nối", timeout=60_000)
        expect(dialog).to_contain_text("Máy chủ không trả lời.")
        expect(dialog.get_by_role("button", name="Đóng")).to_have_count(1)
        assert "Streamlit" not in dialog.inner_text() and "Connection" not in dialog.inner_text()
    finally:
        ctx.close()
        if proc.poll() is None:
            stop_server(proc)


@pytest.mark.parametrize("path", [pytest.param("", id="overview"), "simulate"])
def test_the_script_runs_under_the_proxy_csp(server_url, csp_page, path):  # noqa: F811
    """static/vi.js is a file of the app's own origin: the README's CSP (script-src 'self' …) lets it run,
    where an inline script would be refused."""
    pg, violations = csp_page
    pg.goto(f"{server_url}/{path}")
    expect(pg.get_by_role("button", name="Trợ giúp: Nguồn dữ liệu", exact=True)).to_have_count(1)
    expect(pg.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
    assert pg.evaluate("() => window.__chisoVi") is True
    assert violations == [], violations


def test_the_sign_in_form_speaks_vietnamese(browser):
    """With accounts on, the sign-in form is the first page anyone sees: its password box's eye button
    («Show password») and the form's hint are Vietnamese before anyone has signed in."""
    port = free_port()
    proc = start_server(port, env={"CHISO_AUTH": "password"})
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        password = page.get_by_label("Mật khẩu", exact=True)
        expect(password).to_be_visible(timeout=90_000)
        password.fill("sai")
        expect(page.get_by_role("button", name="Hiện mật khẩu")).to_have_count(1)
        expect(page.locator('[aria-label="Show password"]')).to_have_count(0)
        assert "Press Enter" not in page.locator("body").inner_text()
    finally:
        ctx.close()
        stop_server(proc)
