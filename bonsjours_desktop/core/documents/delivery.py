"""Delivery sheets (fiches de tournée): the rounds as template variables, one sheet per round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..formatting import date_long, integer
from ..hours import UNKNOWN_HOURS_TEXT, is_open_on_weekday
from ..logistics import delivery_rounds as logistics_rounds
from ..logistics import quantity_text
from ..models import (
    WEEKDAYS,
    Shop,
)
from ..validation import fold
from .common import _common, _edition, _ranges_text, hours_text

# --- Delivery sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundKey:
    """A delivery round: one day (None = date to fix) and one territory."""

    day: Optional[dt.date]
    territory: str

    @property
    def label(self) -> str:
        when = self.day.isoformat() if self.day else "date à fixer"
        return f"{when} – {self.territory}"


def delivery_rounds(session: Session, edition_id: int) -> dict[RoundKey, dict[str, Any]]:
    """The rounds of core.logistics.delivery_rounds (the Logistique tab's), as the sheets' variables:
    one entry per day and territory, stops in the driver's order, what to drop off then pick up."""
    _edition(session, edition_id)
    rounds: dict[RoundKey, dict[str, Any]] = {}
    built = logistics_rounds(session, edition_id)
    shop_ids = {stop.shop_id for r in built for stop in r.stops if stop.shop_id is not None}
    hours = dict(session.execute(select(Shop.id, Shop.opening_hours).where(Shop.id.in_(shop_ids))).all()) if shop_ids else {}
    for delivery_round in built:
        stops: dict[str, dict[str, Any]] = {}
        for stop in delivery_round.stops:
            key = f"s{stop.shop_id}" if stop.shop_id is not None else f"o{stop.organisation_id}"
            stops[key] = {
                "key": key, "name": stop.name, "address": stop.address, "postal_code": stop.postal_code,
                "commune": stop.commune, "phone": stop.phone, "contact": stop.contact,
                "hours_text": _stop_hours(hours[stop.shop_id], delivery_round.day) if stop.shop_id in hours else "",
                "lines": [
                    {"action": "Déposer" if line.action == "déposer" else "Reprendre", "what": line.label,
                     "quantity_text": quantity_text(line.quantity, line.unit), "notes": line.notes,
                     "count": (GAMES, 1) if line.item_identifier else (line.label, line.quantity),
                     "unit": line.unit}
                    for line in stop.drop_offs + stop.pickups
                ],
            }
        rounds[RoundKey(delivery_round.day, delivery_round.territory)] = {
            "stops": stops, "carriers": list(delivery_round.carriers)}
    return rounds


GAMES = ""  # the count key of lent items: every lent item is one « jeu »


def _stop_hours(opening_hours: Optional[dict[str, Any]], day: Optional[dt.date]) -> str:
    """The shop's opening hours on the round's day, for the driver: « ouvert ce jour-là : 9h30–12h,
    14h–18h », or that it is usually closed then (call first); the week's hours when the day is to fix."""
    if day is None:
        week = hours_text(opening_hours)
        return f"horaires : {week}".replace("\n", " ; ") if week else ""
    weekday = WEEKDAYS[day.weekday()]
    if not is_open_on_weekday(opening_hours or {}, weekday):
        return f"fermé d'habitude le {weekday} : appeler avant de passer"
    ranges = (opening_hours or {}).get(weekday) or []
    return f"ouvert ce {weekday} : {_ranges_text(ranges) if ranges else UNKNOWN_HOURS_TEXT}"


def _lower_first(text: str) -> str:
    # « Affiches » → « affiches » but « SICTOM … » stays as typed.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _things_text(lines: Sequence[dict[str, Any]]) -> str:
    """« 4 jeux, 300 affiches, 2 kits de signalétique » — what a driver loads, counted his way."""
    from .typography import counted

    totals: dict[str, int] = {}
    units: dict[str, str] = {}
    for line in lines:
        name, quantity = line["count"]
        totals[name] = totals.get(name, 0) + (quantity or 0)
        units.setdefault(name, line.get("unit") or "")
    parts = []
    for name, total in totals.items():
        if name == GAMES:
            parts.append(counted(total, "jeu", "jeux"))
            continue
        unit = units[name]
        words = _lower_first(name).split(" ", 1)
        first = words[0]
        same = fold(first).rstrip("sx") == fold(unit).rstrip("sx")
        if not unit or same or fold(unit) in ("exemplaires", "exemplaire", "unites", "unite", "pieces", "piece"):
            # The name says what is counted: « 300 affiches », « 1 kit de signalétique ».
            if total <= 1 and first.endswith("s") and len(first) > 2:
                first = first[:-1]
            parts.append(f"{integer(total)}\u00a0{' '.join([first] + words[1:])}")
        else:
            parts.append(f"{quantity_text(total, unit)} – {name}")
    return ", ".join(parts)


def delivery_sheet_context(session: Session, edition_id: int, key: RoundKey,
                           rounds: Optional[dict[RoundKey, dict[str, Any]]] = None) -> dict[str, Any]:
    """One round's sheet: stops in the driver's order (the Logistique tab's), what to drop off and pick up, signatures."""
    edition = _edition(session, edition_id)
    rounds = rounds if rounds is not None else delivery_rounds(session, edition_id)
    if key not in rounds:
        raise NotFoundError(f"Aucune tournée « {key.label} » pour cette édition.")
    entry = rounds[key]
    stops = list(entry["stops"].values())  # already in the driver's order (commune, street, number)
    numbered = []
    for number, stop in enumerate(stops, start=1):
        lines = sorted(stop["lines"], key=lambda l: (l["action"] != "Déposer", fold(l["what"])))
        numbered.append({**{k: v for k, v in stop.items() if k != "key"}, "number": number, "lines": lines})
    drop_lines = [l for s in numbered for l in s["lines"] if l["action"] == "Déposer"]
    pick_lines = [l for s in numbered for l in s["lines"] if l["action"] == "Reprendre"]
    drops, picks = len(drop_lines), len(pick_lines)
    kind = "Livraisons et reprises" if drops and picks else ("Reprises" if picks else "Livraisons")
    from .typography import counted

    drop_text, pick_text = _things_text(drop_lines), _things_text(pick_lines)
    summary = [counted(len(numbered), "arrêt")]
    if drop_text:
        summary.append(f"à déposer : {drop_text}")
    if pick_text:
        summary.append(f"à reprendre : {pick_text}")
    context = _common(session, edition)
    context.update({
        "round": {
            "day": key.day,
            "day_text": date_long(key.day) if key.day else "date à fixer",
            "territory": key.territory,
            "carriers_text": ", ".join(entry["carriers"]) or "à désigner",
            "carriers_count": len(entry["carriers"]),
            "stops_count": len(numbered),
            "drop_count": drops,
            "pick_count": picks,
            "kind_text": kind,
            "drop_text": drop_text or "rien",
            "pick_text": pick_text or "rien",
            "summary_text": " ; ".join(summary),
        },
        "stops": numbered,
    })
    return context
