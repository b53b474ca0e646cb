"""The simulator's live bar: Python scores every slider position (``chiso.live.live_payload``), the browser
only adds, ranks, bands and formats (ui/components/score_bar/engine.js).

1. The payload's sums equal the engine's totals at random slider positions and around the steps of every
   curve, for units of every bundled sample (every unit with CHISO_LIVE_ALL=1). No Node here.
2. engine.js, run once in Node, adds, ranks, bands and formats a payload as chiso does.
3. A rulebook whose levers' points do not add up gets no curves: the bar shows the server's figures only.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from chiso.calibration import baseline
from chiso.cohort import rank_among
from chiso.engine import input_matrix, level_index
from chiso.fmt import fmt_delta, fmt_int, fmt_points
from chiso.live import NOT_SEPARABLE_VI, live_payload
from chiso.rulebook import LEVELS, Lever, load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import (
    count_bounds,
    delta_for_count,
    fixed_reason_vi,
    lever_rooms,
    score_scenarios,
    shown_count,
)

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node") or shutil.which("nodejs")
STRIDE = {"tay-ninh": 1, "phu-tho": 20, "gia-lap": 400}  # the first unit (a province) is always in


def node(payload) -> dict:
    if NODE is None:
        pytest.fail("Node.js is needed to run the browser's script (apt-get install nodejs).")
    r = subprocess.run([NODE, str(ROOT / "tests" / "live_engine_check.js")], input=json.dumps(payload),
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


class Unit:
    """One unit of a sample, its payload, and the engine's total for any slider positions."""

    def __init__(self, rb, x, lvl, base, i: int, deltas: np.ndarray | None = None) -> None:
        self.rb, self.x, self.level, self.held = rb, x[i], LEVELS[lvl[i]], float(base.held[i])
        self.rooms = lever_rooms(self.x, self.level, rb)
        self.live = [n for n, r in enumerate(self.rooms) if not fixed_reason_vi(r)]
        self.others = np.delete(base.total, i)[np.delete(lvl, i) == lvl[i]]
        self.deltas = np.zeros(len(rb.levers)) if deltas is None else deltas
        self.p = live_payload(rb, self.x, self.level, self.held, self.rooms, self.others, float(base.total[i]),
                              self.deltas)

    def engine(self, positions: np.ndarray) -> np.ndarray:
        """Total in hundredths for each row of slider positions, as the sliders' callback sets the levers."""
        d = np.zeros((len(positions), len(self.rb.levers)))
        for r, row in enumerate(positions):
            for n, pos in zip(self.live, row):
                d[r, n] = delta_for_count(self.rooms[n], int(pos))
        total = score_scenarios(self.x, self.level, self.rb, self.held, d).total
        return np.round(total * 100).astype(np.int64)

    def payload_sum(self, positions: np.ndarray) -> np.ndarray:
        """The browser's sum, written out: the points held fixed + each lever's value at its position."""
        out = np.full(len(positions), self.p["fixed"], dtype=np.int64)
        for k, lv in enumerate(self.p["levers"]):
            reach = lv["lo"] + np.cumsum(lv["gaps"], dtype=np.int64)
            out += lv["v0"] + np.searchsorted(reach, np.clip(positions[:, k], lv["lo"], lv["hi"]), side="right")
        return out

    def probes(self, rng: np.random.Generator, n_random: int = 48, n_steps: int = 12) -> np.ndarray:
        """Slider positions: all at random; all at an end; and each lever just before and at some of its
        steps (where a wrong curve would show) while the others are at random."""
        bounds = np.array([count_bounds(self.rooms[n]) for n in self.live]).reshape(-1, 2)
        lo, hi = bounds[:, 0], bounds[:, 1]
        rows = [rng.integers(lo, hi + 1, size=(n_random, len(lo))), lo[None, :], hi[None, :]]
        for k, lv in enumerate(self.p["levers"]):
            reach = lv["lo"] + np.cumsum(lv["gaps"], dtype=np.int64)
            at = rng.choice(reach, size=min(n_steps, len(reach)), replace=False) if len(reach) else reach
            block = rng.integers(lo, hi + 1, size=(2 * len(at), len(lo)))
            block[:, k] = np.clip(np.concatenate([at - 1, at]), lo[k], hi[k])
            rows.append(block)
        return np.vstack(rows)


def units_of(key: str, n: int) -> range:
    every = 1 if os.environ.get("CHISO_LIVE_ALL") == "1" else STRIDE.get(key, 20)
    return range(0, n, every)


def sample_units(sample):
    rb = load_rulebook(sample.rulebook)
    table = load_sample(sample, rb)
    base = baseline(table, rb)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    return rb, x, lvl, base, units_of(sample.key, len(table))


@pytest.mark.parametrize("sample", available_samples(), ids=lambda s: s.key)
def test_payload_sums_equal_the_engine_at_slider_positions(sample):
    rb, x, lvl, base, which = sample_units(sample)
    rng = np.random.default_rng(766)
    checked, bad = 0, []
    for i in which:
        u = Unit(rb, x, lvl, base, i)
        assert u.p["separable"] and [lv["key"] for lv in u.p["levers"]] == [rb.levers[n].key for n in u.live]
        if not u.live:
            continue
        pos = u.probes(rng)
        want, got = u.engine(pos), u.payload_sum(pos)
        checked += len(pos)
        bad += [(i, pos[r].tolist(), int(want[r]), int(got[r])) for r in np.flatnonzero(want != got)[:3]]
    assert checked > 0
    assert not bad, f"payload ≠ engine, e.g. (unit, positions, engine, payload): {bad[:3]}"


