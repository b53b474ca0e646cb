"""Policy scenarios for many units: one lever rule applied to a group, every unit rescored at once.

A rule reads like the question asked in a meeting: "every ward reaches at least 80% electronic
results", "no overdue dossiers left in communes". It becomes integer lever deltas for every unit in
scope (never more than what the unit can do: the same bounds as the one-unit simulator), then the
same engine scores everyone and the ranking inside each cohort is recomputed.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chiso.cohort import competition_rank, stats_by_cohort
from chiso.engine import Scores
from chiso.errors import DataError
from chiso.explain import held_groups
from chiso.fmt import fmt_percent, fmt_points
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS, Rulebook
from chiso.scenario import lever_bounds, rate_deltas, simulate


@dataclass(frozen=True)
class PolicyRule:
    """Bring ``lever``'s rate to at least ``min_rate`` for units at ``levels`` whose name contains a text."""

    lever: str
    min_rate: float  # fraction 0..1 of the lever's denominator
    levels: tuple[str, ...] = ("commune",)
    name_contains: str = ""

    def validate(self, rb: Rulebook) -> None:
        if self.lever not in {lv.key for lv in rb.levers}:
            raise DataError(f"Yếu tố cải thiện «{self.lever}» không có trong bộ quy tắc «{rb.id}».")
        if not 0.0 <= self.min_rate <= 1.0:
            raise DataError("Tỷ lệ tối thiểu phải trong khoảng 0–100%.")
        if not self.levels or any(lv not in LEVELS for lv in self.levels):
            raise DataError("Hãy chọn ít nhất một cấp đơn vị hợp lệ.")

    def describe_vi(self, rb: Rulebook) -> str:
        levels = ", ".join(LEVEL_NAMES_VI[lv].lower() for lv in self.levels)
        who = f"Mọi đơn vị ({levels})"
        if self.name_contains.strip():
            who += f" có tên chứa «{self.name_contains.strip()}»"
        lever = rb.lever(self.lever)
        return f"{who}: {lever.name_vi.lower()} để đạt ít nhất {fmt_percent(self.min_rate)}"


