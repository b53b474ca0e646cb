// Node side of tests/test_live_engine.py: for every unit and live lever, move the lever's slider over
// every value it can take and fold the browser engine's total and group points into one checksum.
// stdin: [payload, ...] (chiso.live.live_payload); stdout: [[checksum per lever], ...].
"use strict";
const live = require("../ui/components/score_bar/engine.js");
const P = 2147483647, K = 40503; // value m of a sequence weighs ((m + 1) * K) mod P (exact in doubles)

const units = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = units.map(p => p.levers.map((lv, j) => {
  let h = 0, m = 0;
  const deltas = new Array(p.levers.length).fill(0);
  for (let v = lv.bounds[0]; v <= lv.bounds[1]; v++) {
    deltas[j] = live.deltaForCount(lv, v);
    const s = live.score(p, deltas);
    m += 1;
    h = (h + (Math.round(s.total * 100) * ((m * K) % P)) % P) % P;
    for (const g of s.groups) {
      m += 1;
      h = (h + (Math.round(g * 100) * ((m * K) % P)) % P) % P;
    }
  }
  return h;
}));
process.stdout.write(JSON.stringify(out));
