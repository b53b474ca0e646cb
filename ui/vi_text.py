"""Streamlit's built-in English (aria-labels, input hints, range errors, the uploader's refusals, toolbars,
connection dialogs) in Vietnamese: ``static/vi.js``, loaded once per browser tab, rewrites each known text.

Streamlit 1.67 has no setting for its own words and CSS cannot change an attribute, so a script does it.
It is a file served by Streamlit's static serving (``server.enableStaticServing`` in .streamlit/config.toml,
URL ``/app/static/vi.js``), not an inline script: the deployment's Content-Security-Policy (README) allows
scripts from the app's own origin only. Streamlit re-creates the ``<script>`` element, so the browser runs it.
app.py draws ``tag()`` on every run (with ``ui.address``'s script, in the same hidden element).
"""
from __future__ import annotations

from html import escape

from chiso.io.limits import MAX_JSON_BYTES, MAX_TABLE_BYTES

SCRIPT_URL = "/app/static/vi.js"
_MB = 1024 * 1024
UPLOAD_LIMIT_VI = f"Tối đa {MAX_TABLE_BYTES // _MB} MB mỗi tệp CSV/XLSX, {MAX_JSON_BYTES // _MB} MB mỗi tệp JSON"
# a file over Streamlit's own upload cap is refused in the browser before the app sees it: the same words as
# the app's refusal (chiso.io.limits.check_file_size), in place of «File must be 25.0MB or smaller.»
OVER_LIMIT_VI = (f"Tệp lớn hơn giới hạn ({MAX_TABLE_BYTES // _MB} MB mỗi tệp CSV/XLSX, "
                 f"{MAX_JSON_BYTES // _MB} MB mỗi tệp JSON); hãy chia nhỏ tệp.")
# the element holding the script takes no room on the page (its container would add a row gap)
_HIDE = f'<style>[data-testid="stElementContainer"]:has(script[src="{SCRIPT_URL}"]) {{display: none;}}</style>'


def tag() -> str:
    """The HTML that loads the script, with the app's texts it needs as data attributes (escaped)."""
    return (f'{_HIDE}<script src="{SCRIPT_URL}" data-over-limit="{escape(OVER_LIMIT_VI)}" '
            f'data-upload-limit="{escape(UPLOAD_LIMIT_VI)}"></script>')
