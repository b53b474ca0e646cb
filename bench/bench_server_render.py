"""The server's share of a first render: each page opened by a new session, timed from the websocket's
``rerun_script`` to the run's ``script_finished``, with the number of messages and bytes it sends (what the
browser must then decode and draw). No browser: Streamlit's own protobufs over its websocket. Also the
static part of a new session: the script modules index.html names, fetched over one keep-alive connection
(a browser fetches them over six), which TCP_NODELAY took from ~40 ms to ~2 ms each (``ui/serve.py``).

    .venv/bin/python bench/bench_server_render.py [--runs 5] [--source gia-lap]

The server starts as ``scripts/run_app.sh`` starts it (``python -m ui.serve``); the first session of each
page is dropped (it loads that page's modules).
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import re
import statistics
import sys
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import free_port, start_server, stop_server  # noqa: E402  (tests/e2e/conftest.py, by path)
from load_client import url_path  # noqa: E402

PAGES = ["overview", "unit", "simulate", "plan", "data", "policy", "guide"]


async def first_run(url: str, page: str, query: str) -> tuple[float, int, int]:
    """(seconds, messages, bytes) of a new session's first run of ``page``."""
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = url_path(page)
        t0 = time.perf_counter()
        await ws.send(msg.SerializeToString())
        n = size = 0
        while True:
            raw = await ws.recv()
            n, size = n + 1, size + len(raw)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            if fm.WhichOneof("type") == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return time.perf_counter() - t0, n, size


def static_modules(url: str) -> list[float]:
    """Seconds to fetch each script module that index.html names, one after another on one connection."""
    host, port = url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/")
    index = conn.getresponse().read().decode()
    times = []
    for path in re.findall(r'(?:src|href)="\./(static/js/[^"]+\.js)"', index):
        t0 = time.perf_counter()
        conn.request("GET", "/" + path)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {resp.status}")
        times.append(time.perf_counter() - t0)
    conn.close()
    return times


async def main(runs: int, source: str) -> None:
    port = free_port()
    proc = start_server(port, warm=True)
    url = f"http://127.0.0.1:{port}"
    try:
        print(f"Server's first run of each page, new session, ?src={source} (median of {runs}):")
        for page in PAGES:
            got = [await first_run(url, page, f"src={source}") for _ in range(runs + 1)][1:]
            sec = statistics.median(g[0] for g in got)
            print(f"  {page:9s} {sec * 1000:5.0f} ms · {got[-1][1]} messages · {got[-1][2] / 1024:.0f} kB")
        fetches = [static_modules(url) for _ in range(runs)]
        total = statistics.median(sum(f) for f in fetches)
        each = statistics.median(t for f in fetches for t in f)
        print(f"Script modules named by index.html ({len(fetches[0])}), one keep-alive connection (median of {runs}): "
              f"{total * 1000:.0f} ms in all, {each * 1000:.1f} ms each")
    finally:
        stop_server(proc)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--source", default="gia-lap")
    args = ap.parse_args()
    asyncio.run(main(args.runs, args.source))
