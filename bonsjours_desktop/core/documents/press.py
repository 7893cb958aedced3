"""Public press kits: one per scope (the département, each territory, each network), who receives which.

A press kit is written for journalists and for the partners who relay it: no recipient line, no
internal service, no internal role name. Partners sharing a scope share the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError, get_or_raise
from ..models import Contact, Edition, EditionRole, Organisation, RoleType, Shop
from ..partners import public_facing
from ..validation import fold
from . import catalogue, common, directory, partners
from .engine import ImageRef

DEPARTEMENT = "departement"
TERRITORY = "territory"
NETWORK = "network"

# Public-facing partner kinds, in the order the kit groups them; the Département's own services and
# "autre" are internal, the press has its own section.
PUBLIC_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Les structures de l'économie sociale et solidaire", ("structure ESS",)),
    ("Les collectivités et leurs animateurs de prévention des déchets", ("collectivité/EPCI",)),
    ("Les relais auprès des habitants", ("CCAS", "Maison des solidarités")),
]
PRESS_KIND = "presse"
HEADER_LIMIT = 48


def ellipsis(text: str, limit: int = HEADER_LIMIT) -> str:
    """At most `limit` characters, cut at a word with « … »: a header line never wraps onto the banner."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–-") + "…"


@dataclass(frozen=True)
class Scope:
    """What one press kit covers: the whole département, one territory, or one network of shops."""

    kind: str
    name: str
    territory_id: Optional[int] = None
    network: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.territory_id or self.network or ''}"

    @property
    def label(self) -> str:
        """'le département de Maine-et-Loire', 'le territoire « … »', 'le réseau « Emmaüs »'."""
        if self.kind == TERRITORY:
            return f"le territoire « {self.name} »"
        if self.kind == NETWORK:
            return f"le réseau « {self.name} »"
        return f"le département de {self.name}"

    @property
    def file_label(self) -> str:
        if self.kind == NETWORK and not fold(self.name).startswith("reseau"):
            return f"réseau {self.name}"
        return self.name


@dataclass(frozen=True)
class Recipient:
    """A partner of the edition and the press kit it gets; `receives` is the default selection."""

    organisation_id: int
    name: str
    kind: str
    receives: bool
    scope: Scope
    email: str
    contact_name: str
    roles_text: str


# --- Shared data ----------------------------------------------------------------------------------


def press_data(session: Session, edition_id: int) -> dict[str, Any]:
    """What every kit and every recipient of an edition needs, computed once per batch."""
    data = partners.press_kit_shared(session, edition_id)
    data["departement_name"] = common._setting(session, "departement_name", "Maine-et-Loire")
    data["role_types"] = {r.id: r for r in session.scalars(select(RoleType))}
    return data


def main_contact(organisation: Organisation, roles: list[EditionRole]) -> tuple[str, str]:
    """(name, e-mail) to write to: the contact named on a role, else the first contact with an
    e-mail, else the organisation's own address."""
    for role in roles:
        if role.status != "décliné" and role.contact is not None and role.contact.email:
            return role.contact.name, role.contact.email
    for contact in organisation.contacts:
        if contact.email:
            return contact.name, contact.email
    first = organisation.contacts[0].name if organisation.contacts else ""
    return first, organisation.email


def _receives(organisation: Organisation, roles: list[EditionRole], data: dict[str, Any]) -> bool:
    return public_facing(organisation.kind,
                         [(r.status, data["role_types"][r.role_type_id].receives_press_kit) for r in roles])


def network_of(organisation: Organisation, shops: list[Shop]) -> str:
    """The shop network an ESS structure heads ('Emmaüs', 'Envie'…), '' when none takes part."""
    if organisation.kind != "structure ESS":
        return ""
    for shop in shops:
        if shop.network and fold(shop.network) in fold(organisation.name):
            return shop.network
    return ""


def scope_of(organisation: Organisation, data: dict[str, Any]) -> Scope:
    shops: list[Shop] = data["shops"]
    network = network_of(organisation, shops)
    if network:
        return Scope(NETWORK, network, network=network)
    if organisation.territory_id is not None and any(s.territory_id == organisation.territory_id for s in shops):
        return Scope(TERRITORY, organisation.territory.display_name, territory_id=organisation.territory_id)
    return Scope(DEPARTEMENT, data["departement_name"])


def press_recipients(session: Session, edition_id: int, data: Optional[dict[str, Any]] = None) -> list[Recipient]:
    """Every partner of the edition, the kit it would get, and whether its roles call for one."""
    data = data if data is not None else press_data(session, edition_id)
    roles = data["roles"]
    recipients = []
    for organisation in data["partners"]:
        own = roles.get(organisation.id, [])
        name, email = main_contact(organisation, own)
        recipients.append(Recipient(
            organisation.id, organisation.name, organisation.kind, _receives(organisation, own, data),
            scope_of(organisation, data), email, name,
            partners._partner_roles_text(organisation, own, data["animator_orgs"]),
        ))
    return recipients


def departement_scope(data: dict[str, Any]) -> Scope:
    return Scope(DEPARTEMENT, data["departement_name"])


def scope_shops(scope: Scope, shops: list[Shop]) -> list[Shop]:
    if scope.kind == NETWORK:
        chosen = [s for s in shops if fold(s.network) == fold(scope.network)]
    elif scope.kind == TERRITORY:
        chosen = [s for s in shops if s.territory_id == scope.territory_id]
    else:
        chosen = list(shops)
    return sorted(chosen, key=common._shop_sort_key)


