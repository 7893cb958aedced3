"""Deterministic scale database: a region-sized Bons Jours (1 000 shops, 30 editions, 3 000 tasks...)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from bonsjours_desktop.core.db import open_database
from bonsjours_desktop.core.models import (
    ANIMATION_CATEGORIES,
    NETWORKS,
    PRODUCT_CATEGORIES,
    Animation,
    BudgetCategory,
    BudgetLine,
    Contact,
    Edition,
    EventDay,
    Item,
    Loan,
    Organisation,
    Participation,
    Shop,
    Task,
    TaskDependency,
    Territory,
)
from bonsjours_desktop.core.money import vat_from_ht
from bonsjours_desktop.core.reference import ensure_reference_data

COMMUNES = [
    ("Angers", "49000", 47.47, -0.55), ("Cholet", "49300", 47.06, -0.88), ("Saumur", "49400", 47.26, -0.08),
    ("Segré", "49500", 47.69, -0.87), ("Beaupréau", "49600", 47.20, -0.99), ("Durtal", "49430", 47.67, -0.23),
    ("Doué-la-Fontaine", "49700", 47.19, -0.28), ("Chemillé", "49120", 47.21, -0.73),
    ("Trélazé", "49800", 47.45, -0.47), ("Longué-Jumelles", "49160", 47.38, -0.11),
]
KINDS = ["structure ESS", "collectivité/EPCI", "service du Département", "presse", "CCAS", "Maison des solidarités"]


@dataclass(frozen=True)
class Scale:
    """How many of each thing; factor 1 is the issue's scale, tiny runs use a small factor."""

    shops: int = 1000
    editions: int = 30
    tasks: int = 3000
    organisations: int = 500
    contacts: int = 2000
    budget_lines: int = 10000
    loans: int = 500

    @classmethod
    def of(cls, factor: float) -> "Scale":
        full = cls()
        return cls(**{name: max(2, int(getattr(full, name) * factor)) for name in full.__dataclass_fields__})


def build(path: Path, scale: Scale, seed: int = 20131113) -> Path:
    """Write the scale database at path (replaced if present); same seed, same data."""
    path = Path(path)
    path.unlink(missing_ok=True)
    rng = random.Random(seed)
    db = open_database(str(path))
    with db.session_factory() as session:
        ensure_reference_data(session)
        categories = list(session.query(BudgetCategory))
        territories = [Territory(name=f"Territoire {i + 1:03d}", kind="EPCI") for i in range(max(3, scale.shops // 40))]
        session.add_all(territories)
        # A territory is a contiguous area, as an EPCI is: each one lies around one of the communes below
        # (its local map, in a press kit, frames that area and not the whole département).
        by_commune = [territories[k::len(COMMUNES)] or territories for k in range(len(COMMUNES))]
        shops = []
        for i in range(scale.shops):
            commune, cp, lat, lon = COMMUNES[i % len(COMMUNES)]
            days = rng.sample(["mardi", "mercredi", "jeudi", "vendredi", "samedi"], 3)
            shops.append(Shop(
                name=f"Boutique solidaire {i + 1:05d}", network=rng.choice(NETWORKS), commune=f"{commune} {i // 10}",
                postal_code=cp, address=f"{rng.randint(1, 99)} rue des Lilas",
                territory=rng.choice(by_commune[i % len(COMMUNES)]),
                latitude=lat + rng.uniform(-0.2, 0.2), longitude=lon + rng.uniform(-0.2, 0.2),
                phone=f"02 41 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                opening_hours={d: [["09:00", "12:00"], ["14:00", "18:00"]] for d in days},
                products=rng.sample(PRODUCT_CATEGORIES, 3), may_promote=rng.random() > 0.1,
            ))
        session.add_all(shops)
        organisations = [Organisation(name=f"Partenaire {i + 1:04d}", kind=KINDS[i % len(KINDS)],
                                      territory=rng.choice(territories), commune=COMMUNES[i % len(COMMUNES)][0])
                         for i in range(scale.organisations)]
        session.add_all(organisations)
        session.add_all(Contact(organisation=organisations[i % len(organisations)], name=f"Contact {i + 1:05d}",
                                email=f"contact{i + 1}@exemple.fr", function="Chargé·e de mission")
                        for i in range(scale.contacts))
        editions = []
        for i in range(scale.editions):
            wednesday = dt.date(2013, 11, 13) + dt.timedelta(weeks=26 * i)
            edition = Edition(name=f"Édition {i + 1:02d}", status="en préparation",
                              budget_envelope=Decimal("40000.00"))
            edition.event_days = [EventDay(day=wednesday), EventDay(day=wednesday + dt.timedelta(days=3))]
            editions.append(edition)
        session.add_all(editions)
        session.flush()
        for edition in editions:
            for shop in rng.sample(shops, min(len(shops), 25)):
                participation = Participation(shop=shop, edition=edition, status="confirmée")
                participation.animations = [
                    Animation(event_day=day, category=rng.choice(ANIMATION_CATEGORIES), description="Animation",
                              start_time="10:00", end_time="17:00") for day in edition.event_days]
                session.add(participation)
        per_edition = max(1, scale.tasks // len(editions))
        for edition in editions:
            first = edition.event_days[0].day
            previous = None
            for j in range(per_edition):
                start = first - dt.timedelta(days=540) + dt.timedelta(days=j * 540 // per_edition)
                task = Task(edition=edition, title=f"Tâche {j + 1:03d} de {edition.name}", start=start,
                            end=start + dt.timedelta(days=rng.randint(0, 20)), milestone=j % 10 == 0,
                            owner=rng.choice(organisations), phase=f"Phase {j % 5 + 1}", position=j,
                            status=rng.choice(["à faire", "en cours", "terminée"]), progress=rng.randint(0, 100),
                            anchor_offset=(start - first).days, anchor_unit="jours")
                task.end = task.start if task.milestone else task.end
                session.add(task)
                if previous is not None and j % 3:
                    session.add(TaskDependency(predecessor=previous, successor=task, lag_days=0))
                previous = task
        per_edition_lines = max(1, scale.budget_lines // len(editions))
        lines = []
        for edition in editions:
            for j in range(per_edition_lines):
                ht = Decimal(rng.randint(1000, 500000)) / 100
                vat, ttc = vat_from_ht(ht, Decimal("20.00"))
                lines.append(dict(edition_id=edition.id, category_id=rng.choice(categories).id, label=f"Dépense {j + 1}",
                                  supplier=f"Fournisseur {j % 50}", amount_ht=ht, vat_rate=Decimal("20.00"),
                                  amount_vat=vat, amount_ttc=ttc, status=rng.choice(["prévu", "engagé", "payé"])))
        # as rows, not objects: 100 000 lines at 10× insert in seconds instead of a minute
        session.execute(insert(BudgetLine), lines)
        per_edition_loans = max(1, scale.loans // len(editions))
        items = [Item(identifier=f"JEU-{i + 1:03d}", kind="Jeu de prévention") for i in range(per_edition_loans)]
        session.add_all(items)
        for edition in editions:
            day = edition.event_days[0].day
            for item in items:
                session.add(Loan(edition=edition, item=item, shop=rng.choice(shops), delivery_date=day - dt.timedelta(days=7),
                                 pickup_date=day + dt.timedelta(days=7), status="rentré", returned_date=day + dt.timedelta(days=7)))
        session.commit()
    db.dispose()
    return path
