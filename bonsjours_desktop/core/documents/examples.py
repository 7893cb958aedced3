"""Example values of a template's variables, read from a chosen edition's real document context.

The « Modèles » help lists every variable with what it would print: the values come from the very
context the document is rendered with (press kit of the département, first partner's role sheet,
first delivery round…), so they are those of the edition the user chose, never another's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Session

from .contexts import VARIABLES, Variable

MAX_LENGTH = 90
MISSING = object()


def document_context(session: Session, kind: str, edition_id: int) -> Optional[dict[str, Any]]:
    """The context one document of kind would get for the edition; None when the edition has nothing
    to write this kind for (no partner, no delivery round)."""
    from . import contexts, press

    if kind == "press-kit":
        data = press.press_data(session, edition_id)
        return press.press_kit_context(session, edition_id, press.departement_scope(data), data)
    if kind == "role-sheet":
        from .role_sheets import role_sheet_context, role_sheet_partners

        partners = role_sheet_partners(session, edition_id)
        return role_sheet_context(session, edition_id, partners[0].id) if partners else None
    if kind == "directory":
        return contexts.directory_context(session, edition_id)
    if kind == "bilan":
        return contexts.bilan_context(session, edition_id)
    if kind == "delivery-sheet":
        rounds = contexts.delivery_rounds(session, edition_id)
        if not rounds:
            return None
        return contexts.delivery_sheet_context(session, edition_id, next(iter(rounds)), rounds)
    raise ValueError(kind)


def _lookup(context: Any, name: str) -> Any:
    """Follow a documented name ("shops[].animations[].text") into the context, taking the first
    element of each list."""
    value = context
    for part in name.split("."):
        is_list = part.endswith("[]")
        key = part[:-2] if is_list else part
        if isinstance(value, dict):
            if key not in value:
                return MISSING
            value = value[key]
        else:
            value = getattr(value, key, MISSING)
            if value is MISSING:
                return MISSING
        if is_list:
            if not isinstance(value, (list, tuple)):
                return MISSING
            # the first element that has something to show
            value = next((item for item in value if item not in (None, "", [], {})), MISSING)
            if value is MISSING:
                return MISSING
    return value


def display(value: Any) -> str:
    """One line of what the template prints for value ({{ name }} with no filter)."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return ""  # an object: its fields have their own lines
    if isinstance(value, (list, tuple)):
        count = len(value)
        if not count:
            return "(liste vide pour cette édition)"
        if all(isinstance(item, (str, int, dt.date)) for item in value):
            text = "[" + ", ".join(display(item) for item in value) + "]"
        else:
            text = f"({count} élément{'s' if count > 1 else ''})"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= MAX_LENGTH else text[:MAX_LENGTH - 1].rstrip() + "…"


def example_variables(session: Session, kind: str, edition_id: Optional[int]) -> list[Variable]:
    """VARIABLES[kind] with each example read from the edition's context; a variable the edition
    leaves empty keeps an empty example (not another edition's value)."""
    variables = VARIABLES[kind]
    context = document_context(session, kind, edition_id) if edition_id is not None else None
    if context is None:
        return [Variable(v.name, v.description, "") for v in variables]
    return [Variable(v.name, v.description, display(_lookup(context, v.name))) for v in variables]


__all__ = ["example_variables", "document_context", "display"]
