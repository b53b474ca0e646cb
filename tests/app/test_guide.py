"""Học chỉ số (AppTest): the page follows the rulebook file, explains versions, and checks answers with the engine."""
from __future__ import annotations

import base64
import html
import json
import re
import shutil

import numpy as np
import pytest

from chiso.guide.cheatsheet import cheatsheet_html
from chiso.fmt import fmt_number, fmt_points
from chiso.guide.text import diff_rulebooks, rulebook_guide
from chiso.guide.calc import Units
from chiso.guide.examples import example_indicator, loss_example, overdue_example, petition_example
from chiso.guide.exercises import make_exercises
from chiso.rulebook import RULEBOOK_DIR, load_rulebook
from ui.safe_md import md

from conftest import html_tables, open_page, open_tab
from ui.guide_view import GUIDE_TAB_KEY, GUIDE_TABS

PAGE = "pages/guide.py"


def units_of(sample) -> Units:
    return Units(sample.base, sample.x, tuple(sample.frame["unit_name"].astype(str)))


def choose_rulebook(at, rb_id: str):
    """Pick a rulebook in the shared sidebar (found by its label, not by its internal widget key)."""
    box = [s for s in at.sidebar.selectbox if s.label == "Bộ quy tắc tính điểm (phiên bản)"][0]
    return box.set_value(rb_id).run()


def expander_labels(at) -> list[str]:
    return [e.label for e in at.expander]


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)



def test_the_chosen_indicator_survives_a_switch_of_tab(sample):
    at = open_page(PAGE, state={"unit_code": sample.first("commune")})
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[1])
    at.selectbox(key="guide_curve_ind").set_value("REUSED_DIGITIZED_DATA").run()
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[2])
    assert not [s for s in at.selectbox if s.key == "guide_curve_ind"]
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[1])
    assert at.selectbox(key="guide_curve_ind").value == "REUSED_DIGITIZED_DATA"
    assert len(plotly_specs(at)) == 2


def plotly_specs(at) -> list[dict]:
    return [
        json.loads(e.proto.spec)
        for e in at.main
        if getattr(e, "proto", None) is not None and "plotly" in type(e.proto).__name__.lower()
    ]


def decode(arr) -> np.ndarray:
    if isinstance(arr, dict):
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=arr["dtype"])
    return np.asarray(arr, dtype=float)


def test_every_indicator_of_the_rulebook_is_on_the_page(sample):
    at = open_page(PAGE)
    rb = sample.rb
    labels = expander_labels(at)
    for gg in rulebook_guide(rb):
        assert gg.title_vi in [s.value for s in at.subheader]
        for ig in gg.indicators:
            assert ig.title_vi in labels
    summary, = html_tables(at)  # not st.dataframe: the formulas wrap instead of being cut
    assert summary["Chỉ tiêu"] == [i.name_vi for i in rb.indicators]
    assert summary["Cách tính"] == [ig.formula_vi for gg in rulebook_guide(rb) for ig in gg.indicators]
    assert not at.dataframe
    text = markdown_text(at)
    for ind in rb.indicators:  # numerator and denominator names, from the inputs of the rulebook
        assert md(rb.input(ind.numerator).name_vi) in text and md(rb.input(ind.denominator).name_vi) in text
    assert not at.exception


def test_switching_rulebook_shows_what_changed(sample):
    at = open_page(PAGE)
    choose_rulebook(at, "qd766-2022")
    assert not at.exception
    old = load_rulebook("qd766-2022")
    assert "Vừa chuyển bộ quy tắc từ «portal-2026» sang «qd766-2022»" in at.info[0].value
    labels = expander_labels(at)
    for ig in (ig for gg in rulebook_guide(old) for ig in gg.indicators):
        assert ig.title_vi in labels
    text = markdown_text(at)
    changes = diff_rulebooks(load_rulebook("portal-2026"), old)
    for change in changes:
        assert md(change.text_vi) in text
    assert md("Bỏ nhóm «Thanh toán trực tuyến» (10 điểm).") in text
    assert f"Từ «portal-2026» sang «qd766-2022»: {len(changes)} thay đổi." in [c.value for c in at.caption]
    # running again without a switch: no banner, the comparison stays on the previous version
    at.run()
    assert not any("Vừa chuyển" in i.value for i in at.info)
    assert at.selectbox(key="guide_compare").value == "portal-2026"


