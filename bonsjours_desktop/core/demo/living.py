"""A living example edition, placed relative to today (core.clock.today(), so --today moves it).

The two historical editions are over: on the real date nothing on the dashboard would be late, due or
lent. This edition, named from its dates (« Exemple – janvier 2027 »), holds its event days — a Wednesday
and the following Saturday — about six weeks ahead, the built-in planning with tasks done, late and due
in the coming days, games lent (one not brought back in time), a budget under way with a line in every
status, and participations to confirm beside confirmed ones with animations and event-day hours.
Everything is flagged is_example; loading the demo again adds nothing once an example edition exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, logistics
from ..errors import ConflictError
from ..formatting import month_year
from ..models import (
    Animation,
    BudgetCategory,
    BudgetLine,
    Edition,
    EditionRole,
    EventDay,
    Item,
    Loan,
    Organisation,
    Participation,
    RoleType,
    Shop,
    Task,
)
from ..money import ht_from_ttc
from . import base

PREFIX = "Exemple – "
WEEKS_AHEAD = 6
LATE_TASKS = 3
NOTES = ("Édition d'exemple placée par rapport à la date du jour : elle montre le tableau de bord, "
         "les retards et les prêts en cours. Supprimez-la quand vous n'en avez plus besoin.")

# category, label, supplier, TTC, status, overhead
BUDGET: list[tuple[str, str, str, str, str, bool]] = [
    ("supports de communication", "Mise à jour de l'affiche et de la plaquette", "Agence graphique (exemple)",
     "2600.00", "payé", False),
    ("impressions", "Impression de l'annuaire des boutiques", "Imprimerie (exemple)", "4300.00", "facturé", False),
    ("achat d'espaces", "Encarts dans la presse locale", "Régie presse (exemple)", "5200.00", "engagé", False),
    ("fournitures", "Lots et petits cadeaux pour les animations en boutique", "Fournisseur de lots (exemple)",
     "2800.00", "prévu", False),
    ("animations", "Animation musicale dans deux boutiques", "Association musicale (exemple)", "900.00", "prévu",
     False),
    ("frais de personnel", "Salaires des agents mobilisés (frais généraux, estimation)", "Département",
     "16000.00", "prévu", True),
]

# Games out now (delivered a few days ago, back after the event) and one overdue since a meeting.
LOANS_OUT = ["ROUE-01", "ROUE-02", "ECHELLE-01"]
OVERDUE = "SAISONS-01"


def first_event_day(today: dt.date) -> dt.date:
    """The first Wednesday at least six weeks after today."""
    day = today + dt.timedelta(weeks=WEEKS_AHEAD)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def example_name(first_day: dt.date) -> str:
    return f"{PREFIX}{month_year(first_day)}"


def existing(session: Session) -> Optional[Edition]:
    return session.scalars(
        select(Edition).where(Edition.is_example.is_(True), Edition.name.startswith(PREFIX))
    ).first()


def load(session: Session, context: dict[str, Any]) -> None:
    """Add the living example edition unless one is already there (whatever its month)."""
    if existing(session) is not None:
        return
    from ..planning import DONE, create_planning_from_template, ensure_builtin_template

    today = clock.today()
    wednesday = first_event_day(today)
    saturday = wednesday + dt.timedelta(days=3)
    edition = Edition(
        name=example_name(wednesday), theme=base.THEME, status="en préparation",
        budget_envelope=Decimal("32000.00"), is_example=True, notes=NOTES,
    )
    session.add(edition)
    session.flush()
    days = [EventDay(edition_id=edition.id, day=day) for day in (wednesday, saturday)]
    session.add_all(days)
    session.flush()

    _planning(session, edition, today, ensure_builtin_template(session), create_planning_from_template, DONE)
    _participations(session, edition, days, context)
    _budget(session, edition, today)
    _loans(session, edition, today, saturday)
    _roles(session, edition)
    session.flush()


def _planning(session: Session, edition: Edition, today: dt.date, template_id: int, create, done: str) -> None:
    create(session, edition.id, template_id)
    tasks = session.scalars(select(Task).where(Task.edition_id == edition.id).order_by(Task.end, Task.position)).all()
    past = [t for t in tasks if t.end < today]
    for task in past[:-LATE_TASKS] if len(past) > LATE_TASKS else []:
        task.status, task.progress = done, 100
    for task in past[-LATE_TASKS:]:
        task.status, task.progress = "en cours", 50
    horizon = today + dt.timedelta(days=15)
    soon = [t for t in tasks if today <= t.end <= horizon]
    if not soon:
        # The template may have nothing due in the next fortnight: the next task to come is brought
        # forward so the « prochains jours » list shows one.
        future = [t for t in tasks if t.end > horizon and not t.milestone]
        if future:
            task = future[0]
            length = task.end - task.start
            task.end = today + dt.timedelta(days=10)
            task.start = min(task.start, task.end - length)
            soon = [task]
    for task in soon:
        if task.start <= today:
            task.status, task.progress = "en cours", 30
    for task in tasks:
        task.is_example = True


def _participations(session: Session, edition: Edition, days: list[EventDay], context: dict[str, Any]) -> None:
    shops: list[Shop] = context.get("shops") or list(session.scalars(select(Shop).order_by(Shop.id)))
    animators = {
        c.organisation.territory_id: c
        for org in session.scalars(select(Organisation).where(Organisation.kind == "collectivité/EPCI"))
        for c in org.contacts
        if c.is_example
    }
    for index, shop in enumerate(shops):
        # Most shops confirmed with animations; a few still « pressentie », one confirmed without animation.
        status = "pressentie" if index % 5 == 3 else "confirmée"
        participation = Participation(shop=shop, edition=edition, status=status,
                                      animator=animators.get(shop.territory_id), is_example=True)
        session.add(participation)
        if index % 5 == 3 and index > 10 or index == 7:
            continue
        for day_index, event_day in enumerate(days):
            category, description = base.ANIMATIONS[(index + day_index + 2) % len(base.ANIMATIONS)]
            participation.animations.append(
                Animation(event_day=event_day, category=category, description=description,
                          start_time="10:00" if day_index else "14:00", end_time="17:00" if day_index else "18:00")
            )
    session.flush()
    for participation in edition.participations:
        if participation.status == "confirmée" and participation.animations:
            base.open_for_animations(participation)


def _budget(session: Session, edition: Edition, today: dt.date) -> None:
    categories = {c.name: c for c in session.scalars(select(BudgetCategory))}
    for category, label, supplier, ttc, status, overhead in BUDGET:
        if category not in categories:
            continue
        rate = Decimal("0.00") if overhead else Decimal("20.00")
        ht, vat = ht_from_ttc(Decimal(ttc), rate)
        ordered = today - dt.timedelta(days=40) if status != "prévu" else None
        invoiced = today - dt.timedelta(days=12) if status in ("facturé", "payé") else None
        paid = today - dt.timedelta(days=3) if status == "payé" else None
        session.add(BudgetLine(
            edition=edition, category=categories[category], label=label, supplier=supplier, amount_ht=ht,
            vat_rate=rate, amount_vat=vat, amount_ttc=Decimal(ttc), status=status, is_overhead=overhead,
            order_date=ordered, invoice_date=invoiced, payment_date=paid, is_example=True,
            notes="Budget d'exemple inventé." if not overhead else "Frais généraux estimés (hors total TTC).",
        ))


def _loans(session: Session, edition: Edition, today: dt.date, last_day: dt.date) -> None:
    epcis = list(session.scalars(
        select(Organisation).where(Organisation.kind == "collectivité/EPCI").order_by(Organisation.id)
    ))
    if not epcis:
        return
    plans = [(identifier, today - dt.timedelta(days=4), last_day + dt.timedelta(days=3)) for identifier in LOANS_OUT]
    plans.append((OVERDUE, today - dt.timedelta(days=30), today - dt.timedelta(days=9)))
    for index, (identifier, delivered, pickup) in enumerate(plans):
        item = session.scalars(select(Item).filter_by(identifier=identifier)).first()
        if item is None or item.condition == "perdu":
            continue
        busy = session.scalars(
            select(Loan).where(Loan.item_id == item.id, Loan.status.not_in(logistics.CLOSED_STATUSES))
        ).first()
        if busy is not None:
            continue
        try:  # nor one a historical edition lent over these dates (--today among the 2013–2014 editions)
            logistics.check_no_overlap(session, None, item, delivered, pickup)
        except ConflictError:
            continue
        loan_id = logistics.create_loan(
            session, edition.id, item.id, organisation_id=epcis[index % len(epcis)].id, delivery_date=delivered,
            pickup_date=pickup, carrier="Équipe logistique du Département", status="livré",
            notes="Prêt d'exemple." if identifier != OVERDUE else
            "Prêté pour la réunion de présentation aux animateurs ; pas encore repris (exemple).",
        )
        session.get(Loan, loan_id).is_example = True


def _roles(session: Session, edition: Edition) -> None:
    """Public-facing partners invited, a few confirmed: the rest shows under « sans rôle confirmé »."""
    types = {t.name: t for t in session.scalars(select(RoleType))}
    wanted = [
        ("Ouest-France – correspondants locaux", "relais presse locale", "invité"),
        ("Le Courrier de l'Ouest", "relais presse locale", "confirmé"),
        ("CCAS d'Angers", "diffusion de l'annuaire", "invité"),
        ("Emmaüs", "boutique participante", "confirmé"),
    ]
    for name, role_name, status in wanted:
        organisation = session.scalars(select(Organisation).filter_by(name=name)).first()
        role_type = types.get(role_name)
        if organisation is None or role_type is None:
            continue
        session.add(EditionRole(edition_id=edition.id, organisation_id=organisation.id, role_type_id=role_type.id,
                                status=status, description="Exemple."))
