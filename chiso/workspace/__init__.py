"""The workspace database: imported datasets, hand revisions, saved scenarios and plans.

SQLAlchemy 2 over an SQLite file (default ``<project>/.chiso/workspace.sqlite3``, WAL mode) or any URL
in ``CHISO_DATABASE_URL``; the schema is versioned by the Alembic migrations in ``migrations/``,
applied by ``open_workspace``. Streamlit-free: the app and the CLI both use it.
"""
from chiso.workspace.db import DEFAULT_PATH, ENV_URL, database_url
from chiso.workspace.errors import NameTakenError, NotFoundError, StaleVersionError, WorkspaceError
from chiso.workspace.saved import SavedItem
from chiso.workspace.store import Workspace, dataset_key, open_workspace, sample_key, scenario_of

__all__ = [
    "DEFAULT_PATH",
    "ENV_URL",
    "NameTakenError",
    "NotFoundError",
    "SavedItem",
    "StaleVersionError",
    "Workspace",
    "WorkspaceError",
    "database_url",
    "dataset_key",
    "open_workspace",
    "sample_key",
    "scenario_of",
]
