"""Markdown-safe text: unit names and file-derived text are user data and must render as plain text."""
from __future__ import annotations

import re

# every character CommonMark or Streamlit's markdown gives a meaning to ($ starts LaTeX in Streamlit,
# & an HTML entity such as &lt; or &#60;)
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")
# line breaks, tabs and runs of spaces: at a line start they make headings, lists, quotes and code blocks
_WHITESPACE = re.compile(r"\s+")
# GFM autolink literals fire on escaped text too: in Chromium «https\:\/\/a\.b», «www\.a\.b» and «x@a\.b»
# all became live links. They need «://», «www.» and «@» unbroken, so a word joiner (invisible, kept when
# copied, never part of a working address) goes after every «:» before «/», after «www» before «.», after «@».
WORD_JOINER = "\u2060"
_AUTOLINK_SEAM = re.compile(r"(?<=:)(?=/)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def md(text: object) -> str:
    """Escape ``text`` so that st.markdown shows it literally (no links, autolinks, images, HTML, entities,
    emphasis, LaTeX, and no block structure: line breaks and indentation become single spaces)."""
    flat = _WHITESPACE.sub(" ", "" if text is None else str(text))
    return _SPECIAL.sub(r"\\\1", _AUTOLINK_SEAM.sub(WORD_JOINER, flat))
