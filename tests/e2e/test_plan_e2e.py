"""Lập kế hoạch in a real browser: plan a sample ward toward a typed target, apply it, and see the simulator
reach the target; many units at once. Screenshots go to tests/e2e/artifacts/ (looked at by a person)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from chiso.calibration import baseline
from chiso.engine import input_matrix, level_index
from chiso.fmt import fmt_int, fmt_number, fmt_points, parse_vn_number
from chiso.plan.setup import counts, scope_rows
from chiso.plan.solver import plan_table, plan_unit
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as get_sample
from chiso.scenario import simulate

from conftest import drawn

SAMPLE = "phu-tho"


class Ward:
    """A ward (phường) of the sample, and the target halfway to the best it can reach."""

    def __init__(self):
        s = get_sample(SAMPLE)
        self.rb = load_rulebook(s.rulebook)
        self.table = load_sample(s, self.rb)
        self.base = baseline(self.table, self.rb)
        f = self.table.frame
        self.i = int(np.flatnonzero((f["level"] == "commune") & f["unit_name"].str.contains("Phường"))[0])
        self.code, self.name = str(f["unit_code"][self.i]), str(f["unit_name"][self.i])
        best = plan_unit(self.table, self.base, self.code, 100).best_reachable
        self.target = round((float(self.base.total[self.i]) + best) / 2, 2)
        self.plan = plan_unit(self.table, self.base, self.code, self.target)

    def total(self, deltas: dict[str, int]) -> float:
        x = input_matrix(self.table.frame.iloc[[self.i]], self.rb)
        d = np.array([[deltas.get(lv.key, 0) for lv in self.rb.levers]], dtype=float)
        lvl = level_index(self.table.frame["level"])[self.i:self.i + 1]
        return float(simulate(x, lvl, self.rb, d, self.base.held[self.i:self.i + 1]).total[0])


@pytest.fixture(scope="module")
def ward() -> Ward:
    return Ward()


def metric_value(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished its run (interacting during a run can be undone by it)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def choose(page, key: str, text: str) -> None:
    """Pick an option of a selectbox by typing part of its label, once the app is idle."""
    wait_idle(page)
    box = page.locator(f".st-key-{key}")
    for _ in range(3):
        box.click()
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        try:  # the widget shows the pick once the browser took it; then the run it started must end
            expect(box.locator("input")).to_have_value(re.compile(re.escape(text)), timeout=10_000)
        except AssertionError:
            continue
        wait_idle(page)
        return
    expect(box.locator("input")).to_have_value(re.compile(re.escape(text)))


def test_plan_a_ward_apply_and_simulator_reaches_target(browser, server_url, ward, artifacts):
    ctx = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server_url}/plan?src={SAMPLE}")
    expect(page.get_by_role("heading", name="Lập kế hoạch", exact=True)).to_be_visible()
    choose(page, "unit_pick_plan", ward.name)
    expect(metric_value(page, "Điểm hiện tại (Điểm tính lại)")).to_have_text(fmt_points(ward.base.total[ward.i]))
    choose(page, "plan_target_kind", "Tự nhập")
    box = page.locator(".st-key-plan_target_text input")
    box.fill(fmt_number(ward.target, 2))  # "63,88": the Vietnamese way
    box.press("Enter")
    page.get_by_role("button", name="Lập kế hoạch", exact=True).click()

    p = ward.plan
    expect(page.get_by_text(p.message_vi).first).to_be_visible()
    expect(metric_value(page, "Điểm sau kế hoạch").first).to_have_text(fmt_points(p.final_score))
    expect(metric_value(page, "Công sức").first).to_have_text(fmt_number(p.effort, 2))
    for step in p.steps:
        expect(page.get_by_role("cell", name=step.instruction_vi, exact=True).first).to_be_visible()
    drawn(page)
    page.screenshot(path=str(artifacts / "lap-ke-hoach.png"))

    page.get_by_role("button", name="Áp dụng vào mô phỏng", exact=True).click()
    page.wait_for_url("**/simulate**")
    total = metric_value(page, "Tổng điểm (kịch bản)")
    expect(total).to_have_text(fmt_points(ward.total(p.deltas)))
    assert parse_vn_number(total.inner_text()) >= ward.target
    expect(page.get_by_text(f"Đã áp dụng kịch bản «{p.to_scenario().name}» vào mô phỏng.")).to_be_visible()
    expect(page.locator(".st-key-lv_n_e_results input[type=range]")).to_be_attached()
    page.get_by_text("Biểu đồ thác nước", exact=False).click()  # drawn only while open
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()
    drawn(page)
    page.screenshot(path=str(artifacts / "lap-ke-hoach-ap-dung.png"))
    ctx.close()


def test_many_units_in_the_browser(browser, server_url, ward, artifacts):
    ctx = browser.new_context(viewport={"width": 1440, "height": 3200}, locale="vi-VN", accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server_url}/plan?src={SAMPLE}")
    page.get_by_role("tab", name="Nhiều đơn vị cùng lúc").click()
    rows = scope_rows(ward.table.frame, "commune")
    want = plan_table(ward.table, ward.base, 70, codes=ward.base.codes[rows])
    n = counts(want)
    page.get_by_role("button", name=f"Lập kế hoạch cho {fmt_int(len(rows))} đơn vị").click()
    # the job runs in the server's queue; the page polls it (st.fragment) until the result replaces the bar
    expect(page.get_by_text(f"Lập {fmt_int(len(rows))} kế hoạch trong")).to_be_visible(timeout=180_000)
    expect(page.locator('[data-testid="stProgress"]')).to_have_count(0)
    expect(metric_value(page, "Số đơn vị")).to_have_text(fmt_int(n["units"]))
    expect(metric_value(page, "Không thể đạt")).to_have_text(fmt_int(n["infeasible"]))
    with page.expect_download() as dl:
        page.get_by_role("button", name="Tải Excel (tóm tắt, từng đơn vị, từng bước)").click()
    assert dl.value.suggested_filename == "ke-hoach-commune.xlsx"
    page.get_by_text("Khóa (không thay đổi), giới hạn").click()  # open the constraints table too
    expect(page.locator(".st-key-plan_levers_portal-2026")).to_be_visible()
    drawn(page)
    page.screenshot(path=str(artifacts / "lap-ke-hoach-nhieu-don-vi.png"))
    ctx.close()


def test_unreachable_target_in_the_browser(browser, server_url, artifacts):
    """Tây Ninh's monthly report lacks most indicators: 100 points is out of reach, and the page says why."""
    s = get_sample("tay-ninh")
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    base = baseline(table, rb)
    f = table.frame
    code = str(f.loc[f["level"] == "commune", "unit_code"].iloc[0])
    want = plan_unit(table, base, code, 100)
    assert not want.feasible and want.blocked_by
    ctx = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server_url}/plan?src=tay-ninh")
    expect(page.get_by_role("heading", name="Lập kế hoạch", exact=True)).to_be_visible()
    choose(page, "unit_pick_plan", str(f["unit_name"][base.position(code)]))
    choose(page, "plan_target_kind", "Tự nhập")
    box = page.locator(".st-key-plan_target_text input")
    box.fill("100")
    box.press("Enter")
    page.get_by_role("button", name="Lập kế hoạch", exact=True).click()
    expect(page.get_by_text(f"Không thể đạt {fmt_points(100)} điểm. Điểm cao nhất có thể đạt: "
                            f"{fmt_points(want.best_reachable)}")).to_be_visible()
    expect(page.get_by_text("Nguyên nhân không thể đạt")).to_be_visible()
    for b in want.blocked_by:
        expect(page.get_by_text(b.message_vi, exact=True)).to_be_visible()
    drawn(page)
    page.screenshot(path=str(artifacts / "lap-ke-hoach-khong-the-dat.png"))
    ctx.close()
