"""Unit codes and names as every importer keeps them: one rule for the characters they may hold.

Codes are NFKC-normalised, so a full-width «Ｈ４４» typed with an East Asian input method is the code
H44. They may not hold invisible or control characters (a zero-width space, a right-to-left override,
a BOM, a no-break or other unusual space) nor Cyrillic or Greek letters (a Cyrillic «Н» in «Н44.100»
looks exactly like H): either would make two codes that look the same on screen, and «UBND Phường 1»
would be listed twice as two units. Names may hold any letter (they are Vietnamese), so only control and
format characters (bidi overrides among them) are refused there.

The lengths are those of the workspace columns (``chiso/workspace/models.py``, a test keeps them equal):
a longer value would load here and then be refused by PostgreSQL when saved.
"""
from __future__ import annotations

import unicodedata

MAX_CODE_CHARS = 100
MAX_NAME_CHARS = 500
_CONTROL = ("Cc", "Cf")  # control characters; format characters: zero-width, bidi controls, BOM
_INVISIBLE = (*_CONTROL, "Zl", "Zp")  # also line and paragraph separators
_LOOKALIKE_SCRIPTS = {"CYRILLIC": "Kirin", "GREEK": "Hy Lạp"}
_NAMES_VI = {
    "\u00a0": "khoảng trắng không ngắt dòng",
    "\u200b": "khoảng trắng độ rộng 0",
    "\u202e": "ký tự đảo chiều văn bản",
    "\ufeff": "ký tự BOM",
}


def clean_code(text: str) -> str:
    """The code as stored: NFKC (full-width and other compatibility forms folded), outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def code_problem(text: str) -> str | None:
    """Why ``text`` (the cell as typed, before :func:`clean_code`) cannot be a unit code; None if it can."""
    for pos, ch in enumerate(text.strip(), start=1):
        if unicodedata.category(ch) in _INVISIBLE or (unicodedata.category(ch) == "Zs" and ch != " "):
            return f"mã đơn vị chứa ký tự ẩn hoặc ký tự điều khiển ({describe(ch)}) ở vị trí {pos}; hãy gõ lại mã"
    code = clean_code(text)
    for ch in code:
        script = unicodedata.name(ch, "").split(" ")[0]
        if ch.isalpha() and script in _LOOKALIKE_SCRIPTS:
            return (
                f"mã đơn vị có chữ «{ch}» ({describe(ch)}) của bảng chữ cái {_LOOKALIKE_SCRIPTS[script]}, "
                "trông giống chữ Latinh; hãy gõ lại mã bằng chữ Latinh"
            )
    return length_problem("mã đơn vị", code, MAX_CODE_CHARS)


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a unit name (control or format characters, or too long); None if it can."""
    bad = control_char(text)
    if bad is not None:
        return f"tên đơn vị chứa ký tự ẩn hoặc ký tự điều khiển ({describe(bad)}); hãy gõ lại tên"
    return length_problem("tên đơn vị", text, MAX_NAME_CHARS)


def control_char(text: str) -> str | None:
    """The first control or format character of ``text`` (NUL, bidi override, zero-width space…), if any."""
    return next((ch for ch in text if unicodedata.category(ch) in _CONTROL), None)


def length_problem(what: str, text: str, limit: int) -> str | None:
    return f"{what} dài {len(text)} ký tự, tối đa {limit}" if len(text) > limit else None


def describe(ch: str) -> str:
    """U+200B, khoảng trắng độ rộng 0 — the code point always, a Vietnamese name when we have one."""
    name = _NAMES_VI.get(ch)
    return f"U+{ord(ch):04X}, {name}" if name else f"U+{ord(ch):04X}"


def sentence(problem: str) -> str:
    """A problem as a message on its own: capital first letter, full stop."""
    return problem[:1].upper() + problem[1:] + "."
