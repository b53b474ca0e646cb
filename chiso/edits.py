"""Hand edits of raw counts: revisions layered over the imported values, never overwriting them.

A ``Revision`` says that one count (``key``, a rulebook input) of one unit changed from ``old`` to
``new`` (``None`` = missing), when and by whom. The workspace stores revisions in order; the table a
user sees is the imported table with its revisions applied, and the provenance of an edited count
becomes ``ENTERED``. Undo removes the last revision.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ENTERED = "entered"  # provenance of a count typed in the app (beside given / derived / assumed / inherited)
ENTERED_VI = "nhập tay"


@dataclass(frozen=True)
class Revision:
    unit_code: str
    key: str  # a rulebook input key, e.g. "copies_total"
    old: float | None  # the value before this revision (None = missing)
    new: float | None  # the value after it (None = cleared)
    at: datetime  # when, timezone-aware UTC
    author: str = ""  # optional name typed by the user
