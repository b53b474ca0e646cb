"""Vietnamese number and time formatting (thousands ".", decimals ","; UTC+7), used only at display/export time."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

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
    if text in ("-0", "-0.0"):
        text = "0"
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


def parse_vn_number(text: str) -> float:
    """"1.234,5" → 1234.5; "91,48" → 91.48; "1234.5" (one dot, ≠ 3 decimals) → 1234.5. Raises ValueError."""
    s = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not s.isascii() or not any(c.isdigit() for c in s):  # float() also takes ５０, ٥٠, "nan" and "inf"
        raise ValueError(s)
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif s.count(".") > 1 or (s.count(".") == 1 and len(s.split(".")[1]) == 3 and s.split(".")[0].lstrip("-+")):
        s = s.replace(".", "")  # thousands dots: "1.234" is one thousand two hundred thirty-four
    return float(s)


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
