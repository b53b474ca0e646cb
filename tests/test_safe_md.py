"""Issue 11: ``ui.safe_md.md`` left newlines, indentation and ``&`` live, so user text could start a
heading, a code block, a list or an HTML entity. Each case is checked on the escaped text."""
from __future__ import annotations

import re

from ui.safe_md import md


def test_newlines_and_indentation_cannot_start_blocks() -> None:
    hostile = "Xã A\n# Tiêu đề\n\n    mã lệnh\n> trích\n- mục\n1. số\n===\n\tthụt"
    out = md(hostile)
    assert "\n" not in out and "\r" not in out and "\t" not in out
    assert "  " not in out  # no run of spaces that could indent a code block
    assert out.startswith("Xã A \\# Tiêu đề")


def test_ampersand_cannot_form_an_entity() -> None:
    out = md("A &lt;b&gt; &#60;img&#62; & B")
    assert re.search(r"(?<!\\)&", out) is None
    assert md("Sở Tài nguyên & Môi trường") == "Sở Tài nguyên \\& Môi trường"


def test_plain_vietnamese_text_is_unchanged() -> None:
    assert md("Phường Bến Thành 2") == "Phường Bến Thành 2"
    assert md(None) == ""


def test_autolink_literals_are_broken() -> None:
    """Streamlit's markdown (GFM) turned escaped «https\\:\\/\\/…», «www\\.…» and «a@b\\.c» into links (seen in
    Chromium); a word joiner inside «://», «www.» and after «@» stops it and stays invisible."""
    wj = "\u2060"
    assert md("https://evil.example/x") == f"https\\:{wj}//evil\\.example/x"
    assert md("WWW.evil.example") == f"WWW{wj}\\.evil\\.example"
    assert md("a@evil.example") == f"a@{wj}evil\\.example"
    for hostile in ("HTTP://x.y", "mailto:a@b.c", "xmpp:a@b.c", "ftp://x.y"):
        out = md(hostile)
        assert ":/" not in out.replace("\\", "") and re.search("@[^\u2060]", out) is None


def test_html_cannot_form_a_tag() -> None:
    out = md('<a href="https://evil.example">x</a> <b>bold</b>')
    assert re.search(r"(?<!\\)<", out) is None
