"""The static « Local et solidaire » page of an edition: index.html, boutiques.geojson, evenement.ics.

Everything the page needs is inside it (inline CSS, inline SVG map, a few lines of inline script that
only add a panel): no external script, font, style sheet or map tile, so it works offline, from a USB
key, or copied as is onto the Département's site or in a frame. Jinja2 with autoescape on: shop names
and animations are shown exactly as typed, never read as HTML."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .. import geo
from ..communication import TAGLINE, PublicKit, public_kit
from ..documents.contexts import OPERATION_PRESENTATION
from ..errors import BonsJoursError
from .safe_write import atomic_write, check_output_folder
from .shops_io import export_shops_data, geojson_collection

MAP_WIDTH = 1000.0
MARKER_RADIUS = 11.0
PAGE_FILE, GEOJSON_FILE, ICS_FILE = "index.html", "boutiques.geojson", "evenement.ics"


@dataclass
class WebsiteResult:
    files: list[Path]
    warnings: list[str]


def _ring_path(points: list[tuple[float, float]]) -> str:
    parts, last = [], None
    for x, y in points:
        point = (round(x, 1), round(y, 1))
        if point != last:
            parts.append(f"{point[0]:g} {point[1]:g}")
            last = point
    return ("M" + " L".join(parts) + " Z") if len(parts) > 2 else ""


def map_svg_data(kit: PublicKit) -> dict[str, Any]:
    """The département's outline, its EPCI (those of the territories taking part marked) and the
    shops' markers, projected (Lambert-93) into a viewBox MAP_WIDTH wide."""
    code = kit.departement_code
    project = geo.Projection(code)
    shapes = geo.contours(code)
    projected_outline = [project.ring(ring) for ring in shapes.outline]
    xs = [x for ring in projected_outline for x, _ in ring]
    ys = [y for ring in projected_outline for _, y in ring]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    pad = (right - left) * 0.02
    left, right, bottom, top = left - pad, right + pad, bottom - pad, top + pad
    scale = MAP_WIDTH / (right - left)
    height = (top - bottom) * scale

    def to_view(x: float, y: float) -> tuple[float, float]:
        return (x - left) * scale, (top - y) * scale

    def path(rings) -> str:
        return " ".join(filter(None, (_ring_path([to_view(x, y) for x, y in project.ring(ring)]) for ring in rings)))

    active = {t.epci_code for t in kit.territories if t.epci_code}
    epcis = []
    for epci_code, rings in shapes.epci.items():
        found = geo.epci(epci_code)
        epcis.append({"code": epci_code, "name": found.name if found else "", "path": path(rings),
                      "active": epci_code in active})
    markers = []
    for territory in kit.territories:
        for shop in territory.shops:
            if shop["latitude"] is None or shop["longitude"] is None:
                continue
            x, y = to_view(*project(shop["longitude"], shop["latitude"]))
            markers.append({"id": shop["id"], "name": shop["name"], "commune": shop["commune"],
                            "x": round(x, 1), "y": round(y, 1)})
    _spread(markers)
    return {"width": MAP_WIDTH, "height": round(height, 1), "outline": path(shapes.outline), "epcis": epcis,
            "markers": markers, "radius": MARKER_RADIUS}


def _spread(markers: list[dict[str, Any]]) -> None:
    """Shops closer than a marker's width are set on a small circle around their centre, so that each
    stays visible and can be clicked or tapped (two shops of one street would hide each other)."""
    import math

    groups: list[list[dict[str, Any]]] = []
    for marker in markers:
        for group in groups:
            if any(math.hypot(marker["x"] - m["x"], marker["y"] - m["y"]) < MARKER_RADIUS * 2.2 for m in group):
                group.append(marker)
                break
        else:
            groups.append([marker])
    for group in groups:
        if len(group) < 2:
            continue
        cx = sum(m["x"] for m in group) / len(group)
        cy = sum(m["y"] for m in group) / len(group)
        ring = MARKER_RADIUS * 2.3 / (2 * math.sin(math.pi / len(group)))
        for index, marker in enumerate(sorted(group, key=lambda m: m["id"])):
            angle = 2 * math.pi * index / len(group) - math.pi / 2
            marker["x"] = round(cx + ring * math.cos(angle), 1)
            marker["y"] = round(cy + ring * math.sin(angle), 1)


