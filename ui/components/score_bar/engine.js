// The live score of one unit, computed in the browser exactly as chiso.engine does (see chiso/live.py).
// Loaded by index.html and, in the tests, by Node (tests/test_live_engine.py).
"use strict";
(function (root) {
  const EPS = 1e-9; // chiso.engine._EPS: exact halves (1,125) round up as the portal does

  function roundHalfUp(v) { // chiso.engine.round_half_up
    return Math.sign(v) * Math.floor(Math.abs(v) * 100 + (0.5 + EPS)) / 100;
  }

  function round2(v) { // np.round(v, 2) on sums of 2-decimal points (never an exact half)
    return Math.round(v * 100) / 100;
  }

  // p: chiso.live.live_payload; deltas: one integer per p.levers entry
  function score(p, deltas) {
    const x = p.x.map(v => (v === null ? NaN : v));
    p.levers.forEach((lv, j) => {
      // a whole-step delta stops exactly at the floor/room (chiso.scenario.clamp_deltas): 10,147 + 355 → 365
      const d = Math.min(Math.max(deltas[j] || 0, Math.min(lv.floor, 0)), lv.room);
      if (d) for (const k of lv.moves) x[k] += d;
    });
    const groups = new Array(p.n_groups).fill(0);
    for (let k = 0; k < p.num.length; k++) {
      const num = x[p.num[k]], den = x[p.den[k]];
      let pts;
      if (p.fixed[k] !== null) pts = p.fixed[k]; // level policy: full or zero whatever the counts
      else if (den === 0) pts = p.zero[k];
      else if (!(den > 0) || Number.isNaN(num)) pts = NaN; // missing: left out of the total
      else {
        const r = Math.min(1, Math.max(0, num / den / p.thr[k]));
        pts = Math.floor(r * (p.max[k] * 100) + (0.5 + EPS)) / 100;
      }
      if (!Number.isNaN(pts)) groups[p.group[k]] += pts;
    }
    const g = groups.map(round2);
    const computed = round2(g.reduce((a, b) => a + b, 0));
    return { groups: g, total: roundHalfUp(computed + p.held) };
  }

  // the lever's whole-step delta once its slider shows ``count`` (chiso.scenario.delta_for_count): the
  // ends are exact (0 and the denominator), in between 11 from 10,147 is +1
  function deltaForCount(lv, count) {
    const [lo, hi] = lv.bounds, [down, up] = lv.steps;
    if (count <= lo) return down;
    if (count >= hi) return up;
    const shown0 = Math.floor(lv.current + 0.5);
    return Math.min(Math.max(Math.floor(count - shown0 + 0.5), down), up);
  }

  function rank(p, total) { // 1 + units strictly above, in hundredths (chiso.cohort.rank_among)
    const v = Math.round(total * 100), o = p.others;
    let lo = 0, hi = o.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (o[m] <= v) lo = m + 1; else hi = m; }
    return o.length - lo + 1;
  }

  function band(p, total) { // Rulebook.band: bands sorted from the highest minimum
    for (const [min, name] of p.bands) if (total >= min - EPS) return name;
    return p.bands.length ? p.bands[p.bands.length - 1][1] : "";
  }

  function fmtPoints(v) { // chiso.fmt.fmt_points: 1.234,50
    const [i, f] = Math.abs(v).toFixed(2).split(".");
    const neg = v < 0 && Number(Math.abs(v).toFixed(2)) !== 0;
    return (neg ? "-" : "") + i.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + "," + f;
  }

  function fmtDelta(v) { // chiso.fmt.fmt_delta: +1,93 / −0,50 / 0,00
    const r = Number(v.toFixed(2)); // rounds the binary value as Python's round() does (no exact halves)
    return (r > 0 ? "+" : r < 0 ? "−" : "") + fmtPoints(Math.abs(r));
  }

  const api = { score, deltaForCount, rank, band, fmtPoints, fmtDelta, roundHalfUp };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ChisoLive = api;
})(typeof window !== "undefined" ? window : globalThis);
