"""Imported datasets: one row per source × period × rulebook, its units and every count.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("source_label", sa.String(500), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("period", sa.String(100), nullable=False),
        sa.Column("rulebook", sa.String(100), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("columns_json", sa.Text, nullable=False),
        sa.Column("provenance_columns_json", sa.Text, nullable=False),
        sa.Column("meta_json", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source", "period", "rulebook", name="uq_dataset_source_period"),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("unit_code", sa.String(100)),
        sa.Column("unit_name", sa.String(500)),
        sa.Column("level", sa.String(50)),
        sa.Column("parent_code", sa.String(100)),
        sa.Column("period", sa.String(100)),
        sa.Column("extra_json", sa.Text, nullable=False),
    )
    op.create_index("ix_units_dataset_id", "units", ["dataset_id"])
    op.create_index("ix_units_unit_code", "units", ["unit_code"])
    op.create_table(
        "counts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value", sa.Double),
        sa.Column("provenance", sa.String(50), nullable=False),
    )
    op.create_index("ix_counts_unit_id", "counts", ["unit_id"])


def downgrade() -> None:
    op.drop_table("counts")
    op.drop_table("units")
    op.drop_table("datasets")
