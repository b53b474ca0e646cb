"""Issue 11, hardening: the app's Streamlit config is the one the server loads, hides tracebacks,
keeps CORS and XSRF protection on, and caps uploads at exactly what the importers accept."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from chiso.io.limits import MAX_JSON_BYTES, MAX_TABLE_BYTES, MAX_UPLOAD_MB, STREAMLIT_UPLOAD_MB

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
