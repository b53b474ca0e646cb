"""The workspace schema as typed SQLAlchemy 2 models (the Alembic migrations create exactly this).

Values of counts are stored as 8-byte floats (exact round trip); NULL means "not in the data".
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (Boolean, DateTime, Double, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def utc(t: datetime | None) -> datetime | None:
    """A stored time as timezone-aware UTC: SQLite hands back naive datetimes, and everything stored is UTC."""
    return t if t is None or t.tzinfo else t.replace(tzinfo=timezone.utc)


class Dataset(Base):
    """One period of one source under one rulebook. Its header fields describe the version in use
    (``version``); every stored version is kept in ``dataset_versions`` with its units, so a replaced
    upload can be restored."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("source", "period", "rulebook", name="uq_dataset_source_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))  # what the user imported (file or folder names)
    source_label: Mapped[str] = mapped_column(String(500))  # UnitTable.source ("Cổng DVCQG (JSON)")
    content_hash: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(100))
    rulebook: Mapped[str] = mapped_column(String(100))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    columns_json: Mapped[str] = mapped_column(Text)  # frame columns and dtypes, in order
    provenance_columns_json: Mapped[str] = mapped_column(Text)
    meta_json: Mapped[str] = mapped_column(Text)  # warnings, rejected rows, column mapping
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)  # the version in use
    imported_by: Mapped[str] = mapped_column(String(200), default="")


class DatasetVersion(Base):
    """Every version ever stored of a dataset: its header, so that restoring it is a copy back."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "version", name="uq_dataset_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    source_label: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    columns_json: Mapped[str] = mapped_column(Text)
    provenance_columns_json: Mapped[str] = mapped_column(Text)
    meta_json: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(200), default="")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (Index("ix_units_dataset_version", "dataset_id", "version"),)  # one version's rows

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the dataset version these rows belong to
    row_no: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str | None] = mapped_column(String(100), index=True)
    unit_name: Mapped[str | None] = mapped_column(String(500))
    level: Mapped[str | None] = mapped_column(String(50))
    parent_code: Mapped[str | None] = mapped_column(String(100))
    period: Mapped[str | None] = mapped_column(String(100))
    extra_json: Mapped[str] = mapped_column(Text, default="{}")  # other text columns, if any


class Count(Base):
    """One numeric cell of a unit (a raw count or a published score) and where it came from."""

    __tablename__ = "counts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[float | None] = mapped_column(Double)
    provenance: Mapped[str] = mapped_column(String(50), default="")


class EditBatch(Base):
    """One save of hand edits: who, when, where, how many cells. Undo marks the whole batch undone
    (its revisions stay, for the audit trail), so a paste of thousands of cells is undone in one step."""

    __tablename__ = "edit_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(String(200), index=True)
    rulebook: Mapped[str] = mapped_column(String(100))
    author_login: Mapped[str] = mapped_column(String(200), default="")  # the account ("" without accounts)
    author: Mapped[str] = mapped_column(String(200), default="")  # the name shown
    session_id: Mapped[str] = mapped_column(String(64), default="")  # whose batch it is when nobody signs in
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    n_cells: Mapped[int] = mapped_column(Integer)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    undone_by: Mapped[str] = mapped_column(String(200), default="")


class RevisionRow(Base):
    """A hand edit (chiso.edits.Revision) over a sample or a stored dataset, in order."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("edit_batches.id", ondelete="CASCADE"), index=True)
    source_key: Mapped[str] = mapped_column(String(200), index=True)
    rulebook: Mapped[str] = mapped_column(String(100))
    unit_code: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    old: Mapped[float | None] = mapped_column(Double)
    new: Mapped[float | None] = mapped_column(Double)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(String(200), default="")


class _Saved:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(100))
    source_key: Mapped[str] = mapped_column(String(200))
    rulebook: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(100), default="")
    body_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    saved_by: Mapped[str] = mapped_column(String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # soft delete


def _live_name(table: str) -> Index:
    """A name is unique among the items not deleted (a deleted one keeps its name until restored)."""
    live = text("deleted_at IS NULL")
    return Index(f"uq_{table}_live_name", "source_key", "rulebook", "name", unique=True,
                 sqlite_where=live, postgresql_where=live)


class ScenarioRow(_Saved, Base):
    __tablename__ = "scenarios"
    __table_args__ = (_live_name("scenarios"),)


class PlanRow(_Saved, Base):
    __tablename__ = "plans"
    __table_args__ = (_live_name("plans"),)


class Account(Base):
    """A person who signs in (``CHISO_AUTH=password``, or ``oidc`` mapped by login = e-mail)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    scope_json: Mapped[str] = mapped_column(Text, default="[]")  # unit codes the account answers for
    password_hash: Mapped[str] = mapped_column(String(300), default="")  # argon2id; "" = no password login
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Every change to the shared workspace: who, when, what, before → after (JSON)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(500))
    detail_json: Mapped[str] = mapped_column(Text, default="{}")


class PortalResponse(Base):
    """Evidence of a collected dataset version: the exact bytes of one portal response, with the request
    sent, when, the HTTP status and a SHA-256 (``python -m chiso evidence`` writes them back)."""

    __tablename__ = "portal_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)  # the dataset version these responses produced
    endpoint: Mapped[str] = mapped_column(String(100))
    page: Mapped[int] = mapped_column(Integer, default=1)
    request_url: Mapped[str] = mapped_column(String(500))
    request_body: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    http_status: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)


Index("ix_portal_responses_dataset_version", PortalResponse.dataset_id, PortalResponse.version)
