"""What the equivalence tests of chiso's rules (lever bounds, delta to a rate) feed their rule and its old
copies: the shipped rulebooks, spread rows of each bundled sample, and random units."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from chiso.engine import input_matrix, level_index
from chiso.rulebook import LEVELS, Rulebook, load_rulebook
from chiso.samples import Sample, load_sample

RULEBOOKS = {name: load_rulebook(name) for name in ("portal-2026", "qd766-2022")}

# one raw count as importers leave it: unknown (NaN), whole, or fractional (derived from a published rate)
COUNT = st.one_of(st.just(float("nan")), st.integers(0, 400).map(float),
                  st.floats(0, 400, allow_nan=False, allow_infinity=False))


def sample_rows(s: Sample, most: int) -> tuple[np.ndarray, np.ndarray, Rulebook]:
    """Counts and levels of at most ``most`` units spread over the sample (the per-unit copies are slow)."""
    rb = RULEBOOKS[s.rulebook]
    table = load_sample(s, rb)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    rows = np.linspace(0, len(x) - 1, min(len(x), most)).astype(int)
    return x[rows], lvl[rows], rb


def random_unit(data: st.DataObject, rb: Rulebook) -> tuple[np.ndarray, np.ndarray]:
    """One unit of random counts at a random level, as (1, inputs) counts and (1,) levels."""
    x = np.array(data.draw(st.lists(COUNT, min_size=len(rb.inputs), max_size=len(rb.inputs))))
    return x[None, :], np.array([data.draw(st.integers(0, len(LEVELS) - 1))])
