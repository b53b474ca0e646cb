"""Đơn vị: a group without any data is drawn as held (grey, official group score when known), never as
"0,00 / max" — the Tây Ninh report has no publicity counts at all."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from chiso.calibration import baseline
from chiso.explain import empty_groups
from chiso.fmt import fmt_number
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as sample_def

from conftest import APP, AppTest, open_page

UNIT = "pages/unit.py"


def test_groups_without_data_are_held_not_zero():
    s = sample_def("tay-ninh")
    rb = load_rulebook(s.rulebook)
    base = baseline(load_sample(s, rb), rb)
    i = next(j for j in range(len(base.codes)) if empty_groups(base, j).any())
    at = open_page(UNIT, state={"data_source": "tay-ninh", "unit_code": str(base.codes[i])})
    bars = [p for p in at.get("progress") if p.proto.text.split(":")[0] in {g.name_vi for g in rb.groups}]
    texts = [p.proto.text for p in bars]
    empty = empty_groups(base, i)
    assert len(texts) == len(rb.groups) and np.any(empty)
    for text, is_empty, g in zip(texts, empty, rb.groups):
        if is_empty:
            assert "giữ nguyên" in text and f"0,00 / {fmt_number(g.max)}" not in text, text
        else:
            assert "giữ nguyên" not in text, text
    assert not at.get("plotly_chart")  # six bars do not need plotly's 4,7 MB script


def _upload_without_official_totals() -> AppTest:
    """Tổng quan on the Tây Ninh report uploaded without its official totals (total and groups)."""
    s = sample_def("tay-ninh")
    csv = (Path(__file__).parents[2] / "sample_data" / "canonical" / "tay-ninh-2023-02.csv").read_text("utf-8-sig")
    header, *rows = csv.splitlines()
    cols = header.split(";")
    drop = {n for n, c in enumerate(cols) if c.startswith("Tổng điểm chính thức") or c.startswith("Điểm nhóm chính thức")}
    keep = lambda line: ";".join(v for n, v in enumerate(line.split(";")) if n not in drop)  # noqa: E731
    body = "\n".join(keep(line) for line in [header, *rows]).encode("utf-8")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["data_source"] = "__upload__"
    at.session_state["rulebook_choice"] = s.rulebook
    at.run()
    at.sidebar.file_uploader(key="uploader").upload("khong-tong.csv", body, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_agrees_with_the_unit_page_without_official_totals():
    """Issue 22.4: Tổng quan rated such units «Trung bình» (Đơn vị: «Chưa xếp được») and showed «None»."""
    at = _upload_without_official_totals()
    table = at.dataframe(key="ov_table")
    shown = convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)
    assert "None" not in set(shown.astype(str).to_numpy().ravel()), shown.head()
    assert table.proto.placeholder == "—"  # what the grid draws for a missing value (else «None»)
    assert set(table.value["Xếp loại"]) == {"Chưa xếp được"}, set(table.value["Xếp loại"])
    code = str(table.value["Mã"].iloc[0])
    at.session_state["unit_code"] = code
    at.switch_page(UNIT).run()
    assert next(m for m in at.metric if m.label == "Xếp loại").value == "Chưa xếp được"


def test_upload_without_official_total_says_so_plainly(tmp_path):
    """Before: "26,40 Yếu" with no word that most indicators and the official total were missing."""
    at = _upload_without_official_totals()
    at.switch_page(UNIT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("không có tổng điểm chính thức" in w.value for w in at.warning), [w.value for w in at.warning]
    assert next(m for m in at.metric if m.label == "Xếp loại").value == "Chưa xếp được"
