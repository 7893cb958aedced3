"""Demo logistics for « Avril 2014 »: the 12 games lent to the EPCIs and shops, and the kits delivered.

The sheet says the Département's logistics team delivered tools and documents to the shops and the EPCIs
and picked them up afterwards; dates, quantities and addresses below are invented but plausible, and the
loans are flagged is_example.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import logistics
from ..models import Consumable, ConsumableDelivery, Edition, Item, Loan, Organisation, Shop
from ..versions import seen
from .base import APR_2014, SERVICE_LOGISTICS, TERRITORIES

CARRIER = "Équipe logistique du Département"

# Territory index -> (address, postal code, commune) of its organisation, filled only when left blank.
EPCI_ADDRESSES = {
    0: ("83 rue du Mail", "49000", "Angers"),
    1: ("Hôtel d'agglomération, rue Saint-Bonaventure", "49300", "Cholet"),
    2: ("11 rue du Maréchal Leclerc", "49400", "Saumur"),
    3: ("13 rue de la Gare", "49500", "Segré"),
    4: ("Zone d'activités de l'Aubinière", "49430", "Durtal"),
    5: ("4 rue des Fontaines", "49700", "Doué-la-Fontaine"),
    6: ("1 rue Jean Robin", "49290", "Chalonnes-sur-Loire"),
    7: ("Place de l'Hôtel de Ville", "49120", "Chemillé"),
    8: ("2 rue de l'Authion", "49250", "Beaufort-en-Vallée"),
}

# One round a day at the end of March, the same territories again the week after 5 April.
ROUNDS = [
    (dt.date(2014, 3, 25), dt.date(2014, 4, 7), (0, 6, 8)),
    (dt.date(2014, 3, 26), dt.date(2014, 4, 8), (1, 7)),
    (dt.date(2014, 3, 27), dt.date(2014, 4, 9), (2, 5)),
    (dt.date(2014, 3, 28), dt.date(2014, 4, 10), (3, 4)),
]

# item identifier -> territory index (its EPCI organisation) or shop name
GAME_LOANS: list[tuple[str, Any]] = [
    ("ROUE-01", 0), ("ROUE-02", 1), ("ROUE-03", 2), ("ROUE-04", 3),
    ("ECHELLE-01", 4), ("ECHELLE-02", 5), ("ECHELLE-03", 6), ("ECHELLE-04", 7),
    ("SAISONS-01", 8),
    ("SAISONS-02", "Arceau Anjou – La Ressourcerie"),
    ("SAISONS-03", "Ressourcerie des Mauges"),
    ("SAISONS-04", "Emmaüs Saumur – Les Ponts"),
]
DAMAGED = "SAISONS-03"
DAMAGE_NOTE = "Plateau rendu avec un coin déchiré et deux pions manquants ; à réparer avant le prochain prêt."

# name, stock, unit, per shop, per EPCI, notes
CONSUMABLES: list[tuple[str, int, str, int, int, str]] = [
    ("Affiches", 600, "exemplaires", 20, 15, "Affiche 40 × 60 cm de l'évènement."),
    ("Flyers", 10000, "exemplaires", 300, 300, "Flyer A5 recto verso avec la liste des boutiques."),
    ("Annuaires « Boutiques solidaires de l'occasion »", 5000, "exemplaires", 100, 200,
     "Plaquette 2014 « Boutiques solidaires de l'occasion – Dénicher de bonnes affaires en Maine-et-Loire »."),
    ("Kits de signalétique", 22, "kits", 1, 0, "Kakémono, fanions et vitrophanie « Les bons jours de l'occasion »."),
]


def load(session: Session, context: dict[str, Any]) -> None:
    """Add the April 2014 loans, consumables and deliveries; running it twice duplicates nothing."""
    edition = session.scalars(select(Edition).filter_by(name=APR_2014)).first()
    if edition is None:
        return
    organisations: dict[str, Organisation] = context["organisations"]
    carrier = CARRIER if SERVICE_LOGISTICS in organisations else ""
    epcis = [organisations[name] for name in TERRITORIES]
    for index, organisation in enumerate(epcis):
        if not organisation.address and not organisation.commune:
            organisation.address, organisation.postal_code, organisation.commune = EPCI_ADDRESSES[index]

    days: dict[str, tuple[dt.date, dt.date]] = {}
    for delivery_day, pickup_day, territory_indexes in ROUNDS:
        for index in territory_indexes:
            days[TERRITORIES[index]] = (delivery_day, pickup_day)
    session.flush()

    for identifier, target in GAME_LOANS:
        item = session.scalars(select(Item).filter_by(identifier=identifier)).first()
        if item is None:
            continue
        if session.scalars(select(Loan).filter_by(edition_id=edition.id, item_id=item.id)).first() is not None:
            continue
        if isinstance(target, int):
            shop_id, organisation_id = None, epcis[target].id
            territory = TERRITORIES[target]
        else:
            shop = session.scalars(select(Shop).filter_by(name=target)).first()
            if shop is None or shop.territory is None:
                continue
            shop_id, organisation_id, territory = shop.id, None, shop.territory.name
        delivery_day, pickup_day = days[territory]
        loan_id = logistics.create_loan(
            session, edition.id, item.id, shop_id=shop_id, organisation_id=organisation_id,
            delivery_date=delivery_day, pickup_date=pickup_day, carrier=carrier, status="livré",
        )
        if identifier == DAMAGED:
            logistics.set_loan_status(session, loan_id, logistics.LOST_OR_DAMAGED, returned_date=pickup_day,
                                      condition="abîmé", expected=seen(session.get(Loan, loan_id)))
            session.get(Loan, loan_id).notes = DAMAGE_NOTE
            if not item.notes:
                item.notes = DAMAGE_NOTE
        else:
            logistics.set_loan_status(session, loan_id, "rentré", returned_date=pickup_day,
                                      expected=seen(session.get(Loan, loan_id)))
        session.get(Loan, loan_id).is_example = True

    participants = sorted(
        (p.shop for p in edition.participations if p.status != "désistée"), key=lambda shop: shop.name
    )
    for name, stock, unit, per_shop, per_epci, notes in CONSUMABLES:
        consumable = session.scalars(select(Consumable).filter_by(edition_id=edition.id, name=name)).first()
        if consumable is None:
            consumable = session.get(Consumable, logistics.create_consumable(session, edition.id, name, stock, unit, notes))
        targets: list[tuple[str, Any, int, dt.date]] = []
        for shop in participants:
            if shop.territory is not None and shop.territory.name in days:
                targets.append(("shop", shop, per_shop, days[shop.territory.name][0]))
        if per_epci:
            targets += [("organisation", org, per_epci, days[org.name][0]) for org in epcis]
        for kind, target, quantity, day in targets:
            column = ConsumableDelivery.shop_id if kind == "shop" else ConsumableDelivery.organisation_id
            exists = session.scalars(
                select(ConsumableDelivery).where(ConsumableDelivery.consumable_id == consumable.id, column == target.id)
            ).first()
            if exists is not None:
                continue
            logistics.create_delivery(
                session, consumable.id, shop_id=target.id if kind == "shop" else None,
                organisation_id=target.id if kind == "organisation" else None, quantity=quantity, date=day,
                carrier=carrier,
            )
    session.flush()
