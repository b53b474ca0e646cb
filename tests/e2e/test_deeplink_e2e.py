"""A link to any page opens that page on a freshly started server, with no "Page not found" dialog.

Streamlit 1.67 routes the very first request of a new server by the legacy `pages/` folder before
`st.navigation` has run; url paths equal to the page files' names keep both routings in agreement.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("path, heading", [("unit", "Đơn vị"), ("plan", "Lập kế hoạch"), ("guide", "Học chỉ số")])
def test_deep_link_on_a_fresh_server(browser, fresh_server, path, heading):
    page = browser.new_page()
    page.goto(f"{fresh_server}/{path}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[role="dialog"]').count() == 0
    page.close()
