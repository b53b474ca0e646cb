"""Column values ↔ strict JSON, by the column's SQLAlchemy type, for the portable backup file.

Generic over any table of the metadata: the kind of a column decides how its values travel. Floats keep
every bit (JSON numbers written with Python's shortest exact repr; NaN/±Infinity as strings, since strict
JSON has none), datetimes are ISO 8601 in UTC with their offset (SQLite hands back naive ones: the
workspace stores UTC), NULL is null, binary is base64. Decoding checks the JSON type of every value: the
file is hostile input, and nothing in it is evaluated.
"""
from __future__ import annotations

import base64
import binascii
import math
import uuid
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, Integer, LargeBinary, Numeric, String, Time, Uuid

_SPECIAL = {"NaN", "Infinity", "-Infinity"}
# most specific first: Float is a Numeric, Text and Enum are Strings
_KINDS: list[tuple[type, str]] = [
    (Boolean, "bool"), (Integer, "int"), (Float, "float"), (Numeric, "decimal"), (DateTime, "datetime"),
    (Date, "date"), (Time, "time"), (String, "str"), (LargeBinary, "bytes"), (JSON, "json"), (Uuid, "uuid"),
]


class BadValue(ValueError):
    """A value in the file that its column cannot hold."""


def kind(col: Column) -> str:
    for sa_type, name in _KINDS:
        if isinstance(col.type, sa_type):
            return name
    raise TypeError(f"column {col.table.name}.{col.name}: type {col.type!r} has no backup encoding")


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)


def _float_out(v: float) -> float | str:
    if math.isfinite(v):
        return float(v)
    return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")


def _datetime_out(col: Column) -> Callable[[datetime], str]:
    aware = bool(getattr(col.type, "timezone", False))
    return lambda v: (_utc(v) if aware else v).isoformat()


def encoder(col: Column) -> Callable[[Any], Any]:
    """Database value → JSON value (None stays None)."""
    k = kind(col)
    simple: dict[str, Callable[[Any], Any]] = {
        "bool": bool, "int": int, "float": _float_out, "decimal": str, "date": date.isoformat,
        "time": time.isoformat, "str": str, "bytes": lambda v: base64.b64encode(v).decode("ascii"),
        "json": lambda v: v, "uuid": str,
    }
    fn = _datetime_out(col) if k == "datetime" else simple[k]
    return lambda v: None if v is None else fn(v)


def _need(ok: bool) -> None:
    if not ok:
        raise BadValue


def _int_in(v: Any) -> int:
    _need(type(v) is int)
    return v


def _bool_in(v: Any) -> bool:
    _need(type(v) is bool)
    return v


def _float_in(v: Any) -> float:
    _need(type(v) in (int, float) or v in _SPECIAL)
    return float(v)


def _str_in(v: Any) -> str:
    _need(type(v) is str)
    return v


def _datetime_in(col: Column) -> Callable[[Any], datetime]:
    aware = bool(getattr(col.type, "timezone", False))

    def parse(v: Any) -> datetime:
        t = datetime.fromisoformat(_str_in(v))
        _need((t.tzinfo is not None) == aware)
        return _utc(t) if aware else t

    return parse


def _bytes_in(v: Any) -> bytes:
    try:
        return base64.b64decode(_str_in(v), validate=True)
    except binascii.Error:
        raise BadValue from None


def decoder(col: Column) -> Callable[[Any], Any]:
    """JSON value → value to insert; raises BadValue for a value of the wrong JSON type or form."""
    k = kind(col)
    simple: dict[str, Callable[[Any], Any]] = {
        "bool": _bool_in, "int": _int_in, "float": _float_in, "decimal": lambda v: Decimal(_str_in(v)),
        "date": lambda v: date.fromisoformat(_str_in(v)), "time": lambda v: time.fromisoformat(_str_in(v)),
        "str": _str_in, "bytes": _bytes_in, "json": lambda v: v, "uuid": lambda v: uuid.UUID(_str_in(v)),
    }
    fn = _datetime_in(col) if k == "datetime" else simple[k]

    def decode(v: Any) -> Any:
        if v is None:
            return None
        try:
            return fn(v)
        except (ValueError, InvalidOperation, TypeError):  # fromisoformat, Decimal, UUID on bad text
            raise BadValue from None

    return decode
