"""Lập kế hoạch: plan for a sample ward, apply it to the simulator, locks/caps/weights, unreachable targets,
and many units at once (summary + Excel). Every expectation comes from chiso.plan.solver and the engine."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from chiso.calibration import baseline
from chiso.cohort import rank_among
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_points, parse_vn_number
from chiso.plan.setup import batch_targets, counts, parents_of, scope_rows, status_vi
from chiso.plan.solver import plan_table, plan_unit
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample
from chiso.samples import sample as get_sample
from chiso.scenario import simulate
from chiso.plan.targets import cohort_target, target_presets
from ui.plan_view import LEVERS_FOLD
from ui.safe_md import md

from conftest import metric, open_page, solve_batch

PLAN = "pages/plan.py"


def ward(sample) -> str:
    """A sample ward (phường) whose best reachable score is below 100 (so 100 is unreachable)."""
    f = sample.frame
    for code in f.loc[(f["level"] == "commune") & f["unit_name"].str.contains("Phường"), "unit_code"]:
        if plan_unit(sample.table, sample.base, code, 100).best_reachable < 100:
            return str(code)
    raise AssertionError("no ward in the sample")


def engine_total(sample, code: str, deltas: dict[str, int]) -> float:
    i = sample.index(code)
    d = np.array([[deltas.get(lv.key, 0) for lv in sample.rb.levers]], dtype=float)
    s = simulate(sample.x[i][None], sample.level_idx[i:i + 1], sample.rb, d, sample.base.held[i:i + 1])
    return float(s.total[0])


def midway_target(sample, code: str) -> float:
    """Halfway between the unit's score and the best it can reach: reachable, and not already reached."""
    best = plan_unit(sample.table, sample.base, code, 100).best_reachable
    return round((float(sample.base.total[sample.index(code)]) + best) / 2, 2)


def open_plan(sample, code: str):
    at = open_page(PLAN)
    at.selectbox(key="unit_pick_plan").set_value(code).run()
    assert at.session_state["unit_code"] == code
    return at


def set_target(at, value: float):
    at.selectbox(key="plan_target_kind").set_value("custom").run()
    at.text_input(key="plan_target_text").input(fmt_number(value, 2)).run()  # typed the Vietnamese way


def edit_levers(at, sample, edits: dict[str, dict]):
    """Open the constraints fold and edit its table as the browser does: {row: {column: value}}."""
    at.session_state[LEVERS_FOLD] = True  # what opening the fold sends; the editor is built only while open
    at.run()
    keys = [lv.key for lv in sample.rb.levers]
    at.session_state[f"plan_levers_{sample.rb.id}"] = {
        "edited_rows": {keys.index(k): v for k, v in edits.items()}, "added_rows": [], "deleted_rows": []}
    at.run()


def shown_steps(at, n: int = 0) -> list[str]:
    return list(at.table[n].value["Việc cần làm"])


def test_plan_for_a_ward_reaches_the_target_and_applies(sample):
    code = ward(sample)
    i = sample.index(code)
    target = midway_target(sample, code)
    at = open_plan(sample, code)
    assert metric(at, "Điểm hiện tại (Điểm tính lại)").value == fmt_points(sample.base.total[i])
    set_target(at, target)
    at.button(key="plan_solve").click().run()
    assert not at.exception

    want = plan_unit(sample.table, sample.base, code, target)
    assert want.feasible and want.steps
    got = at.session_state["plan_last"]["plan"]
    assert got.deltas == want.deltas
    assert engine_total(sample, code, got.deltas) >= target  # the engine agrees: the target is reached
    assert at.success[0].value == want.message_vi
    assert metric(at, "Điểm sau kế hoạch").value == fmt_points(want.final_score)
    assert metric(at, "Công sức").value == fmt_number(want.effort, 2)
    assert metric(at, "Số yếu tố cải thiện").value == fmt_int(want.levers_changed)
    others = sample.base.total[(sample.level_idx == sample.level_idx[i]) & (np.arange(len(sample.codes)) != i)]
    assert metric(at, "Xếp hạng trong nhóm (").value == str(rank_among(want.final_score, others))
    assert shown_steps(at) == [s.instruction_vi for s in want.steps]
    assert list(at.table[0].value["Điểm tăng"]) == [fmt_delta(s.points) for s in want.steps]
    if want.alternative:  # the least-effort plan is shown when it differs
        assert shown_steps(at, 1) == [s.instruction_vi for s in want.alternative.steps]
        assert any("Phương án khác" in m.value for m in at.markdown)

    at.button(key="plan_apply").click().run()  # → Mô phỏng
    assert not at.exception
    assert at.session_state["sim"].levers == want.deltas
    total = metric(at, "Tổng điểm (kịch bản)").value
    assert total == fmt_points(engine_total(sample, code, want.deltas))
    assert parse_vn_number(total) >= target
    assert any("Đã áp dụng kịch bản" in s.value for s in at.success)