def test_a_modified_rulebook_file_changes_the_page(tmp_path, monkeypatch, downloads):
    for p in RULEBOOK_DIR.glob("*.toml"):
        shutil.copy(p, tmp_path / p.name)
    text = (RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8").replace(
        'id = "portal-2026"', 'id = "tap-huan-app"', 1
    )
    head, sep, rest = text.partition('code = "PUBLISH_ON_TIME"')
    rest = rest.replace("max = 6", "max = 5", 1)
    head2, sep2, rest2 = rest.partition('code = "PUBLIC_CONTENT_FULL"')
    text = head + sep + head2 + sep2 + rest2.replace("max = 2", "max = 3", 1)
    (tmp_path / "tap-huan-app.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr("chiso.rulebook.RULEBOOK_DIR", tmp_path)

    at = open_page(PAGE)
    choose_rulebook(at, "tap-huan-app")
    assert not at.exception, [e.value for e in at.exception]
    labels = expander_labels(at)
    assert "1.1. Tỷ lệ TTHC công bố đúng hạn — 5 điểm" in labels
    assert "1.3. Tỷ lệ TTHC công khai đầy đủ nội dung — 3 điểm" in labels
    assert "1.1. Tỷ lệ TTHC công bố đúng hạn — 6 điểm" not in labels
    assert md("«Tỷ lệ TTHC công bố đúng hạn»: tối đa 6 → 5 điểm.") in markdown_text(at)
    rb = load_rulebook("tap-huan-app")
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[4])
    assert downloads["so-tay-chi-so-766-tap-huan-app.html"].decode("utf-8") == cheatsheet_html(rb)


def test_curves_are_drawn_from_the_engine_for_the_chosen_unit(sample):
    code = sample.first("commune")
    at = open_page(PAGE, state={"unit_code": code, "guide_curve_ind": "REUSED_DIGITIZED_DATA"})
    assert plotly_specs(at) == []  # the curves tab is closed: no chart (nor plotly's script) on first render
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[1])
    i = sample.index(code)
    rb = sample.rb
    k = rb.indicator_codes.index("REUSED_DIGITIZED_DATA")
    specs = plotly_specs(at)
    assert len(specs) == 2
    rate_spec, count_spec = specs
    for spec in specs:
        assert spec["layout"]["separators"] == ",."
        assert spec["layout"]["yaxis"]["title"]["text"] == "Điểm"
        assert any(sh.get("line", {}).get("dash") == "dash" for sh in spec["layout"]["shapes"])  # threshold
    assert rate_spec["layout"]["shapes"][0]["x0"] == pytest.approx(80.0)
    marker = rate_spec["data"][1]
    assert decode(marker["x"])[0] == pytest.approx(sample.base.rate[i, k] * 100)
    assert decode(marker["y"])[0] == pytest.approx(sample.base.points[i, k])
    cx, cy = decode(count_spec["data"][0]["x"]), decode(count_spec["data"][0]["y"])
    assert cx[-1] == sample.base.denominator[i, k] and cy[-1] == rb.indicator("REUSED_DIGITIZED_DATA").max
    assert decode(count_spec["data"][1]["x"])[0] == sample.base.numerator[i, k]
    assert [m.value for m in at.metric if m.label == "Điểm bị mất"][0] == fmt_points(sample.base.lost[i, k])


def test_worked_examples_are_the_domain_computations(sample):
    at = open_page(PAGE)
    units = units_of(sample)
    loss = loss_example(units, example_indicator(sample.rb).code)
    over, pet = overdue_example(units), petition_example(units)
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[2])
    text = markdown_text(at)
    for ex in (loss, over, pet):
        assert ex.unit_name in text
    values = {m.label: m.value for m in at.metric}
    assert fmt_points(loss.lost) in [m.value for m in at.metric if m.label == "Điểm bị mất"]
    assert values["PAKN đầu tiên quá hạn"] == fmt_points(pet.total_late)
    assert [m for m in at.metric if m.label == "PAKN đầu tiên quá hạn"][0].delta == "−" + fmt_points(pet.lost)
    assert values["Tổng điểm"] == fmt_points(over.total_after)


