"""Cell-level helpers for tables typed by people: Vietnamese text folding and Vietnamese numbers.

Headers are compared after *folding* (NFD, marks removed, đ→d, lower case, punctuation → space), so
"Tỷ lệ hồ sơ số hoá (%)", "TỈ LỆ HỒ SƠ SỐ HÓA" and an NFD copy of either are the same key. Numbers
follow the vi-VN convention by default (1.234,5 and 91,48) but a file written with a decimal point
is recognised from its own cells, so "74.6" is not read as 746.
"""
from __future__ import annotations

import math
import re
import unicodedata

from chiso.fmt import fmt_exact, parse_vn_number

EMPTY_TOKENS = {"", "-", "–", "—", "x", "n/a", "na", "k/c", "không có"}
EXCEL_ERRORS = {"#div/0!", "#n/a", "#value!", "#ref!", "#name?", "#num!", "#null!", "#spill!", "#calc!"}
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

_FOLD_PUNCT = re.compile(r"[^a-z0-9%]+")
# "tỉ lệ" and "tỷ lệ" are both correct spellings; so are "hoá" and "hóa" (folded to the same already)
_FOLD_SYNONYMS = ((" ti le ", " ty le "), (" so luong ", " so "))
_VI_EVIDENCE = re.compile(r"[+-]?\d+,(?:\d{1,2}|\d{4,})|[+-]?\d{1,3}(?:\.\d{3})+,\d+", re.ASCII)
_EN_EVIDENCE = re.compile(r"[+-]?\d+\.(?:\d{1,2}|\d{4,})|[+-]?\d{1,3}(?:,\d{3})+\.\d+", re.ASCII)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(value: object) -> str:
    """A cell as display text: NFC, outer spaces and inner runs of white space collapsed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return " ".join(nfc(str(value)).split())


def fold(text: str) -> str:
    """Comparison key of a header or label (see module docstring)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D").lower()
    key = f" {_FOLD_PUNCT.sub(' ', bare).strip()} "
    for old, new in _FOLD_SYNONYMS:
        key = key.replace(old, new)
    return key.strip()


def format_number(x: float) -> str:
    """Shortest exact text of a float (integers without ".0"), decimal point."""
    return fmt_exact(x, ".")


def unquote_formula(text: str) -> str:
    """Undo the formula-injection guard of our exports: "'=abc" → "=abc"."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_LEADS:
        return text[1:]
    return text


def decide_decimal(texts: list[str]) -> str:
    """"," (vi-VN) unless the file's own numbers clearly use a decimal point."""
    vi = en = 0
    for t in texts:
        t = t.replace(" ", "").rstrip("%")
        if _VI_EVIDENCE.fullmatch(t):
            vi += 1
        elif _EN_EVIDENCE.fullmatch(t):
            en += 1
    return "." if en > vi else ","


class NumberError(ValueError):
    """The text of a cell is not a number; the message is Vietnamese and names the text."""


def parse_number(value: object, decimal: str = ",", percent: bool = True) -> float:
    """A cell as a float (NaN when empty). Accepts 1.234,5 · 91,48% · + 1,70 · − 2 (see module doc).

    Digits are ASCII 0–9 only (``float`` would also take ٥٠ or ５０, which no report means as a count);
    ``percent=False`` for counts: "50%" is a rate, and reading it as 50 dossiers would be silently wrong."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise NumberError(f"«{value}» không phải số")
    if isinstance(value, (int, float)):
        x = float(value)
        if not math.isfinite(x):
            raise NumberError("giá trị không hữu hạn")
        return x
    raw = str(value)
    text = nfc(raw).strip().replace("\u2212", "-").replace("\u00a0", " ")
    if text.lower() in EMPTY_TOKENS:
        return math.nan
    if text.lower() in EXCEL_ERRORS:
        raise NumberError(f"ô chứa lỗi công thức Excel «{text}»")
    shown = raw if len(raw) <= 40 else raw[:37] + "…"
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise NumberError(f"«{shown}» có chữ số không phải 0–9; hãy gõ lại bằng chữ số thường")
    if not percent and text.endswith("%"):
        raise NumberError(f"«{shown}» là tỷ lệ phần trăm, không phải số lượng; hãy điền số đếm (ví dụ số hồ sơ)")
    try:
        return parse_vn_number(text, decimal, percent)  # the one grammar (chiso.fmt)
    except ValueError:
        raise NumberError(f"«{shown}» không phải số") from None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet column names, for messages)."""
    name = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def column_index(letters: str) -> int:
    """A → 0, AA → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1
