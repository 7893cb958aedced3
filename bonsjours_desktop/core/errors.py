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

# Table name → (what the user calls one row, feminine?). The one table of record names: the « n'existe
# plus » messages below, and whatever else names a kind of record (« la boutique … supprimée »), read it.
RECORD_KINDS: dict[str, tuple[str, bool]] = {
    "editions": ("édition", True),
    "event_days": ("journée", True),
    "shops": ("boutique", True),
    "territories": ("territoire", False),
    "participations": ("participation", True),
    "animations": ("animation", True),
    "organisations": ("organisation", True),
    "organisation_logos": ("logo", False),
    "contacts": ("contact", False),
    "role_types": ("type de rôle", False),
    "edition_roles": ("rôle", False),
    "booklet_relays": ("remise d'annuaires", True),
    "meetings": ("réunion", True),
    "budget_lines": ("ligne de budget", True),
    "budget_categories": ("catégorie de budget", True),
    "tasks": ("tâche", True),
    "task_dependencies": ("dépendance", True),
    "planning_templates": ("modèle de planning", False),
    "items": ("objet", False),
    "loans": ("prêt", False),
    "consumables": ("consommable", False),
    "consumable_deliveries": ("livraison", True),
    "date_candidates": ("jeu de dates candidat", False),
    "date_answers": ("réponse", True),
}


def _kind(kind: Any) -> tuple[str, bool]:
    return RECORD_KINDS.get(getattr(kind, "__tablename__", kind), ("fiche", True))


def _elided(noun: str) -> bool:
    return noun[:1].lower() in "aeéèêiîoôuh"


def record_label(kind: Any) -> tuple[str, bool]:
    """(« l'édition », True), (« le prêt », False)… for a table name or a model class."""
    noun, feminine = _kind(kind)
    article = "l'" if _elided(noun) else ("la " if feminine else "le ")
    return article + noun, feminine


def not_found_message(kind: Any) -> str:
    """« Cette édition n'existe plus (supprimée entre-temps ?). » for a table name or a model class."""
    noun, feminine = _kind(kind)
    this = "Cette" if feminine else ("Cet" if _elided(noun) else "Ce")
    return f"{this} {noun} n'existe plus (supprimé{'e' if feminine else ''} entre-temps ?)."


def get_or_raise(session: Any, model: type[M], ident: Any) -> M:
    """session.get(model, ident), or NotFoundError with the kind's French message (None ident included)."""
    row = session.get(model, ident) if ident is not None else None
    if row is None:
        raise NotFoundError(not_found_message(model))
    return row
