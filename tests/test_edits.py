"""Hand edits: validation as strict as the importers (all or nothing), revisions layered over the import."""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

from chiso.calibration import baseline
from chiso.edits import (
    ENTERED,
    ENTERED_VI,
    Edit,
    EditError,
    Revision,
    apply_revisions,
    entry_bounds_vi,
    grid_edits,
    grid_frame,
    lever_missing_counts,
    make_revisions,
    missing_counts,
)
from chiso.engine import input_matrix
from chiso.errors import DataError
from chiso.fmt import fmt_count
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample
from chiso.scenario import fixed_reason_vi, lever_rooms, step_gains
from chiso.units import PROVENANCE_VI, PUBLISHED_TOTAL

RB = load_rulebook("qd766-2022")
WARD = "000.20.30.H53"  # UBND Phường 1
AT = datetime(2026, 12, 1, 20, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def table():
    return load_sample(sample("tay-ninh"), RB)


def row(table, code=WARD) -> int:
    return int(np.flatnonzero(table.frame["unit_code"] == code)[0])


def test_entered_provenance_has_a_vietnamese_name():
    assert PROVENANCE_VI[ENTERED] == ENTERED_VI == "nhập tay"


def test_a_valid_edit_becomes_a_revision_with_old_value_author_and_time(table):
    revs = make_revisions(table, RB, [Edit(WARD, "certified_copies_total", "2.000")], author=" Chị Lan ", at=AT)
    assert revs == [Revision(WARD, "certified_copies_total", None, 2000.0, AT, "Chị Lan")]


def test_an_unchanged_cell_makes_no_revision(table):
    assert make_revisions(table, RB, [Edit(WARD, "dossiers_received", 365)]) == []


BAD = [
    (Edit("KHONG-CO", "certified_copies_total", 10), "Không có đơn vị «KHONG-CO»"),
    (Edit(WARD, "no_such_count", 10), "«no_such_count» không phải số liệu"),
    (Edit(WARD, "certified_copies_total", -3), "không được âm"),
    (Edit(WARD, "certified_copies_total", 2000.5), "số nguyên"),
    (Edit(WARD, "certified_copies_total", "hai nghìn"), "không phải là số"),
    (Edit(WARD, "certified_copies_total", "５０"), "không phải là số"),  # float() reads full-width digits
    (Edit(WARD, "certified_copies_total", "50%"), "không phải là số"),  # a rate is not a count
    (Edit(WARD, "certified_copies_total", "nan"), "không phải là số"),  # was read as «empty»: the value cleared
    (Edit(WARD, "certified_copies_total", float("inf")), "hữu hạn"),
    (Edit(WARD, "certified_copies_total", 1000), "tử số không được lớn hơn mẫu số"),  # 1.546 e-copies
    (Edit(WARD, "dossiers_received", 100), "tử số không được lớn hơn mẫu số"),  # 365 on time
    (Edit(WARD, PUBLISHED_TOTAL, 100.5), "0–100"),
    (Edit(WARD, PUBLISHED_TOTAL, -1), "0–100"),
]


@pytest.mark.parametrize("bad,words", BAD, ids=[b.key + ":" + str(b.value) for b, _ in BAD])
def test_every_kind_of_bad_edit_is_refused_with_a_message_and_nothing_is_made(table, bad, words):
    good = Edit(WARD, "certified_copies_total", 2000)
    with pytest.raises(EditError) as exc:
        make_revisions(table, RB, [good, bad])
    msg = str(exc.value)
    assert words in msg
    assert "Chưa lưu thay đổi nào" in msg
    if bad.unit_code == WARD:
        assert "UBND Phường 1 (000.20.30.H53)" in msg  # names the unit
        if bad.key in RB.input_keys:
            assert RB.input(bad.key).name_vi in msg  # and the count


def test_all_problems_of_a_grid_are_listed_together(table):
    with pytest.raises(EditError) as exc:
        make_revisions(table, RB, [Edit(WARD, "certified_copies_total", -1), Edit(WARD, "petitions_received", 1.5)])
    assert len(exc.value.problems) == 2


def test_a_pair_is_checked_against_the_other_edits_of_the_same_batch(table):
    revs = make_revisions(table, RB, [Edit(WARD, "petitions_received", 4), Edit(WARD, "petitions_on_time", 4)])
    assert len(revs) == 2
    with pytest.raises(EditError):
        make_revisions(table, RB, [Edit(WARD, "petitions_received", 3), Edit(WARD, "petitions_on_time", 4)])


def test_apply_layers_revisions_without_touching_the_import(table):
    before = table.frame.copy()
    revs = make_revisions(table, RB, [Edit(WARD, "certified_copies_total", 2000)], at=AT)
    edited = apply_revisions(table, RB, revs)
    i = row(table)
    assert edited.frame.loc[i, "certified_copies_total"] == 2000
    assert edited.provenance.loc[i, "certified_copies_total"] == ENTERED
    pd.testing.assert_frame_equal(table.frame, before)  # the import is never overwritten
    assert np.isnan(table.frame.loc[i, "certified_copies_total"])
    later = Revision(WARD, "certified_copies_total", 2000.0, 3000.0, AT)
    assert apply_revisions(table, RB, [*revs, later]).frame.loc[i, "certified_copies_total"] == 3000  # in order
    assert apply_revisions(table, RB, revs[:0]).frame.loc[i, "certified_copies_total"] != 2000  # undone


def test_an_entered_count_turns_held_points_into_computed_ones(table):
    i = row(table)
    base = baseline(table, RB)
    edited = apply_revisions(table, RB, make_revisions(table, RB, [Edit(WARD, "certified_copies_total", 2000)]))
    after = baseline(edited, RB)
    k = RB.indicator_codes.index("ELECTRONIC_CERTIFIED_COPY")
    assert np.isnan(base.points[i, k]) and not np.isnan(after.points[i, k])
    assert after.missing_max[i] == base.missing_max[i] - RB.indicator("ELECTRONIC_CERTIFIED_COPY").max
    assert after.held[i] == pytest.approx(base.held[i] - after.points[i, k])


def test_entering_all_certified_copies_makes_the_certified_copy_lever_move_the_score(table):
    i = row(table)
    key = "e_certified_copies"

    def lever(t):
        x = input_matrix(t.frame, RB)[i]
        rooms = lever_rooms(x, "commune", RB)
        n = [r.lever.key for r in rooms].index(key)
        return x, rooms[n], n

    _, room, _ = lever(table)
    assert "Thiếu số liệu" in fixed_reason_vi(room, RB)
    # 1.546 e-copies out of 4.000: 38,65 % below the 50 % threshold: more e-copies earn points
    edited = apply_revisions(table, RB, make_revisions(table, RB, [Edit(WARD, "certified_copies_total", 4000)]))
    x, room, n = lever(edited)
    assert fixed_reason_vi(room, RB) == ""
    held = float(baseline(edited, RB).held[i])
    steps = np.zeros(len(RB.levers))
    steps[n] = 200
    assert step_gains(x, "commune", RB, held, steps)[n] > 0


def test_clearing_a_count_is_a_revision_back_to_missing(table):
    revs = make_revisions(table, RB, [Edit(WARD, "e_certified_copies", None)])
    assert revs[0].old == 1546 and revs[0].new is None
    assert np.isnan(apply_revisions(table, RB, revs).frame.loc[row(table), "e_certified_copies"])


def test_grid_edits_are_the_cells_that_changed_read_the_vietnamese_way(table):
    before = grid_frame(table, RB)
    i = row(table)
    assert before.loc[i, "dossiers_e_result"] == "10,147"  # derived, shown exactly
    assert before.loc[i, "e_certified_copies"] == "1.546"
    after = before.copy()
    after.loc[i, "certified_copies_total"] = "4.000"  # pasted from Excel in a Vietnamese locale
    after.loc[row(table, "000.21.30.H53"), "dossiers_received"] = " 150 "
    edits = grid_edits(before, after)
    assert sorted((e.unit_code, e.key, e.value) for e in edits) == [
        ("000.20.30.H53", "certified_copies_total", "4.000"),
        ("000.21.30.H53", "dossiers_received", "150"),
    ]
    revs = make_revisions(table, RB, edits)
    assert {r.new for r in revs} == {4000.0, 150.0}
    with pytest.raises(DataError):
        grid_edits(before, after.iloc[:-1])


def test_revisions_of_another_rulebook_or_unit_are_skipped_on_apply(table):
    stray = [Revision("KHONG-CO", "certified_copies_total", None, 1.0, AT), Revision(WARD, "nope", None, 1.0, AT)]
    assert apply_revisions(table, RB, stray).frame.equals(table.frame)


def test_the_counts_a_dead_lever_lacks_are_the_ones_to_type(table):
    x = input_matrix(table.frame, RB)[row(table)]
    assert lever_missing_counts(x, "commune", RB, "e_certified_copies") == ["certified_copies_total"]
    assert lever_missing_counts(x, "commune", RB, "e_results") == []  # alive: 10,147 of 365
    assert missing_counts(x, RB, ("PETITION_PROCESSING_ON_TIME",)) == ["petitions_received", "petitions_on_time"]


def test_derived_counts_read_as_whole_dossiers_in_the_guide():
    assert fmt_count(0.0278 * 365) == "≈10"
    assert fmt_count(1546.0) == "1.546"


def test_every_problem_of_a_save_is_reported_at_once_not_in_two_rounds(table):
    """A negative cell and a numerator over its denominator in the same save: both named in one message."""
    with pytest.raises(EditError) as exc:
        make_revisions(table, RB, [Edit(WARD, "petitions_received", -2), Edit(WARD, "certified_copies_total", 1000)])
    assert any("không được âm" in p for p in exc.value.problems)
    assert any("tử số không được lớn hơn mẫu số" in p for p in exc.value.problems)


def test_the_box_for_a_missing_total_says_the_smallest_valid_value(table):
    x = input_matrix(table.frame, RB)[row(table)]
    notes = entry_bounds_vi(x, RB, "certified_copies_total")
    assert notes == [f"ít nhất 1.546 («{RB.input('e_certified_copies').name_vi}»)"]
