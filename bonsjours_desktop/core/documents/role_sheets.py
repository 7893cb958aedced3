"""Role sheets: one internal sheet per partner saying what it does in the edition, when, with what, and whom to call."""

from __future__ import annotations

import re
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFoundError, get_or_raise
from ..formatting import date_long, integer
from ..models import (
    Consumable,
    ConsumableDelivery,
    Contact,
    Loan,
    Meeting,
    MeetingAttendee,
    Organisation,
    Task,
)
from ..validation import fold
from . import common, partners
from .press import ellipsis, main_contact, network_of


def role_sheet_partners(session: Session, edition_id: int, partner: Optional[str] = None) -> list[Organisation]:
    """The partners that get a role sheet: every partner of the edition (with a role, an animator
    accompanying a shop, or heading a network taking part), or those named."""
    if partner:
        return partners.find_organisations(session, partner)
    found = partners.edition_partners(session, edition_id)
    if not found:
        raise NotFoundError(
            "Aucun partenaire n'a de rôle dans cette édition : ajoutez des rôles dans l'onglet Partenaires, "
            "ou nommez un partenaire avec --partner."
        )
    return found


def _date(day) -> str:
    return date_long(day) if day else "date à fixer"


def role_sheet_context(session: Session, edition_id: int, organisation_id: int,
                       data: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """Everything one partner must know to act: roles, tasks and milestones, meetings, loans, shops, contacts."""
    edition = common._edition(session, edition_id)
    organisation = get_or_raise(session, Organisation, organisation_id)
    data = data if data is not None else partners.press_kit_shared(session, edition_id)
    participations = data["participations"]
    roles = data["roles"].get(organisation.id, [])
    contact_ids = {c.id for c in organisation.contacts}

    network = network_of(organisation, data["shops"])
    shops = [s for s in data["shops"]
             if (network and fold(s.network) == fold(network))
             or participations[s.id].animator_contact_id in contact_ids]
    shops.sort(key=common._shop_sort_key)
    shop_ids = {s.id for s in shops}

    tasks = session.scalars(
        select(Task).where(Task.edition_id == edition_id, Task.owner_organisation_id == organisation.id)
        .order_by(Task.start, Task.position)
    )
    meetings = session.execute(
        select(Meeting, MeetingAttendee.attended).join(MeetingAttendee)
        .where(Meeting.edition_id == edition_id, MeetingAttendee.organisation_id == organisation.id)
        .order_by(Meeting.date)
    )
    loans = session.scalars(
        select(Loan).where(Loan.edition_id == edition_id).options(selectinload(Loan.item), selectinload(Loan.shop))
        .order_by(Loan.delivery_date, Loan.id)
    )
    deliveries = session.scalars(
        select(ConsumableDelivery).join(Consumable).where(Consumable.edition_id == edition_id)
        .options(selectinload(ConsumableDelivery.consumable), selectinload(ConsumableDelivery.shop))
        .order_by(ConsumableDelivery.date, ConsumableDelivery.id)
    )
    lent = []
    for loan in loans:
        if loan.organisation_id == organisation.id or loan.shop_id in shop_ids:
            lent.append({
                "what": f"{loan.item.identifier} – {loan.item.kind}",
                "to": loan.shop.name if loan.shop else organisation.name,
                "delivery_text": _date(loan.delivery_date),
                "pickup_text": _date(loan.pickup_date),
                "status": loan.status,
                "text": f"{loan.item.kind} ({loan.item.identifier}) — livré le {_date(loan.delivery_date)}, "
                        f"repris le {_date(loan.pickup_date)}"
                        + (f", pour {loan.shop.name}" if loan.shop else ""),
            })
    for delivery in deliveries:
        if delivery.organisation_id == organisation.id or delivery.shop_id in shop_ids:
            unit = delivery.consumable.unit or ""
            if abs(delivery.quantity or 0) <= 1 and unit.endswith("s"):
                unit = unit[:-1]  # "1 kit", "1 exemplaire"
            quantity = f"{integer(delivery.quantity)} {unit}".strip()
            lent.append({
                "what": f"{delivery.consumable.name} ({quantity})",
                "to": delivery.shop.name if delivery.shop else organisation.name,
                "delivery_text": _date(delivery.date),
                "pickup_text": "",
                "status": "",
                "text": f"{delivery.consumable.name} : {quantity} — livré le {_date(delivery.date)}"
                        + (f", pour {delivery.shop.name}" if delivery.shop else ""),
            })

    # The rounds this partner drives: the carrier's text names it, in any word order.
    from ..logistics import delivery_rounds

    def words(text: str) -> set[str]:
        return {w for w in re.split(r"[^a-z0-9]+", fold(text)) if len(w) > 2}

    own = words(organisation.name)
    rounds = [
        {"title": r.title, "day_text": _date(r.day) if r.day else "date à fixer", "territory": r.territory,
         "stops_count": len(r.stops), "drop_count": r.drop_off_count, "pick_count": r.pickup_count}
        for r in delivery_rounds(session, edition_id)
        # « Équipe logistique du Département » drives for « Département – Équipe logistique ».
        if own and any(own <= words(c) or (words(c) and words(c) <= own) for c in r.carriers)
    ]

    people: list[Contact] = []
    for shop in shops:
        animator = participations[shop.id].animator
        if animator is not None and animator not in people and animator.id not in contact_ids:
            people.append(animator)
    contact_name, contact_email = main_contact(organisation, roles)
    press = edition.press_contact
    context = common._common(session, edition)
    context.update({
        "partner": {
            "name": organisation.name,
            "header_name": ellipsis(organisation.name),
            "kind": organisation.kind,
            "territory": organisation.territory.name if organisation.territory else "",
            "contact_name": contact_name,
            "email": contact_email,
        },
        "roles": [
            {"name": r.role_type.name, "description": r.description, "status": r.status,
             "contact": r.contact.name if r.contact else ""}
            for r in sorted(roles, key=lambda r: (r.role_type.position, fold(r.role_type.name)))
            if r.status != "décliné"
        ],
        "roles_text": partners._partner_roles_text(organisation, roles, data["animator_orgs"]),
        "tasks": [
            {"title": t.title, "milestone": t.milestone, "status": t.status, "phase": t.phase,
             "start_text": _date(t.start), "end_text": _date(t.end),
             "when_text": _date(t.start) if t.milestone or t.start == t.end
             else f"du {_date(t.start)} au {_date(t.end)}"}
            for t in tasks
        ],
        "meetings": [
            {"date_text": _date(m.date), "subject": m.subject, "attended": attended}
            for m, attended in meetings
        ],
        "lent": lent,
        "rounds": rounds,
        "shops": [common._shop_dict(s, participations.get(s.id), edition) for s in shops],
        "contacts": [common._person(c) for c in people],
        "press_contact": common._person(press) if press else None,
    })
    return context


__all__ = ["role_sheet_partners", "role_sheet_context"]
