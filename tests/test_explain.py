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


def test_a_group_without_data_is_written_held_never_zero():
    """Issue 22.7: the Tây Ninh report has no publicity counts; that group read «0,00* / 18» everywhere."""
    from chiso.calibration import baseline, published_group_points
    from chiso.explain import HELD_NOTE_VI, PARTIAL_NOTE_VI, group_notes_vi, group_value, group_values, held_groups
    from chiso.samples import load_sample, sample

    s = sample("tay-ninh")
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    base = baseline(table, rb)
    i = list(base.codes).index("000.20.30.H53")  # UBND Phường 1
    values = group_values(base, i, published_group_points(table.frame, rb, i))
    g = rb.group_codes.index("TRANSPARENCY")
    assert held_groups(base)[i].tolist() == [n == g for n in range(len(rb.groups))]
    assert base.group_points[i, g] == 0  # what the engine sums over no data: not a score
    assert values[g].text == "giữ nguyên" and values[g].points is None and values[g].held
    assert values[g].of("18") == "giữ nguyên / 18"
    assert values[g].delta_vi(values[g]) is None
    progress = rb.group_codes.index("PROGRESS")
    assert values[progress].text == "20,00" and values[progress].points == 20.0 and not values[progress].held
    online = rb.group_codes.index("ONLINE_SERVICES")
    assert values[online].text == "6,00*" and values[online].partial
    assert not any(v.text.startswith("0,00") for v in values)
    assert group_notes_vi(values) == [HELD_NOTE_VI, PARTIAL_NOTE_VI]
    # the official group score, when the source gives it, is held and said to be
    assert group_value(0.0, empty=True, official=15.0).text == "15,00 (giữ nguyên)"
    # no official total: nothing is held, the group is simply not counted
    assert group_value(0.0, empty=True, holding=False).text == "không có số liệu"
    assert group_value(12.3, empty=False).delta_vi(group_value(11.1, empty=False)) == "+1,20"


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
