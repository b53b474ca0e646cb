"""Issue 11, hardening: the app's Streamlit config is the one the server loads, hides tracebacks,
keeps CORS and XSRF protection on, and caps uploads at exactly what the importers accept; and the
reverse proxy's config (deploy/nginx.conf, issue 23) is well formed and carries what docs/deploy.md says."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from chiso.io.limits import MAX_JSON_BYTES, MAX_TABLE_BYTES, MAX_UPLOAD_MB, STREAMLIT_UPLOAD_MB
from ui.long_links import MAX_LINK_CHARS

ROOT = Path(__file__).parents[1]
_READ = """
import json
from streamlit import config
config.get_config_options(force_reparse=True)
names = ["server.maxUploadSize", "server.enableCORS", "server.enableXsrfProtection", "client.showErrorDetails",
         "client.toolbarMode"]
print(json.dumps({n: config.get_option(n) for n in names} | {"source": config.get_where_defined("server.maxUploadSize")}))
"""


def _loaded() -> dict:
    """The options as Streamlit itself reads them, from the project root like scripts/run_app.sh does."""
    out = subprocess.run([sys.executable, "-c", _READ], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_streamlit_loads_the_project_config() -> None:
    opts = _loaded()
    assert Path(opts["source"]).resolve() == (ROOT / ".streamlit" / "config.toml").resolve()
    assert opts["client.showErrorDetails"] == "none"  # no traceback for users
    assert opts["server.enableCORS"] is True and opts["server.enableXsrfProtection"] is True
    assert opts["client.toolbarMode"] == "minimal"  # the English main menu (Rerun, Settings, Print…) hidden


def test_streamlits_upload_limit_lets_a_file_over_ours_reach_the_vietnamese_refusal() -> None:
    """Streamlit's browser side counts decimal MB on Linux and macOS: at maxUploadSize = 20 a file of exactly
    20 MiB (our documented limit) was refused there, in English. Its limit must stay above ours in bytes."""
    assert _loaded()["server.maxUploadSize"] == STREAMLIT_UPLOAD_MB
    assert MAX_UPLOAD_MB * 1024 * 1024 == max(MAX_TABLE_BYTES, MAX_JSON_BYTES)
    assert STREAMLIT_UPLOAD_MB * 1_000_000 >= MAX_UPLOAD_MB * 1024 * 1024 + 1024 * 1024  # a MiB of room over ours


# --- deploy/nginx.conf -------------------------------------------------------------------------------
# No nginx on the test machine: the file is parsed here (nginx's own grammar, reduced to what the file
# uses: directives ending in ";", blocks in braces, "#" comments, double-quoted arguments).

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*|[{};]|[^\s{};"#]+')


@dataclass
class Directive:
    name: str
    args: list[str]
    children: list["Directive"] = field(default_factory=list)

    def all(self, name: str) -> list["Directive"]:
        return [d for d in self.children if d.name == name]

    def one(self, name: str) -> "Directive":
        found = self.all(name)
        assert len(found) == 1, f"{name}: {len(found)} in {self.name} {self.args}"
        return found[0]


def parse_nginx(text: str) -> Directive:
    """The file as a tree of directives; fails on unbalanced braces or a directive without its ";"."""
    root, stack, words = Directive("main", []), [], []
    stack.append(root)
    for tok in _TOKEN.findall(text):
        if tok.startswith("#"):
            continue
        if tok == "{":
            assert words, "a block without a name"
            node = Directive(words[0], words[1:])
            stack[-1].children.append(node)
            stack.append(node)
            words = []
        elif tok == ";":
            assert words, "an empty directive"
            stack[-1].children.append(Directive(words[0], words[1:]))
            words = []
        elif tok == "}":
            assert not words, f"{words} misses its ';'"
            assert len(stack) > 1, "a '}' without its '{'"
            stack.pop()
        else:
            words.append(tok[1:-1] if tok.startswith('"') else tok)
    assert not words, f"{words} misses its ';'"
    assert len(stack) == 1, "a '{' without its '}'"
    return root


@pytest.fixture(scope="module")
def nginx() -> Directive:
    return parse_nginx(NGINX_CONF.read_text(encoding="utf-8"))


def _tls_server(conf: Directive) -> Directive:
    servers = [s for s in conf.all("server") if any("ssl" in d.args for d in s.all("listen"))]
    assert len(servers) == 1
    return servers[0]


def _size_bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", size).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def test_the_parser_refuses_a_broken_file() -> None:
    """The checks below mean something only if a broken file fails to parse."""
    for broken in ("server { listen 80; ", "server { listen 80 }", "location / { } }", "listen 80"):
        with pytest.raises(AssertionError):
            parse_nginx(broken)


def test_nginx_upstream_is_sticky_and_local(nginx) -> None:
    up = nginx.one("upstream")
    assert up.args == ["chiso"] and up.all("ip_hash")  # a session's state lives in one replica
    addresses = [d.args[0] for d in up.all("server")]
    assert "127.0.0.1:8501" in addresses  # scripts/run_app.sh's port
    assert all(a.startswith("127.0.0.1:") for a in addresses)  # replicas listen on loopback only


def test_nginx_sends_the_security_headers_from_the_server_level_only(nginx) -> None:
    server = _tls_server(nginx)
    headers = {d.args[0]: d.args[1:] for d in server.all("add_header")}
    csp = headers["Content-Security-Policy"]
    assert csp[-1] == "always" and "frame-ancestors 'none'" in csp[0] and "object-src 'none'" in csp[0]
    assert headers["X-Frame-Options"][0] == "DENY" and headers["X-Content-Type-Options"][0] == "nosniff"
    assert "Strict-Transport-Security" in headers
    for loc in server.all("location"):  # an add_header in a location drops every server-level header there
        assert not loc.all("add_header"), loc.args


def test_nginx_passes_streamlits_websocket(nginx) -> None:
    server = _tls_server(nginx)
    stream = [loc for loc in server.all("location") if loc.args == ["/_stcore/stream"]]
    assert len(stream) == 1
    ws = stream[0]
    assert ws.one("proxy_pass").args == ["http://chiso"] and ws.one("proxy_http_version").args == ["1.1"]
    sent = {d.args[0]: d.args[1] for d in ws.all("proxy_set_header")}
    assert sent["Upgrade"] == "$http_upgrade" and sent["Connection"] == "upgrade"
    assert sent["Host"] == "$host"  # Streamlit checks the websocket's Origin against it
    for loc in server.all("location"):
        assert loc.one("proxy_pass").args == ["http://chiso"], loc.args


def test_nginx_limits_fit_the_app(nginx) -> None:
    """An upload Streamlit accepts passes the proxy; a share link the app makes fits its header buffers."""
    server = _tls_server(nginx)
    body = _size_bytes(server.one("client_max_body_size").args[0])
    assert body > STREAMLIT_UPLOAD_MB * 1_000_000
    count, size = server.one("large_client_header_buffers").args
    assert int(count) >= 1 and _size_bytes(size) > MAX_LINK_CHARS + 1024  # the link plus the request line
    assert server.one("ssl_certificate").args and server.one("ssl_certificate_key").args


def test_nginx_plain_http_only_redirects(nginx) -> None:
    plain = [s for s in nginx.all("server") if s is not _tls_server(nginx)]
    assert len(plain) == 1
    assert plain[0].one("return").args == ["301", "https://$host$request_uri"] and not plain[0].all("location")