def scope_points(session: Session, edition_id: int, scope: Scope,
                 data: Optional[dict[str, Any]] = None) -> list[directory.MapPoint]:
    """The shops of a scope taking part, with coordinates: the kit's local map."""
    data = data if data is not None else partners.press_kit_shared(session, edition_id)
    return [
        directory.MapPoint(s.name, s.commune, s.latitude, s.longitude, True)
        for s in scope_shops(scope, data["shops"])
        if s.latitude is not None and s.longitude is not None
    ]


# --- Press contact ----------------------------------------------------------------------------------


def set_press_contact(session: Session, edition_id: int, contact_id: Optional[int]) -> None:
    """The edition's press contact; it needs a phone and an e-mail, since journalists use both."""
    edition = get_or_raise(session, Edition, edition_id)
    if contact_id is not None:
        contact = get_or_raise(session, Contact, contact_id)
        missing = [label for label, value in (("un téléphone", contact.phone), ("un courriel", contact.email))
                   if not value.strip()]
        if missing:
            raise ValidationError({"press_contact": (
                f"Le contact presse doit avoir un téléphone et un courriel : il manque {' et '.join(missing)} "
                f"à « {contact.name} » (onglet Partenaires).")})
    edition.press_contact_id = contact_id
    session.flush()


def press_contact_choices(session: Session) -> list[tuple[int, str]]:
    """(id, 'Name — Organisation') of the contacts that have both a phone and an e-mail."""
    # Plain columns: the Documents tab asks on every reload, and a regional base has 20 000 contacts.
    contacts = session.execute(
        select(Contact.id, Contact.name, Organisation.name)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Contact.phone != "", Contact.email != "")
    )
    return sorted(((contact_id, f"{name} — {organisation}") for contact_id, name, organisation in contacts),
                  key=lambda item: fold(item[1]))


# --- Kit context ----------------------------------------------------------------------------------


def _public_groups(recipients: list[Recipient]) -> list[dict[str, Any]]:
    groups = []
    for title, kinds in PUBLIC_GROUPS:
        names = sorted({r.name for r in recipients if r.kind in kinds and r.receives}, key=fold)
        if names:
            groups.append({"title": title, "partners": [{"name": n} for n in names],
                           "names_text": ", ".join(names)})
    return groups


def _local_press(session: Session, scope: Scope, data: dict[str, Any]) -> list[dict[str, Any]]:
    roles = data["roles"]
    found = []
    for organisation in data["partners"]:
        if organisation.kind != PRESS_KIND:
            continue
        if not any(r.status != "décliné" for r in roles.get(organisation.id, [])):
            continue
        if organisation.territory_id is not None and organisation.territory_id != scope.territory_id:
            continue
        name, email = main_contact(organisation, roles.get(organisation.id, []))
        found.append({"name": organisation.name, "contact": name, "email": email,
                      "text": organisation.name + (f" – {name}" if name else "")})
    return found


def press_kit_context(session: Session, edition_id: int, scope: Scope, data: Optional[dict[str, Any]] = None,
                      map_image: Optional[Path] = None) -> dict[str, Any]:
    """The public kit of one scope: its shops with their event-day hours, local contacts, press, map."""
    edition = common._edition(session, edition_id)
    data = data if data is not None else press_data(session, edition_id)
    participations = data["participations"]
    shops = data["shops"]
    local = scope_shops(scope, shops)
    animators: list[Contact] = []
    if scope.kind != DEPARTEMENT:
        for shop in local:
            animator = participations[shop.id].animator
            if animator is not None and animator not in animators:
                animators.append(animator)
    previous = data["previous"]
    recipients = data.get("recipients") or press_recipients(session, edition_id, data)
    press_contact = common._person(edition.press_contact) if edition.press_contact else None
    context = common._common(session, edition)
    context.update({
        "operation_presentation": catalogue.OPERATION_PRESENTATION,
        "operation_aims": list(catalogue.OPERATION_AIMS),
        "scope": {"kind": {DEPARTEMENT: "département", TERRITORY: "territoire", NETWORK: "réseau"}[scope.kind],
                  "name": scope.name, "header_name": ellipsis(scope.name), "is_local": scope.kind != DEPARTEMENT},
        "scope_text": scope.label,
        "figures": {
            "shops_count": len(shops),
            "territories_count": len({s.territory_id for s in shops if s.territory_id is not None}),
            "communes_count": len({fold(s.commune) for s in shops}),
            "event_days_count": len(edition.event_days),
            "local_shops_count": len(local),
            "previous_text": f"{previous.shop_count} boutiques en {previous.name}" if previous else "",
        },
        "shops": [common._shop_dict(s, participations.get(s.id), edition) for s in local],
        "animator": common._person(animators[0]) if animators else None,
        "animators": [common._person(a) for a in animators],
        "press_contact": press_contact,
        "has_press_contact": press_contact is not None,
        "partner_groups": _public_groups(recipients),
        "local_press": _local_press(session, scope, data),
        "map_image": ImageRef(Path(map_image), 120.0) if map_image else "",
        "has_map": bool(map_image),
    })
    return context


def kit_scopes(recipients: list[Recipient], data: dict[str, Any], chosen: Optional[set[int]] = None) -> list[Scope]:
    """The kits to write, one per scope of a chosen recipient: the département's, then territories,
    then networks, by name."""
    scopes: dict[str, Scope] = {}
    for recipient in recipients:
        wanted = recipient.receives if chosen is None else recipient.organisation_id in chosen
        if wanted:
            scopes.setdefault(recipient.scope.key, recipient.scope)
    order = {DEPARTEMENT: 0, TERRITORY: 1, NETWORK: 2}
    return sorted(scopes.values(), key=lambda s: (order[s.kind], fold(s.name)))


__all__ = [
    "Scope", "Recipient", "press_data", "press_recipients", "press_kit_context", "kit_scopes", "scope_points",
    "set_press_contact", "press_contact_choices", "main_contact", "ellipsis",
]
