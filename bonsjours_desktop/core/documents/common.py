"""What every document context shares: edition, common variables, people, shops as template dicts, and the French formatting of hours and days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import clock
from ..errors import get_or_raise
from ..event_hours import NOT_OPEN, day_hours
from ..formatting import DAY_NAMES, MONTH_NAMES, date_long, integer, money
from ..hours import UNKNOWN_HOURS_TEXT, is_open_on_weekday, join_days
from ..models import (
    WEEKDAYS,
    Animation,
    Contact,
    Edition,
    Participation,
    Setting,
    Shop,
    Territory,
)
from ..participations import takes_part
from ..shops import shop_record
from ..validation import fold
from .catalogue import OPERATION_TITLE

# --- Formatting helpers -------------------------------------------------------------------------


def _time(text: str) -> str:
    """'09:30' → '9h30', '14:00' → '14h'."""
    if not text or ":" not in text:
        return text or ""
    hours, minutes = text.split(":", 1)
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"


def _ranges_text(ranges: Sequence[Sequence[str]]) -> str:
    return ", ".join(f"{_time(r[0])}–{_time(r[1])}" for r in ranges if len(r) == 2)


def _join_fr(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def hours_text(opening_hours: Optional[dict[str, Any]]) -> str:
    """Days with identical hours grouped, in weekday order, one line per group."""
    hours = opening_hours or {}
    groups: list[tuple[str, list[str]]] = []
    for day in WEEKDAYS:
        if not is_open_on_weekday(hours, day):
            continue
        ranges = hours[day]
        text = _ranges_text(ranges) if ranges else UNKNOWN_HOURS_TEXT
        for existing in groups:
            if existing[0] == text:
                existing[1].append(day)
                break
        else:
            groups.append((text, [day]))
    return "\n".join(f"{join_days(days)} : {text}" for text, days in groups)


def _day_text(day: Optional[dt.date]) -> str:
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAY_NAMES[day.weekday()]} {number} {MONTH_NAMES[day.month - 1]}"


def days_short(days: Sequence[dt.date]) -> str:
    """'les 2 et 5 avril 2014', or full dates when months differ."""
    if not days:
        return "dates à fixer"
    if len(days) == 1:
        return f"le {date_long(days[0])}"
    if len({(d.month, d.year) for d in days}) == 1:
        numbers = ["1er" if d.day == 1 else str(d.day) for d in days]
        return f"les {_join_fr(numbers)} {MONTH_NAMES[days[0].month - 1]} {days[0].year}"
    return "les " + _join_fr([date_long(d) for d in days])


def _change(previous: Optional[Decimal | int], current: Optional[Decimal | int], is_money: bool = False) -> str:
    if previous is None or current is None:
        return ""
    delta = Decimal(current) - Decimal(previous)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    amount = money(abs(delta)) if is_money else integer(int(abs(delta)))
    if previous:
        percent = (delta / Decimal(previous) * 100).quantize(Decimal("0.1"))
        percent_text = f"{sign}{str(abs(percent)).replace('.', ',')} %"
        return f"{sign}{amount} ({percent_text})" if delta else "stable"
    return f"{sign}{amount}" if delta else "stable"


def _percent(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return ""
    return f"{(part / whole * 100).quantize(Decimal('0.1'))}".replace(".", ",") + " %"


def _setting(session: Session, key: str, default: str = "") -> str:
    setting = session.get(Setting, key)
    return setting.value if setting is not None and setting.value else default


def _edition(session: Session, edition_id: int) -> Edition:
    edition = get_or_raise(session, Edition, edition_id)
    return edition


def _edition_dict(edition: Edition) -> dict[str, Any]:
    days = [d.day for d in edition.event_days]
    return {
        "name": edition.name,
        "theme": edition.theme,
        "status": edition.status,
        "notes": edition.notes,
        "days": days,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "days_text": _join_fr([date_long(d) for d in days]) or "dates à fixer",
        "days_short": days_short(days),
        "year": str(days[0].year) if days else "",
    }


def _common(session: Session, edition: Edition) -> dict[str, Any]:
    today = clock.today()
    return {
        "departement_name": _setting(session, "departement_name", "Maine-et-Loire"),
        "departement_contact": _setting(session, "departement_contact"),
        "generated_on": today,
        "generated_on_text": date_long(today),
        "operation_title": OPERATION_TITLE,
        "edition": _edition_dict(edition),
    }


def _person(contact: Optional[Contact]) -> Optional[dict[str, Any]]:
    if contact is None:
        return None
    details = " – ".join(x for x in (contact.phone, contact.email) if x)
    text = contact.name + (f", {contact.function}" if contact.function else "")
    text += f" ({contact.organisation.name})" if contact.organisation else ""
    return {
        "name": contact.name,
        "function": contact.function,
        "organisation": contact.organisation.name if contact.organisation else "",
        "email": contact.email,
        "phone": contact.phone,
        "text": text + (f" – {details}" if details else ""),
    }


def _animation_dict(animation: Animation) -> dict[str, Any]:
    day = animation.event_day.day if animation.event_day else None
    time_text = (f"{_time(animation.start_time)}–{_time(animation.end_time)}"
                 if animation.start_time and animation.end_time else _time(animation.start_time))
    what = animation.description or animation.category
    head = ", ".join(x for x in (_day_text(day), time_text) if x)
    return {
        "day": day,
        "day_text": _day_text(day),
        "category": animation.category,
        "description": animation.description,
        "time_text": time_text,
        "text": f"{head} : {what}" if head else what,
    }


# The fields of core.shops.shop_record the documents show as they are (the others are formatted).
_SHOP_RECORD_KEYS = ("name", "network", "legal_form", "address", "postal_code", "commune", "territory", "phone",
                     "email", "website", "products")


def _shop_dict(shop: Shop, participation: Optional[Participation], edition: Edition) -> dict[str, Any]:
    """A shop as the templates see it (the shop.* variables), from the ORM object."""
    record = shop_record(shop)
    # the name the public knows (« Pays segréen »), not the syndicate's acronym
    record["territory"] = shop.territory.display_name if shop.territory else ""
    return shop_values(record, participation, [d.day for d in edition.event_days])


# The columns a shop's template dict is made of, for the documents that read shops with plain Core queries
# (shop_rows): shop_record's fields, the territory by the name printed for the public.
SHOP_COLUMNS = (Shop.id, Shop.name, Shop.network, Shop.legal_form, Shop.address, Shop.postal_code, Shop.commune,
                Shop.phone, Shop.email, Shop.website, Shop.opening_hours, Shop.products, Shop.latitude, Shop.longitude,
                Shop.territory_id)


def shop_rows(session: Session, active_only: bool = True, ids: Optional[Sequence[int]] = None) -> list[dict[str, Any]]:
    """Shops as plain dicts (no ORM objects), with « territory » the territory's public name ("" when none),
    in the documents' order: territory, commune, name (accents and case aside)."""
    query = (select(*SHOP_COLUMNS, Territory.name.label("territory_name"),
                    Territory.public_name.label("territory_public_name"))
             .outerjoin(Territory, Territory.id == Shop.territory_id)
             .order_by(Shop.id))
    if active_only:
        query = query.where(Shop.active.is_(True))
    if ids is not None:
        query = query.where(Shop.id.in_(list(ids)))
    folded: dict[str, str] = {}

    def key(text: str) -> str:
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(text)
        return value

    rows = []
    for row in session.execute(query).mappings():
        record = dict(row)
        name = record.pop("territory_name")
        public = record.pop("territory_public_name")
        record["territory"] = ((public or "").strip() or name) if name is not None else ""
        record["products"] = list(record["products"] or ())
        record["_sort"] = (name is None, key(record["territory"]), key(record["commune"]), key(record["name"]))
        rows.append(record)
    rows.sort(key=lambda r: r["_sort"])
    return rows


