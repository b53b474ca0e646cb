// The live bar's arithmetic on chiso.live.live_payload: look a lever's points up at its slider's position,
// add them, rank, band and format. No scoring rule lives here: Python scored every position, and all
// points are integers of hundredths, so the sum is exact and there is nothing to round.
// Loaded by index.html and, in the tests, by Node (tests/live_engine_check.js).
"use strict";
(function (root) {
  // positions where each further hundredth is first reached, from the payload's gaps (once per lever)
  function reach(lv) {
    if (!lv.reach) {
      let at = lv.lo;
      lv.reach = lv.gaps.map(g => (at += g));
    }
    return lv.reach;
  }

  function upperBound(sorted, v) { // how many entries are <= v
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] <= v) lo = m + 1; else hi = m; }
    return lo;
  }

  function leverPoints(lv, position) { // hundredths the lever's indicators give at this slider position
    const p = Math.min(Math.max(Math.round(position), lv.lo), lv.hi);
    return lv.v0 + upperBound(reach(lv), p);
  }

  // hundredths of the unit's total with its live levers' sliders at ``positions`` (one per p.levers entry);
  // a rulebook whose levers' points do not add up has no curves: the server's total stands
  function total(p, positions) {
    if (!p.separable) return p.now;
    return p.levers.reduce((t, lv, j) => t + leverPoints(lv, positions[j]), p.fixed);
  }

  function rank(p, cents) { // 1 + units strictly above; ties share the rank (1-2-2-4), as chiso.cohort
    return p.others.length - upperBound(p.others, cents) + 1;
  }

  function band(p, cents) { // bands from the highest minimum, as Rulebook.band
    for (const [min, name] of p.bands) if (cents >= min) return name;
    return p.bands.length ? p.bands[p.bands.length - 1][1] : "";
  }

  function fmtInt(n) { // 1234 → "1.234", as chiso.fmt.fmt_int
    return (n < 0 ? "-" : "") + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function fmtPoints(cents) { // 123456 → "1.234,56", as chiso.fmt.fmt_points (an integer: never "-0,00")
    const a = Math.abs(cents);
    return (cents < 0 ? "-" : "") + fmtInt(Math.floor(a / 100)) + "," + String(a % 100).padStart(2, "0");
  }

  function fmtDelta(cents) { // +1,93 / −0,50 / 0,00, as chiso.fmt.fmt_delta
    return (cents > 0 ? "+" : cents < 0 ? "−" : "") + fmtPoints(Math.abs(cents));
  }

  const DASH = "—"; // chiso.fmt.DASH

  // the bar's texts with the sliders at ``positions``: total, change (and "up"/"down"/"same"), rank in
  // the cohort (and the move in places, "" if none), band, and a note ("" when the levers add up). Levers
  // whose points do not add up show the server's figures only while the sliders sit where it scored them.
  function view(p, positions) {
    const note = p.separable ? "" : p.note;
    if (!p.separable && !positions.every((v, j) => Math.round(v) === p.levers[j].committed))
      return { total: DASH, change: DASH, trend: "same", rank: DASH, moved: "", movedTrend: "same", band: DASH, note };
    const t = total(p, positions), d = t - p.base, r0 = rank(p, p.base), r = rank(p, t);
    return {
      total: fmtPoints(t), change: fmtDelta(d), trend: d === 0 ? "same" : d > 0 ? "up" : "down",
      rank: `${r} / ${fmtInt(p.others.length + 1)}`,
      moved: r === r0 ? "" : `${r < r0 ? "+" : "−"}${Math.abs(r0 - r)} bậc`, movedTrend: r < r0 ? "up" : "down",
      band: band(p, t), note,
    };
  }

  const api = { leverPoints, total, rank, band, fmtInt, fmtPoints, fmtDelta, view };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ChisoLive = api;
})(typeof window !== "undefined" ? window : globalThis);
