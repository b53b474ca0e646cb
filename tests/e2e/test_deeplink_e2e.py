"""A link to any page opens that page on a freshly started server, with no "Page not found" dialog.

Streamlit 1.67 routes the very first request of a new server by the legacy `pages/` folder before
`st.navigation` has run; url paths equal to the page files' names keep both routings in agreement.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import free_port, start_server, stop_server


@pytest.mark.parametrize("path, heading", [("unit", "Đơn vị"), ("plan", "Lập kế hoạch"), ("guide", "Học chỉ số")])
def test_deep_link_on_a_fresh_server(browser, fresh_server, path, heading):
    page = browser.new_page()
    page.goto(f"{fresh_server}/{path}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[role="dialog"]').count() == 0
    page.close()


PAGE_TITLES = ["Tổng quan", "Đơn vị", "Mô phỏng", "Lập kế hoạch", "Kịch bản chính sách", "Học chỉ số"]
RAW_NAMES = ["app", "guide", "overview", "plan", "policy", "simulate", "unit"]


def test_shared_link_as_first_request_gets_the_vietnamese_menu_and_wide_layout(browser, fresh_server):
    """The case of a link sent before a meeting: the server has never run app.py when it arrives."""
    _first_request_is_a_shared_link(browser, fresh_server)


def test_shared_link_as_first_request_on_the_warm_start(browser):
    """The same, on a server started as scripts/run_app.sh starts it (python -m ui.serve: the samples are
    scored before it listens, but app.py has still never run)."""
    proc = start_server(port := free_port(), warm=True)
    try:
        _first_request_is_a_shared_link(browser, f"http://127.0.0.1:{port}")
    finally:
        stop_server(proc)


def _first_request_is_a_shared_link(browser, server: str) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    page.goto(f"{server}/simulate?src=phu-tho&unit=H44.100&lv=e_results:3")
    expect(page.get_by_role("heading", name="Mô phỏng", exact=True)).to_be_visible(timeout=90_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    for title in PAGE_TITLES:
        expect(nav.get_by_text(title, exact=True)).to_be_visible()
    links = [t.strip() for t in nav.locator("a").all_inner_texts()]
    assert not set(links) & set(RAW_NAMES), links
    # wide layout: the main column uses the window, not Streamlit's 736 px centred column
    width = page.locator('[data-testid="stMainBlockContainer"]').evaluate("e => e.getBoundingClientRect().width")
    assert width > 900, width
    assert "?" in page.url and "unit=H44.100" in page.url  # the link's parameters survive the reroute
    ctx.close()
