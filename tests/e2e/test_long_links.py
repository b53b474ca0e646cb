"""A shared link too long for the server: a real request to a started server (python -m ui.serve) gets a
Vietnamese page with status 414, not uvicorn's bare English «400 Invalid HTTP request received.»; a link of
the length the app makes (ui.long_links.MAX_LINK_CHARS) still opens."""
from __future__ import annotations

import http.client

import pytest

from ui.long_links import MAX_LINK_CHARS

from conftest import free_port, start_server, stop_server


@pytest.fixture(scope="module")
def port():
    port = free_port()
    proc = start_server(port, warm=True)
    try:
        yield port
    finally:
        stop_server(proc)


def get(port: int, path: str) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.getheader("content-type") or "", r.read().decode("utf-8")
    finally:
        conn.close()


def test_a_150_kb_link_is_refused_in_vietnamese(port):
    status, kind, body = get(port, "/simulate?src=phu-tho&name=" + "a" * 150_000)
    assert status == 414 and kind.startswith("text/html"), (status, kind, body)
    assert "Liên kết quá dài" in body and "8.000 ký tự" in body


def test_a_link_as_long_as_the_app_makes_opens(port):
    status, _, body = get(port, "/simulate?src=phu-tho&name=" + "a" * (MAX_LINK_CHARS - 40))
    assert status == 200 and "<html" in body.lower()
