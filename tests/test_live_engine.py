"""The simulator's live bar computes in the browser: its engine (ui/components/score_bar/engine.js, run
here in Node) must give the same total and group points as chiso.engine at every value every lever's
slider can take, for every unit of the bundled samples (the national synthetic set: every 25th unit,
all of them with CHISO_LIVE_ALL=1)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from chiso.calibration import baseline
from chiso.cohort import rank_among
from chiso.engine import input_matrix, level_index
from chiso.fmt import fmt_delta, fmt_points
from chiso.live import live_payload
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import count_bounds, delta_for_count, fixed_reason_vi, lever_rooms, score_scenarios

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node") or shutil.which("nodejs")
P, K = 2147483647, 40503  # the checksum of tests/live_engine_check.js


def node(script: str, payload) -> object:
    if NODE is None:
        pytest.fail("Node.js is needed to run the browser engine (apt-get install nodejs).")
    r = subprocess.run([NODE, "-e", script] if not script.endswith(".js") else [NODE, script],
                       input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def checksum(values: np.ndarray) -> int:
    """Σ v_m · ((m·K) mod P) mod P over the flattened sequence, m from 1 (as the Node side folds it)."""
    v = values.astype(np.int64).ravel()
    w = (np.arange(1, len(v) + 1, dtype=np.int64) * K) % P
    return int(((v * w) % P).sum() % P)


def python_checksums(rb, x_row, level, held, rooms) -> list[int]:
    sums = []
    live = [n for n, r in enumerate(rooms) if not fixed_reason_vi(r)]
    for n in live:
        lo, hi = count_bounds(rooms[n])
        d = np.zeros((hi - lo + 1, len(rooms)))
        d[:, n] = [delta_for_count(rooms[n], v) for v in range(lo, hi + 1)]  # what each slider value sets
        s = score_scenarios(x_row, level, rb, held, d)
        cents = np.column_stack([np.round(s.total * 100), np.round(s.group_points * 100)])
        sums.append(checksum(cents))
    return sums


STRIDE = {"tay-ninh": 1, "phu-tho": 20, "gia-lap": 400}


def units_of(key: str, n: int) -> range:
    every = 1 if os.environ.get("CHISO_LIVE_ALL") == "1" else STRIDE.get(key, 1)
    return range(0, n, every)


@pytest.mark.parametrize("sample", available_samples(), ids=lambda s: s.key)
def test_browser_engine_equals_chiso_engine_at_every_lever_step(sample):
    rb = load_rulebook(sample.rulebook)
    table = load_sample(sample, rb)
    base = baseline(table, rb)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    payloads, expected = [], []
    for i in units_of(sample.key, len(table)):
        level = LEVELS[lvl[i]]
        rooms = lever_rooms(x[i], level, rb)
        others = np.delete(base.total, i)[np.delete(lvl, i) == lvl[i]]
        payloads.append(live_payload(rb, x[i], level, float(base.held[i]), rooms, others, float(base.total[i])))
        expected.append(python_checksums(rb, x[i], level, float(base.held[i]), rooms))
    got = node(str(ROOT / "tests" / "live_engine_check.js"), payloads)
    assert sum(len(e) for e in expected) > 0
    bad = [(str(table.frame["unit_code"][i]), p["levers"][k]["key"])
           for i, p, e, g in zip(units_of(sample.key, len(table)), payloads, expected, got)
           for k in range(len(e)) if e[k] != g[k]]
    assert not bad, f"{len(bad)} levers differ, e.g. {bad[:5]}"


def test_browser_rank_band_and_number_format_match_python():
    """Rank (ties share it), band and the Vietnamese number format of the bar, against chiso."""
    s = available_samples()[0]
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    base = baseline(table, rb)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    i = int(np.flatnonzero(lvl == LEVELS.index("commune"))[0])
    others = np.delete(base.total, i)[np.delete(lvl, i) == lvl[i]]
    p = live_payload(rb, x[i], "commune", float(base.held[i]), lever_rooms(x[i], "commune", rb), others,
                     float(base.total[i]))
    probes = sorted({*others.tolist(), *(np.arange(0, 10001) / 100).tolist(), 1234.5, 1e6 + 0.07})  # points: cents
    script = """const l = require('./ui/components/score_bar/engine.js');
    const [p, vs] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    process.stdout.write(JSON.stringify(vs.map(v => [l.rank(p, v), l.band(p, v), l.fmtPoints(v),
      l.fmtDelta(v - 50), l.fmtDelta(-v)])));"""
    got = node(script, [p, probes])
    want = [[rank_among(v, others), rb.band(v), fmt_points(v), fmt_delta(v - 50), fmt_delta(-v)] for v in probes]
    assert got == want
