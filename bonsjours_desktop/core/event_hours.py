"""Opening hours of each participating shop on each event day, and the conflicts with its animations.

One rule, used by the Participations tab, the dashboard, the documents and their generation: a day
the coordinator has not filled in follows the shop's weekly hours for that weekday; a shop taking
part needs hours on every event day it opens (a normally-closed day needs hours typed in, or to be
marked « ne participe pas ce jour-là »); an animation sits between the day's opening and closing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .errors import ValidationError, get_or_raise
from .formatting import date_long
from .hours import is_open_on_weekday
from .models import WEEKDAYS, Animation, EventDay, Participation, Shop

CLOSED_WORDS = {"ferme", "fermee", "ne participe pas", "non", "-"}

# Where a day's hours come from.
FROM_WEEKLY = "habituels"
TYPED = "saisis"
NOT_OPEN = "ne participe pas ce jour-là"


@dataclass(frozen=True)
class DayHours:
    """A shop's hours on one event day: the ranges, where they come from, and whether they are missing."""

    day: dt.date
    ranges: tuple[tuple[str, str], ...]
    source: str  # FROM_WEEKLY, TYPED or NOT_OPEN
    # Normally closed that weekday and nothing typed: the kit cannot say when the shop opens.
    missing: bool = False
    # Open that weekday but its hours were never given (core/hours.py: a weekday with an empty list).
    hours_unknown: bool = False

    @property
    def opens(self) -> bool:
        return bool(self.ranges) or self.hours_unknown

    def text(self) -> str:
        """'09:30-12:00 14:00-18:00'; 'ouvert' when open without known hours; '' when closed or missing."""
        if self.hours_unknown:
            return "ouvert"
        return " ".join(f"{start}-{end}" for start, end in self.ranges)


@dataclass(frozen=True)
class HoursConflict:
    """One contradiction between a shop's event-day hours and its participation, in one French line."""

    shop_id: int
    shop_name: str
    participation_id: int
    day: dt.date
    kind: str  # "missing" | "not-open" | "outside"
    message: str


def _key(day: dt.date) -> str:
    return day.isoformat()


def day_hours(opening_hours: Optional[dict], event_hours: Optional[dict], day: dt.date) -> DayHours:
    """The hours of one event day: typed for that day, or the weekly hours of its weekday."""
    typed = (event_hours or {}).get(_key(day))
    if typed is not None:
        ranges = tuple((r[0], r[1]) for r in typed if len(r) == 2)
        return DayHours(day, ranges, TYPED if ranges else NOT_OPEN)
    weekday = WEEKDAYS[day.weekday()]
    if not is_open_on_weekday(opening_hours, weekday):
        return DayHours(day, (), FROM_WEEKLY, missing=True)
    ranges = tuple((r[0], r[1]) for r in (opening_hours or {}).get(weekday) or [] if len(r) == 2)
    return DayHours(day, ranges, FROM_WEEKLY, hours_unknown=not ranges)


def _animation_label(category: str, description: str, start: str, end: str) -> str:
    what = description or category
    hours = f"{start}-{end}" if start and end else (start or end)
    return f"« {what} »" + (f" ({hours})" if hours else "")


def conflicts_for(shop_id: int, shop_name: str, participation_id: int, opening_hours: Optional[dict],
                  event_hours: Optional[dict], days: Iterable[dt.date],
                  animations: Sequence[tuple[Optional[dt.date], str, str, str, str]]) -> list[HoursConflict]:
    """Conflicts of one participation; animations are (day, category, description, start, end)."""
    found: list[HoursConflict] = []
    for day in sorted(days):
        hours = day_hours(opening_hours, event_hours, day)
        when = date_long(day)
        on_day = [a for a in animations if a[0] == day]
        if hours.missing:
            found.append(HoursConflict(
                shop_id, shop_name, participation_id, day, "missing",
                f"« {shop_name} » est normalement fermée le {when} : indiquez ses horaires ce jour-là "
                f"(onglet Participations), ou qu'elle ne participe pas ce jour-là."))
            continue
        if not hours.opens:
            for animation in on_day:
                found.append(HoursConflict(
                    shop_id, shop_name, participation_id, day, "not-open",
                    f"« {shop_name} » ne participe pas le {when} mais y a l'animation "
                    f"{_animation_label(*animation[1:])} : corrigez ses horaires ou l'animation."))
            continue
        if not hours.ranges:
            continue  # open, hours never given: nothing to check the animations against
        opening = min(start for start, _end in hours.ranges)
        closing = max(end for _start, end in hours.ranges)
        for animation in on_day:
            start, end = animation[3], animation[4]
            if (start and not opening <= start < closing) or (end and not opening < end <= closing):
                found.append(HoursConflict(
                    shop_id, shop_name, participation_id, day, "outside",
                    f"« {shop_name} », {when} : l'animation {_animation_label(*animation[1:])} déborde des "
                    f"horaires du jour ({hours.text()}) : corrigez les horaires ou l'animation."))
    return found


