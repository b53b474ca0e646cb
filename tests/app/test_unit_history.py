"""Đơn vị → Lịch sử qua các kỳ: the bundled Phú Thọ quarters (Q2 giả lập, Q3 portal) and stored datasets."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from chiso.fmt import fmt_delta, fmt_points
from chiso.calibration import baseline
from chiso.history import period_score
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR, load_sample, sample as get_sample
from chiso.workspace import open_workspace

from conftest import html_tables, open_page, unescape

UNIT = "pages/unit.py"
RB = load_rulebook("portal-2026")


def test_history_shows_both_bundled_quarters_and_the_reasons(sample):
    code = sample.first("commune")
    at = open_page(UNIT, state={"unit_code": code})
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Kỳ" in d.value.columns)
    assert list(table["Kỳ"]) == ["2026-Q2 (giả lập)", "2026-Q3"]
    q2 = load_sample(get_sample("phu-tho-q2-gia-lap"), RB)
    assert list(table["Tổng điểm"]) == [fmt_points(period_score(q2, RB, code).total), fmt_points(sample.base.total[sample.index(code)])]
    # issue 22.19: an HTML table whose reasons wrap (a grid cut «Vì sao» off at 1366 px)
    assert not any("Vì sao" in d.value.columns for d in at.dataframe)
    changes = next(t for t in html_tables(at) if "Vì sao" in t)
    assert len(changes["Vì sao"]) and all(r.startswith("điểm") for r in changes["Vì sao"])


def test_a_period_stored_in_the_workspace_joins_the_history(sample, own_workspace):
    code = sample.first("commune")
    q3 = load_sample(get_sample("phu-tho"), RB)
    q4 = replace(q3, frame=q3.frame.assign(period="2026-Q4"))
    open_workspace(own_workspace).import_table(q4, "phu-tho-2026-q4", "h", RB.id)
    at = open_page(UNIT, state={"unit_code": code})
    table = next(d.value for d in at.dataframe if "Kỳ" in d.value.columns)
    assert list(table["Kỳ"]) == ["2026-Q2 (giả lập)", "2026-Q3", "2026-Q4"]


def test_history_chart_is_built_only_while_its_fold_is_open(sample):
    """Closed (the default), Đơn vị draws no plotly chart, so its first render needs no plotly script."""
    at = open_page(UNIT, state={"unit_code": sample.first("commune")})
    assert not at.get("plotly_chart")
    at.session_state["unit_history_open"] = True
    at.run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_the_change_heading_is_bold_text_not_literal_stars(sample):
    """Issue 22.20: «**Thay đổi từ kỳ 2026-Q2 đến kỳ 2026-Q3**» was shown with its stars. The heading is one
    bold run (CommonMark: `**` opens before a letter and closes after one, before a space), with the
    periods escaped as text and no other star that could unbalance it."""
    at = open_page(UNIT, state={"unit_code": sample.first("commune")})
    heading = next(m.value for m in at.markdown if "Thay đổi từ kỳ" in m.value)
    bold = re.fullmatch(r"\*\*(\w[^*]*\w)\*\* \(([^*]+) điểm\)", heading)
    assert bold, heading
    assert unescape(bold.group(1)) == "Thay đổi từ kỳ 2026-Q2 đến kỳ 2026-Q3"


def test_history_chart_speaks_vietnamese_and_its_bars_reach_the_total(sample, own_workspace):
    """Issue 22.11: an English legend (ONLINE_PAYMENT…), monthly periods drawn as dates («Jan 22 2023»), and
    stacked bars short of the total line (held points not drawn)."""
    code = sample.first("commune")
    i = sample.index(code)
    assert sample.base.held[i] > 0  # a commune with held points
    q3 = load_sample(get_sample("phu-tho"), RB)
    open_workspace(own_workspace).import_table(replace(q3, frame=q3.frame.assign(period="2027-01")), "thang", "h", RB.id)
    at = open_page(UNIT, state={"unit_code": code})
    at.session_state["unit_history_open"] = True
    at.run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    names = [t["name"] for t in bars]
    assert names == [g.name_vi for g in RB.groups] + ["Điểm không có trong tệp (giữ nguyên)"], names
    assert fig["layout"]["xaxis"]["type"] == "category"  # «2027-01» stays a period, not «Jan 2027»
    line = next(t for t in fig["data"] if t["type"] == "scatter")
    assert line["x"][-1] == "2027-01"
    for n, total in enumerate(line["y"]):
        assert sum(t["y"][n] for t in bars) == pytest.approx(total, abs=0.011)


def test_a_period_collected_twice_shows_how_the_units_score_moved_between_the_versions(own_workspace):
    """The current quarter collected again as it fills: Đơn vị lists each version of the period with the
    unit's recomputed total and the change (issue 21: snapshots of one period)."""
    rb = load_rulebook("portal-2026")
    q3 = load_paths([SAMPLE_DIR / "portal" / "phu-tho-2026-q3"], rb, period="2026-Q3")
    code = "H44.100"
    row = q3.frame.index[q3.frame["unit_code"] == code][0]
    later = replace(q3, frame=q3.frame.copy())
    later.frame.loc[row, "dossiers_e_result"] = later.frame.loc[row, "dossiers_e_result_base"]  # every result electronic
    later.frame.loc[row, "published_total"] += 1.2  # and the portal's total moved with it
    ws = open_workspace(own_workspace)
    (ds,) = ws.import_table(q3, "Cổng DVCQG · Phú Thọ", "v1", rb.id)
    ws.import_table(later, "Cổng DVCQG · Phú Thọ", "v2", rb.id, new_version=True)
    at = open_page("pages/unit.py", state={"data_source": f"ds:{ds}", "rulebook_choice": rb.id, "unit_code": code})
    assert not at.exception, [e.value for e in at.exception]
    (table,) = [t for t in html_tables(at) if "Phiên bản" in t]
    before, after = (baseline(t, rb).total[baseline(t, rb).position(code)] for t in (q3, later))
    assert after > before
    assert table["Phiên bản"] == ["1", "2 (đang dùng)"]
    assert table["Điểm tính lại"] == [fmt_points(before), fmt_points(after)]
    assert table["Thay đổi"] == ["—", fmt_delta(after - before)]
