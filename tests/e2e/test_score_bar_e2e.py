"""The simulator's score bar: follows the sliders in the browser (points Python scored for each slider
position), equal to the engine, and in view while the levers scroll under it, on a desktop and on a phone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.cohort import rank_among
from chiso.fmt import fmt_delta, fmt_points

from conftest import EXPECT_TIMEOUT_MS
from test_browser import Sample, open_simulator, total_metric


@pytest.fixture(scope="module")
def sample() -> Sample:
    return Sample()


def bar(page, what: str):
    return page.frame_locator(".st-key-score_bar iframe").locator(f"[data-testid=live-{what}]")


def bar_fonts(page) -> list[str]:
    """The load status of every "Source Sans" face in the bar's iframe, once its fonts have settled."""
    frame = page.locator(".st-key-score_bar iframe").element_handle().content_frame()
    return frame.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Source Sans').map(f => f.status); }""")


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["projector", "phone"])
def test_bar_follows_the_slider_and_stays_in_view(browser, server_url, sample, size):
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    try:
        open_simulator(page, server_url, sample)
        base = sample.base.total[sample.i]
        expect(bar(page, "total")).to_have_text(fmt_points(base))
        assert bar_fonts(page) == ["loaded"]  # the page's own Source Sans, not the system's sans-serif
        slider = page.locator(".st-key-lv_n_e_results input[type=range]")
        slider.focus()  # scrolls the lever into view: the bar must still be on screen
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        want = sample.total({"e_results": 5})
        expect(bar(page, "total")).to_have_text(fmt_points(want))
        expect(bar(page, "change")).to_have_text(fmt_delta(want - base))
        cohort = sample.base.total[sample.lvl == sample.lvl[sample.i]]
        rest = [t for k, t in enumerate(sample.base.total) if sample.lvl[k] == sample.lvl[sample.i] and k != sample.i]
        expect(bar(page, "rank")).to_contain_text(f"{rank_among(want, rest)} / {len(cohort)}")
        expect(bar(page, "band")).to_have_text(sample.rb.band(want))
        expect(total_metric(page)).to_have_text(fmt_points(want))  # the server agrees once the rerun lands
        slider.press("End")  # the slider's last position: the lever's exact room, the far end of its curve
        top = sample.total({"e_results": sample.room("e_results").steps_up})
        expect(bar(page, "total")).to_have_text(fmt_points(top))
        expect(total_metric(page)).to_have_text(fmt_points(top))
        page.mouse.wheel(0, 2500)
        expect(slider).not_to_be_in_viewport()
        box = page.locator(".st-key-score_bar").bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= size[1] / 3
        expect(bar(page, "total")).to_be_in_viewport()
    finally:
        ctx.close()
