"""Issue 22 item 14: the page's state lives in the address on every page (source, rulebook, period, unit and
the page's main choice), so F5, the back button and a copied address reopen the same view.

AppTest keeps the query string the script wrote (``at.query_params``), as the browser's address bar does.
«Reopen» is a new session whose first run has the old address (F5, a copied link); «back» is the same session
given an earlier address in a run the browser marks as a history step (``history_step``); a stale request is the
same session given an older address in an ordinary run (a click sent before our last write reached the browser).
"""
from __future__ import annotations

import functools

import pytest
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest

from conftest import APP, open_tab

TAY_NINH, WARD, RB_2022 = "tay-ninh", "000.20.30.H53", "qd766-2022"  # UBND Phường 1, Tây Ninh 02/2023
PAGES = ["pages/overview.py", "pages/unit.py", "pages/simulate.py", "pages/plan.py", "pages/data.py",
         "pages/policy.py", "pages/guide.py"]


def new_session() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    return at


def open_address(page: str, params: dict) -> AppTest:
    """A browser opening this address: a new session's first run is this page with this query string."""
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def history_step(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``at`` as the browser does after «back»/«forward»: its rerun request says it is a history step."""
    with monkeypatch.context() as m:
        m.setattr("streamlit.testing.v1.local_script_runner.RerunData",
                  functools.partial(RerunData, is_history_navigation=True))
        at.run()


def tay_ninh_ward(page: str) -> AppTest:
    """Tây Ninh, UBND Phường 1, chosen by hand on ``page``."""
    at = new_session()
    at.session_state["data_source"] = TAY_NINH
    at.session_state["unit_code"] = WARD
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_writes_source_rulebook_and_unit_into_the_address(page):
    at = tay_ninh_ward(page)
    assert at.query_params["src"] == TAY_NINH
    assert at.query_params["rb"] == RB_2022
    assert at.query_params["unit"] == WARD
    assert at.query_params["period"] == "2023-02"


@pytest.mark.parametrize("page", PAGES)
def test_reopening_the_address_gives_the_same_view(page):
    address = dict(tay_ninh_ward(page).query_params)
    at = open_address(page, address)
    assert at.session_state["data_source"] == TAY_NINH
    assert at.session_state["rulebook_choice"] == RB_2022
    assert at.session_state["unit_code"] == WARD
    assert dict(at.query_params) == address


def test_unit_address_opens_that_unit():
    """«/unit?unit=H44.100 ignores the unit»."""
    at = open_address("pages/unit.py", {"unit": "H44.100"})
    assert at.session_state["unit_code"] == "H44.100"
    assert at.selectbox(key="unit_pick_unit").value == "H44.100"


def test_the_planner_keeps_tay_ninh_ward_and_target():
    """«On Lập kế hoạch, Tây Ninh/Phường 1 silently becomes Phú Thọ/province»; the typed target stays too."""
    at = tay_ninh_ward("pages/plan.py")
    at.selectbox(key="plan_target_kind").set_value("custom").run()
    at.text_input(key="plan_target_text").input("72,5").run()
    address = dict(at.query_params)
    assert address["target"] == "72,5"
    again = open_address("pages/plan.py", address)
    assert again.session_state["unit_code"] == WARD
    assert again.selectbox(key="plan_target_kind").value == "custom"
    assert again.text_input(key="plan_target_text").value == "72,5"


def test_the_open_tab_is_in_the_address():
    at = tay_ninh_ward("pages/data.py")
    at = open_tab(at, "data_tab", "Cả bảng")
    assert at.query_params["data_tab"] == "ca-bang"
    again = open_address("pages/data.py", dict(at.query_params))
    assert again.session_state["data_tab"] == "Cả bảng"


def test_back_to_an_earlier_address_restores_its_unit_and_source(monkeypatch):
    at = tay_ninh_ward("pages/unit.py")
    earlier = dict(at.query_params)
    at.session_state["data_source"] = "phu-tho"
    at.run()
    assert at.query_params["src"] == "phu-tho"
    at.query_params.clear()
    at.query_params.update(earlier)  # the back button
    history_step(at, monkeypatch)
    assert at.session_state["data_source"] == TAY_NINH
    assert at.session_state["unit_code"] == WARD


def test_a_stale_address_never_undoes_what_the_user_just_did(sample):
    """CI, a loaded machine: a shared link opened, the scenario's name typed while the first run was still
    writing «name=…» into the address. The browser's request still carried the link's address, which was
    taken as a new link: the typed name went back to «Kịch bản từ liên kết» and was saved under that name."""
    link = {"src": "phu-tho", "rb": "portal-2026", "unit": sample.first("commune"), "lv": "e_results:40"}
    at = open_address("pages/simulate.py", link)
    assert at.query_params["name"] == "Kịch bản từ liên kết"
    at.text_input(key="sim_name").input("Họp giao ban")
    at.query_params.clear()
    at.query_params.update(link)  # the request left the browser before «name=…» reached it
    at.run()
    assert at.session_state["sim"].name == "Họp giao ban"
    assert at.session_state["sim"].levers == {"e_results": 40}
    assert at.query_params["name"] == "Họp giao ban"  # and the address is ours again


def test_an_unknown_unit_in_the_address_is_said():
    at = open_address("pages/unit.py", {"src": "phu-tho", "unit": "KHONGCO9"})
    assert any("KHONGCO9" in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_simulators_levers_survive_f5_on_another_page(sample):
    """F5 on Đơn vị, then Mô phỏng: the levers moved for this unit are still there (they ride in the
    address of every page while their unit is open)."""
    code = sample.first("commune")
    at = open_address("pages/simulate.py", {"src": "phu-tho", "unit": code, "lv": "e_results:40"})
    assert at.session_state["sim"].levers == {"e_results": 40}
    at.switch_page("pages/unit.py").run()
    assert at.query_params["lv"] == "e_results:40"
    again = open_address("pages/unit.py", dict(at.query_params))
    assert again.query_params["lv"] == "e_results:40"  # not applied yet, not dropped either
    again.switch_page("pages/simulate.py").run()
    assert again.session_state["sim"].levers == {"e_results": 40}


def test_another_unit_drops_the_levers_from_the_address(sample):
    code, other = sample.first("commune"), sample.first("department")
    at = open_address("pages/simulate.py", {"src": "phu-tho", "unit": code, "lv": "e_results:40"})
    at.switch_page("pages/unit.py").run()
    at.selectbox(key="unit_pick_unit").set_value(other).run()
    assert at.query_params["unit"] == other and "lv" not in at.query_params


@pytest.mark.parametrize("page", ["pages/data.py", "pages/guide.py", "pages/plan.py", "pages/policy.py"])
def test_a_page_at_its_default_choice_leaves_the_address_as_the_menu_left_it(page):
    """The browser adds a history entry for each change of the address: a page opened through the menu at its
    default tab/target/rule writes nothing of its own, so one press of «back» leaves it."""
    at = tay_ninh_ward("pages/unit.py")
    before = dict(at.query_params)
    at.switch_page(page).run()
    assert dict(at.query_params) == before
