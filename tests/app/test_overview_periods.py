"""Tổng quan across periods: a period picker over the bundled series (Phú Thọ 2026-Q2 synthetic, 2026-Q3),
and each unit's change since the previous period, computed by chiso.history.total_changes."""
from __future__ import annotations

import numpy as np

from chiso.calibration import baseline
from chiso.fmt import fmt_delta
from chiso.history import total_changes
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as get_sample

from conftest import open_page, unescape

RB = load_rulebook("portal-2026")
COLUMN = "Thay đổi so với kỳ 2026-Q2"


def test_the_change_since_the_previous_period_is_a_column_and_equals_the_engine():
    q2, q3 = (load_sample(get_sample(k), RB) for k in ("phu-tho-q2-gia-lap", "phu-tho"))
    base = baseline(q3, RB)
    want = dict(zip(base.codes, total_changes(q2, base, RB)))
    # the domain: each unit's total now minus its total then, both recomputed + held
    then = baseline(q2, RB)
    code = str(base.codes[5])
    assert want[code] == round(base.total[5] - then.total[then.position(code)], 2)
    assert np.isfinite(list(want.values())).all() and any(v != 0 for v in want.values())
    at = open_page(state={"data_source": "phu-tho"})
    frame = at.dataframe(key="ov_table").value
    assert COLUMN in frame.columns
    first = frame.iloc[0]
    units = dict(zip(base.codes, q3.frame["unit_name"]))
    code = next(c for c, n in units.items() if n == first["Tên đơn vị"])
    assert fmt_delta(frame.loc[0, COLUMN]) == fmt_delta(want[code])


def test_the_period_picker_opens_the_other_period():
    at = open_page(state={"data_source": "phu-tho"})
    at.selectbox(key="ov_period").set_value("phu-tho-q2-gia-lap").run()
    assert not at.exception
    assert at.session_state["data_source"] == "phu-tho-q2-gia-lap"
    assert COLUMN not in at.dataframe(key="ov_table").value.columns  # Q2 is the first period: nothing before it


def test_the_sidebar_opens_the_other_period_and_it_stays_open():
    """Issue 22.2: picking Q2 in the sidebar snapped back to Q3 (the page's own picker kept its old value)."""
    at = open_page(state={"data_source": "phu-tho"})
    at.selectbox(key="_w_data_source").set_value("phu-tho-q2-gia-lap").run()
    assert not at.exception
    assert at.session_state["data_source"] == "phu-tho-q2-gia-lap"
    assert at.selectbox(key="ov_period").value == "phu-tho-q2-gia-lap"
    at.run()  # and it stays there on the next run
    assert at.session_state["data_source"] == "phu-tho-q2-gia-lap"
    # the page's picker still works after that
    at.selectbox(key="ov_period").set_value("phu-tho").run()
    assert at.session_state["data_source"] == "phu-tho"
    assert at.selectbox(key="_w_data_source").value == "phu-tho"


def test_the_synthetic_period_is_named_in_the_sidebar_and_beside_the_change():
    """Issue 22.8: «(giả lập)» kept in the sidebar's label and said beside the change since Q2."""
    at = open_page(state={"data_source": "phu-tho"})
    source = at.selectbox(key="_w_data_source")
    assert "Mẫu: Phú Thọ, quý 2/2026 (giả lập)" in source.options, source.options  # the labels shown
    assert any("2026-Q2 là dữ liệu giả lập" in unescape(c.value) for c in at.caption), [c.value for c in at.caption]
