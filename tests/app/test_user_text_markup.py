"""User text never becomes a link or markup: a share link's scenario name, an uploaded scenario's name, a
saved plan's name, a stored file's name and a period label reach the page only escaped by ``ui.safe_md.md``
(which also breaks GFM autolinks), and the history chart gets them through ``ui.charts.plot_text``.
The browser's view of the same places: tests/e2e/test_user_text_e2e.py."""
from __future__ import annotations

import json
import re
from dataclasses import replace

from chiso.plan.solver import plan_unit
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as get_sample
from chiso.scenario import SCHEMA_VERSION
from chiso.workspace import open_workspace
from conftest import open_page
from ui.safe_md import md

RB = load_rulebook("portal-2026")
PAYLOADS = ("https://evil.example/x", "www.evil.example", '<a href="https://evil.example">x</a>', "<b>bold</b>")
HOSTILE = " ".join(PAYLOADS)  # every payload in one piece of user text
# what markdown would turn into a link or a tag: an unbroken «://», «www.», or a «<» not escaped
_LIVE = re.compile(r"://|www\.|(?<!\\)<", re.IGNORECASE)
_MARKDOWN_KINDS = ("markdown", "caption", "success", "info", "warning", "error", "toast")


def rendered_markdown(at) -> list[str]:
    """Every string the page renders as markdown: text elements, and the labels and help of widgets,
    expanders and metrics (Streamlit renders those as markdown too; a selectbox's options are not)."""
    texts = [e.value for kind in _MARKDOWN_KINDS for e in at.get(kind)]
    for node in _walk(at._tree):
        texts += [v for v in (getattr(node, "label", None), getattr(node, "help", None)) if isinstance(v, str)]
    return texts


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def assert_nothing_live(at, must_show: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    texts = rendered_markdown(at)
    assert any(md(must_show) in t for t in texts), texts  # the user text is on the page, escaped
    live = [t for t in texts if _LIVE.search(t)]
    assert not live, live


def store_hostile_period(url: str) -> str:
    """The Phú Thọ units stored under a hostile file name and period; returns the sidebar source key."""
    q3 = load_sample(get_sample("phu-tho"), RB)
    [ds] = open_workspace(url).import_table(replace(q3, frame=q3.frame.assign(period=HOSTILE)), HOSTILE, "h", RB.id)
    return f"ds:{ds}"


def test_a_share_links_scenario_name(sample):
    code = sample.first("commune")
    at = open_page("pages/simulate.py", query={"src": "phu-tho", "unit": code, "lv": "e_results:4", "name": HOSTILE})
    assert_nothing_live(at, HOSTILE)


def test_an_uploaded_scenarios_name(sample):
    code = sample.first("commune")
    at = open_page("pages/simulate.py", state={"unit_code": code, "sim_tabs": "Tải lên / tải về"})
    doc = {"schema_version": SCHEMA_VERSION, "name": HOSTILE, "rulebook": RB.id, "unit_code": code,
           "levers": {"e_results": 3}}
    at.file_uploader(key="sim_upload").upload("kb.json", json.dumps(doc).encode(), "application/json").run()
    assert_nothing_live(at, HOSTILE)


def test_a_saved_plans_name(sample, own_workspace):
    code = sample.first("commune")
    body = plan_unit(sample.table, sample.base, code, 100).to_dict()
    open_workspace(own_workspace).save_plan(HOSTILE, body, "sample:phu-tho", period="2026-Q3")
    at = open_page("pages/plan.py", state={"unit_code": code})
    assert_nothing_live(at, HOSTILE)


def test_a_stored_files_name_and_period_on_every_page(sample, own_workspace):
    source = store_hostile_period(own_workspace)
    for page in ("pages/unit.py", "pages/simulate.py", "pages/plan.py", "pages/data.py", "pages/policy.py"):
        at = open_page(page, state={"data_source": source, "unit_code": sample.first("commune")})
        assert_nothing_live(at, HOSTILE)


def test_a_period_in_the_history_and_its_chart(sample, own_workspace):
    store_hostile_period(own_workspace)
    at = open_page("pages/unit.py", state={"unit_code": sample.first("commune"), "unit_history_open": True})
    assert_nothing_live(at, HOSTILE)
    [chart] = at.get("plotly_chart")
    spec = chart.proto.spec
    assert "<a" not in spec and "<b>" not in spec and "\\u003ca" not in spec.lower()
    assert "&lt;a href" in spec  # the period is there, escaped for plotly
