"""Shared sidebar: sample → its rulebook, choices survive page switches, synthetic-data notice."""
from __future__ import annotations

from chiso.samples import available_samples

from conftest import AppTest, APP


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
