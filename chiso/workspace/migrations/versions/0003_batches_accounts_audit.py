"""Edit batches, dataset versions, soft deletes of saved items, accounts and the audit trail.

Revision ID: 0003
Revises: 0002

Existing revisions become batches: one save wrote all its revisions with one timestamp and author, so
grouping by (source, rulebook, time, author) gives back exactly the batches the users saved.
Existing datasets become version 1 of themselves.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def _versions() -> None:
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source_label", sa.String(500), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("columns_json", sa.Text, nullable=False),
        sa.Column("provenance_columns_json", sa.Text, nullable=False),
        sa.Column("meta_json", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("dataset_id", "version", name="uq_dataset_version"),
    )
    op.create_index("ix_dataset_versions_dataset_id", "dataset_versions", ["dataset_id"])
    with op.batch_alter_table("datasets") as t:
        t.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        t.add_column(sa.Column("imported_by", sa.String(200), nullable=False, server_default=""))
    with op.batch_alter_table("units") as t:
        t.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.execute(
        "INSERT INTO dataset_versions (dataset_id, version, source_label, content_hash, synthetic, columns_json,"
        " provenance_columns_json, meta_json, imported_at, imported_by)"
        " SELECT id, 1, source_label, content_hash, synthetic, columns_json, provenance_columns_json, meta_json,"
        " imported_at, '' FROM datasets"
    )
    op.create_index("ix_units_dataset_version", "units", ["dataset_id", "version"])


def _batches() -> None:
    op.create_table(
        "edit_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_key", sa.String(200), nullable=False),
        sa.Column("rulebook", sa.String(100), nullable=False),
        sa.Column("author_login", sa.String(200), nullable=False, server_default=""),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("session_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_cells", sa.Integer, nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True)),
        sa.Column("undone_by", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_edit_batches_source_key", "edit_batches", ["source_key"])
    op.execute(
        "INSERT INTO edit_batches (source_key, rulebook, author, at, n_cells)"
        " SELECT source_key, rulebook, author, at, COUNT(*) FROM revisions"
        " GROUP BY source_key, rulebook, at, author ORDER BY MIN(id)"
    )
    with op.batch_alter_table("revisions") as t:
        t.add_column(sa.Column("batch_id", sa.Integer, sa.ForeignKey("edit_batches.id", name="fk_revisions_batch",
                                                                   ondelete="CASCADE")))
    op.execute(
        "UPDATE revisions SET batch_id = (SELECT b.id FROM edit_batches b WHERE b.source_key = revisions.source_key"
        " AND b.rulebook = revisions.rulebook AND b.at = revisions.at AND b.author = revisions.author)"
    )
    op.create_index("ix_revisions_batch_id", "revisions", ["batch_id"])


def _soft_deletes(table: str, old_constraint: str) -> None:
    with op.batch_alter_table(table) as t:
        t.drop_constraint(old_constraint, type_="unique")
        t.add_column(sa.Column("saved_by", sa.String(200), nullable=False, server_default=""))
        t.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
    op.create_index(f"uq_{table}_live_name", table, ["source_key", "rulebook", "name"], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)


def _accounts_audit() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(200), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("scope_json", sa.Text, nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("detail_json", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_at", "audit", ["at"])


def upgrade() -> None:
    _versions()
    _batches()
    _soft_deletes("scenarios", "uq_scenario_name")
    _soft_deletes("plans", "uq_plan_name")
    _accounts_audit()


def downgrade() -> None:
    raise NotImplementedError("chiso does not downgrade a workspace; restore a backup instead.")
