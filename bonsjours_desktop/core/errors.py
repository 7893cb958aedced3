"""Domain errors: each carries a French message the UI shows as is."""

from __future__ import annotations

from typing import Any, TypeVar

M = TypeVar("M")


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


# --- "This record no longer exists": one French message per kind of record --------------------------

# Table name → (what the user calls one row, with its demonstrative; feminine?). The one table of these
# messages: every service fetches the row it needs with get_or_raise instead of writing its own sentence.
RECORD_KINDS: dict[str, tuple[str, bool]] = {
    "editions": ("Cette édition", True),
    "event_days": ("Cette journée", True),
    "shops": ("Cette boutique", True),
    "territories": ("Ce territoire", False),
    "participations": ("Cette participation", True),
    "animations": ("Cette animation", True),
    "organisations": ("Cette organisation", True),
    "contacts": ("Ce contact", False),
    "role_types": ("Ce type de rôle", False),
    "edition_roles": ("Ce rôle", False),
    "booklet_relays": ("Cette remise d'annuaires", True),
    "meetings": ("Cette réunion", True),
    "budget_lines": ("Cette ligne de budget", True),
    "budget_categories": ("Cette catégorie de budget", True),
    "tasks": ("Cette tâche", True),
    "task_dependencies": ("Cette dépendance", True),
    "planning_templates": ("Ce modèle de planning", False),
    "items": ("Cet objet", False),
    "loans": ("Ce prêt", False),
    "consumables": ("Ce consommable", False),
    "consumable_deliveries": ("Cette livraison", True),
    "date_candidates": ("Ce jeu de dates candidat", False),
    "date_answers": ("Cette réponse", True),
}


def not_found_message(kind: str) -> str:
    """« Cette édition n'existe plus (supprimée entre-temps ?). » for a table name (or a model class)."""
    table = getattr(kind, "__tablename__", kind)
    this, feminine = RECORD_KINDS.get(table, ("Cette fiche", True))
    return f"{this} n'existe plus (supprimé{'e' if feminine else ''} entre-temps ?)."


def get_or_raise(session: Any, model: type[M], ident: Any) -> M:
    """session.get(model, ident), or NotFoundError with the kind's French message (None ident included)."""
    row = session.get(model, ident) if ident is not None else None
    if row is None:
        raise NotFoundError(not_found_message(model))
    return row
