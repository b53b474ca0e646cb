"""A file written under one rulebook version loads under the other: counts kept, foreign group scores skipped."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from chiso import load_rulebook
from chiso.calibration import baseline
from chiso.io.load import load_paths

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def test_portal_2026_canonical_file_loads_under_qd766_2022() -> None:
    path = SAMPLES / "gia-lap" / "gia-lap-toan-quoc-2026-q3.csv"
    new, old = load_rulebook("portal-2026"), load_rulebook("qd766-2022")
    t_new = load_paths([path], new)
    t_old = load_paths([path], old)
    assert len(t_old.frame) == len(t_new.frame) and not t_old.rejected
    np.testing.assert_array_equal(
        t_old.frame["dossiers_paid_online"].to_numpy(), t_new.frame["dossiers_paid_online"].to_numpy()
    )
    assert not any(c.startswith("published_group__ONLINE_PAYMENT") for c in t_old.frame.columns)
    assert np.isfinite(baseline(t_old, old).total).all()
