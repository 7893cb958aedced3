"""Editions and their event days: queries and validated operations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import NotFoundError
from .models import Edition, EventDay, Participation


@dataclass(frozen=True)
class EditionSummary:
    id: int
    name: str
    status: str
    days: tuple[dt.date, ...]
    shop_count: int

    @property
    def first_day(self) -> Optional[dt.date]:
        return self.days[0] if self.days else None


def list_editions(session: Session) -> list[EditionSummary]:
    """Every edition, oldest event first (editions without days last)."""
    counts = dict(
        session.execute(select(Participation.edition_id, func.count()).group_by(Participation.edition_id)).all()
    )
    days: dict[int, list[dt.date]] = {}
    for edition_id, day in session.execute(select(EventDay.edition_id, EventDay.day).order_by(EventDay.day)):
        days.setdefault(edition_id, []).append(day)
    summaries = [
        EditionSummary(e.id, e.name, e.status, tuple(days.get(e.id, ())), counts.get(e.id, 0))
        for e in session.scalars(select(Edition))
    ]
    return sorted(summaries, key=lambda s: (s.first_day is None, s.first_day or dt.date.max, s.name))


def get_edition(session: Session, edition_id: int) -> Edition:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFoundError("Cette édition n'existe plus.")
    return edition


def find_edition(session: Session, name: str) -> Edition:
    """By exact name, then case- and accent-insensitively; French error listing what exists."""
    from .validation import fold

    editions = list(session.scalars(select(Edition)))
    for edition in editions:
        if edition.name == name:
            return edition
    for edition in editions:
        if fold(edition.name) == fold(name):
            return edition
    known = ", ".join(f"« {e.name} »" for e in editions) or "aucune"
    raise NotFoundError(f"Aucune édition ne s'appelle « {name} ». Éditions existantes : {known}.")


def current_edition_id(session: Session, today: dt.date) -> Optional[int]:
    """The edition whose last event day is the first not yet past, else the latest one."""
    summaries = list_editions(session)
    upcoming = [s for s in summaries if s.days and s.days[-1] >= today]
    if upcoming:
        return upcoming[0].id
    dated = [s for s in summaries if s.days]
    if dated:
        return dated[-1].id
    return summaries[0].id if summaries else None
