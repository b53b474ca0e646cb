"""What every export names: the rulebook version, the data source, the period, whether data is synthetic."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from chiso.notes import REFERENCE_VI, SYNTHETIC_VI
from chiso.rulebook import Rulebook


@dataclass(frozen=True)
class ExportMeta:
    """Named on every sheet and on the printable page."""

    rb: Rulebook
    source_label: str
    period: str = ""
    synthetic: bool = False
    created: date = field(default_factory=date.today)

    @property
    def rulebook_vi(self) -> str:
        return f"{self.rb.id} — {self.rb.name_vi}"

    @property
    def notes(self) -> list[str]:
        return ([SYNTHETIC_VI] if self.synthetic else []) + [REFERENCE_VI]

    @property
    def created_vi(self) -> str:
        return self.created.strftime("%d/%m/%Y")
