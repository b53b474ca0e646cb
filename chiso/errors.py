"""One exception type for every error a user can cause, carrying a Vietnamese message and a location.

Pages show it with ``st.error``, the CLI prints it and exits non-zero. Tracebacks are for bugs only.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Location:
    """Where in the user's input the problem is (every part optional)."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"tệp «{self.file}»")
        if self.sheet:
            parts.append(f"trang tính «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột «{self.column}»")
        return ", ".join(parts)


@dataclass
class ChisoError(Exception):
    """A user-facing error: a Vietnamese message plus where it happened."""

    message: str
    location: Location = field(default_factory=Location)

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class RulebookError(ChisoError):
    """A rulebook file is missing, unreadable or breaks a rule of the schema."""


class DataError(ChisoError):
    """Unit data cannot be read or is invalid."""