def presets_vi(rb: Rulebook) -> dict[str, tuple[PolicyRule, ...]]:
    """The rulebook's named policies (``[[presets]]``, levers checked when it was loaded), by name."""
    return {
        p.name_vi: tuple(PolicyRule(r.lever, r.min_rate, r.levels, r.name_contains) for r in p.rules)
        for p in rb.presets
    }


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def in_scope(rule: PolicyRule, level_idx: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Which units a rule covers (level and, if given, a case-insensitive part of the name)."""
    mask = np.isin(level_idx, [LEVELS.index(lv) for lv in rule.levels])
    needle = _norm(rule.name_contains)
    if needle:
        mask &= np.array([needle in _norm(n) for n in names], dtype=bool)
    return mask


def rule_deltas(rule: PolicyRule, x: np.ndarray, level_idx: np.ndarray, names: np.ndarray, rb: Rulebook) -> np.ndarray:
    """(N, L) deltas that bring every unit in scope up to the rule's rate (never down), within its room."""
    rule.validate(rb)
    k = [lv.key for lv in rb.levers].index(rule.lever)
    b = lever_bounds(x, level_idx, rb)
    ok = in_scope(rule, level_idx, names) & b.movable[:, k]
    deltas = np.zeros((x.shape[0], len(rb.levers)))
    deltas[:, k] = np.where(ok, np.maximum(rate_deltas(b, k, rule.min_rate), 0.0), 0.0)
    return deltas


@dataclass
class PolicyResult:
    """Every unit before and after a policy, with ranks inside each cohort."""

    rb: Rulebook
    rules: tuple[PolicyRule, ...]
    codes: np.ndarray
    names: np.ndarray
    level_idx: np.ndarray
    base: Scores
    after: Scores
    deltas: np.ndarray  # (N, L)

    @property
    def moved(self) -> np.ndarray:
        return (self.deltas != 0).any(axis=1)

    @property
    def rank_before(self) -> np.ndarray:
        return competition_rank(self.base.total, self.level_idx)

    @property
    def rank_after(self) -> np.ndarray:
        return competition_rank(self.after.total, self.level_idx)

    def units(self) -> pd.DataFrame:
        """One row per unit: totals, change, ranks (positive rank_change = moved up), bands, deltas."""
        rb = self.rb
        before, after = self.base.total, self.after.total
        df = pd.DataFrame(
            {
                "unit_code": self.codes,
                "unit_name": self.names,
                "level": [LEVELS[i] for i in self.level_idx],
                "total_before": np.round(before, 2),
                "total_after": np.round(after, 2),
                "change": np.round(after - before, 2),
                "rank_before": self.rank_before,
                "rank_after": self.rank_after,
                "rank_change": self.rank_before - self.rank_after,
                "band_before": [rb.band(t) for t in before],
                "band_after": [rb.band(t) for t in after],
            }
        )
        for k, lv in enumerate(rb.levers):
            if self.deltas[:, k].any():
                df[f"lever__{lv.key}"] = self.deltas[:, k].astype(np.int64)
        return df

    def fell_behind(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` units that lost most places, each with why in words: a unit whose score rose can
        still drop when others rose more, so "không đổi điểm" is said only when the score did not move."""
        units = self.units()
        down = units[units["rank_change"] < 0].nsmallest(n, "rank_change").copy()
        down["why_vi"] = [_why_down_vi(c) for c in down["change"]]
        return down

    def cohorts(self) -> pd.DataFrame:
        """Per cohort and for all units together: size, units moved, mean / median / P75 before and after."""
        rows = []
        sb = stats_by_cohort(self.base.total, self.level_idx)
        sa = stats_by_cohort(self.after.total, self.level_idx)
        for c in sorted(sb):
            mask = self.level_idx == c
            rows.append(_cohort_row(LEVELS[c], sb[c], sa[c], int(self.moved[mask].sum())))
        all_b = stats_by_cohort(self.base.total, np.zeros(len(self.codes), dtype=int))[0]
        all_a = stats_by_cohort(self.after.total, np.zeros(len(self.codes), dtype=int))[0]
        rows.append(_cohort_row("all", all_b, all_a, int(self.moved.sum())))
        return pd.DataFrame(rows)

    def groups(self) -> pd.DataFrame:
        """Mean group points per cohort before and after: where the policy's points come from. A unit whose
        group has no data holds its points (not 0), so it stays out of the mean; ``held`` counts them, and a
        cohort where every unit holds the group has no mean (NaN, written «giữ nguyên»)."""
        rows = []
        held = held_groups(self.base)
        for c in np.unique(self.level_idx):
            for g, grp in enumerate(self.rb.groups):
                mask = (self.level_idx == c) & ~held[:, g]
                b = _pts(self.base.group_points[mask, g].mean()) if mask.any() else np.nan
                a = _pts(self.after.group_points[mask, g].mean()) if mask.any() else np.nan
                rows.append(
                    {"level": LEVELS[c], "group": grp.code, "max": grp.max, "mean_before": b, "mean_after": a,
                     "change": _pts(a - b) if mask.any() else 0.0,
                     "held": int(((self.level_idx == c) & held[:, g]).sum())}
                )
        return pd.DataFrame(rows)

    def levers(self) -> pd.DataFrame:
        """Per lever: how many units must act and how many more dossiers (etc.) it takes in total."""
        rows = []
        for k, lv in enumerate(self.rb.levers):
            d = self.deltas[:, k]
            if d.any():
                rows.append({"lever": lv.key, "name_vi": lv.name_vi, "unit_vi": lv.unit_vi,
                             "units": int((d != 0).sum()), "total": int(d.sum())})
        return pd.DataFrame(rows, columns=["lever", "name_vi", "unit_vi", "units", "total"])


def _why_down_vi(change: float) -> str:
    if change > 0:
        return f"tăng {fmt_points(change)} điểm nhưng bị đơn vị tăng nhiều hơn vượt qua"
    if change < 0:
        return f"giảm {fmt_points(-change)} điểm"
    return "không đổi điểm nhưng bị vượt"


def _pts(v: float) -> float:
    """Points as the portal publishes them (2 decimals): means and quantiles would otherwise leak
    61.12600000000001 into exports."""
    return round(float(v), 2)


def _cohort_row(level: str, b, a, moved: int) -> dict:
    return {
        "level": level,
        "size": b.size,
        "moved": moved,
        "mean_before": _pts(b.mean),
        "mean_after": _pts(a.mean),
        "median_before": _pts(b.median),
        "median_after": _pts(a.median),
        "p75_before": _pts(b.p75),
        "p75_after": _pts(a.p75),
    }


def apply_policy(
    rules: tuple[PolicyRule, ...] | list[PolicyRule],
    x: np.ndarray,
    level_idx: np.ndarray,
    names: np.ndarray,
    codes: np.ndarray,
    base: Scores,
    rb: Rulebook,
) -> PolicyResult:
    """Apply every rule (the larger delta wins when two rules use one lever) and rescore everyone."""
    rules = tuple(rules)
    deltas = np.zeros((x.shape[0], len(rb.levers)))
    for rule in rules:
        deltas = np.maximum(deltas, rule_deltas(rule, x, level_idx, names, rb))
    after = simulate(x, level_idx, rb, deltas, base.held, codes)
    return PolicyResult(rb, rules, codes, np.asarray(names, dtype=object), level_idx, base, after, deltas)


__all__ = [
    "PolicyResult",
    "PolicyRule",
    "apply_policy",
    "in_scope",
    "presets_vi",
    "rule_deltas",
]
