"""Real browser (Debian chromium) against a real server: first load, levers, shared links, downloads."""
from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import numpy as np
import openpyxl
import pytest
from playwright.sync_api import expect

from chiso.calibration import baseline
from chiso.engine import input_matrix, level_index
from chiso.fmt import fmt_points
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import lever_rooms, simulate

from conftest import drawn


FIRST_RENDER_MS = 90_000


class Sample:
    def __init__(self):
        s = available_samples()[0]
        self.key = s.key
        self.rb = load_rulebook(s.rulebook)
        t = load_sample(s, self.rb)
        self.frame = t.frame
        self.base = baseline(t, self.rb)
        self.x = input_matrix(t.frame, self.rb)
        self.lvl = level_index(t.frame["level"])
        commune = np.flatnonzero(t.frame["level"] == "commune")
        self.i = int(commune[0])
        self.code = str(t.frame["unit_code"][self.i])
        self.name = str(t.frame["unit_name"][self.i])

    def total(self, levers: dict[str, int]) -> float:
        d = np.array([[levers.get(lv.key, 0) for lv in self.rb.levers]], dtype=float)
        i = self.i
        return float(simulate(self.x[i][None], self.lvl[i:i + 1], self.rb, d, self.base.held[i:i + 1]).total[0])

    def room(self, key: str):
        return next(r for r in lever_rooms(self.x[self.i], "commune", self.rb) if r.lever.key == key)


@pytest.fixture(scope="module")
def sample() -> Sample:
    return Sample()


def total_metric(page):
    return page.locator('[data-testid="stMetric"]').filter(has_text="Tổng điểm (kịch bản)").locator(
        '[data-testid="stMetricValue"]')


def open_simulator(page, server_url, sample, levers: str = ""):
    q = {"src": sample.key, "rb": sample.rb.id, "unit": sample.code}
    if levers:
        q["lv"] = levers
    page.goto(f"{server_url}/simulate?{urlencode(q)}")
    # the first simulator of a session loads the metric, chart and iframe code: on a loaded 2-core
    # machine this alone has taken over 30 s
    expect(total_metric(page)).to_be_visible(timeout=FIRST_RENDER_MS)


def test_first_load_shows_sample_data(page, server_url, sample, artifacts):
    page.goto(server_url)
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page.get_by_text("portal-2026").first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    communes = sample.base.total[sample.lvl == 3]
    expect(page.locator('[data-testid="stMetricValue"]').filter(has_text=fmt_points(np.median(communes))).first).to_be_visible()


