"""Start the app warm: the heavy imports (pandas, scipy, SQLAlchemy, plotly) and every bundled sample are
loaded and scored before the server accepts anyone. Otherwise the first visitor of a freshly started server
pays for them all (about 6 s on the 2-core machine) — typically the official who opens the link sent before a
meeting.

    .venv/bin/python -m ui.serve [streamlit run options, e.g. --server.port=8501]

``scripts/run_app.sh`` (the README's start command) runs this; ``streamlit run app.py`` still works, cold.
"""
from __future__ import annotations

import gc
import logging
import socket
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm() -> None:
    """Fill the same ``st.cache_resource`` the pages read (one process: the server runs in this one)."""
    import plotly.graph_objects  # noqa: F401  (imported by the pages' charts)

    from ui.data_source import warm_samples  # imports Streamlit, which sets its loggers' levels

    # outside a session Streamlit warns, once per cached call, that there is no script context
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        warm_samples()
    finally:
        quiet.setLevel(level)
    gc.freeze()  # what is loaded now lives as long as the server: later collections need not scan it again


def send_without_delay() -> None:
    """Turn off Nagle's algorithm (TCP_NODELAY) on the server's connections.

    Streamlit binds its listening socket with protocol 0, so asyncio does not set TCP_NODELAY on the accepted
    connections as it does for its own. A response written in two parts (headers, then body) then waits for the
    browser's delayed ACK: about 40 ms for every static file fetched over a reused connection (59 script modules
    on one connection: 2,55 s instead of 0,15 s; bench/bench_server_render.py). Linux copies the option from
    the listening socket to every connection it accepts. (No change measured on the websocket's lever replies.)
    """
    from streamlit.web.server.starlette import starlette_server as server

    bind = getattr(server, "_bind_socket", None)
    if bind is None:  # a later Streamlit binds differently: serve as it does (tests/app/test_warm_start.py fails)
        logging.getLogger(__name__).warning("streamlit has no _bind_socket: TCP_NODELAY not set")
        return

    def bind_without_delay(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    server._bind_socket = bind_without_delay


def refuse_in_vietnamese() -> None:
    """A request the server cannot read — above all a shared link too long for it — gets a small Vietnamese
    page (414 or 400, ui.long_links) instead of uvicorn's bare English «Invalid HTTP request received.»."""
    from streamlit.web.server.starlette import starlette_server as server

    from ui.long_links import VietnameseH11Protocol

    kwargs = getattr(server, "_get_uvicorn_config_kwargs", None)
    if kwargs is None:  # a later Streamlit configures uvicorn differently: tests/test_long_links.py fails
        logging.getLogger(__name__).warning("streamlit has no _get_uvicorn_config_kwargs: English 400 kept")
        return
    server._get_uvicorn_config_kwargs = lambda: {**kwargs(), "http": VietnameseH11Protocol}


def main(argv: list[str]) -> None:
    warm()
    send_without_delay()
    refuse_in_vietnamese()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
