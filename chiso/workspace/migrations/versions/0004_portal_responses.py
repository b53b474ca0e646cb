"""Evidence of collected datasets: the exact bytes of every portal response, with request, time, status, SHA-256.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_responses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("endpoint", sa.String(100), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("request_url", sa.String(500), nullable=False),
        sa.Column("request_body", sa.Text, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_portal_responses_dataset_version", "portal_responses", ["dataset_id", "version"])


def downgrade() -> None:
    raise NotImplementedError("chiso does not downgrade a workspace; restore a backup instead.")
