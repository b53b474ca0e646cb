"""bench/bench_server_render.py against a real server: a new session's first run of a page finishes, and
what it sends is the page (Tổng quan's table is the bulk of it). Keeps the benchmark in step with the app."""
from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import bench_server_render as bench  # noqa: E402
from bench_load import free_port, start_server, stop_server  # noqa: E402  (tests/e2e/conftest.py, by path)


def test_first_runs_finish_and_carry_the_page():
    port = free_port()
    proc = start_server(port, warm=True)
    try:
        url = f"http://127.0.0.1:{port}"
        # in its own thread: in the full suite Playwright's sync API keeps an event loop running in this one
        with ThreadPoolExecutor(1) as pool:
            overview = pool.submit(asyncio.run, bench.first_run(url, "overview", "src=phu-tho")).result()
            simulate = pool.submit(asyncio.run, bench.first_run(url, "simulate", "src=phu-tho")).result()
        modules = bench.static_modules(url)  # raises unless every module index.html names is served
    finally:
        stop_server(proc)
    for seconds, messages, size in (overview, simulate):
        assert 0 < seconds < 60 and messages > 20 and size > 10_000
    assert simulate[1] > overview[1]  # 16 levers' rows against one table
    assert len(modules) > 20
