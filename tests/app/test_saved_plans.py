"""Saved plans: «Lưu kế hoạch» keeps a plan in the workspace database (a new session still lists it),
an existing name asks before overwriting, and a plan saved on Phú Thọ 2026-Q2 (synthetic earlier period)
is held against 2026-Q3 step by step. Expectations come from chiso.plan.solver and chiso.history."""
from __future__ import annotations

import os

from chiso.history import plan_progress
from chiso.plan.solver import plan_unit
from chiso.samples import load_sample, sample as get_sample
from chiso.calibration import baseline
from chiso.rulebook import load_rulebook
from chiso.workspace import open_workspace
from ui.safe_md import md

from conftest import open_page

RB = load_rulebook("portal-2026")
Q2, Q3 = "phu-tho-q2-gia-lap", "phu-tho"


def a_commune(key: str) -> tuple[str, float]:
    """A commune of the Q2 sample and a target it can reach with changes (so the plan has steps)."""
    table = load_sample(get_sample(key), RB)
    base = baseline(table, RB)
    f = table.frame
    for code in f.loc[f["level"] == "commune", "unit_code"]:
        now = float(base.total[base.position(code)])
        best = plan_unit(table, base, code, 100).best_reachable
        if best - now > 1:
            return str(code), round(now + 1, 2)
    raise AssertionError("no commune with room to improve")


def plan_and_save(key: str, code: str, target: float, name: str):
    at = open_page("pages/plan.py", state={"data_source": key, "unit_code": code, "plan_target_kind": "custom"})
    at.text_input(key="plan_target_text").input(str(target).replace(".", ",")).run()
    at.button(key="plan_solve").click().run()
    at.text_input(key=f"plan_name_{code}").input(name).run()
    return at.button(key="plan_save").click().run()


def stored_plans() -> list:
    return open_workspace(os.environ["CHISO_DATABASE_URL"]).saved("plan", None, RB.id)


def test_a_saved_plan_survives_a_new_session_and_a_same_name_asks_first():
    code, target = a_commune(Q3)
    at = plan_and_save(Q3, code, target, "Kế hoạch quý 4")
    assert not at.exception
    assert "Đã lưu kế hoạch «Kế hoạch quý 4»" in at.success[-1].value
    [item] = stored_plans()
    assert (item.name, item.unit_code, item.source_key, item.period) == ("Kế hoạch quý 4", code, "sample:phu-tho", "2026-Q3")
    again = open_page("pages/plan.py", state={"data_source": Q3, "unit_code": code})  # a new session
    assert any("Kế hoạch quý 4" in m.value for m in again.markdown)
    at = plan_and_save(Q3, code, target + 0.5, "Kế hoạch quý 4")
    assert "Đã có kế hoạch tên «Kế hoạch quý 4»" in at.warning[0].value
    assert stored_plans()[0].body["target"] == item.body["target"]  # nothing overwritten yet
    at = at.button(key="plan_overwrite_yes").click().run()
    assert "Đã ghi đè kế hoạch" in at.success[-1].value
    assert stored_plans()[0].body["target"] == target + 0.5 and len(stored_plans()) == 1


def test_a_plan_of_the_earlier_period_is_held_against_the_period_open_now():
    code, target = a_commune(Q2)
    plan_and_save(Q2, code, target, "Kế hoạch từ quý 2")
    [item] = stored_plans()
    later = load_sample(get_sample(Q3), RB)
    want = plan_progress(item.name, item.body, later, RB)
    at = open_page("pages/plan.py", state={"data_source": Q3, "unit_code": code})
    texts = [m.value for m in at.markdown]
    assert md(want.summary_vi) in texts
    assert f"đạt {want.reached_steps}/{len(want.steps)} bước" in want.summary_vi
    for step in want.steps:
        assert any(md(step.text_vi) in t for t in texts)


def test_a_saved_plan_can_be_renamed_and_deleted():
    code, target = a_commune(Q3)
    at = plan_and_save(Q3, code, target, "Kế hoạch cũ")
    [item] = stored_plans()
    at.text_input(key=f"plan_new_name_{item.id}").input("Kế hoạch quý 1").run()
    at = at.button(key=f"plan_rename_{item.id}").click().run()
    assert not at.exception
    assert [(i.name, i.version) for i in stored_plans()] == [("Kế hoạch quý 1", item.version + 1)]
    at.button(key=f"plan_delete_{item.id}").click().run()
    assert len(stored_plans()) == 1, "the first click only asks"
    at.button(key=f"plan_delete_{item.id}_yes").click().run()
    assert stored_plans() == []
