"""Vietnamese numbers and times (thousands ".", decimals ","; UTC+7): the one formatter, used only at display and
export time, and the one number grammar that reads them back (``parse_vn_number``, also behind the importers'
``chiso.io.cells.parse_number``).
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

import numpy as np

DASH = "—"


def _is_missing(x: object) -> bool:
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def fmt_number(x: float | int | None, decimals: int = 2, trim: bool = True) -> str:
    """1234.5 → "1.234,5" (``trim`` drops trailing zeros: 2.50 → "2,5", 3.00 → "3")."""
    if _is_missing(x):
        return DASH
    text = f"{float(x):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0,004 shows as 0,00: no negative zero
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_int(x: float | int | None) -> str:
    """Counts: 1234 → "1.234" (fractional derived counts keep up to 2 decimals)."""
    if _is_missing(x):
        return DASH
    return fmt_number(x, 0 if float(x) == int(float(x)) else 2)


def fmt_count(x: float | int | None) -> str:
    """Counts shown as whole dossiers: a count derived from a rate (2,78 % × 365 = 10,147) reads "≈10";
    what is computed from it stays exact."""
    if _is_missing(x):
        return DASH
    v = float(x)
    whole = math.floor(v + 0.5)
    return fmt_number(whole, 0) if abs(v - whole) < 1e-9 else f"≈{fmt_number(whole, 0)}"


def fmt_points(x: float | None, decimals: int = 2) -> str:
    """Points always with 2 decimals, as the portal shows them: 17.4 → "17,40"."""
    return fmt_number(x, decimals, trim=False)


def fmt_delta(x: float | None, decimals: int = 2) -> str:
    """Signed points: 1.93 → "+1,93", -0.5 → "−0,50", 0 → "0,00"."""
    if _is_missing(x):
        return DASH
    v = round(float(x), decimals)
    body = fmt_points(abs(v), decimals)
    return f"+{body}" if v > 0 else (f"−{body}" if v < 0 else body)


def fmt_percent(rate: float | None, decimals: int = 2) -> str:
    """A fraction as a percentage: 0.6402 → "64,02%"; 0.356 → "35,6%"."""
    if _is_missing(rate):
        return DASH
    return f"{fmt_number(float(rate) * 100, decimals)}%"


def fmt_exact(x: float, decimal: str = ",") -> str:
    """The shortest exact text of a number, without thousands separators: 1234.5 → "1234,5", 12.0 → "12".
    For cells that must read back to the same float (CSV exports, messages quoting a file's value)."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return np.format_float_positional(float(x), trim="-").replace(".", decimal)  # never 1e-05: it reads back


# the grammar: an optional sign (the minus «−» this module prints included), ASCII digits, one decimal mark
_SIGN = r"[+-]?"
_VI_GROUPED = re.compile(_SIGN + r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_EN_GROUPED = re.compile(_SIGN + r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_PLAIN_COMMA = re.compile(_SIGN + r"(?:\d*,\d+|\d+,?)", re.ASCII)
_PLAIN_DOT = re.compile(_SIGN + r"(?:\d*\.\d+|\d+\.?)", re.ASCII)


def parse_vn_number(text: str, decimal: str = ",", percent: bool = True) -> float:
    """The one number grammar. "1.234,5" → 1234.5; "91,48" → 91.48; "−0,50" → -0.5; "1234.5" (one dot, not
    three decimals) → 1234.5; "1.234" → 1234 (thousands); "91,48 %" → 91.48 (``percent``). With ``decimal="."``
    a file written with a decimal point: "1,234.5" → 1234.5. Spaces (also no-break) are ignored.

    Refused (ValueError): "nan", "inf", "1e3", "1_000", digits other than 0–9 (``float`` takes all of them),
    "1,234.5" in a Vietnamese text and two decimal marks."""
    t = str(text).strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    if percent and t.endswith("%"):
        t = t[:-1]
    if decimal == ",":
        if _VI_GROUPED.fullmatch(t):
            return float(t.replace(".", "").replace(",", "."))
        if _PLAIN_COMMA.fullmatch(t) and t.strip("+-,"):
            return float(t.replace(",", "."))
        if _PLAIN_DOT.fullmatch(t) and t.strip("+-."):
            return float(t)  # "74.6" typed with a point
    else:
        if _EN_GROUPED.fullmatch(t):
            return float(t.replace(",", ""))
        if _PLAIN_DOT.fullmatch(t) and t.strip("+-."):
            return float(t)
        if _PLAIN_COMMA.fullmatch(t) and t.strip("+-,"):
            return float(t.replace(",", "."))
    raise ValueError(f"not a number: {text!r}")


def fmt_small(x: float | None, digits: int = 2) -> str:
    """Small positive quantities with ``digits`` significant digits: 0.0038 → "0,0038", 0.0000131 → "0,000013"."""
    if _is_missing(x):
        return DASH
    v = float(x)
    if v == 0 or abs(v) >= 1:
        return fmt_number(v, 2)
    decimals = max(2, digits - 1 - math.floor(math.log10(abs(v))))
    return fmt_number(v, decimals)


VN_TIME = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps UTC+7 all year (no daylight saving)


def fmt_time(t: datetime | None) -> str:
    """A stored UTC time as Vietnamese officials read it: local time, «14:05 07/12/2026»."""
    if t is None:
        return "—"
    aware = t if t.tzinfo else t.replace(tzinfo=timezone.utc)
    return aware.astimezone(VN_TIME).strftime("%H:%M %d/%m/%Y")