def _website_href(text: str) -> str:
    """A shop's website as a link: 'www.exemple.fr' gets https://; anything else but http(s) is no link."""
    address = text.strip()
    if not address:
        return ""
    if "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    return address if parts.scheme in ("http", "https") and parts.netloc and " " not in address else ""


def render_page(kit: PublicKit, generated_on: Optional[dt.date] = None) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..resources import resource_path

    environment = Environment(loader=FileSystemLoader(str(resource_path("web"))), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = environment.get_template("index.html.j2")
    for shop in kit.shops:
        shop["website_href"] = _website_href(shop["website"])
        shop["phone_href"] = "tel:" + "".join(c for c in shop["phone"] if c.isdigit() or c == "+") if shop["phone"] else ""
    return template.render(
        kit=kit, map=map_svg_data(kit), tagline=TAGLINE, presentation=OPERATION_PRESENTATION,
        geojson_file=GEOJSON_FILE, ics_file=ICS_FILE, geo_source=geo.source_text(),
        with_map=any(s["latitude"] is not None for s in kit.shops),
    )


def event_calendar(kit: PublicKit, session: Session) -> bytes:
    """The event days as all-day events; UIDs from the event days' ids, so calendars update them."""
    from icalendar import Calendar, Event

    from ..models import Edition

    edition = session.get(Edition, kit.edition_id)
    calendar = Calendar()
    calendar.add("prodid", "-//Bons Jours//Les bons jours de l'occasion//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{kit.title} – {kit.edition_name}")
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for event_day in edition.event_days:
        event = Event()
        event.add("uid", f"jour-{event_day.id}@bonsjours")
        event.add("dtstamp", stamp)
        event.add("dtstart", event_day.day)
        event.add("dtend", event_day.day + dt.timedelta(days=1))
        event.add("summary", kit.title)
        description = f"{TAGLINE}. {len(kit.shops)} boutiques solidaires en {kit.departement_name}."
        if kit.web_address:
            description += f" Les boutiques, leurs horaires et animations : {kit.web_address}"
            event.add("url", kit.web_address)
        event.add("description", description)
        event.add("location", kit.departement_name)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def shops_geojson(session: Session, kit: PublicKit) -> str:
    """The export's GeoJSON (core/io/shops_io) of the shops taking part, and only them."""
    taking_part = {shop["id"] for shop in kit.shops}
    shops = [s for s in export_shops_data(session, kit.edition_id) if s.id in taking_part]
    return json.dumps(geojson_collection(shops, kit.edition_name), ensure_ascii=False, indent=1) + "\n"


def generate_website(session: Session, edition_id: int, folder: str | Path, address: Optional[str] = None) -> WebsiteResult:
    """Write the page, its GeoJSON and its calendar in folder; everything is built before the first write."""
    kit = public_kit(session, edition_id, address)
    if not kit.shops:
        raise BonsJoursError(f"Aucune boutique ne participe à l'édition « {kit.edition_name} » : pas de page à produire.")
    target = check_output_folder(folder, session)
    contents = {PAGE_FILE: render_page(kit).encode("utf-8"), GEOJSON_FILE: shops_geojson(session, kit).encode("utf-8"),
                ICS_FILE: event_calendar(kit, session)}
    files = [atomic_write(target / name, content, db=session) for name, content in contents.items()]
    warnings = []
    missing = [f"{s['name']} ({s['commune']})" for s in kit.shops if s["latitude"] is None or s["longitude"] is None]
    if missing:
        warnings.append(f"{len(missing)} boutique(s) sans coordonnées, listées mais absentes de la carte : "
                        + ", ".join(missing) + ".")
    return WebsiteResult(files, warnings)


__all__ = ["generate_website", "render_page", "map_svg_data", "event_calendar", "shops_geojson", "WebsiteResult"]