def test_exercises_check_answers_and_trainer_mode_shows_them(sample):
    at = open_page(PAGE)
    exs = make_exercises(units_of(sample), 0)
    key = lambda n: f"portal-2026_0_{n}"  # noqa: E731 — widget keys of question n
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[3])
    text = markdown_text(at)
    for n, ex in enumerate(exs, 1):
        assert f"**Câu {n}.**" in text

    right = exs[0]
    at.text_input(key=f"guide_ans_{key(1)}").set_value(fmt_number(right.answer, right.decimals))
    at.text_input(key=f"guide_ans_{key(2)}").set_value(fmt_number(exs[1].answer + 1, 2))
    at.text_input(key=f"guide_ans_{key(3)}").set_value("không biết")
    at.run()
    at.button(key=f"guide_check_{key(1)}").click().run()
    at.button(key=f"guide_check_{key(2)}").click().run()
    at.button(key=f"guide_check_{key(3)}").click().run()
    assert any(s.value.startswith("Đúng! Đáp án:") for s in at.success)
    assert any(e.value == "Chưa đúng, hãy thử lại." for e in at.error)
    assert any(w.value.startswith("Hãy nhập một số") for w in at.warning)
    assert not any(i.value.startswith("Đáp án:") for i in at.info)

    at.toggle(key="guide_trainer").set_value(True).run()
    shown = [i.value for i in at.info if i.value.startswith("Đáp án:")]
    assert len(shown) == len(exs)
    for ex, value in zip(exs, shown):
        assert value.startswith(f"Đáp án: **{md(ex.answer_vi)}**")

    at.button(key="guide_new_set").click().run()
    assert at.session_state["guide_seed"] == 1
    again = make_exercises(units_of(sample), 1)
    assert [t.key for t in at.text_input if t.key.startswith("guide_ans_")][0] == "guide_ans_portal-2026_1_1"
    assert len([i for i in at.info if i.value.startswith("Đáp án:")]) == len(again)


def test_typed_answers_and_trainer_mode_survive_a_switch_of_tab(sample):
    """Only the open tab is built, and Streamlit forgets the state of a widget a run does not draw: a
    trainee's typed (not yet checked) answer and the trainer switch must come back with the tab."""
    at = open_page(PAGE)
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[3])
    box = "guide_ans_portal-2026_0_1"
    at.text_input(key=box).set_value("12,5")
    at.toggle(key="guide_trainer").set_value(True).run()
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[0])
    assert not [t for t in at.text_input if t.key == box]
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[3])
    assert at.text_input(key=box).value == "12,5"
    assert at.toggle(key="guide_trainer").value is True


def test_page_through_the_navigation(sample, downloads):
    at = open_page(PAGE)
    assert at.title[0].value == "Học chỉ số"
    assert at.tabs[0].label.endswith("Bộ chỉ số") and at.tabs[-1].label.endswith("Sổ tay in")
    assert not at.download_button  # only the open tab is built: no cheat sheet, no exercise sheet yet
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[4])
    assert downloads[f"so-tay-chi-so-766-{sample.rb.id}.html"].decode("utf-8") == cheatsheet_html(sample.rb)


def test_hostile_unit_names_are_shown_as_plain_text(sample):
    """Unit names are user data: a name carrying markdown, HTML or LaTeX is escaped wherever the guide shows it."""
    path = RULEBOOK_DIR.parents[1] / "sample_data" / "canonical" / "phu-tho-2026-q3.csv"
    units = units_of(sample)
    victim = loss_example(units, example_indicator(sample.rb).code).unit_name
    hostile = "[Xã Độc](https://evil.example) <img src=x onerror=alert(1)> $x^2$ **đậm**"
    data = path.read_text(encoding="utf-8-sig").replace(victim, hostile).encode("utf-8-sig")
    at = open_page(PAGE)
    box = [s for s in at.sidebar.selectbox if s.label == "Nguồn dữ liệu"][0]
    box.set_value("__upload__").run()
    at.sidebar.file_uploader(key="uploader").upload("don-vi.csv", data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[2])
    text = markdown_text(at)
    assert md(hostile) in text  # the loss example names the unit, escaped
    for raw in ("](", "<img", "$x", "**đậm"):  # nothing left that markdown would interpret
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw


def test_printable_exercise_sheet_has_the_tabs_questions_and_an_answer_key(sample, downloads):
    at = open_page(PAGE)
    open_tab(at, GUIDE_TAB_KEY, GUIDE_TABS[3])
    sheet = downloads[f"phieu-bai-tap-766-{sample.rb.id}-bo-1.html"].decode("utf-8")
    questions, _, key = sheet.partition("<div class='key'>")
    items = make_exercises(units_of(sample), 0)
    assert items and "break-before: page" in sheet and not re.search(r"<script|https?://|src=", sheet)
    for n, ex in enumerate(items, 1):
        assert f"<b>Câu {n}.</b> {html.escape(ex.question_vi, quote=True)}" in questions
        assert html.escape(ex.answer_vi, quote=True) not in questions.split("</style>")[1].replace(
            html.escape(ex.question_vi, quote=True), "")  # the answers are not on the students' pages
        assert f"<b>Câu {n}.</b> Đáp án: <b>{html.escape(ex.answer_vi, quote=True)}</b>" in key
    at.button(key="guide_new_set").click().run()
    assert f"phieu-bai-tap-766-{sample.rb.id}-bo-2.html" in downloads
