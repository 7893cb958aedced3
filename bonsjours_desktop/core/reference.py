"""Reference lists every database starts with (budget categories, partner roles) and settings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import (
    DEFAULT_BUDGET_CATEGORIES,
    DEFAULT_ROLE_TYPES,
    PRESS_KIT_ROLE_TYPES,
    BudgetCategory,
    RoleType,
    Setting,
)
from .versions import RowSnapshot, editable


def ensure_reference_data(session: Session) -> None:
    """Add the default lists where missing; never touches what the user renamed or added."""
    existing = set(session.scalars(select(BudgetCategory.name)))
    for position, name in enumerate(DEFAULT_BUDGET_CATEGORIES):
        if name not in existing:
            session.add(BudgetCategory(name=name, position=position))
    existing = set(session.scalars(select(RoleType.name)))
    for position, name in enumerate(DEFAULT_ROLE_TYPES):
        if name not in existing:
            session.add(RoleType(name=name, position=position, receives_press_kit=name in PRESS_KIT_ROLE_TYPES))


def get_setting(session: Session, key: str, default: str = "") -> str:
    setting = session.get(Setting, key)
    return setting.value if setting is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def move_in_list(session: Session, model, ident: int, offset: int, *, expected: RowSnapshot) -> int:
    """Move one entry of an editable ordered list (position column) by offset; positions become 0..n-1.
    expected: the entry as the list showed it (refused if someone renamed, moved or deleted it since)."""
    from .errors import NotFoundError, not_found_message

    editable(session, model, ident, expected)
    ordered = list(session.scalars(select(model).order_by(model.position, model.id)))
    index = next((i for i, entry in enumerate(ordered) if entry.id == ident), None)
    if index is None:
        raise NotFoundError(not_found_message(model))
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, entry in enumerate(ordered):
        if entry.position != position:
            entry.position = position
    return ident
