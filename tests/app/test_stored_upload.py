"""An upload enters the workspace only when the user says so («Lưu tệp vào cơ sở dữ liệu làm việc»); from
then on every session lists it as a data source («Đã lưu: …»), with the same scores, and hand revisions
and scenarios made on it are kept under ``dataset:<id>``. Storing the same file again changes nothing;
other content under the same name and period asks, then becomes a new version (the old one is kept)."""
from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from chiso.calibration import baseline
from chiso.fmt import fmt_points
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.workspace import open_workspace

from conftest import APP, metric, open_page

CSV = Path(__file__).resolve().parents[2] / "sample_data" / "canonical" / "tay-ninh-2023-02.csv"
RB = load_rulebook("qd766-2022")


def upload() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["data_source"] = "__upload__"
    at.session_state["rulebook_choice"] = RB.id
    at.run()
    at.sidebar.file_uploader(key="uploader").upload(CSV.name, CSV.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stored() -> list:
    return open_workspace(os.environ["CHISO_DATABASE_URL"]).datasets()


def test_an_upload_is_stored_only_when_asked_and_then_opens_in_a_new_session():
    at = upload()
    assert stored() == []  # uploading alone keeps nothing
    at = at.sidebar.button(key="store_upload").click().run()
    assert not at.exception
    [info] = stored()
    assert (info.period, info.rulebook) == ("2023-02", RB.id)
    assert at.session_state["data_source"] == f"ds:{info.id}"
    again = open_page(state={"data_source": f"ds:{info.id}", "rulebook_choice": RB.id})  # a new session
    table = load_paths([CSV], RB)
    base = baseline(table, RB)
    again.switch_page("pages/unit.py").run()
    code = str(again.session_state["unit_code"])  # the unit the page shows
    assert metric(again, "Điểm tính lại").value == fmt_points(base.total[base.position(code)])
    picker = again.sidebar.selectbox(key="_w_data_source")
    assert picker.value == f"ds:{info.id}"
    assert any(o.startswith("Đã lưu: ") and "2023-02" in o for o in picker.options)
    upload().sidebar.button(key="store_upload").click().run()  # the same file again: replaced, not doubled
    assert [d.id for d in stored()] == [info.id]


def test_storing_other_content_under_a_stored_name_and_period_asks_then_keeps_the_old_version():
    upload().sidebar.button(key="store_upload").click().run()
    [info] = stored()
    changed = CSV.read_bytes().replace(b";365;365;", b";366;365;", 1)  # Phường 1 received one more dossier
    assert changed != CSV.read_bytes()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["data_source"] = "__upload__"
    at.session_state["rulebook_choice"] = RB.id
    at.run()
    at = at.sidebar.file_uploader(key="uploader").upload(CSV.name, changed, "text/csv").run()
    at = at.sidebar.button(key="store_upload").click().run()
    assert any("phiên bản mới" in w.value for w in at.sidebar.warning), "asked, not replaced"
    ws = open_workspace(os.environ["CHISO_DATABASE_URL"])
    assert [v.version for v in ws.dataset_versions(info.id)] == [1]
    at = at.sidebar.button(key="store_new_version_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [(v.version, v.in_use) for v in ws.dataset_versions(info.id)] == [(2, True), (1, False)]
    assert [d.id for d in stored()] == [info.id]
    assert ws.audit_entries()[0].action == "replace_dataset"
