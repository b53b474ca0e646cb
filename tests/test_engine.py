"""Engine: every curve kind, every zero-denominator rule and level policy, rounding, sums."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chiso import load_rulebook, score
from chiso.engine import (
    BELOW_THRESHOLD,
    CAPPED,
    FIXED_FULL,
    LINEAR,
    MISSING,
    NOT_APPLICABLE,
    ZERO_DEN_FULL,
    ZERO_DEN_ZERO,
    round_half_up,
)
from chiso.errors import DataError

RB = load_rulebook("portal-2026")


def unit(level: str = "commune", **counts: float) -> pd.DataFrame:
    row = {"unit_code": "U1", "level": level}
    row.update(counts)
    return pd.DataFrame([row])


def points_of(code: str, level: str = "commune", **counts: float) -> tuple[float, int]:
    s = score(unit(level, **counts), RB)
    k = RB.indicator_codes.index(code)
    return float(s.points[0, k]), int(s.status[0, k])


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    "raw, expected",
    [(1.125, 1.13), (1.124999, 1.12), (0.005, 0.01), (17.345, 17.35), (2.0, 2.0), (0.0, 0.0), (5.9949, 5.99)],
)
def test_round_half_up(raw: float, expected: float) -> None:
    assert round_half_up(raw) == pytest.approx(expected, abs=1e-12)


def test_exact_half_from_a_ratio_rounds_up_like_the_portal() -> None:
    # Portal: 3 e-results of 16 dossiers → 6 × 3/16 = 1.125 → published 1.13 (Python's round gives 1.12).
    pts, _ = points_of("ORIGINAL_RESULT_AVAILABLE", dossiers_e_result=3, dossiers_received=16)
    assert pts == 1.13


# ---------------------------------------------------------------- curves


def test_linear_curve() -> None:
    pts, status = points_of("PROGRESS_ON_TIME", dossiers_on_time=795, dossiers_received=876)
    assert pts == 18.15 and status == LINEAR


def test_threshold_curve_below_and_capped() -> None:
    below, s1 = points_of("DOSSIER_RECEIVING_SATISFACTION", dossiers_satisfied=8857, dossiers_received=10000)
    assert below == round_half_up(6 * 0.8857 / 0.9) and s1 == BELOW_THRESHOLD
    capped, s2 = points_of("DOSSIER_RECEIVING_SATISFACTION", dossiers_satisfied=9075, dossiers_received=10000)
    assert capped == 6.0 and s2 == CAPPED


def test_threshold_at_exactly_the_threshold_gives_full_points() -> None:
    pts, status = points_of("ONLINE_SUBMISSION", dossiers_online=50, dossiers_received=100)
    assert pts == 6.0 and status == CAPPED


def test_numerator_above_denominator_is_capped_not_extrapolated() -> None:
    pts, _ = points_of("ORIGINAL_RESULT_AVAILABLE", dossiers_e_result=20, dossiers_received=10)
    assert pts == 6.0


# ---------------------------------------------------------------- zero denominators and missing data


def test_zero_denominator_gives_zero_for_dossier_metrics() -> None:
    pts, status = points_of("PROGRESS_ON_TIME", dossiers_on_time=0, dossiers_received=0)
    assert pts == 0.0 and status == ZERO_DEN_ZERO


def test_no_petitions_gives_full_points_and_the_first_late_petition_takes_them() -> None:
    full, status = points_of("PETITION_PROCESSING_ON_TIME", petitions_on_time=0, petitions_received=0)
    assert full == 6.0 and status == ZERO_DEN_FULL
    first, _ = points_of("PETITION_PROCESSING_ON_TIME", petitions_on_time=0, petitions_received=1)
    assert first == 0.0


def test_missing_counts_are_missing_not_zero() -> None:
    pts, status = points_of("ORIGINAL_RESULT_AVAILABLE", dossiers_received=100)
    assert np.isnan(pts) and status == MISSING
    s = score(unit(dossiers_received=100), RB)
    assert s.missing_max[0] > 0


def test_fallback_denominator_uses_dossiers_received() -> None:
    pts, _ = points_of("ORIGINAL_RESULT_AVAILABLE", dossiers_e_result=50, dossiers_received=100)
    assert pts == 3.0
    own, _ = points_of(
        "ORIGINAL_RESULT_AVAILABLE", dossiers_e_result=50, dossiers_received=100, dossiers_e_result_base=200
    )
    assert own == 1.5


# ---------------------------------------------------------------- level policies


def test_certified_copy_is_always_full_for_communes_under_portal_2026() -> None:
    pts, status = points_of("ELECTRONIC_CERTIFIED_COPY", e_certified_copies=0, certified_copies_total=500)
    assert pts == 2.0 and status == FIXED_FULL


def test_certified_copy_counts_move_the_score_under_qd766_2022() -> None:
    rb = load_rulebook("qd766-2022")
    k = rb.indicator_codes.index("ELECTRONIC_CERTIFIED_COPY")
    low = score(unit(e_certified_copies=100, certified_copies_total=1000), rb).points[0, k]
    half = score(unit(e_certified_copies=500, certified_copies_total=1000), rb).points[0, k]
    assert low == round_half_up(2 * 0.1 / 0.5) and half == 2.0


def test_online_service_provision_is_not_scored_below_the_province() -> None:
    pts, status = points_of("ONLINE_SERVICE_PROVISION", tthc_online=89, tthc_under_authority=89)
    assert pts == 0.0 and status == NOT_APPLICABLE
    prov, _ = points_of("ONLINE_SERVICE_PROVISION", level="province", tthc_online=52, tthc_under_authority=89)
    assert prov == 1.46


def test_inherited_indicators_are_flagged_and_not_movable() -> None:
    s = score(unit(tthc_published_on_time=10, tthc_in_publication_decisions=20), RB)
    k = RB.indicator_codes.index("PUBLISH_ON_TIME")
    assert s.inherited[0, k] and s.points[0, k] == 3.0
    assert not s.explain(0).set_index("indicator").loc["PUBLISH_ON_TIME", "movable"]


def test_unknown_level_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="Cấp đơn vị «ward»"):
        score(unit(level="ward"), RB)


# ---------------------------------------------------------------- sums


def test_group_is_the_sum_of_rounded_components() -> None:
    # Đắk Lắk commune Xuân Thọ: 5.5025 + 0.8088 + 0.5147 unrounded = 6.826, portal shows 6.82.
    s = score(
        unit(
            dossiers_paid_online=5.5025 / 6 * 10000,
            dossiers_fee_bearing=10000,
            tthc_paid_online=0.8088 / 2.5 * 10000,
            tthc_fee_bearing_distinct=10000,
            tthc_fee_data_integrated=0.5147 / 2.5 * 10000,
            tthc_fee_bearing=10000,
        ),
        RB,
    )
    g = RB.group_codes.index("ONLINE_PAYMENT")
    assert s.group_points[0, g] == 6.82


def test_vectorised_equals_one_by_one() -> None:
    rng = np.random.default_rng(7)
    n = 200
    den = rng.integers(0, 500, n).astype(float)
    frame = pd.DataFrame(
        {
            "unit_code": [f"U{i}" for i in range(n)],
            "level": rng.choice(["province", "department", "commune"], n),
            "dossiers_received": den,
            "dossiers_on_time": np.floor(den * rng.random(n)),
            "dossiers_e_result": np.floor(den * rng.random(n)),
            "dossiers_satisfied": np.floor(den * rng.random(n)),
            "petitions_received": rng.integers(0, 5, n).astype(float),
            "petitions_on_time": 0.0,
        }
    )
    many = score(frame, RB)
    for i in range(0, n, 17):
        one = score(frame.iloc[[i]], RB)
        np.testing.assert_array_equal(one.points[0], many.points[i])
        assert one.total[0] == many.total[i]


def test_total_is_sum_of_groups_plus_held() -> None:
    frame = unit(dossiers_received=10, dossiers_on_time=9)
    s = score(frame, RB, held=np.array([12.34]))
    assert s.total[0] == round_half_up(s.group_points[0].sum() + 12.34)