def test_payload_knows_the_scenario_python_has():
    """The figures the bar shows while it cannot read the sliders are the engine's, for the scenario's levers."""
    s = available_samples()[0]
    rb, x, lvl, base, _ = sample_units(s)
    i = int(np.flatnonzero(lvl == LEVELS.index("commune"))[0])
    plain = Unit(rb, x, lvl, base, i)
    deltas = np.zeros(len(rb.levers))
    deltas[plain.live[:3]] = [5, -2, 40]
    u = Unit(rb, x, lvl, base, i, deltas)
    total = score_scenarios(u.x, u.level, rb, u.held, deltas).total[0]
    assert u.p["now"] == round(total * 100)
    # where ui/levers puts each slider for the scenario's deltas
    assert [lv["committed"] for lv in u.p["levers"]] == [shown_count(u.rooms[n], deltas[n]) for n in u.live]
    assert u.payload_sum(np.array([[lv["committed"] for lv in u.p["levers"]]]))[0] == u.engine(
        np.array([[lv["committed"] for lv in u.p["levers"]]]))[0]


def browser_case():
    """A commune of the first sample, with a cohort: its payload and what chiso says the bar must show."""
    s = available_samples()[0]
    rb, x, lvl, base, _ = sample_units(s)
    i = int(np.flatnonzero(lvl == LEVELS.index("commune"))[0])
    return rb, Unit(rb, x, lvl, base, i), float(base.total[i])


def expected_view(rb, u: Unit, base_total: float, cents: int) -> dict:
    total, r0 = cents / 100, rank_among(base_total, u.others)
    r = rank_among(total, u.others)
    return {"total": fmt_points(total), "change": fmt_delta(total - base_total),
            "rank": f"{r} / {fmt_int(len(u.others) + 1)}",
            "moved": "" if r == r0 else f"{'+' if r < r0 else '−'}{abs(r0 - r)} bậc", "band": rb.band(total)}


def test_browser_adds_ranks_bands_and_formats_the_payload():
    rb, u, base_total = browser_case()
    positions = u.probes(np.random.default_rng(23), n_random=64, n_steps=4)
    cents = sorted({*np.round(u.others * 100).astype(int).tolist(), *range(-250, 10001, 7),
                    *(c + e for b in u.p["bands"] for c in [b[0]] for e in (-1, 0, 1)), 123456, 100000007})
    got = node({"payload": u.p, "positions": positions.tolist(), "cents": cents})
    want_totals = u.engine(positions)
    assert got["totals"] == want_totals.tolist()
    views = [{k: v[k] for k in ("total", "change", "rank", "moved", "band")} for v in got["views"]]
    assert views == [expected_view(rb, u, base_total, int(t)) for t in want_totals]
    assert all(v["note"] == "" for v in got["views"])
    assert got["rank"] == [rank_among(c / 100, u.others) for c in cents]
    assert got["band"] == [rb.band(c / 100) for c in cents]
    assert got["points"] == [fmt_points(c / 100) for c in cents]
    assert got["delta"] == [fmt_delta(c / 100) for c in cents]
    assert "-0,00" not in got["points"] and "−0,00" not in got["delta"]


def not_separable(rb):
    """The rulebook with one more lever moving the first lever's count: an indicator moved by two levers."""
    first = rb.levers[0]
    twin = Lever(key="twin", name_vi="Yếu tố trùng", unit_vi=first.unit_vi, moves=first.moves)
    return replace(rb, levers=(*rb.levers, twin))


def test_levers_that_do_not_add_up_leave_the_bar_to_the_server():
    s = available_samples()[0]
    rb0 = load_rulebook(s.rulebook)
    rb = not_separable(rb0)
    table = load_sample(s, rb0)
    base = baseline(table, rb0)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    i = int(np.flatnonzero(lvl == LEVELS.index("commune"))[0])
    deltas = np.zeros(len(rb.levers))
    deltas[[0, len(rb.levers) - 1]] = [3, 4]  # the two levers on one count: 7 more
    u = Unit(rb, x, lvl, base, i, deltas)
    assert not u.p["separable"] and u.p["note"] == NOT_SEPARABLE_VI
    assert "fixed" not in u.p and all(set(lv) == {"key", "committed"} for lv in u.p["levers"])
    assert u.p["now"] == round(score_scenarios(u.x, u.level, rb, u.held, deltas).total[0] * 100)
    committed = [lv["committed"] for lv in u.p["levers"]]
    moved = [committed[0] + 1, *committed[1:]]
    got = node({"payload": u.p, "positions": [committed, moved], "cents": []})
    assert got["views"][0]["total"] == fmt_points(u.p["now"] / 100) and got["views"][0]["note"] == NOT_SEPARABLE_VI
    assert {got["views"][1][k] for k in ("total", "change", "rank", "band")} == {"—"}  # never a number it did not score
