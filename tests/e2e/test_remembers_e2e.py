"""Issue 9, as a ward chair does it in Chromium: Tây Ninh 02/2023 under qd766-2022, UBND Phường 1.

Type the total of certified copies where the certified-copy lever says it is missing → the lever moves the
score; save a scenario («Tên kịch bản» + «Lưu kịch bản») and a plan («Lưu kế hoạch»); restart the server on
the same CHISO_DATABASE_URL → the entered count, the scenario and the plan are all still there.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from chiso.rulebook import load_rulebook

from conftest import free_port, start_server, stop_server

RB = load_rulebook("qd766-2022")
WARD = "000.20.30.H53"
LINK = urlencode({"src": "tay-ninh", "rb": RB.id, "unit": WARD})
FIRST_RENDER_MS = 120_000  # a fresh server on a loaded machine: data load + workspace open


def open_page(page, url: str, path: str, ready) -> None:
    page.goto(f"{url}/{path}?{LINK}")
    expect(ready(page)).to_be_visible(timeout=FIRST_RENDER_MS)


def certified_lever(page):
    return page.locator(".st-key-lv_n_e_certified_copies")


def total(page):
    return page.locator('[data-testid="stMetric"]').filter(has_text="Tổng điểm (kịch bản)").locator(
        '[data-testid="stMetricValue"]')


def enter_total_and_save_scenario(page, url: str) -> None:
    open_page(page, url, "simulate", lambda p: p.get_by_role("button", name="Lưu kịch bản"))
    expect(certified_lever(page)).to_have_count(0)  # dead: the report has no total of certified copies
    box = page.get_by_role("spinbutton", name=f"Nhập: {RB.input('certified_copies_total').name_vi}")
    box.fill("4000")
    page.locator('[data-testid="stForm"]').filter(has=box).get_by_role("button", name="Lưu số liệu").click()
    expect(certified_lever(page)).to_have_count(1)
    before = total(page).inner_text()
    certified_lever(page).locator("input[type=range]").focus()
    page.keyboard.press("End")
    expect(total(page)).not_to_have_text(before)  # the lever moves the score
    name = page.get_by_label("Tên kịch bản")
    name.fill("Chứng thực điện tử")
    name.press("Enter")
    page.get_by_role("button", name="Lưu kịch bản").click()
    expect(page.get_by_text("Đã lưu kịch bản «Chứng thực điện tử»")).to_be_visible()


def plan_and_save(page, url: str) -> None:
    open_page(page, url, "plan", lambda p: p.get_by_role("button", name="Lập kế hoạch", exact=True))
    page.get_by_role("button", name="Lập kế hoạch", exact=True).click()
    name = page.get_by_label("Tên kế hoạch")
    name.fill("Kế hoạch tháng 3")
    name.press("Enter")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_text("Đã lưu kế hoạch «Kế hoạch tháng 3»")).to_be_visible()


def test_entry_scenario_and_plan_survive_a_server_restart(page, tmp_path):
    env = {"CHISO_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.sqlite3'}"}
    proc = start_server(port := free_port(), env)
    try:
        url = f"http://127.0.0.1:{port}"
        enter_total_and_save_scenario(page, url)
        plan_and_save(page, url)
    finally:
        stop_server(proc)
    proc = start_server(port := free_port(), env)  # a restart on the same database
    try:
        url = f"http://127.0.0.1:{port}"
        open_page(page, url, "simulate", lambda p: p.get_by_role("button", name="Lưu kịch bản"))
        expect(certified_lever(page)).to_have_count(1)  # the entered total is still applied
        expect(page.get_by_role("combobox", name="Kịch bản đã lưu")).to_have_value(re.compile("^Chứng thực điện tử"))
        open_page(page, url, "plan", lambda p: p.get_by_role("button", name="Lập kế hoạch", exact=True))
        expect(page.get_by_text("«Kế hoạch tháng 3»")).to_be_visible()
    finally:
        stop_server(proc)
