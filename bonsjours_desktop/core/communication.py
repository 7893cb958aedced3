"""The public communication kit's data: the edition's shops by territory (public names), dates, web address.

One source for the posters, the web banners and the static web page, so that they all show the same
shops, hours and animations as the press kits (the shop dictionaries come from documents/contexts)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .documents import contexts
from .errors import ValidationError
from .formatting import DAY_NAMES, MONTH_NAMES
from .reference import get_setting, set_setting

WEB_ADDRESS_KEY = "communication_web_address"
NO_TERRITORY = "Autres communes"
# French typography: a no-break space before « : » (never at the start of a line)
TAGLINE = "Les boutiques solidaires de seconde main ouvrent leurs portes\u00a0: bonnes affaires et animations"


@dataclass
class PublicTerritory:
    """A territory as the public knows it (its public name), with its shops taking part."""

    id: Optional[int]
    name: str
    epci_code: str
    shops: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass
class PublicKit:
    """What every public output of an edition shows."""

    edition_id: int
    edition_name: str
    title: str
    days: list[dt.date]
    dates_text: str
    departement_code: str
    departement_name: str
    territories: list[PublicTerritory]
    web_address: str

    @property
    def shops(self) -> list[dict[str, Any]]:
        return [shop for territory in self.territories for shop in territory.shops]


def slug(text: str) -> str:
    """'Pays segréen' → 'pays-segreen': file names and HTML ids, stable and readable."""
    from .validation import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "sans-nom"


def dates_text(days: list[dt.date]) -> str:
    """'mercredi 2 et samedi 5 avril 2014'; full dates when the months differ."""
    if not days:
        return "dates à fixer"
    same_month = len({(d.month, d.year) for d in days}) == 1
    parts = []
    for index, day in enumerate(days):
        number = "1er" if day.day == 1 else str(day.day)
        text = f"{DAY_NAMES[day.weekday()]} {number}"
        if not same_month or index == len(days) - 1:
            text += f" {MONTH_NAMES[day.month - 1]} {day.year}"
        parts.append(text)
    return contexts._join_fr(parts)


def check_web_address(text: str) -> str:
    """The address as typed (trimmed) when it is an http(s) address with a host, else a French error."""
    address = (text or "").strip()
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in address:
        raise ValidationError({"web_address": (
            f"Adresse de la page web invalide : « {address} » (attendu : une adresse complète comme "
            "https://www.exemple.fr/bons-jours).")})
    return address


def _address_key(edition_id: Optional[int]) -> str:
    return f"{WEB_ADDRESS_KEY}:{edition_id}" if edition_id is not None else WEB_ADDRESS_KEY


def web_address(session: Session, edition_id: Optional[int] = None) -> str:
    """The public page's address: the edition's own, else the one of every edition, else ''."""
    if edition_id is not None:
        own = get_setting(session, _address_key(edition_id))
        if own:
            return own
    return get_setting(session, WEB_ADDRESS_KEY)


def set_web_address(session: Session, address: str, edition_id: Optional[int] = None) -> str:
    """Remember the public page's address (for one edition, or for all); '' forgets it."""
    checked = check_web_address(address) if (address or "").strip() else ""
    set_setting(session, _address_key(edition_id), checked)
    return checked


def public_kit(session: Session, edition_id: int, address: Optional[str] = None) -> PublicKit:
    """The edition's shops taking part, grouped by territory (public name, alphabetical), with their
    event-day hours and animations; address overrides the remembered web address."""
    from . import geo

    edition = contexts._edition(session, edition_id)
    data = contexts.press_kit_shared(session, edition_id)
    participations = data["participations"]
    territories: list[PublicTerritory] = []
    by_key: dict[Any, PublicTerritory] = {}
    for shop in sorted(data["shops"], key=contexts._shop_sort_key):
        territory = shop.territory
        key = territory.id if territory is not None else None
        if key not in by_key:
            by_key[key] = PublicTerritory(
                key, territory.display_name if territory is not None else NO_TERRITORY,
                territory.epci_code if territory is not None else "")
            territories.append(by_key[key])
        record = contexts._shop_dict(shop, participations.get(shop.id), edition)
        record.update({"id": shop.id, "latitude": shop.latitude, "longitude": shop.longitude})
        by_key[key].shops.append(record)
    days = [d.day for d in edition.event_days]
    code = geo.coordinator_departement(session)
    chosen = check_web_address(address) if address is not None and address.strip() else web_address(session, edition_id)
    return PublicKit(
        edition_id=edition.id,
        edition_name=edition.name,
        title=contexts.OPERATION_TITLE.replace("'", "’"),  # the public title, with its typographic apostrophe
        days=days,
        dates_text=dates_text(days),
        departement_code=code,
        departement_name=contexts._setting(session, "departement_name", "Maine-et-Loire"),
        territories=territories,
        web_address=chosen,
    )


__all__ = ["PublicKit", "PublicTerritory", "public_kit", "web_address", "set_web_address", "check_web_address",
           "dates_text", "slug"]
