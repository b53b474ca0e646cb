"""In Chromium: a scenario saved with the existing "Tên kịch bản" field and "Lưu kịch bản" button is
still there after the server is restarted on the same CHISO_DATABASE_URL."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from conftest import free_port, start_server, stop_server


def open_sim(page, url: str, code: str, levers: str = "") -> None:
    q = {"src": "phu-tho", "rb": "portal-2026", "unit": code, **({"lv": levers} if levers else {})}
    page.goto(f"{url}/simulate?{urlencode(q)}")
    # a fresh server on a loaded machine: the first render (data load + workspace open) takes longer
    expect(page.get_by_role("button", name="Lưu kịch bản")).to_be_visible(timeout=120_000)


def test_a_saved_scenario_survives_a_server_restart(page, tmp_path):
    env = {"CHISO_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.sqlite3'}"}
    code = "H44.100"
    port = free_port()
    proc = start_server(port, env)
    try:
        url = f"http://127.0.0.1:{port}"
        open_sim(page, url, code, "e_results:40")
        name = page.get_by_label("Tên kịch bản")
        name.fill("Họp giao ban")
        name.press("Enter")
        page.get_by_role("button", name="Lưu kịch bản").click()
        expect(page.get_by_text("Đã lưu kịch bản «Họp giao ban» vào cơ sở dữ liệu làm việc")).to_be_visible()
        expect(page.get_by_label("Tên kịch bản")).not_to_have_value("Họp giao ban")
    finally:
        stop_server(proc)
    port = free_port()
    proc = start_server(port, env)  # a restart on the same database
    try:
        url = f"http://127.0.0.1:{port}"
        open_sim(page, url, code)
        expect(page.get_by_role("combobox", name="Kịch bản đã lưu")).to_have_value(re.compile("^Họp giao ban"))
    finally:
        stop_server(proc)
