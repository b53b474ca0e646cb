"""Two app servers (replicas) on one PostgreSQL see each other's saves: a scenario saved through one is
listed by the other, without a restart. PostgreSQL comes from CHISO_TEST_PG_URL (scripts/test.sh); without
it this test fails when CI=true and is skipped only on a developer's machine."""
from __future__ import annotations

import os
import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from conftest import free_port, start_server, stop_server

LINK = urlencode({"src": "phu-tho", "rb": "portal-2026", "unit": "H44.100", "lv": "e_results:40"})


@pytest.fixture
def shared_pg():
    admin_url = os.environ.get("CHISO_TEST_PG_URL", "")
    if not admin_url:
        if os.environ.get("CI") == "true":
            pytest.fail("CHISO_TEST_PG_URL is not set: this test must run in CI (scripts/test.sh).")
        pytest.skip("CHISO_TEST_PG_URL is not set (local run only).")
    admin, name = make_url(admin_url), f"chiso_e2e_{uuid.uuid4().hex[:10]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.set(database=name).render_as_string(hide_password=False)
    with eng.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()


def test_a_scenario_saved_on_one_replica_is_listed_by_the_other(browser, shared_pg):
    env = {"CHISO_DATABASE_URL": shared_pg}
    one, two = start_server(p1 := free_port(), env), start_server(p2 := free_port(), env)
    try:
        a = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN").new_page()
        a.goto(f"http://127.0.0.1:{p1}/simulate?{LINK}")
        expect(a.get_by_role("button", name="Lưu kịch bản")).to_be_visible(timeout=120_000)
        name = a.get_by_label("Tên kịch bản")
        name.fill("Giao ban hai máy chủ")
        name.press("Enter")
        a.get_by_role("button", name="Lưu kịch bản").click()
        expect(a.get_by_text("Đã lưu kịch bản «Giao ban hai máy chủ» vào cơ sở dữ liệu làm việc")).to_be_visible()
        b = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN").new_page()
        b.goto(f"http://127.0.0.1:{p2}/simulate?{LINK}")
        expect(b.get_by_role("button", name="Lưu kịch bản")).to_be_visible(timeout=120_000)
        expect(b.get_by_role("combobox", name="Kịch bản đã lưu")).to_have_value(re.compile("^Giao ban hai máy chủ"))
    finally:
        stop_server(one)
        stop_server(two)
