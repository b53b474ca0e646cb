"""The workspace schema as typed SQLAlchemy 2 models (the Alembic migrations create exactly this).

Values of counts are stored as 8-byte floats (exact round trip); NULL means "not in the data".
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Double, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Dataset(Base):
    """One imported period of one source under one rulebook (re-import replaces it)."""

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


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
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


class RevisionRow(Base):
    """A hand edit (chiso.edits.Revision) over a sample or a stored dataset, in order."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
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


class ScenarioRow(_Saved, Base):
    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("source_key", "rulebook", "name", name="uq_scenario_name"),)


class PlanRow(_Saved, Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("source_key", "rulebook", "name", name="uq_plan_name"),)
