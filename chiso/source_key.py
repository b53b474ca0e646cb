"""Where a source's hand revisions, scenarios and plans are kept: one key type, built and read only here.

Written as text in the workspace database: ``sample:<key>`` (a bundled sample), ``dataset:<id>`` (a stored
dataset) or ``upload:<hash>`` (an upload not stored: its revisions live in the session only), with
``@<period>`` when the source holds several periods (the same units repeat in each).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["sample", "dataset", "upload"]
KINDS: tuple[Kind, ...] = ("sample", "dataset", "upload")


@dataclass(frozen=True)
class SourceKey:
    kind: Kind
    ident: str
    period: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}" + (f"@{self.period}" if self.period else "")

    @classmethod
    def sample(cls, key: str) -> SourceKey:
        return cls("sample", key)

    @classmethod
    def dataset(cls, dataset_id: int) -> SourceKey:
        return cls("dataset", str(int(dataset_id)))

    @classmethod
    def upload(cls, files: tuple[tuple[str, bytes], ...]) -> SourceKey:
        """Same files (names and bytes) → same key, so revisions follow the upload, not the session."""
        h = hashlib.sha256()
        for name, data in files:
            h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        return cls("upload", h.hexdigest()[:16])

    @classmethod
    def parse(cls, text: str) -> SourceKey | None:
        """The key written as ``text``; None for anything else (an old or foreign key is not ours to read)."""
        head, _, period = str(text).partition("@")
        kind, sep, ident = head.partition(":")
        if not sep or kind not in KINDS or not ident or (kind == "dataset" and not ident.isdigit()):
            return None
        return cls(kind, ident, period)  # type: ignore[arg-type]

    def for_period(self, period: str | None) -> SourceKey:
        return replace(self, period=period or "")

    @property
    def dataset_id(self) -> int | None:
        return int(self.ident) if self.kind == "dataset" else None

    @property
    def sample_key(self) -> str | None:
        return self.ident if self.kind == "sample" else None

    @property
    def kept_in_database(self) -> bool:
        """Samples and stored datasets keep their revisions in the workspace; an upload does not."""
        return self.kind != "upload"
