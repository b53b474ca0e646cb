"""Shared sidebar: sample → its rulebook, choices survive page switches, synthetic-data notice."""
from __future__ import annotations

from pathlib import Path

from chiso.samples import available_samples

from conftest import AppTest, APP, open_page


def test_sidebar_choices_follow_the_sample_and_survive_page_switches():
    keys = {s.key: s for s in available_samples()}
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    other = next((s for s in keys.values() if s.rulebook != keys[at.selectbox(key="_w_data_source").value].rulebook),
                 None)
    if other is None:  # only one rulebook among the samples: switch the rulebook by hand instead
        other = next(iter(keys.values()))
    at.selectbox(key="_w_data_source").set_value(other.key).run()
    assert at.selectbox(key="_w_rulebook_choice").value == other.rulebook
    assert any(f"**{other.rulebook}**" in c.value for c in at.caption)
    for page in ("pages/unit.py", "pages/simulate.py", "pages/policy.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.selectbox(key="_w_data_source").value == other.key
        assert at.selectbox(key="_w_rulebook_choice").value == other.rulebook
        assert any(other.rulebook in c.value for c in at.caption)  # the version is named on every screen


def test_synthetic_data_is_flagged():
    synthetic = [s for s in available_samples() if s.synthetic]
    assert synthetic, "the synthetic national sample is registered in chiso/samples.py"
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["data_source"] = synthetic[0].key
    at.run()
    assert any("không phải số liệu chính thức" in w.value for w in at.sidebar.warning)
    assert any("không phải số liệu chính thức" in c.value for c in at.caption)


def test_bundled_sample_notes_are_folded_and_the_synthetic_warning_said_once():
    at = open_page(query={"src": "tay-ninh"})
    assert not at.sidebar.info, [i.value for i in at.sidebar.info]  # no stack of raw import notes
    notes = [e for e in at.sidebar.expander if e.label.startswith("Ghi chú khi đọc dữ liệu mẫu")]
    assert len(notes) == 1 and "(5)" in notes[0].label
    at = open_page(query={"src": "gia-lap"})
    said = [w.value for w in at.sidebar.warning] + [i.value for i in at.sidebar.info] + [
        m.value for m in at.sidebar.markdown]
    assert sum("giả lập" in v and "không phải số liệu chính thức" in v for v in said) + sum(
        "mô phỏng, không phải số liệu chính thức" in v for v in said) == 1, said


def test_rulebook_picker_names_each_version():
    at = open_page()
    box = next(b for b in at.sidebar.selectbox if b.label == "Bộ quy tắc tính điểm (phiên bản)")
    shown = box.options  # the labels the user sees
    assert all(" · " in o and "nhóm" in o for o in shown), shown


def test_projector_view_from_the_link_hides_sidebar_notes_and_enlarges_type():
    at = open_page("pages/guide.py", query={"src": "tay-ninh", "view": "projector"})
    assert at.sidebar.toggle(key="_w_projector").value is True
    assert not [e for e in at.sidebar.expander if e.label.startswith("Ghi chú khi đọc")]


def test_an_upload_opens_under_the_rulebook_of_its_period():
    """Issue 23: the period picks the rulebook. Tây Ninh's report of 02/2023 uploaded as a file opens under
    qd766-2022 (no choice by hand), a Phú Thọ 2026-Q3 file under portal-2026."""
    root = Path(APP).parent / "sample_data"
    for path, expected in ((root / "bao-cao-thang" / "tay-ninh-2023-02.xlsx", "qd766-2022"),
                           (root / "canonical" / "phu-tho-2026-q3.csv", "portal-2026")):
        at = AppTest.from_file(str(APP), default_timeout=90)
        at.session_state["data_source"] = "__upload__"
        at.run()
        at.sidebar.file_uploader(key="uploader").upload(path.name, path.read_bytes(), "application/octet-stream").run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["rulebook_choice"] == expected, path.name
