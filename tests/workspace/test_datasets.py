"""Imported datasets: exact round trip of a UnitTable, re-import replaces, samples stay read-only."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiso.errors import DataError, Location
from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR, load_sample, sample
from chiso.workspace.datasets import DatasetExistsError

PHU_THO = SAMPLE_DIR / "portal" / "phu-tho-2026-q3"


def assert_same_table(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    pd.testing.assert_frame_equal(a.provenance, b.provenance, check_exact=True)
    assert (a.source, a.synthetic, a.warnings, a.unmapped_columns, a.column_map) == (
        b.source, b.synthetic, b.warnings, b.unmapped_columns, b.column_map,
    )
    assert [(type(e), e.message, e.location) for e in a.rejected] == [(type(e), e.message, e.location) for e in b.rejected]


def test_portal_dataset_round_trips_exactly(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb)
    assert table.frame.isna().any().any(), "the sample has empty counts: NaN must round-trip"
    (ds_id,) = ws.import_paths([PHU_THO], table, rb.id)
    assert_same_table(ws.load_dataset(ds_id), table)


def test_report_with_derived_and_assumed_counts_round_trips(ws):
    rb = load_rulebook("qd766-2022")
    table = load_sample(sample("tay-ninh"), rb)
    # a rejected row and an unmapped column, as an import can produce them
    table.rejected.append(DataError("Số hồ sơ phải là số nguyên không âm.", Location("x.xlsx", "Sheet1", 9, "Tiếp nhận")))
    table.unmapped_columns.append("Cột lạ")
    assert {"derived", "assumed"} <= set(np.unique(table.provenance.to_numpy()))
    (ds_id,) = ws.import_table(table, "tay-ninh-2023-02.xlsx", "abc", rb.id)
    assert_same_table(ws.load_dataset(ds_id), table)


def test_synthetic_flag_is_kept(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb)
    table.synthetic = True
    (ds_id,) = ws.import_table(table, "gia-lap", "h", rb.id)
    assert ws.load_dataset(ds_id).synthetic is True
    assert ws.datasets()[0].synthetic is True


def test_storing_a_source_and_period_again_asks_then_keeps_the_old_version(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb, period="2026-Q3")
    (first,) = ws.import_table(table, "phu-tho-2026-q3", "hash-1", rb.id)
    changed = replace(table, frame=table.frame.assign(dossiers_received=table.frame["dossiers_received"] + 1))
    with pytest.raises(DatasetExistsError, match="phiên bản mới"):
        ws.import_table(changed, "phu-tho-2026-q3", "hash-2", rb.id)  # never replaced without asking
    assert_same_table(ws.load_dataset(first), table)
    (second,) = ws.import_table(changed, "phu-tho-2026-q3", "hash-2", rb.id, new_version=True)
    assert second == first, "the dataset keeps its id, so revisions keyed dataset:<id> still apply"
    assert [(d.period, d.source) for d in ws.datasets()] == [("2026-Q3", "phu-tho-2026-q3")]
    assert_same_table(ws.load_dataset(first), changed)
    assert [(v.version, v.in_use) for v in ws.dataset_versions(first)] == [(2, True), (1, False)]
    ws.restore_dataset_version(first, 1)
    assert_same_table(ws.load_dataset(first), table)
    assert ws.import_table(table, "phu-tho-2026-q3", "hash-1", rb.id) == [first]  # same content: nothing new
    assert len(ws.dataset_versions(first)) == 2
    (other,) = ws.import_paths([PHU_THO], load_paths([PHU_THO], rb, period="2026-Q4"), rb.id)
    assert other != first and [d.period for d in ws.datasets()] == ["2026-Q3", "2026-Q4"]
    actions = [e.action for e in ws.audit_entries()]
    assert actions == ["store_dataset", "restore_dataset", "replace_dataset", "store_dataset"]


def test_a_table_with_two_periods_becomes_two_datasets(ws):
    rb = load_rulebook("portal-2026")
    a = load_paths([PHU_THO], rb, period="2026-Q2")
    b = load_paths([PHU_THO], rb, period="2026-Q3")
    both = replace(a, frame=pd.concat([a.frame, b.frame], ignore_index=True),
                   provenance=pd.concat([a.provenance, b.provenance], ignore_index=True))
    ids = ws.import_table(both, "hai-ky.csv", "h", rb.id)
    assert len(ids) == 2
    assert_same_table(ws.load_dataset(ids[1]), b)
    assert [d.period for d in ws.datasets_with_unit("H44")] == ["2026-Q2", "2026-Q3"]


def test_a_table_without_period_is_refused(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb)
    table.frame["period"] = ""
    with pytest.raises(DataError, match="kỳ đánh giá"):
        ws.import_table(table, "x", "h", rb.id)
    assert ws.datasets() == []


def test_bundled_samples_are_never_written(ws):
    before = {p: p.stat().st_mtime_ns for p in Path(SAMPLE_DIR).rglob("*") if p.is_file()}
    rb = load_rulebook("portal-2026")
    ws.import_paths([PHU_THO], load_paths([PHU_THO], rb), rb.id)
    assert {p: p.stat().st_mtime_ns for p in Path(SAMPLE_DIR).rglob("*") if p.is_file()} == before
