"""Học chỉ số in a real browser: every tab renders in Vietnamese, an answer is checked, the cheat sheet
downloads and prints on one A4 page. Screenshots go to tests/e2e/artifacts/guide-*.png for review.

Uses the server and browser fixtures of tests/e2e/conftest.py (chromium missing: fail in CI, skip locally).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from chiso.calibration import baseline
from chiso.guide.cheatsheet import cheatsheet_html
from chiso.engine import input_matrix
from chiso.fmt import fmt_number, fmt_points
from chiso.guide.text import indicator_numbers
from chiso.guide.calc import Units
from chiso.guide.examples import example_indicator, loss_example, overdue_example, petition_example
from chiso.guide.exercises import make_exercises
from chiso.rulebook import available_rulebooks, load_rulebook
from chiso.samples import available_samples, load_sample

from conftest import drawn

ENGLISH = re.compile(r"\b(Page not found|Error|Traceback|undefined|NaN|None)\b")


@pytest.fixture(scope="module")
def units() -> Units:
    s = available_samples()[0]
    rb = load_rulebook(s.rulebook)
    t = load_sample(s, rb)
    return Units(baseline(t, rb), input_matrix(t.frame, rb), tuple(t.frame["unit_name"].astype(str)))


@pytest.fixture
def tall(browser):
    """A tall window: Streamlit scrolls inside its own container, so a tall viewport shows a whole tab."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 2600}, locale="vi-VN", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


def open_guide(pg, server_url):
    # through the sidebar, as a trainer would (a cold deep link can flash Streamlit's own dialog)
    pg.goto(server_url)
    expect(pg.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
    pg.get_by_role("link", name="Học chỉ số").click()
    expect(pg.get_by_role("heading", name="Học chỉ số", exact=True)).to_be_visible()
    expect(pg.get_by_role("tab", name=re.compile("Bộ chỉ số"))).to_be_visible()


def main_text(pg) -> str:
    return pg.locator('[data-testid="stMain"]').inner_text()


def shot(pg, artifacts, name: str) -> None:
    drawn(pg)
    pg.screenshot(path=str(artifacts / f"guide-{name}.png"))


def test_guide_tabs_in_the_browser(tall, server_url, units, artifacts):
    pg, rb = tall, units.rb
    open_guide(pg, server_url)
    expect(pg.get_by_text(f"Bộ quy tắc tính điểm (phiên bản): {rb.id}").first).to_be_visible()
    e_result = example_indicator(rb)
    title = f"{indicator_numbers(rb)[e_result.code]}. {e_result.name_vi}"
    exp = pg.locator('[data-testid="stExpander"]').filter(has=pg.locator("summary", has_text=title))
    exp.locator("summary").click()
    expect(exp.get_by_text("Xã, phường có tự cải thiện được không?")).to_be_visible()
    expect(exp.get_by_text(rb.input(e_result.numerator).name_vi)).to_be_visible()
    assert not ENGLISH.search(main_text(pg))
    shot(pg, artifacts, "bo-chi-so")

    pg.get_by_role("tab", name=re.compile("Đường cong điểm")).click()
    charts = pg.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    expect(charts.first.locator(".main-svg").first).to_be_visible()
    expect(pg.locator("text=Tỷ lệ (tử số ÷ mẫu số)")).to_be_visible()  # Vietnamese axis title inside the SVG
    assert not ENGLISH.search(main_text(pg))
    shot(pg, artifacts, "duong-cong")

    pg.get_by_role("tab", name=re.compile("Ví dụ minh họa")).click()
    loss = loss_example(units, example_indicator(rb).code)
    for ex in (loss, overdue_example(units), petition_example(units)):
        expect(pg.get_by_text(ex.unit_name).first).to_be_visible()
    expect(pg.locator('[data-testid="stMetricValue"]').filter(has_text=fmt_points(loss.lost)).first).to_be_visible()
    assert not ENGLISH.search(main_text(pg))
    shot(pg, artifacts, "vi-du")

    pg.get_by_role("tab", name=re.compile("Bài tập")).click()
    exs = make_exercises(units, 0)
    first = exs[0]
    box = pg.locator(f".st-key-guide_ans_{rb.id}_0_1 input")
    box.fill(fmt_number(first.answer, first.decimals))
    box.press("Enter")
    pg.locator(f".st-key-guide_check_{rb.id}_0_1 button").click()
    expect(pg.get_by_text("Đúng! Đáp án:").first).to_be_visible()
    pg.locator(".st-key-guide_trainer label").click()
    expect(pg.get_by_text("Đáp án:", exact=False)).to_have_count(len(exs) + 1)  # + the confirmed answer
    assert not ENGLISH.search(main_text(pg))
    shot(pg, artifacts, "bai-tap")

    pg.get_by_role("tab", name=re.compile("Sổ tay in")).click()
    with pg.expect_download() as info:
        pg.get_by_role("button", name=re.compile("Tải sổ tay")).click()
    dl = info.value
    assert dl.suggested_filename == f"so-tay-chi-so-766-{rb.id}.html"
    assert open(dl.path(), encoding="utf-8").read() == cheatsheet_html(rb)
    shot(pg, artifacts, "so-tay")


@pytest.mark.parametrize("rb_id", available_rulebooks())
def test_cheatsheet_prints_on_one_a4_page(browser, artifacts, rb_id):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.set_content(cheatsheet_html(load_rulebook(rb_id)))
    pg.emulate_media(media="print")
    expect(pg.get_by_text("Mở tệp này bằng trình duyệt")).to_be_hidden()  # the hint is not printed
    pdf = pg.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts / f"so-tay-{rb_id}.pdf").write_bytes(pdf)
    pg.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    pg.screenshot(path=str(artifacts / f"guide-so-tay-in-{rb_id}.png"))
    ctx.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"{rb_id}: the cheat sheet prints on {pages} pages"


def test_tay_ninh_report_worked_example(tall, server_url, artifacts):
    """The issue's headline, live: with the Tây Ninh 02/2023 sample, the e-result example is Phường 1 (2,78%)."""
    tn = next((s for s in available_samples() if s.key == "tay-ninh"), None)
    if tn is None:
        pytest.fail("the Tây Ninh sample (sample_data/bao-cao-thang) is not registered")
    rb = load_rulebook(tn.rulebook)
    t = load_sample(tn, rb)
    units = Units(baseline(t, rb), input_matrix(t.frame, rb), tuple(t.frame["unit_name"].astype(str)))
    loss = loss_example(units, example_indicator(rb).code)
    pg = tall
    open_guide(pg, server_url)
    pg.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Nguồn dữ liệu").click()
    pg.get_by_role("option", name=re.compile("Tây Ninh")).click()
    expect(pg.get_by_text(f"Nguồn: {tn.label_vi}").first).to_be_visible()
    pg.get_by_role("tab", name=re.compile("Ví dụ minh họa")).click()
    expect(pg.get_by_text(f"{loss.unit_name} mất {fmt_points(loss.lost)} điểm")).to_be_visible()
    expect(pg.locator('[data-testid="stMetricValue"]').filter(has_text="2,78%").first).to_be_visible()
    shot(pg, artifacts, "vi-du-tay-ninh")
