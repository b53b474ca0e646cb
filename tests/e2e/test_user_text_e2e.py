"""In Chromium: user text is never a link or markup. Streamlit's markdown autolinks bare «https://…» and
«www.…» even when escaped, and plotly draws <a href> and <b> in its labels; each place where user text
shows is opened with all four payloads in it, and the page (the chart's SVG included) must hold no <a>
pointing at evil.example and no bold from user text. The markdown sources: tests/app/test_user_text_markup.py."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from chiso.calibration import baseline
from chiso.edits import Revision
from chiso.plan.solver import plan_unit
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as get_sample
from chiso.workspace import open_workspace
from conftest import free_port, start_server, stop_server

RB = load_rulebook("portal-2026")
PAYLOADS = ("https://evil.example/x", "www.evil.example", '<a href="https://evil.example">x</a>', "<b>bold</b>")
HOSTILE = " ".join(PAYLOADS)

# every <a> (HTML, or SVG's xlink:href in plotly) aiming at evil.example, and every bold «bold»: <b>/<strong>
# from markdown or HTML, a bold <tspan> from plotly
_FIND_LIVE = """() => {
  const XLINK = 'http://www.w3.org/1999/xlink';
  const links = [...document.querySelectorAll('a')]
    .map(a => a.getAttribute('href') || a.getAttributeNS(XLINK, 'href') || '')
    .filter(h => h.includes('evil.example'));
  const bold = [...document.querySelectorAll('b, strong, tspan')]
    .filter(e => e.textContent.trim() === 'bold')
    .filter(e => e.tagName.toLowerCase() !== 'tspan' || /bold/.test(e.getAttribute('style') || ''));
  return {links, bold: bold.map(e => e.outerHTML)};
}"""


def seed(url: str) -> str:
    """A workspace holding the user text: a stored file (name and period), a saved plan, a revision's
    author, all on the Phú Thọ sample. Returns the unit they are about."""
    ws = open_workspace(url)
    q3 = load_sample(get_sample("phu-tho"), RB)
    code = str(q3.frame["unit_code"].iloc[0])  # the unit each page opens on
    ws.import_table(replace(q3, frame=q3.frame.assign(period=HOSTILE)), HOSTILE, "h", RB.id)
    ws.save_plan(HOSTILE, plan_unit(q3, baseline(q3, RB), code, 100).to_dict(), "sample:phu-tho", period="2026-Q3")
    key = RB.inputs[0].key
    ws.add_revision("sample:phu-tho", RB.id, Revision(code, key, 1.0, 2.0, datetime.now(timezone.utc), HOSTILE))
    return code


@pytest.fixture(scope="module")
def seeded(browser, tmp_path_factory):
    env = {"CHISO_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('markup') / 'workspace.sqlite3'}"}
    code = seed(env["CHISO_DATABASE_URL"])
    port = free_port()
    proc = start_server(port, env)
    try:
        yield f"http://127.0.0.1:{port}", code
    finally:
        stop_server(proc)


def _link_name(page, url: str, code: str):
    page.goto(f"{url}/simulate?{urlencode({'src': 'phu-tho', 'unit': code, 'name': HOSTILE})}")
    return page.get_by_text("Đã áp dụng kịch bản")


def _stored_file(page, url: str, code: str):
    page.goto(f"{url}/unit")
    page.get_by_role("combobox", name="Nguồn dữ liệu").click()
    page.get_by_role("option", name=re.compile("^Đã lưu")).click()
    return page.get_by_text(re.compile("^Nguồn: Đã lưu")).first


def _history_chart(page, url: str, code: str):
    page.goto(f"{url}/unit")
    page.get_by_text("Biểu đồ qua các kỳ").click()
    return page.locator(".js-plotly-plot .xtick text").last


def _saved_plan(page, url: str, code: str):
    page.goto(f"{url}/plan")
    return page.get_by_text("Kế hoạch đã lưu của đơn vị này")


def _author(page, url: str, code: str):
    page.goto(f"{url}/data")
    page.get_by_role("tab", name="Các lần sửa").click()
    return page.get_by_role("button", name="Hoàn tác lần lưu gần nhất của bạn")


PLACES = {"share link name": _link_name, "stored file name": _stored_file, "period in the history chart": _history_chart,
          "saved plan name": _saved_plan, "author of a revision": _author}


@pytest.mark.parametrize("place", list(PLACES))
def test_user_text_is_never_a_link_or_markup(page, seeded, place):
    url, code = seeded
    shown = PLACES[place](page, url, code)
    expect(shown).to_be_visible(timeout=90_000)
    if place != "author of a revision":  # the revisions table is a canvas: its cells are not in the DOM
        assert "<b>bold</b>" in page.locator("body").text_content()  # the user text is shown, as text
    found = page.evaluate(_FIND_LIVE)
    assert found == {"links": [], "bold": []}, found
