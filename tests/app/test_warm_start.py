"""ui/serve.py: the bundled samples are scored into the pages' cache before the server starts, so the first
visitor of a fresh server does not pay for them (the time itself is measured by bench/bench_browser.py)."""
from __future__ import annotations

import socket

import pytest

import ui.data_source
from chiso.samples import available_samples
from ui.serve import send_without_delay, warm


def test_warm_fills_the_cache_the_pages_read(monkeypatch: pytest.MonkeyPatch) -> None:
    warm()

    def must_not_load(*_args, **_kwargs):
        raise AssertionError("a sample was read again after the warm start")

    monkeypatch.setattr(ui.data_source, "load_sample", must_not_load)
    for s in available_samples():
        data = ui.data_source._sample_data(s.key, s.rulebook, None)  # what the sidebar calls for a sample
        assert data.source_key == s.key and len(data.table.frame) > 0


def _accepted(server) -> socket.socket:
    """A connection accepted on a listening socket bound as the Streamlit server binds its own."""
    listener = server._bind_socket("127.0.0.1", 0, 8)
    client = socket.create_connection(listener.getsockname())
    listener.setblocking(True)
    conn, _ = listener.accept()
    client.close()
    listener.close()
    return conn


def test_server_connections_send_without_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without TCP_NODELAY, every static file fetched over a reused connection waited ~40 ms for the
    browser's delayed ACK (59 script modules on one connection: 2,55 s instead of 0,15 s, curl)."""
    from streamlit.web.server.starlette import starlette_server as server

    monkeypatch.setattr(server, "_bind_socket", server._bind_socket)  # undone after the test
    plain = _accepted(server)
    assert plain.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # why the patch exists
    plain.close()
    send_without_delay()
    conn = _accepted(server)
    assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    conn.close()
