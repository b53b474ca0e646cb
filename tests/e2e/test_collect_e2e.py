"""«Tải từ Cổng DVCQG» in a real browser, against the local fake portal (tests/fake_portal.py: a real HTTP
server serving the bundled Phú Thọ responses): progress per endpoint, then the collected dataset is the
data source, and it opens in Tổng quan with the portal's units."""
from __future__ import annotations

import re
import tempfile

from playwright.sync_api import expect

from fake_portal import FakePortal

from conftest import EXPECT_TIMEOUT_MS, free_port, start_server, stop_server


def test_collect_from_the_fake_portal_shows_progress_and_opens_in_tong_quan(browser, artifacts):
    with FakePortal() as fake:
        db = f"sqlite:///{tempfile.mkdtemp(prefix='chiso-collect-')}/workspace.sqlite3"
        port = free_port()
        proc = start_server(port, env={"CHISO_DATABASE_URL": db, "CHISO_PORTAL_URL": fake.url})
        ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        try:
            page = ctx.new_page()
            page.set_default_timeout(EXPECT_TIMEOUT_MS)
            page.goto(f"http://127.0.0.1:{port}/data")
            page.get_by_text("Tải từ Cổng DVCQG", exact=True).click()
            # the panel offers the province and period on screen (the Phú Thọ sample, 2026-Q3) first
            start = page.get_by_role("button", name="Tải Phú Thọ, kỳ 2026-Q3")
            expect(start).to_be_visible()
            start.click()
            expect(page.get_by_text(re.compile(r"Đã tải [1-5]/6 nhóm"))).to_be_visible()  # progress while it runs
            page.screenshot(path=str(artifacts / "tai-tu-cong.png"))
            done = page.get_by_text(re.compile("^Đã lưu «Cổng DVCQG · .*Phú Thọ»"))
            expect(done).to_be_visible(timeout=120_000)  # six requests, 2 s apart, on a loaded machine
            assert fake.max_in_flight == 1 and len(fake.requests) == 6
            page.get_by_role("link", name="Tổng quan").click()
            source = page.locator(".st-key-_w_data_source")
            expect(source.locator("input")).to_have_value(re.compile("^Đã lưu: kỳ 2026-Q3 · Cổng DVCQG"))
            expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
            expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
            expect(page.get_by_text("2026-Q3").first).to_be_visible()
        finally:
            ctx.close()
            stop_server(proc)
