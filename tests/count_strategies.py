"""Hypothesis strategies shared by the equivalence tests of chiso's rules (lever bounds, delta to a rate)."""
from __future__ import annotations

from hypothesis import strategies as st

# one raw count as importers leave it: unknown (NaN), whole, or fractional (derived from a published rate)
COUNT = st.one_of(st.just(float("nan")), st.integers(0, 400).map(float),
                  st.floats(0, 400, allow_nan=False, allow_infinity=False))