def participation_conflicts(participation: Participation) -> list[HoursConflict]:
    """Conflicts of one participation (ORM object); none for a shop that withdrew."""
    from .participations import takes_part  # participations imports this module

    if not takes_part(participation.status):
        return []
    days = {d.id: d.day for d in participation.edition.event_days}
    # By id, not through a.event_day: an animation just moved to another day still holds the old object.
    animations = [
        (days.get(a.event_day_id), a.category, a.description, a.start_time, a.end_time)
        for a in participation.animations
    ]
    return conflicts_for(participation.shop_id, participation.shop.name, participation.id,
                         participation.shop.opening_hours, participation.event_hours, days.values(), animations)


def edition_conflicts(session: Session, edition_id: int) -> list[HoursConflict]:
    """Every hours conflict of an edition, by shop name then day."""
    participations = session.scalars(
        select(Participation).where(Participation.edition_id == edition_id).options(
            selectinload(Participation.shop),
            selectinload(Participation.animations).selectinload(Animation.event_day),
            selectinload(Participation.edition),
        )
    )
    found: list[HoursConflict] = []
    for participation in participations:
        found.extend(participation_conflicts(participation))
    return sorted(found, key=lambda c: (c.shop_name.casefold(), c.day))


# --- Editing ------------------------------------------------------------------------------------


def parse_day_hours(text: Optional[str], day: dt.date) -> Optional[list[list[str]]]:
    """Form text → stored value: '' → None (weekly hours), 'fermé' → [] (not open), '14h-18h' → ranges.

    Read by the same parser as the weekly hours (core/hours.py); « ouvert » without hours is refused
    here, since the point of an event day's hours is to print them."""
    from .hours import parse_day
    from .validation import fold

    raw = (text or "").strip()
    if not raw:
        return None
    if fold(raw) in CLOSED_WORDS:
        return []
    weekday = WEEKDAYS[day.weekday()]
    field = f"event_hours.{day.isoformat()}"
    label = date_long(day).capitalize()
    try:
        ranges = parse_day(raw, weekday)
    except ValidationError as exc:
        message = next(iter(exc.errors.values()))
        raise ValidationError({field: message.replace(weekday.capitalize(), label, 1)}) from None
    if not ranges:
        raise ValidationError({field: (f"{label} : indiquez les heures d'ouverture de ce jour-là "
                                       "(exemple : 14:00-18:00), ou « fermé ».")})
    return ranges


def set_event_hours(session: Session, participation_id: int, values: dict[int, Optional[str]]) -> list[HoursConflict]:
    """Set the hours of several event days (by event day id) from form texts; returns the conflicts left.

    Every text is checked before anything is written; one French message per unreadable day."""
    participation = get_or_raise(session, Participation, participation_id)
    days = {d.id: d.day for d in participation.edition.event_days}
    stored: dict[str, Any] = dict(participation.event_hours or {})
    errors: dict[str, str] = {}
    for event_day_id, text in values.items():
        day = days.get(event_day_id)
        if day is None:
            errors[f"event_hours.{event_day_id}"] = "Ce jour n'est pas un jour de l'évènement de l'édition."
            continue
        try:
            ranges = parse_day_hours(text, day)
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        if ranges is None:
            stored.pop(_key(day), None)
        else:
            stored[_key(day)] = ranges
    if errors:
        raise ValidationError(errors)
    # A new dict: JSON columns only notice assignment, and undo needs to see the change.
    participation.event_hours = {key: stored[key] for key in sorted(stored)}
    session.flush()
    return participation_conflicts(participation)


def shop_day_hours(session: Session, participation_id: int) -> list[tuple[int, DayHours]]:
    """(event day id, hours) of each event day of a participation, for the form."""
    participation = get_or_raise(session, Participation, participation_id)
    shop: Shop = participation.shop
    days: list[EventDay] = list(participation.edition.event_days)
    return [(d.id, day_hours(shop.opening_hours, participation.event_hours, d.day)) for d in days]
