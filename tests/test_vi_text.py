"""ui.vi_text: the tag that loads static/vi.js (Streamlit's own English in Vietnamese) is served and safe.
What the script does in a browser: tests/e2e/test_vi_text_e2e.py and test_screens_e2e.py."""
from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from chiso.io.limits import MAX_JSON_BYTES, MAX_TABLE_BYTES
from ui import vi_text

ROOT = Path(__file__).parents[1]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_tag_loads_the_served_file_with_the_apps_limits() -> None:
    parser = _Tags()
    parser.feed(vi_text.tag())
    script = next(attrs for tag, attrs in parser.tags if tag == "script")
    # Streamlit serves ROOT/static/ at /app/static/ (server.enableStaticServing)
    assert script["src"] == vi_text.SCRIPT_URL == "/app/static/vi.js"
    assert (ROOT / "static" / "vi.js").is_file()
    # the data attributes carry the app's words, decoded by the browser as written here
    assert script["data-over-limit"] == vi_text.OVER_LIMIT_VI
    assert f"{MAX_TABLE_BYTES // 2**20} MB" in vi_text.OVER_LIMIT_VI
    assert f"{MAX_JSON_BYTES // 2**20} MB" in vi_text.UPLOAD_LIMIT_VI


def _option(name: str):
    """An option as Streamlit reads .streamlit/config.toml, from the project root (scripts/run_app.sh)."""
    code = ("import json; from streamlit import config; config.get_config_options(force_reparse=True); "
            f"print(json.dumps(config.get_option({name!r})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_streamlit_serves_the_static_folder() -> None:
    assert _option("server.enableStaticServing") is True


def test_an_error_shows_no_english_links() -> None:
    """«Copy», «Ask Google», «Ask ChatGPT» under an uncaught error: English, and they send it to other sites
    (Streamlit's default "auto" shows them on localhost)."""
    assert _option("client.showErrorLinks") in (False, "false", "False")
