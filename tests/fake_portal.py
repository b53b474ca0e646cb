"""A local fake of Cổng DVCQG's evaluation API: a real HTTP server on 127.0.0.1, in a thread.

It serves the bundled Phú Thọ 2026-Q3 responses byte for byte, answers 400 to a body that breaks the
request contract (api.md, written out here independently of chiso's code), and misbehaves on demand
(``misbehave(mode, endpoint)``). It records every request and the most requests it ever held at once.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHU_THO = ROOT / "sample_data" / "portal" / "phu-tho-2026-q3"
PHU_THO_ID = "019d2be3-6a88-732b-8b17-b68020c8553a"
HA_NOI_ID = "019d2be3-6a86-70a8-a0af-76e986804225"
PREFIX = "/api/v1/reporting/evaluation/"
PAGE_SIZE = {"transparency": 200, "handling-satisfaction": 200, "dossier-digitized": 200,
             "dvc-progress-tree": 100, "provide-online-tree": 200, "formality-online-payment-tree": 100}
WAF_PAGE = (b"<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
            b"Please consult with your administrator.<br><br>Your support ID is: 1234567890</body></html>")


def contract_problem(endpoint: str, body: object, pages: int = 1) -> str | None:
    """Why a body is not what the portal's page sends for Phú Thọ, quarter 3/2026 (None when it is)."""
    if endpoint not in PAGE_SIZE:
        return "unknown endpoint"
    if not isinstance(body, dict):
        return "body is not a JSON object"
    common = {"rootDepartmentId": PHU_THO_ID, "currentPage": 1, "pageSize": PAGE_SIZE[endpoint]}
    if endpoint == "handling-satisfaction":
        expected = {"fromDate": "2026-07-01", "toDate": "2026-09-30", **common}
    else:
        expected = {"timeType": "quarter", "year": 2026, "quarter": 3, **common}
    if body.get("currentPage") in range(2, pages + 1):
        expected["currentPage"] = body["currentPage"]  # a paged answer: the next pages may be asked for
    if body.get("rootDepartmentId") == HA_NOI_ID:
        expected["rootDepartmentId"] = HA_NOI_ID  # the fake answers Hà Nội with Phú Thọ's data (wrong province)
    if set(body) != set(expected):
        return f"keys {sorted(body)} != {sorted(expected)}"
    bad = [k for k, v in expected.items() if body[k] != v or type(body[k]) is not type(v)]
    return f"wrong {bad}" if bad else None


def page_of(content: bytes, page: int, size: int = 100) -> bytes:
    """Page ``page`` of an evaluation response cut into pages of ``size`` units (the portal's pagination)."""
    doc = json.loads(content)
    rows = doc["data"]["evaluation"]
    doc["data"]["evaluation"] = rows[(page - 1) * size: page * size]
    doc["data"]["pagination"] = {"total": len(rows), "currentPage": page, "pageSize": size,
                                 "totalPages": -(-len(rows) // size)}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    errors: list[str]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a timeout, a closed keep-alive) is noted, not printed into the test's stderr."""
        self.errors.append(repr(sys.exc_info()[1]))


class FakePortal:
    def __init__(self) -> None:
        self.mode: str | None = None
        self.mode_endpoint = "dossier-digitized"  # the third endpoint: two responses already fetched by then
        self.mode_times = 10**9  # how many requests misbehave before it recovers
        self.slow_seconds = 2.0
        self.requests: list[tuple[str, dict]] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.errors = []
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakePortal":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def misbehave(self, mode: str | None, endpoint: str = "dossier-digitized", times: int = 10**9) -> None:
        self.mode, self.mode_endpoint, self.mode_times = mode, endpoint, times

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet test output
                pass

            def do_POST(self) -> None:
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self._answer()
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _answer(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                fake.requests.append((endpoint, body))
                paged = fake.mode == "paged" and endpoint == fake.mode_endpoint
                problem = contract_problem(endpoint, body, 2 if paged else 1)
                if problem:
                    return self._send(400, json.dumps({"code": "BAD_REQUEST", "message": problem}).encode())
                content = (PHU_THO / f"{endpoint}.json").read_bytes()
                if paged:
                    return self._send(201, page_of(content, body["currentPage"]))
                if fake.mode and endpoint == fake.mode_endpoint and fake.mode_times > 0:
                    fake.mode_times -= 1
                    return self._misbehave(fake.mode, content)
                self._send(201, content)

            def _misbehave(self, mode: str, content: bytes) -> None:
                if mode in ("429", "403", "500"):
                    return self._send(int(mode), b'{"code":"ERROR","message":"no"}')
                if mode == "waf":
                    return self._send(200, WAF_PAGE, "text/html")
                if mode == "html":
                    return self._send(201, b"<!DOCTYPE html><html><body>B\xe1\xba\xa3o tr\xc3\xac</body></html>", "text/html")
                if mode == "wrong-province":
                    return self._send(201, content.replace(PHU_THO_ID.encode(), HA_NOI_ID.encode(), 1))
                if mode == "truncated":
                    return self._send(201, content[: len(content) // 2])
                if mode == "reformatted":  # the same data, other bytes
                    return self._send(201, content + b" ")
                if mode == "400-body":
                    return self._send(400, b'{"code":"BAD_REQUEST","message":"bad"}')
                if mode == "slow":
                    time.sleep(fake.slow_seconds)
                    return self._send(201, content)
                if mode == "drop":  # headers promise the whole body, the connection closes a tenth of the way in
                    self.send_response(201)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content[: len(content) // 10])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                raise AssertionError(mode)

            def _send(self, status: int, content: bytes, ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler
