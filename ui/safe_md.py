"""Markdown-safe text: unit names and file-derived text are user data and must render as plain text."""
from __future__ import annotations

import re

# every character CommonMark or Streamlit's markdown gives a meaning to ($ starts LaTeX in Streamlit)
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md(text: object) -> str:
    """Escape ``text`` so that st.markdown shows it literally (no links, images, HTML, emphasis or LaTeX)."""
    return _SPECIAL.sub(r"\\\1", "" if text is None else str(text))
