"""Typing a missing count in a real browser (issue 9): Tây Ninh 02/2023 under qd766-2022, UBND Phường 1.

The report has no total of certified copies, so the certified-copy lever is listed as missing data. Typing
the total right there brings the lever to life, and moving it changes the score. The e-results count of
that ward is derived from a rate (10,147): the arrow key moves it by one whole dossier.
"""
from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
from playwright.sync_api import expect

from chiso.calibration import baseline
from chiso.edits import Edit, apply_revisions, make_revisions
from chiso.engine import input_matrix
from chiso.fmt import fmt_points
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import load_sample, sample as get_sample
from chiso.scenario import lever_rooms, simulate

from conftest import EXPECT_TIMEOUT_MS, drawn

RB = load_rulebook("qd766-2022")
WARD = "000.20.30.H53"
TOTAL_COPIES = 4000


def expected(deltas: dict[str, int], total_copies: int | None) -> float:
    table = load_sample(get_sample("tay-ninh"), RB)
    if total_copies is not None:
        table = apply_revisions(table, RB, make_revisions(table, RB, [Edit(WARD, "certified_copies_total",
                                                                           total_copies)]))
    i = int(np.flatnonzero(table.frame["unit_code"] == WARD)[0])
    base = baseline(table, RB)
    x = input_matrix(table.frame, RB)[i]
    d = np.array([[deltas.get(lv.key, 0) for lv in RB.levers]], dtype=float)
    return float(simulate(x[None], np.array([LEVELS.index("commune")]), RB, d, base.held[i:i + 1]).total[0])


def total_metric(page):
    return (page.locator('[data-testid="stMetric"]').filter(has_text="Tổng điểm (kịch bản)")
            .locator('[data-testid="stMetricValue"]'))


def test_type_the_missing_total_beside_the_dead_lever_and_it_moves_the_score(browser, fresh_server, artifacts):
    # its own server and database: the entered total is kept in the workspace, and other tests on the
    # shared server expect the Tây Ninh sample as published
    server_url = fresh_server
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    ctx = browser.new_context(viewport={"width": 1440, "height": 2600}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    page.goto(f"{server_url}/simulate?{urlencode({'src': 'tay-ninh', 'rb': RB.id, 'unit': WARD})}")
    # first request to a fresh server on a loaded machine: allow a slow first render
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
    expect(total_metric(page)).to_have_text(fmt_points(expected({}, None)))

    # the derived e-results count (10,147): ArrowRight adds one whole dossier and moves the score
    slider = page.locator(".st-key-lv_n_e_results input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".st-key-lv_n_e_results")).to_contain_text("· +1")
    expect(total_metric(page)).to_have_text(fmt_points(expected({"e_results": 1}, None)))

    lever = page.locator(".st-key-lv_n_e_certified_copies")
    expect(lever).to_have_count(0)  # dead: no slider, listed with the reason
    expect(page.get_by_text(f"{RB.lever('e_certified_copies').name_vi}: Thiếu số liệu")).to_be_visible()
    box = page.get_by_role("spinbutton", name=f"Nhập: {RB.input('certified_copies_total').name_vi}")
    box.fill(str(TOTAL_COPIES))
    form = page.locator('[data-testid="stForm"]').filter(has=box)
    form.get_by_role("button", name="Lưu số liệu").click()

    expect(lever).to_have_count(1)  # alive now
    expect(total_metric(page)).to_have_text(fmt_points(expected({"e_results": 1}, TOTAL_COPIES)))
    lever.locator("input[type=range]").focus()
    page.keyboard.press("End")  # every certified copy electronic: the indicator reaches its maximum
    x = input_matrix(load_sample(get_sample("tay-ninh"), RB).frame, RB)
    room = next(r for r in lever_rooms(x[1], "commune", RB) if r.lever.key == "e_certified_copies")
    steps = TOTAL_COPIES - int(room.current)
    want = expected({"e_results": 1, "e_certified_copies": steps}, TOTAL_COPIES)
    assert want > expected({"e_results": 1}, TOTAL_COPIES)
    expect(total_metric(page)).to_have_text(fmt_points(want))
    drawn(page)
    page.screenshot(path=str(artifacts / "nhap-so-lieu-ben-yeu-to.png"))
    ctx.close()
