"""Benchmark: a pasted block of 11.514 cells saved as one batch, undone in one step, and the data with
thousands of revisions opened as fast as without them.

    .venv/bin/python bench/bench_batches.py [--repeat 5] [--cells 11514] [--url postgresql+psycopg://…] [--pages]

Timed (medians of --repeat, each on a fresh workspace):
- validate: ``chiso.edits.make_revisions`` for the paste (every cell checked, numerator ≤ denominator);
- save: ``Workspace.save_edits`` (the check against what the user saw, one batch, audit entry);
- undo: ``own_last_batch`` (what the confirmation lists) + ``undo_batch``;
- open: what a page does the first time it loads data that has revisions — read them, apply them, score
  (``chiso.calibration.baseline``) — against the same with no revision; and a rerun (a lever moved): the
  revisions' stamp only, since the app caches the scored data by it.
The paste doubles every count of the first units of the synthetic national sample (ratios unchanged, so
every cell is valid), the way a user pastes a corrected block from Excel.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso.calibration import baseline  # noqa: E402
from chiso.edits import Edit, apply_revisions, make_revisions  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.samples import load_sample, sample  # noqa: E402
from chiso.workspace import open_workspace  # noqa: E402
from chiso.workspace.access import LOCAL  # noqa: E402

KEY = "sample:gia-lap"


def paste(table, rb, cells: int) -> list[Edit]:
    """``cells`` edits, every present count doubled (the base is what the user saw): whole units while they
    fit, then only counts that are no indicator's numerator (doubling a denominator alone stays valid)."""
    frame, edits = table.frame, []
    numerators = {ind.numerator for ind in rb.indicators}
    for i in range(len(frame)):
        code = str(frame["unit_code"].iloc[i])
        present = [(k, float(frame[k].iloc[i])) for k in rb.input_keys
                   if k in frame and frame[k].iloc[i] == frame[k].iloc[i] and frame[k].iloc[i] > 0]
        if len(edits) + len(present) > cells:
            present = [(k, v) for k, v in present if k not in numerators][:cells - len(edits)]
        edits += [Edit(code, k, v * 2, base=v) for k, v in present]
        if len(edits) == cells:
            return edits
    raise SystemExit(f"only {len(edits)} cells available")


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fresh(url: str | None):
    return open_workspace(url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3").for_actor(LOCAL.in_session("bench"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cells", type=int, default=11_514)
    ap.add_argument("--url", default="")
    ap.add_argument("--pages", action="store_true", help="also time Mô phỏng in AppTest (slower)")
    args = ap.parse_args()
    rb = load_rulebook("portal-2026")
    table = load_sample(sample("gia-lap"), rb)
    edits = paste(table, rb, args.cells)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {len(edits):,} cells over "
          f"{len({e.unit_code for e in edits})} units of {len(table.frame):,}")

    t_valid = median(lambda: make_revisions(table, rb, edits), args.repeat)
    revs = make_revisions(table, rb, edits)
    saves, undos, asks = [], [], []
    for _ in range(args.repeat):
        ws = fresh(args.url)
        t0 = time.perf_counter()
        ws.save_edits(KEY, rb.id, revs)
        saves.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        last = ws.own_last_batch(KEY, rb.id)
        asks.append(time.perf_counter() - t0)
        ws.undo_batch(KEY, rb.id, last.id)
        undos.append(time.perf_counter() - t0)
        assert ws.revisions(KEY, rb.id) == []
        ws.close()
    print(f"validate {t_valid:.2f} s · save {statistics.median(saves):.2f} s · undo (list + undo) "
          f"{statistics.median(undos):.2f} s, of which the list {statistics.median(asks):.2f} s "
          f"(medians of {args.repeat})")

    ws = fresh(args.url)
    ws.save_edits(KEY, rb.id, revs)

    def open_with() -> None:
        baseline(apply_revisions(table, rb, ws.revisions(KEY, rb.id)), rb)

    def open_without() -> None:  # a fresh copy: nothing may be served from an earlier scoring
        baseline(replace(table, frame=table.frame.copy(), provenance=table.provenance.copy()), rb)

    for _ in range(2):  # warm both paths (imports, caches) before timing
        open_with(), open_without()
    t_with, t_without = median(open_with, args.repeat), median(open_without, args.repeat)
    t_stamp = median(lambda: ws.revision_stamp(KEY, rb.id), args.repeat * 4)
    print(f"data path: read + apply + score with {len(revs):,} revisions {t_with:.2f} s vs none "
          f"{t_without:.2f} s · a rerun asks only the stamp: {t_stamp * 1000:.1f} ms")
    ws.close()
    if args.pages:
        pages(revs, rb, args.repeat)


def _simulator(unit: str):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.session_state["data_source"] = "gia-lap"
    at.session_state["unit_code"] = unit
    at.run()
    return at


def _open(unit: str) -> tuple[float, float]:
    """A new session opening Mô phỏng (the app's first run, then the page), and one lever moved."""
    t0 = time.perf_counter()
    at = _simulator(unit).switch_page("pages/simulate.py").run()
    opened = time.perf_counter() - t0
    assert not at.exception, [e.value for e in at.exception]
    slider = at.slider(key="lv_n_e_results")
    t0 = time.perf_counter()
    slider.set_value(slider.value + 1).run()
    return opened, time.perf_counter() - t0


def pages(revs, rb, repeat: int) -> None:
    """Mô phỏng in AppTest (the server's share of a page), on one unit the paste touched: a new session
    with no revision, then after the paste (the first open pays the apply and scoring once per server; the
    others hit the cache keyed by the revisions' stamp), and a lever moved in each."""
    os.environ["CHISO_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/pages.sqlite3"
    unit = revs[0].unit_code
    _open(unit)  # warm: samples scored, modules imported
    without = [_open(unit) for _ in range(repeat)]
    fresh(None).save_edits(KEY, rb.id, revs)
    first = _open(unit)
    after = [_open(unit) for _ in range(repeat)]
    med = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
    print(f"Mô phỏng, new session: no revision {med(without, 0):.2f} s · first after the paste {first[0]:.2f} s · "
          f"then {med(after, 0):.2f} s (×{med(after, 0) / med(without, 0):.2f}); lever {med(without, 1):.2f} s → "
          f"{med(after, 1):.2f} s (×{med(after, 1) / med(without, 1):.2f}); medians of {repeat}")


if __name__ == "__main__":
    main()