def test_preset_target_and_changed_choices(sample):
    code = ward(sample)
    at = open_plan(sample, code)
    presets = {p.key: p for p in target_presets(sample.base, code)}
    assert at.selectbox(key="plan_target_kind").value == "next_band"
    shown = at.selectbox(key="plan_target_kind").options
    for p in presets.values():
        label = next(o for o in shown if o.startswith(p.label_vi))
        if p.unit_code:  # "overtake": the unit to pass is named
            assert label.endswith(str(sample.frame["unit_name"][sample.index(p.unit_code)]))
    at.selectbox(key="plan_target_kind").set_value("median").run()
    at.button(key="plan_solve").click().run()
    want = plan_unit(sample.table, sample.base, code, presets["median"].value)
    assert metric(at, "Điểm sau kế hoạch").value == fmt_points(want.final_score)
    assert want.final_score >= presets["median"].value
    at.radio(key="plan_objective").set_value("effort").run()  # a changed choice hides the old plan
    assert not [m for m in at.metric if m.label == "Điểm sau kế hoạch"]
    assert any("bấm «Lập kế hoạch»" in m.value for m in at.info)


def test_locks_caps_and_weights_are_respected(sample):
    code = ward(sample)
    target = midway_target(sample, code)
    free = plan_unit(sample.table, sample.base, code, target)
    assert len(free.steps) >= 2
    locked, capped = free.steps[0].lever, free.steps[1].lever
    cap = free.steps[1].delta // 2
    heavy = next(lv.key for lv in sample.rb.levers if lv.key not in (locked, capped))
    at = open_plan(sample, code)
    set_target(at, target)
    edit_levers(at, sample, {locked: {"lock": True}, capped: {"cap": cap}, heavy: {"weight": 7.5}})
    assert any("Khóa (không thay đổi)" in c.value and sample.rb.lever(locked).name_vi in c.value for c in at.caption)
    at.button(key="plan_solve").click().run()
    got = at.session_state["plan_last"]["plan"]
    want = plan_unit(sample.table, sample.base, code, target, locks=(locked,), caps={capped: cap},
                     weights={heavy: 7.5})
    assert got.deltas == want.deltas
    assert locked not in got.deltas
    assert got.deltas.get(capped, 0) <= cap
    assert metric(at, "Công sức").value == fmt_number(want.effort, 2)
    assert shown_steps(at) == [s.instruction_vi for s in want.steps]
    if got.feasible:
        assert engine_total(sample, code, got.deltas) >= target


def test_constraints_fold_is_built_only_while_open_and_keeps_the_edits(sample):
    """The grid would cost a new session ~0,3 s: it is drawn only in the open fold, and a lock or cap set
    there still holds (and is shown again) after the fold is closed and reopened."""
    code = ward(sample)
    target = midway_target(sample, code)
    free = plan_unit(sample.table, sample.base, code, target)
    locked = free.steps[0].lever
    at = open_plan(sample, code)
    assert not at.dataframe  # closed: no grid sent
    set_target(at, target)
    edit_levers(at, sample, {locked: {"lock": True}})
    at.session_state[LEVERS_FOLD] = False
    at.run()
    assert not at.dataframe
    at.button(key="plan_solve").click().run()
    assert locked not in at.session_state["plan_last"]["plan"].deltas  # the lock holds with the fold closed
    at.session_state[LEVERS_FOLD] = True
    at.run()
    shown = at.dataframe[0].value
    assert bool(shown.loc[locked, "lock"]) and int(shown["lock"].sum()) == 1  # reopened: the edit is there


def test_unreachable_target_names_the_blockers(sample):
    code = ward(sample)
    free = plan_unit(sample.table, sample.base, code, 100)
    locked = free.steps[0].lever
    at = open_plan(sample, code)
    set_target(at, 100)
    edit_levers(at, sample, {locked: {"lock": True}})
    at.button(key="plan_solve").click().run()
    want = plan_unit(sample.table, sample.base, code, 100, locks=(locked,))
    assert not want.feasible and want.best_reachable < 100
    err = at.error[0].value
    assert err.startswith(f"Không thể đạt {fmt_points(100)} điểm. Điểm cao nhất có thể đạt: "
                          f"{fmt_points(want.best_reachable)}")
    assert metric(at, "Điểm sau kế hoạch").value == fmt_points(want.best_reachable)
    text = "\n".join(m.value for m in at.markdown)
    assert "Nguyên nhân không thể đạt" in text
    for b in want.blocked_by:
        assert md(b.message_vi) in text
    assert any(b.kind == "locked" for b in want.blocked_by)  # the lock itself is named as a blocker
    assert "đang bị khóa" in text
    assert engine_total(sample, code, want.deltas) == pytest.approx(want.best_reachable)


