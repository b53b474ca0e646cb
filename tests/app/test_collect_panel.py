"""«Tải từ Cổng DVCQG» on the Số liệu page: a collection runs in the heavy-job queue against the local fake
portal, and the stored dataset becomes the data source; a refusal is a Vietnamese message and stores
nothing; an account that may not store datasets does not see the panel."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chiso import jobs
from chiso.collect import client
from chiso.collect.periods import parse_period
from chiso.collect.provinces import find_province
from chiso.jobs import JobQueue
from chiso.fmt import fmt_time
from chiso.workspace import open_workspace
from chiso.workspace.access import Role
from ui import collect_panel

from conftest import APP, open_page, unescape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_portal import FakePortal  # noqa: E402

PAGE = "pages/data.py"


@pytest.fixture
def portal(monkeypatch):
    monkeypatch.setattr(jobs, "HEAVY", JobQueue(slots=1))
    monkeypatch.setattr(collect_panel, "DELAY_S", 0.0)
    monkeypatch.setattr(client, "RETRY_PAUSE_S", 0.0)
    with FakePortal() as fake:
        monkeypatch.setenv("CHISO_PORTAL_URL", fake.url)
        yield fake


def collect_q3(at: AppTest) -> AppTest:
    at.selectbox(key="collect_province").set_value(find_province("H44"))
    at.selectbox(key="collect_period").set_value(parse_period("2026-Q3"))
    at.button(key="collect_start").click().run()
    assert at.session_state["collect_job"]["job"].wait(60), "the collection did not finish"
    return at.run()


def test_a_collection_in_the_app_becomes_the_data_source(portal):
    at = collect_q3(open_page(PAGE))
    assert not at.exception, [e.value for e in at.exception]
    [info] = open_workspace(os.environ["CHISO_DATABASE_URL"]).datasets()
    assert (info.source, info.period) == ("Cổng DVCQG · Phú Thọ", "2026-Q3")
    assert at.session_state["data_source"] == f"ds:{info.id}" and portal.max_in_flight == 1
    assert any("Đã lưu «Cổng DVCQG · Phú Thọ», kỳ 2026-Q3, 164 đơn vị" in unescape(s.value) for s in at.success)
    when = fmt_time(info.imported_at)  # and the panel says how fresh each collected source is
    assert any(f"Đã tải: Cổng DVCQG · Phú Thọ kỳ 2026-Q3 lúc {when}" in unescape(c.value) for c in at.caption)


def test_a_refusal_of_the_portal_is_a_message_and_stores_nothing(portal):
    portal.misbehave("403", "transparency")
    at = collect_q3(open_page(PAGE))
    assert not at.exception
    assert any("HTTP 403" in unescape(e.value) and "Chưa lưu gì" in unescape(e.value) for e in at.error)
    assert open_workspace(os.environ["CHISO_DATABASE_URL"]).datasets() == []


def test_an_account_that_may_not_store_datasets_does_not_see_the_panel(portal, monkeypatch):
    ws = open_workspace(os.environ["CHISO_DATABASE_URL"])
    ws.add_account("phuong1", Role.UNIT, ("000.20.30.H53",), "UBND Phường 1", "mật khẩu đủ dài cho phường")
    ws.add_account("tonghop", Role.AGGREGATOR, ("000.00.30.H53",), "Chị Lan", "mật khẩu đủ dài cho tổng hợp")
    ws.close()
    monkeypatch.setenv("CHISO_AUTH", "password")
    seen = {}
    for login, password in [("phuong1", "mật khẩu đủ dài cho phường"), ("tonghop", "mật khẩu đủ dài cho tổng hợp")]:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["data_source"] = "tay-ninh"
        at.session_state["rulebook_choice"] = "qd766-2022"
        at.run()
        at.text_input(key="signin_login").input(login)
        at.text_input(key="signin_password").input(password)
        at.button(key="signin_submit").click().run()
        at.switch_page(PAGE).run()
        assert not at.exception, [e.value for e in at.exception]
        seen[login] = any(b.key == "collect_start" for b in at.button)
    assert seen == {"phuong1": False, "tonghop": True}


def test_progress_per_endpoint_then_cancel_stores_nothing(portal):
    portal.misbehave("slow", "dvc-progress-tree")  # the fourth endpoint answers after 1,5 s
    portal.slow_seconds = 1.5
    at = open_page(PAGE)
    at.selectbox(key="collect_province").set_value(find_province("H44"))
    at.selectbox(key="collect_period").set_value(parse_period("2026-Q3"))
    at.button(key="collect_start").click().run()
    job = at.session_state["collect_job"]["job"]
    deadline = time.monotonic() + 30
    while job.progress < 0.5 and time.monotonic() < deadline:
        time.sleep(0.02)
    at.run()
    bar = at.get("progress")[0].proto
    assert "Đã tải 3/6 nhóm; đang: Tiến độ giải quyết «dvc-progress-tree»" in bar.text
    at.button(key="collect_cancel").click().run()
    assert job.wait(30) and job.state == "cancelled"
    at.run()
    assert any("Đã hủy tải từ Cổng DVCQG; chưa lưu gì" in unescape(w.value) for w in at.warning)
    assert open_workspace(os.environ["CHISO_DATABASE_URL"]).datasets() == []