def test_keyboard_and_drag_move_a_lever(page, server_url, sample):
    open_simulator(page, server_url, sample)
    expect(total_metric(page)).to_have_text(fmt_points(sample.base.total[sample.i]))
    slider = page.locator(".st-key-lv_n_overdue_avoided input[type=range]")
    slider.focus()
    for _ in range(8):  # fast presses: a rerun still in flight must not pull the slider back
        page.keyboard.press("ArrowRight")
    expect(page.locator(".st-key-lv_n_overdue_avoided")).to_contain_text("hồ sơ quá hạn · bớt 8")
    expect(total_metric(page)).to_have_text(fmt_points(sample.total({"overdue_avoided": 8})))
    # drag the e-results thumb to the far right: every dossier gets an electronic result
    thumb = page.locator('.st-key-lv_n_e_results [data-testid="stSliderThumbValue"]').locator("xpath=..")
    track = page.locator(".st-key-lv_n_e_results [data-testid='stSlider']")
    expect(thumb).to_have_count(1)  # no stale copy left from the previous rerun
    thumb.scroll_into_view_if_needed()
    box, tbox = thumb.bounding_box(), track.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(tbox["x"] + tbox["width"] + 50, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    room = int(sample.room("e_results").room)
    expect(total_metric(page)).to_have_text(fmt_points(sample.total({"overdue_avoided": 8, "e_results": room})))
    expect(page).to_have_url(re.compile(r"lv=.*e_results%3A" + str(room)))


def test_typed_count_through_the_lever_popover(page, server_url, sample):
    """The typed count sits in each lever's «Nhập số» popover: not drawn until opened, then it sets the
    lever (overdue dossiers are typed as what is left)."""
    open_simulator(page, server_url, sample)
    row = page.locator('[data-testid="stHorizontalBlock"]').filter(has=page.locator(".st-key-lv_n_e_results"))
    expect(page.locator(".st-key-lv_c_e_results input")).to_have_count(0)  # not mounted while closed
    row.get_by_role("button", name="Nhập số").click()
    box = page.locator(".st-key-lv_c_e_results input")
    expect(box).to_be_visible()
    cur = int(sample.room("e_results").current)
    box.fill(str(cur + 30))
    box.press("Enter")
    expect(total_metric(page)).to_have_text(fmt_points(sample.total({"e_results": 30})))
    expect(page.locator(".st-key-lv_n_e_results")).to_contain_text("· +30")


def test_unit_page_link_opens_the_simulator_on_the_same_unit(page, server_url, sample):
    """«Mô phỏng cải thiện cho đơn vị này» is a page link (styled as the primary button): the browser switches
    page directly, and the simulator shows the unit that was open."""
    page.goto(f"{server_url}/unit?{urlencode({'src': sample.key, 'unit': sample.code})}")
    link = page.get_by_role("link", name="Mô phỏng cải thiện cho đơn vị này")
    expect(link).to_be_visible(timeout=FIRST_RENDER_MS)
    expect(link).to_have_css("background-color", "rgb(197, 57, 72)")  # the theme's primary button colour
    link.click()
    expect(total_metric(page)).to_have_text(fmt_points(sample.base.total[sample.i]), timeout=FIRST_RENDER_MS)
    expect(page.locator(".st-key-unit_pick_sim").get_by_role("combobox")).to_have_value(
        re.compile(re.escape(sample.name)))


def test_shared_link_reproduces_state(page, server_url, sample):
    open_simulator(page, server_url, sample, "e_results:40,overdue_avoided:10")
    expect(total_metric(page)).to_have_text(fmt_points(sample.total({"e_results": 40, "overdue_avoided": 10})))
    cur = sample.room("e_results").current
    expect(page.locator(".st-key-lv_n_e_results")).to_contain_text(f"{int(cur + 40):,}".replace(",", "."))
    expect(page.locator(".st-key-unit_pick_sim").get_by_role("combobox")).to_have_value(re.compile(re.escape(sample.name)))


def test_excel_download(page, server_url, sample):
    open_simulator(page, server_url, sample, "e_results:24")
    slider = page.locator(".st-key-lv_n_e_results input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")  # a lever moved after the page loaded: the file must include it
    expect(total_metric(page)).to_have_text(fmt_points(sample.total({"e_results": 25})))
    expect(page.locator(".st-key-lv_n_e_results")).to_contain_text("· +25")
    page.get_by_role("tab", name="Xuất báo cáo").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Tải Excel")).click()
    dl = info.value
    assert dl.suggested_filename == f"mo-phong-{sample.code}.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(open(dl.path(), "rb").read()))
    rows = {r[0]: r for r in wb["Tóm tắt"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Tổng điểm (Điểm tính lại)"][2] == sample.total({"e_results": 25})


@pytest.mark.parametrize(
    "path,name,ready",
    [
        ("", "overview", "Tổng quan"),
        ("unit", "unit", "Đơn vị"),
        ("simulate", "simulate", "Mô phỏng"),
        ("policy", "policy", "Kịch bản chính sách"),
    ],
)
def test_screenshots_of_every_page(browser, server_url, sample, artifacts, path, name, ready):
    """Tall viewport so each whole page is in one picture (Streamlit scrolls inside its own container)."""
    tall = {"simulate": 4400, "unit": 3400}.get(name, 2000)
    ctx = browser.new_context(viewport={"width": 1440, "height": tall}, locale="vi-VN")
    pg = ctx.new_page()
    q = f"?{urlencode({'src': sample.key, 'rb': sample.rb.id, 'unit': sample.code, 'lv': 'e_results:100'})}" \
        if path == "simulate" else ""
    pg.goto(f"{server_url}/{path}{q}")
    expect(pg.get_by_role("heading", name=ready, exact=True)).to_be_visible(timeout=30_000)
    expect(pg.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=60_000)
    drawn(pg)
    assert pg.get_by_text("Page not found").count() == 0
    pg.screenshot(path=str(artifacts / f"{name}.png"))
    ctx.close()
