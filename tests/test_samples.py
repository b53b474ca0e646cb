"""Every bundled sample loads with the source's exact numbers; generated files are up to date."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiso import load_rulebook
from chiso.calibration import baseline
from chiso.io.canonical import canonical_frame, to_csv_bytes
from chiso.io.load import load_paths
from chiso.reports.scores import score_rows
from chiso.synthetic import earlier_period, synthetic_table
from seed_tay_ninh import SEED

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data"
PORTAL = load_rulebook("portal-2026")
QD = load_rulebook("qd766-2022")
CANON_TN = DATA / "canonical" / "tay-ninh-2023-02.csv"
CANON_PT = DATA / "canonical" / "phu-tho-2026-q3.csv"
SYNTH = DATA / "gia-lap" / "gia-lap-toan-quoc-2026-q3.csv"
SYNTH_Q2 = DATA / "gia-lap" / "phu-tho-2026-q2-gia-lap.csv"


@pytest.fixture(scope="module")
def phu_tho_json():
    return load_paths([DATA / "portal" / "phu-tho-2026-q3"], PORTAL, period="2026-Q3")


@pytest.fixture(scope="module")
def synthetic():
    return load_paths([SYNTH], PORTAL)


def test_tay_ninh_canonical_csv_has_the_report_numbers() -> None:
    t = load_paths([CANON_TN], QD)
    f = t.frame
    assert t.rejected == [] and t.unmapped_columns == []
    assert f["unit_code"].tolist() == [r[0] for r in SEED]
    assert f["unit_name"].tolist() == [r[1] for r in SEED]
    np.testing.assert_array_equal(f["dossiers_received"], [r[2] for r in SEED])
    np.testing.assert_array_equal(f["dossiers_overdue"], [r[3] for r in SEED])
    np.testing.assert_array_equal(f["dossiers_overdue_mcdt"], [r[4] for r in SEED])
    np.testing.assert_array_equal(f["e_certified_copies"], [r[9] for r in SEED])
    np.testing.assert_array_equal(f["dossiers_paid_online"], [r[10] for r in SEED])
    np.testing.assert_array_equal(f["published_total"], [r[11] for r in SEED])
    np.testing.assert_allclose(f["published_total_delta"], [r[12] for r in SEED], atol=1e-12)
    for key, col in (("dossiers_online", 5), ("dossiers_satisfied", 6), ("dossiers_e_result", 7), ("dossiers_digitised", 8)):
        np.testing.assert_allclose(f[key] / f["dossiers_received"] * 100, [r[col] for r in SEED], atol=1e-9)
    assert set(f["period"]) == {"2023-02"}


def test_tay_ninh_canonical_scores_like_the_report_xlsx() -> None:
    a = load_paths([DATA / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"], QD)
    b = load_paths([CANON_TN], QD)
    pd.testing.assert_frame_equal(score_rows(a.frame, baseline(a, QD)), score_rows(b.frame, baseline(b, QD)))


def test_phu_tho_canonical_equals_the_portal_json(phu_tho_json) -> None:
    t = load_paths([CANON_PT], PORTAL)
    assert t.rejected == [] and t.unmapped_columns == [] and t.warnings == []
    a, b = phu_tho_json.frame, t.frame
    cols = ["unit_code", "unit_name", "level", "parent_code", "period"] + PORTAL.input_keys
    cols += [c for c in a.columns if c.startswith("published")]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
    ra = score_rows(a, baseline(phu_tho_json, PORTAL))
    rb = score_rows(b, baseline(t, PORTAL))
    pd.testing.assert_frame_equal(ra, rb)


def test_generated_csv_files_are_up_to_date(phu_tho_json) -> None:
    """The committed canonical CSVs are exactly what the importer writes today (never hand-edited)."""
    tn = load_paths([DATA / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"], QD)
    assert to_csv_bytes(canonical_frame(tn, QD)) == CANON_TN.read_bytes()
    assert to_csv_bytes(canonical_frame(phu_tho_json, PORTAL)) == CANON_PT.read_bytes()
    assert to_csv_bytes(canonical_frame(synthetic_table(PORTAL), PORTAL)) == SYNTH.read_bytes()
    earlier = earlier_period(phu_tho_json, PORTAL, "2026-Q2")
    assert to_csv_bytes(canonical_frame(earlier, PORTAL)) == SYNTH_Q2.read_bytes()


def test_synthetic_set_is_labelled_and_national_scale(synthetic) -> None:
    t = synthetic
    assert t.synthetic is True
    assert "giả lập" in t.warnings[0]
    assert t.rejected == [] and t.unmapped_columns == []
    counts = t.frame["level"].value_counts().to_dict()
    assert counts == {"commune": 3321, "department": 502, "province": 34}
    assert t.frame["unit_code"].str.startswith("GL.").all()
    assert SYNTH.stat().st_size < 3 * 1024 * 1024


def test_synthetic_set_is_realistic(synthetic) -> None:
    f = synthetic.frame
    s = baseline(synthetic, PORTAL)
    assert np.isnan(s.points).sum() == 0  # every indicator of every unit is covered
    assert ((s.total >= 0) & (s.total <= 100)).all()
    communes = (f["level"] == "commune").to_numpy()
    on_time = (f["dossiers_on_time"] / f["dossiers_received"])[communes]
    assert 0.9 < on_time.mean() < 0.99
    online = (f["dossiers_online"] / f["dossiers_received"])[communes]
    assert 0.4 < online.mean() < 0.8 and online.std() > 0.1
    assert 45 < s.total[communes].mean() < 85 and s.total[communes].std() > 2
    province = f[f["level"] == "province"].set_index("unit_code")
    units = f[f["level"] != "province"].groupby("parent_code")["dossiers_received"].sum()
    np.testing.assert_array_equal(province["dossiers_received"], units.reindex(province.index))


def test_synthetic_generator_is_deterministic() -> None:
    a = synthetic_table(PORTAL, seed=1, scale=0.05).frame
    b = synthetic_table(PORTAL, seed=1, scale=0.05).frame
    c = synthetic_table(PORTAL, seed=2, scale=0.05).frame
    pd.testing.assert_frame_equal(a, b)
    assert not a["dossiers_received"].equals(c["dossiers_received"])


def test_make_samples_script_exists_and_imports() -> None:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert len(mod.ROWS) == len(SEED)
    for row, expected in zip(mod.ROWS, SEED):
        assert row[2] == expected[0] and row[3] == expected[2]
