"""Shared links with any subset of parameters: no rb means the data's rulebook; a link made on uploaded
data names the file the recipient must load, and opens once that file is uploaded."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import APP
from ui.safe_md import md

SIM = "pages/simulate.py"
CANONICAL = Path(__file__).parents[2] / "sample_data" / "canonical" / "phu-tho-2026-q3.csv"


def open_link(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(SIM).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_link_without_rb_uses_the_samples_rulebook(sample):
    code = sample.first("commune")
    at = open_link({"src": "phu-tho", "unit": code, "lv": "e_results:40"})
    assert not any("None" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["sim"].rb == sample.rb.id
    assert at.session_state["sim"].levers == {"e_results": 40}


def test_link_with_only_a_unit_opens_it(sample):
    code = sample.first("commune")
    at = open_link({"unit": code})
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["unit_code"] == code


def test_link_to_uploaded_data_names_the_file_and_opens_after_upload(sample):
    code = sample.first("commune")
    at = open_link({"file": CANONICAL.name, "unit": code, "lv": "e_results:40", "rb": "portal-2026"})
    assert any(md(CANONICAL.name) in i.value and "Tải tệp lên" in i.value for i in at.info), [i.value for i in at.info]
    assert not at.error, [e.value for e in at.error]
    # the recipient uploads the named file: the scenario opens
    at.session_state["data_source"] = "__upload__"
    at.run()
    at.sidebar.file_uploader(key="uploader").upload(CANONICAL.name, CANONICAL.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["unit_code"] == code
    assert at.session_state["sim"].levers == {"e_results": 40}


def test_link_made_on_uploaded_data_carries_the_file_name(sample):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["data_source"] = "__upload__"
    at.run()
    at.sidebar.file_uploader(key="uploader").upload(CANONICAL.name, CANONICAL.read_bytes(), "text/csv").run()
    at.switch_page(SIM).run()
    link = next(c.value for c in at.code)
    assert "file=" + CANONICAL.name in link and "src=" not in link


def test_a_link_longer_than_the_server_opens_is_not_made(sample, monkeypatch):
    """Over ui.long_links.MAX_LINK_CHARS the server answers 414 (tests/test_long_links.py): the popover says
    so in Vietnamese instead of offering the link, and the address bar is not set to it."""
    import ui.long_links

    monkeypatch.setattr(ui.long_links, "MAX_LINK_CHARS", 300)
    code = sample.first("commune")
    at = open_link({"src": "phu-tho", "unit": code, "lv": "e_results:40", "name": "Kịch bản " + "rất dài " * 40})
    assert not at.code, [c.value for c in at.code]
    assert any("quá giới hạn 300 ký tự" in w.value for w in at.warning), [w.value for w in at.warning]
    short = open_link({"src": "phu-tho", "unit": code, "lv": "e_results:40", "name": "Ngắn"})
    assert any("name=Ng" in c.value for c in short.code)