def test_many_units_summary_and_excel(sample, downloads):
    at = open_page(PLAN)
    rows = scope_rows(sample.frame, "commune")
    cohort = sample.base.total[rows]
    x = cohort_target(0, cohort, 0.5).value  # "every commune to at least the median": a mix of outcomes
    assert at.selectbox(key="batch_level").value == "commune"
    at.text_input(key="batch_target_text").input(fmt_number(x, 2)).run()
    solve_batch(at)
    assert not at.exception

    want = plan_table(sample.table, sample.base, x, codes=sample.base.codes[rows])
    n = counts(want)
    assert n["already"] > 0 and n["reached"] > 0
    assert metric(at, "Số đơn vị").value == fmt_int(len(rows))
    assert metric(at, "Đạt mục tiêu").value == fmt_int(n["reached"])
    assert metric(at, "Đã đạt sẵn").value == fmt_int(n["already"])
    assert metric(at, "Không thể đạt").value == fmt_int(n["infeasible"])
    table = next(d.value for d in at.dataframe if "Kết quả" in d.value.columns)
    assert list(table["Mã đơn vị"]) == [p.unit_code for p in want]
    assert list(table["Kết quả"]) == [status_vi(p) for p in want]
    assert list(table["Điểm sau kế hoạch"]) == [fmt_points(p.final_score) for p in want]
    for p in want:
        if p.feasible:
            assert engine_total(sample, p.unit_code, p.deltas) >= x

    wb = openpyxl.load_workbook(io.BytesIO(downloads["ke-hoach-commune.xlsx"]))
    assert wb.sheetnames == ["Tóm tắt", "Đơn vị", "Từng bước"]
    assert all("portal-2026" in ws["A1"].value for ws in wb.worksheets)
    body = list(wb["Đơn vị"].iter_rows(values_only=True))
    top = next(k for k, r in enumerate(body) if r[0] == "Mã đơn vị")
    col = {h: k for k, h in enumerate(body[top])}
    got = body[top + 1:]
    assert [r[col["Mã đơn vị"]] for r in got] == [p.unit_code for p in want]
    assert [r[col["Điểm sau kế hoạch"]] for r in got] == pytest.approx([p.final_score for p in want])
    assert [r[col["Công sức"]] for r in got] == pytest.approx([p.effort for p in want])

    # one unit of the run goes to the simulator
    pick = next(p for p in want if p.steps and p.feasible)
    at.selectbox(key="batch_unit").set_value(pick.unit_code).run()
    at.button(key="batch_apply").click().run()
    assert at.session_state["sim"].levers == pick.deltas
    assert parse_vn_number(metric(at, "Tổng điểm (kịch bản)").value) >= x


def test_many_units_next_band_and_filter(sample):
    at = open_page(PLAN)
    at.selectbox(key="batch_mode").set_value("next_band").run()
    solve_batch(at)
    rows = scope_rows(sample.frame, "commune")
    targets = batch_targets(sample.base, rows, "next_band")
    want = plan_table(sample.table, sample.base, targets, codes=sample.base.codes[rows])
    table = next(d.value for d in at.dataframe if "Kết quả" in d.value.columns)
    assert list(table["Mục tiêu"]) == [fmt_points(t) for t in targets]
    assert list(table["Kết quả"]) == [status_vi(p) for p in want]
    for show, keep in (("changes", lambda p: p.feasible and p.steps), ("already", lambda p: p.already_reached),
                       ("infeasible", lambda p: not p.feasible)):
        at.segmented_control(key="batch_show").set_value(show).run()
        table = next(d.value for d in at.dataframe if "Kết quả" in d.value.columns)
        assert list(table["Mã đơn vị"]) == [p.unit_code for p in want if keep(p)]
        assert any(c.value == "Không có đơn vị nào trong mục này." for c in at.caption) == (not len(table))


def test_many_units_of_one_province():
    """The national synthetic set: the communes of one province only."""
    at = open_page(PLAN, state={"data_source": "gia-lap"})
    rb = load_rulebook("portal-2026")
    table = load_sample(get_sample("gia-lap"), rb)
    base = baseline(table, rb)
    code, name = parents_of(table.frame, "commune")[1]
    at.selectbox(key="batch_parent").set_value(code).run()
    solve_batch(at)
    rows = scope_rows(table.frame, "commune", code)
    want = plan_table(table, base, 70, codes=base.codes[rows])
    assert metric(at, "Số đơn vị").value == fmt_int(len(rows))
    assert metric(at, "Không thể đạt").value == fmt_int(counts(want)["infeasible"])
    table_vi = next(d.value for d in at.dataframe if "Kết quả" in d.value.columns)
    assert list(table_vi["Mã đơn vị"]) == [p.unit_code for p in want]
    assert any(md(name) in c.value for c in at.caption)