def shop_values(record: dict[str, Any], participation: Optional[Participation],
                days: Sequence[dt.date]) -> dict[str, Any]:
    """A shop as the templates see it, from its record (shop_record's fields, territory by its public name):
    formatted hours and contacts, and for a participating shop its animations, animator and event-day hours."""
    participates = participation is not None and takes_part(participation.status)
    animations = [_animation_dict(a) for a in participation.animations] if participates else []
    animations.sort(key=lambda a: (a["day"] or dt.date.max, a["time_text"]))
    opening_hours = record["opening_hours"]
    event_days = []
    for day in days:
        # The day's own hours when typed in Participations, else the weekly ones (core/event_hours.py).
        hours = day_hours(opening_hours, participation.event_hours if participates else None, day)
        day_animations = [a for a in animations if a["day"] == day]
        if participates and hours.source == NOT_OPEN:
            continue  # takes part on the other days only
        event_days.append({
            "day": day,
            "day_text": _day_text(day),
            "hours_text": (_ranges_text(hours.ranges) if hours.ranges else UNKNOWN_HOURS_TEXT) if hours.opens
            else ("horaires à confirmer" if participates else "fermé habituellement"),
            "animations_text": "\n".join(
                (f"{a['time_text']} : " if a["time_text"] else "") + (a["description"] or a["category"])
                for a in day_animations
            ),
        })
    contact_bits = [record["phone"], record["email"], record["website"]]
    animator = _person(participation.animator) if participates and participation.animator else None
    return {
        **{key: record[key] for key in _SHOP_RECORD_KEYS},
        "contact_text": " · ".join(x for x in contact_bits if x),
        "hours_text": hours_text(opening_hours) or "horaires non communiqués",
        "products_text": ", ".join(record["products"]),
        "participates": participates,
        "animations": animations,
        "animations_text": "\n".join(a["text"] for a in animations),
        "event_days": event_days,
        "event_hours_text": "\n".join(f"{d['day_text']} : {d['hours_text']}" for d in event_days),
        "animator_text": (f"{animator['name']}" + (f" ({animator['phone']})" if animator["phone"] else ""))
        if animator else "",
    }


def _participations(session: Session, edition_id: int) -> dict[int, Participation]:
    rows = session.scalars(
        select(Participation)
        .where(Participation.edition_id == edition_id)
        .options(
            selectinload(Participation.animations).selectinload(Animation.event_day),
            selectinload(Participation.animator).selectinload(Contact.organisation),
        )
    )
    return {p.shop_id: p for p in rows}


def _shops(session: Session, active_only: bool = True, ids: Optional[Iterable[int]] = None) -> list[Shop]:
    query = select(Shop).options(selectinload(Shop.territory))
    if active_only:
        query = query.where(Shop.active.is_(True))
    if ids is not None:
        query = query.where(Shop.id.in_(list(ids)))
    return list(session.scalars(query))


def _shop_sort_key(shop: Shop) -> tuple:
    return (shop.territory is None, fold(shop.territory.display_name) if shop.territory else "", fold(shop.commune),
            fold(shop.name))


def _previous_summary(summaries, edition_id: int):
    ordered = [s for s in summaries if s.first_day is not None]
    current = next((s for s in summaries if s.id == edition_id), None)
    if current is None or current.first_day is None:
        return None
    earlier = [s for s in ordered if s.first_day < current.first_day]
    return earlier[-1] if earlier else None
