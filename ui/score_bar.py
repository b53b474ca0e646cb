"""The simulator's score bar: total, change, rank and band, following the lever sliders in the browser.

A hand-written page (``ui/components/score_bar/index.html``, no build step) that reads the page's lever
sliders every frame and looks their points up in ``chiso.live.live_payload`` (scored by Python for every
slider position; engine.js only adds, ranks, bands and formats). Python sends the unit once, inlined with
engine.js (an srcdoc iframe: no extra request that a busy server could delay); the levers still commit to
Python on release as before, and the metrics below the bar follow.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path

import streamlit as st

from ui.projector import projector_view

_DIR = Path(__file__).parent / "components" / "score_bar"

# keeps the bar at the top of the window while the levers scroll under it (desktop and phone)
# (Streamlit wraps the keyed container in a layout wrapper of the same height: that is what must stick)
_STICKY = ("<style>[data-testid='stLayoutWrapper']:has(> .st-key-score_bar) {position: sticky; top: 3.75rem;"
           " z-index: 990; background: white; border-bottom: 1px solid rgba(49, 51, 63, 0.2);}"
           " .st-key-score_bar iframe {display: block;}</style>")


@cache
def _font_face() -> str:
    """Streamlit's own Source Sans for the bar, so that it reads like the metrics under it (an iframe does
    not inherit the page's fonts). The file is the one the page has loaded already (same origin, cached);
    the URL is relative, and an srcdoc iframe resolves it against the page's address (any base path)."""
    from streamlit import file_util

    found = sorted((Path(file_util.get_static_dir()) / "static" / "media").glob("SourceSansVF-Upright*.woff2"))
    if not found:  # a later Streamlit renames it: the bar falls back to the system's sans-serif
        return ""
    return ('@font-face { font-family: "Source Sans"; font-weight: 100 900; font-display: swap;'
            f' src: url("static/media/{found[0].name}") format("woff2"); }}')


@cache
def _template() -> str:
    engine = (_DIR / "engine.js").read_text(encoding="utf-8")
    page = (_DIR / "index.html").read_text(encoding="utf-8")
    return page.replace("/*FONT*/", _font_face()).replace("/*ENGINE*/", engine)


def bar_html(payload: dict, large: bool = False) -> str:
    """The bar's page for one unit; the data is JSON with "<" escaped so it cannot close the script.
    ``large``: the projector view's type."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    page = _template().replace("/*PAYLOAD*/", data)
    return page.replace("<body>", '<body class="large">', 1) if large else page


def score_bar_slot():
    """The bar's place at the top of the simulator; filled by ``score_bar`` once the rest is drawn (the
    browser then shows the metrics first instead of waiting for the bar's iframe)."""
    st.html(_STICKY)
    return st.container(key="score_bar")


def score_bar(slot, payload: dict) -> None:
    """Draw the bar in ``slot`` (``payload``: ``chiso.live.live_payload``)."""
    large = projector_view()
    note = 0 if payload["separable"] else (48 if large else 40)  # room for the note under the figures
    with slot:  # an srcdoc iframe, same origin as the page
        st.iframe(bar_html(payload, large), height=(116 if large else 96) + note)


def script_hashes() -> list[str]:
    """CSP hashes ('sha256-…') of the bar's inline scripts: constant, whatever the unit (its data is a
    JSON block). deploy/nginx.conf's CSP lists them; tests/e2e/test_csp_e2e.py checks they still match."""
    scripts = re.findall(r"<script>(.*?)</script>", _template(), flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'" for s in scripts]
