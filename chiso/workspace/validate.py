"""What a workspace column cannot hold, refused before the database with a Vietnamese message.

PostgreSQL refuses a string longer than its ``String(n)`` column or holding a NUL byte, in English and
without naming the field; SQLite stores both. Checking here gives one message on every backend, naming
the field, the unit and the limit. The limits are read from the models, so they never drift.
"""
from __future__ import annotations

from chiso.errors import DataError, Location
from chiso.identifiers import control_char, describe, length_problem
from chiso.io.columns import ID_HEADERS
from chiso.units import ID_COLUMNS, UnitTable
from chiso.workspace.models import Count, Dataset, Unit

_SOURCE = "Nguồn"
_COUNT_KEY = "Tên cột số liệu"


def check_table(table: UnitTable, source: str) -> None:
    """Raise DataError for the first value of ``table`` (or ``source``) a workspace column cannot hold."""
    loc = Location(file=source[:200])
    _check(f"«{_SOURCE}»", source, Dataset.source.type.length, loc)
    _check(f"«{_SOURCE}»", table.source, Dataset.source_label.type.length, loc)
    for key in (*table.frame.columns, *table.provenance.columns):
        if key not in ID_COLUMNS:
            _check(f"«{_COUNT_KEY}» «{_shown(str(key))}»", str(key), Count.key.type.length, loc)
    codes = table.frame["unit_code"].tolist() if "unit_code" in table.frame else []
    for col in (c for c in ID_COLUMNS if c in table.frame):
        limit = getattr(Unit, col).type.length
        for i, value in enumerate(table.frame[col].tolist()):
            if isinstance(value, str):
                who = f"«{ID_HEADERS[col]}» của đơn vị thứ {i + 1} (mã «{_shown(str(codes[i]))}»)"
                _check(who, value, limit, Location(source[:200], row=i + 1, column=ID_HEADERS[col]))


def _check(what: str, value: str, limit: int, loc: Location) -> None:
    bad = control_char(value)
    problem = f"{what} chứa ký tự ẩn hoặc ký tự điều khiển ({describe(bad)})" if bad else None
    problem = problem or length_problem(what, value, limit)
    if problem:
        raise DataError(f"Chưa lưu bộ số liệu: {problem}.", loc)


def _shown(text: str) -> str:
    """A value inside a message: control characters made visible, long ones cut."""
    text = "".join("\ufffd" if control_char(ch) else ch for ch in text)
    return text if len(text) <= 30 else text[:29] + "…"
