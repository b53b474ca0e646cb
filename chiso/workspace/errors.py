"""User-facing workspace errors (Vietnamese), so that pages and the CLI show a message, not a traceback."""
from __future__ import annotations

from chiso.errors import ChisoError


class WorkspaceError(ChisoError):
    """The workspace database cannot be opened, read or written."""


class NameTakenError(WorkspaceError):
    """A saved scenario or plan with this name exists; the caller asks before overwriting."""


class StaleVersionError(WorkspaceError):
    """Someone else saved this item after it was read: the save is refused, never silently lost."""


class NotFoundError(WorkspaceError):
    """The item asked for is not (or no longer) in the workspace."""
