// Node side of tests/test_live_engine.py: what the bar's script makes of a payload.
// stdin: {payload, positions: [[slider position per lever], ...], cents: [hundredths, ...]}
// stdout: the total and the bar's texts for each row of positions; rank, band and formats of each cents.
"use strict";
const live = require("../ui/components/score_bar/engine.js");

const { payload: p, positions, cents } = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({
  totals: p.separable ? positions.map(row => live.total(p, row)) : [],
  views: positions.map(row => live.view(p, row)),
  rank: cents.map(c => live.rank(p, c)),
  band: cents.map(c => live.band(p, c)),
  points: cents.map(live.fmtPoints),
  delta: cents.map(live.fmtDelta),
}));