def test_hostile_unit_name_is_plain_text(sample):
    """Unit names are user data: the unit to overtake, named in the target list, is never markdown."""
    code = ward(sample)
    above = next(p for p in target_presets(sample.base, code) if p.unit_code).unit_code
    victim = str(sample.frame["unit_name"][sample.index(above)])
    hostile = "[Xã Độc](https://evil.example) <img src=x onerror=alert(1)> $x^2$ **đậm**"
    path = Path(__file__).parents[2] / "sample_data" / "canonical" / "phu-tho-2026-q3.csv"
    data = path.read_text(encoding="utf-8-sig").replace(victim, hostile).encode("utf-8-sig")
    at = open_page(PLAN)
    box = [s for s in at.sidebar.selectbox if s.label == "Nguồn dữ liệu"][0]
    box.set_value("__upload__").run()
    at.sidebar.file_uploader(key="uploader").upload("don-vi.csv", data, "text/csv").run()
    at.selectbox(key="unit_pick_plan").set_value(code).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(o.endswith(hostile) for o in at.selectbox(key="plan_target_kind").options)
    at.selectbox(key="plan_target_kind").set_value("overtake").run()
    at.button(key="plan_solve").click().run()
    solve_batch(at)
    text = "\n".join(m.value for m in [*at.markdown, *at.caption])
    for raw in ("](", "<img", "$x", "**đậm"):
        assert raw not in text, raw


def test_typed_target_error_is_plain_text(sample):
    """Issue 11: the target error printed the typed text as markdown (an image URL was fetched)."""
    at = open_plan(sample, sample.first("commune"))
    at.selectbox(key="plan_target_kind").set_value("custom").run()
    typed = "![x](http://evil.invalid/a.png) **70**\n# to"
    at.text_input(key="plan_target_text").input(typed).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and md(typed) in errors[0]


def test_plan_counts_overdue_dossiers_by_what_is_left(sample):
    """«Giảm 537 hồ sơ quá hạn» showed «3.734 → 4.271 hồ sơ» in «Số lượng» (the on-time count): now 538 → 1."""
    code = "H44.102"
    at = open_plan(sample, code)
    set_target(at, float(sample.base.total[sample.index(code)]) + 5)
    at.button(key="plan_solve").click().run()
    plan = at.session_state["plan_last"]["plan"]
    k = next(n for n, s in enumerate(plan.steps) if s.lever == "overdue_avoided")
    step = plan.steps[k]
    left = step.denominator - step.count_from
    assert list(at.table[0].value["Số lượng"])[k] == f"{fmt_int(left)} → {fmt_int(left - step.delta)} hồ sơ quá hạn"


def test_an_unreachable_plan_is_applied_under_what_it_reaches(sample):
    """Issue 22.6: «Không thể đạt 100,00 … tối đa …» was applied as «Kế hoạch đạt 100 điểm»."""
    code = ward(sample)
    want = plan_unit(sample.table, sample.base, code, 100)
    assert not want.feasible and want.steps
    at = open_plan(sample, code)
    set_target(at, 100)
    at.button(key="plan_solve").click().run()
    button = at.button(key="plan_apply")
    assert fmt_points(want.final_score) in button.label and "tối đa" in button.label, button.label
    button.click().run()
    assert not at.exception
    name = at.session_state["sim"].name
    assert name == f"Kế hoạch tối đa {fmt_points(want.final_score)} điểm" and "100" not in name, name


def test_derived_counts_read_as_whole_dossiers_like_the_slider():
    """Issue 22.27: «10,15 → 365 hồ sơ» in the plan where the simulator's slider shows 10 (a count derived from
    a published rate × total): the plan now says «≈10 → 365 hồ sơ»."""
    code = "000.20.30.H53"  # UBND Phường 1, Tây Ninh 02/2023: e-results derived from a rate
    at = open_page(PLAN, state={"data_source": "tay-ninh", "unit_code": code})
    set_target(at, 100)
    at.button(key="plan_solve").click().run()
    assert not at.exception
    counts = list(at.table[0].value["Số lượng"])
    assert "≈10 → 365 hồ sơ" in counts, counts
    assert not any("," in c for c in counts), counts  # no fractional dossiers
