"""Indicator explanations: rule text, not-movable marks, provenance and small-denominator warnings."""
from __future__ import annotations

import numpy as np
import pandas as pd

from chiso.engine import score
from chiso.explain import indicator_rows, small_denominator_vi
from chiso.notes import SYNTHETIC_IMPORT_VI
from chiso.reasons import IndicatorWarning, TableNote
from chiso.rulebook import load_rulebook
from chiso.units import empty_provenance

RB = load_rulebook("portal-2026")


def test_rows_say_why():
    frame = pd.DataFrame([{"unit_code": "X", "level": "commune", "dossiers_received": 4.0, "dossiers_on_time": 3.0,
                           "e_certified_copies": 0.0, "certified_copies_total": 0.0,
                           "tthc_published_on_time": 5.0, "tthc_in_publication_decisions": 10.0}])
    s = score(frame, RB)
    rows = indicator_rows(s, 0, empty_provenance(frame, RB.input_keys)).set_index("indicator")
    assert "Mẫu số nhỏ (4)" in rows.loc["PROGRESS_ON_TIME", "warning_vi"]
    assert "25 điểm phần trăm" in rows.loc["PROGRESS_ON_TIME", "warning_vi"]
    assert "luôn được đủ điểm" in rows.loc["ELECTRONIC_CERTIFIED_COPY", "rule_text"]
    assert "không thay đổi được" in rows.loc["ELECTRONIC_CERTIFIED_COPY", "rule_text"]
    assert "cấp tỉnh" in rows.loc["PUBLISH_ON_TIME", "rule_text"]
    assert rows.loc["PROGRESS_ON_TIME", "provenance_vi"] == "có trong tệp"
    assert rows.loc["ONLINE_SUBMISSION", "provenance_vi"] == "không có trong tệp"
    assert rows.loc["ONLINE_SUBMISSION", "warning_vi"].startswith("Thiếu số liệu")


def test_small_denominator_threshold():
    assert small_denominator_vi(11, 20, 1.0) == ""
    assert small_denominator_vi(0, 20, 1.0) == ""
    assert small_denominator_vi(np.nan, 20, 1.0) == ""
    assert "(tới 6,00 điểm)" in small_denominator_vi(1, 6, 0.9)


def test_each_warning_has_a_code_that_says_what_it_is():
    """Code branches on ``warning`` (reasons.IndicatorWarning), never on the first words of ``warning_vi``."""
    frame = pd.DataFrame([{"unit_code": "X", "level": "commune", "dossiers_received": 4.0, "dossiers_on_time": 3.0}])
    rows = indicator_rows(score(frame, RB), 0).set_index("indicator")
    assert rows.loc["PROGRESS_ON_TIME", "warning"] == IndicatorWarning.SMALL_DENOMINATOR
    assert rows.loc["ONLINE_SUBMISSION", "warning"] == IndicatorWarning.MISSING_DATA
    said = rows["warning_vi"] != ""
    assert ((rows["warning"] != IndicatorWarning.NONE) == said).all()


def test_a_table_note_is_known_by_its_code():
    assert TableNote.of(SYNTHETIC_IMPORT_VI) is TableNote.SYNTHETIC
    assert TableNote.of("Dữ liệu giả lập nhưng là một ghi chú khác.") is None
