"""Reason codes: what code branches on where it used to read the first words of a Vietnamese message.

A member's value is what the screen says (written once), or a short code when the message carries numbers
and is built where it is said; code compares members, never text.
"""
from __future__ import annotations

from enum import Enum

from chiso.notes import SYNTHETIC_IMPORT_VI


class LeverFixed(Enum):
    """Why a lever offers nothing to move for a unit."""

    NOT_SCORED_HERE = "Ở cấp này chỉ tiêu không tính theo số liệu của đơn vị: thay đổi không làm đổi điểm."
    MISSING_COUNTS = "Thiếu số liệu (tử số hoặc mẫu số) trong tệp: cần nhập để mô phỏng."


class IndicatorWarning(str, Enum):
    """What an indicator row of a unit warns about (``explain.indicator_rows``, column ``warning``)."""

    NONE = ""
    SMALL_DENOMINATOR = "small_denominator"  # one dossier moves the rate a lot (the message gives the figures)
    MISSING_DATA = "missing_data"  # the points are held as published


class TableNote(Enum):
    """An importer's note that code acts on. Notes are stored as text with a dataset, so the code of a
    note is found by its exact text (``of``), in this one place."""

    SYNTHETIC = SYNTHETIC_IMPORT_VI

    @classmethod
    def of(cls, message: str) -> "TableNote | None":
        return next((m for m in cls if m.value == message), None)


__all__ = ["IndicatorWarning", "LeverFixed", "TableNote"]
