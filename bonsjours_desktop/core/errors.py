"""Domain errors: each carries a French message the UI shows as is."""

from __future__ import annotations


class BonsJoursError(Exception):
    """Base of every error meant for the user; str(error) is a French sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(BonsJoursError):
    """Bad input in one or more fields; `errors` maps a field name to its French message."""

    def __init__(self, errors: dict[str, str] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or "": errors}
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


class NotFoundError(BonsJoursError):
    """The record asked for does not exist (any more)."""


class ConflictError(BonsJoursError):
    """The change collides with existing data (double booking, duplicate, dependency cycle...)."""


class DatabaseFileError(BonsJoursError):
    """The database file cannot be used: not SQLite, corrupt, foreign, or too new."""


class DatabaseBusyError(BonsJoursError):
    """Another program holds a write lock on the database."""


class AlreadyOpenError(BonsJoursError):
    """The database file is already open in another Bons Jours window."""


class UndoConflictError(BonsJoursError):
    """The data changed since the action was done, so it cannot be undone safely."""
