"""Hand revisions, saved scenarios and saved plans (named, versioned for optimistic concurrency).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _saved(name: str, constraint: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit_code", sa.String(100), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=False),
        sa.Column("rulebook", sa.String(100), nullable=False),
        sa.Column("period", sa.String(100), nullable=False),
        sa.Column("body_json", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source_key", "rulebook", "name", name=constraint),
    )


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_key", sa.String(200), nullable=False),
        sa.Column("rulebook", sa.String(100), nullable=False),
        sa.Column("unit_code", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("old", sa.Double),
        sa.Column("new", sa.Double),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
    )
    op.create_index("ix_revisions_source_key", "revisions", ["source_key"])
    _saved("scenarios", "uq_scenario_name")
    _saved("plans", "uq_plan_name")


def downgrade() -> None:
    op.drop_table("plans")
    op.drop_table("scenarios")
    op.drop_table("revisions")
