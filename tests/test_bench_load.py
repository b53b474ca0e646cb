"""The training-room load client (bench/bench_load.py) against a real server: two sessions each open a
commune, move a lever, switch pages, save a scenario and plan a target, with no error. Keeps the
protocol-level client in step with the app's widgets and Streamlit's websocket protocol."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import bench_load  # noqa: E402


def test_two_sessions_work_through_every_step_without_errors():
    opt = bench_load.Options(seconds=120, think=0.05, every=2, moves=2, ramp=0.2)
    # in its own thread: in the full suite Playwright's sync API keeps an event loop running in this one,
    # and asyncio.run() refuses to start inside a running loop
    with ThreadPoolExecutor(1) as pool:
        room, mem = pool.submit(bench_load.run_one, 2, opt, None, None).result()
    assert dict(room.errors) == {}
    assert room.opened == 2
    assert len(room.lever) == 4 and all(0 < t < opt.timeout for t in room.lever)
    assert len(room.actions["save"]) == 2 and len(room.actions["plan"]) == 2
    assert len(room.actions["page → overview"]) == 2 and len(room.actions["page → simulate"]) == 4
    assert 0 < mem.points["cold"] < mem.points["idle"] <= mem.peak
