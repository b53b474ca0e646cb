"""One source's units scored under one rulebook: the object the app, the guide, the planner and tests share."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chiso.calibration import baseline, discrepancy, published_total
from chiso.cohort import competition_rank, stats_by_cohort
from chiso.engine import Scores, input_matrix, level_index
from chiso.rulebook import LEVELS, Rulebook
from chiso.units import UnitTable


@dataclass(frozen=True)
class ScoredData:
    """Units read from one source and scored under one rulebook: the read-only baseline every view and
    scenario starts from, with cohort ranks, published totals and the recomputed-vs-published gap."""

    table: UnitTable
    rb: Rulebook
    base: Scores
    x: np.ndarray  # (N, inputs) counts with fallbacks applied
    source_label: str
    source_key: str = ""  # sample key, "" for uploads (links can reopen samples only)
    level_idx: np.ndarray | None = None  # (N,) LEVELS index = cohort
    rank: np.ndarray | None = None  # (N,) competition rank inside the cohort
    official: np.ndarray | None = None  # (N,) published total, NaN when absent
    gap: np.ndarray | None = None  # (N,) recomputed − official
    edit_key: str = ""  # where hand revisions of this source are kept (ui.edits_store), set by _load
    store_key: str = ""  # "sample:<key>" / "dataset:<id>": where scenarios and plans are kept; "" for uploads
    file_names: tuple[str, ...] = ()  # uploaded files, named in shared links

    @property
    def frame(self):
        return self.table.frame

    @property
    def codes(self) -> np.ndarray:
        return self.base.codes

    @property
    def names(self) -> np.ndarray:
        return self.frame["unit_name"].astype(str).to_numpy(dtype=object)

    @property
    def period(self) -> str:
        p = self.table.periods
        return p[0] if len(p) == 1 else ", ".join(p)

    def index_of(self, code: str) -> int:
        return self.base.position(code)

    def level(self, i: int) -> str:
        return LEVELS[int(self.level_idx[i])]

    def cohort_totals(self, i: int, exclude_self: bool = False) -> np.ndarray:
        mask = self.level_idx == self.level_idx[i]
        if exclude_self:
            mask = mask.copy()
            mask[i] = False
        return self.base.total[mask]

    def cohort_stats(self):
        return stats_by_cohort(self.base.total, self.level_idx)


def score_table(table: UnitTable, rb: Rulebook, label: str, key: str = "") -> ScoredData:
    base = baseline(table, rb)
    lvl = level_index(table.frame["level"])
    return ScoredData(
        table,
        rb,
        base,
        input_matrix(table.frame, rb),
        label,
        key,
        lvl,
        competition_rank(base.total, lvl),
        published_total(table.frame),
        discrepancy(base, table.frame),
    )
