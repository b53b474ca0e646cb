"""The migrations build exactly the schema the models describe (issue 23): a column, index or constraint
added to one and not the other is caught here, on SQLite and PostgreSQL, before it reaches a database."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from chiso.workspace.db import make_engine, migrate
from chiso.workspace.models import Base


def test_migrated_schema_equals_the_models(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], diff  # before: the index on (dataset_id, version) of migration 0003 was missing in models
