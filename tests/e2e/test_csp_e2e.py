"""Issue 11, hardening: the Content-Security-Policy of deploy/nginx.conf does not break the app.

Playwright adds the exact header from deploy/nginx.conf to every response, as the proxy would; each page must
render (metrics, text, the lever sliders) without a single CSP violation in the console, and
an image from another origin must be refused."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
CSP = re.search(r'add_header Content-Security-Policy "([^"]+)"', NGINX_CONF.read_text(encoding="utf-8")).group(1)


@pytest.fixture(scope="module")
def csp_browser(browser):
    """Chromium treats a routed (fulfilled) page as non-local and then blocks its websocket to 127.0.0.1
    (Local Network Access); behind a real proxy page and websocket share one origin, so lift the check."""
    b = browser.browser_type.launch(executable_path=CHROMIUM,
                                    args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"])
    yield b
    b.close()


@pytest.fixture
def csp_page(csp_browser):
    expect.set_options(timeout=30_000)  # a loaded machine, as in conftest.page
    ctx = csp_browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")

    def add_csp(route):
        if not route.request.url.startswith("http://127.0.0.1:"):
            route.abort()  # this machine is offline; the browser has already applied the CSP to the request
            return
        try:
            response = route.fetch()
        except PlaywrightError:  # the context closed while a request was in flight (teardown)
            return
        # the fetched body is already decoded: drop the encoding and length headers that described it
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}
        try:
            route.fulfill(response=response, headers={**headers, "content-security-policy": CSP})
        except PlaywrightError:
            pass  # same: teardown; a page that misses a file fails on its expect() instead

    ctx.route("**/*", add_csp)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    violations: list[str] = []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: violations.append(f"pageerror: {e}"))
    yield pg, violations
    ctx.close()


# Tổng quan is the default page, served at the root ("/overview" would be Streamlit's «Page not found»)
@pytest.mark.parametrize("path", [pytest.param("", id="overview"), "unit", "simulate", "plan", "guide"])
def test_pages_render_under_the_proxy_csp(server_url, csp_page, path) -> None:
    pg, violations = csp_page
    pg.goto(f"{server_url}/{path}")
    expect(pg.locator('[data-testid="stMetricValue"], [data-testid="stMarkdownContainer"]').first).to_be_visible()
    expect(pg.locator('[data-testid="stStatusWidget"]')).to_have_count(0)  # the run is over
    if path == "simulate":
        expect(pg.locator('[data-testid="stSlider"]').first).to_be_visible()
    assert violations == [], violations


def test_remote_image_is_refused(server_url, csp_page) -> None:
    pg, _ = csp_page
    pg.goto(server_url)
    expect(pg.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    with pg.expect_event("console", predicate=lambda m: "Content Security Policy" in m.text) as seen:
        pg.evaluate("() => { const i = new Image(); i.src = 'http://evil.invalid/x.png'; document.body.append(i); }")
    assert "img-src" in seen.value.text


def test_the_proxy_csp_lists_the_score_bar_scripts() -> None:
    """The bar's inline scripts are constant (its data is a JSON block): their hashes are in the CSP."""
    from ui.score_bar import script_hashes

    assert all(h in CSP for h in script_hashes())
