"""Alembic environment: runs on the connection handed over by chiso.workspace.db (no alembic.ini)."""
from __future__ import annotations

from alembic import context

from chiso.workspace.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
