"""Dashboard ("Tableau de bord"): what the coordinator should look at today.

Every figure comes from the domain services, so the dashboard never keeps rules of its own: the budget
gauge is the edition's budget summary (core.budget), the overdue loans are core.logistics' query, the
shops come from the participation table (core.participations) and the partners from the roles and
organisations (core.partners)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .budget import BudgetSummary, budget_summary
from .formatting import date_abbr, date_long, money
from .logistics import overdue_loans
from .models import Edition, EventDay, Organisation, Task
from .participations import list_participation_rows, takes_part
from .planning import DONE, is_late
from .partners import list_role_rows, list_role_types, public_facing

UPCOMING_DAYS = 15


@dataclass(frozen=True)
class DashboardRow:
    """One line needing attention, with where to fix it: a tab title and a payload for navigate_to."""

    section: str
    text: str
    detail: str
    tab: str
    payload: dict[str, Any] = field(default_factory=dict)
    day: Optional[dt.date] = None
    severity: str = "info"  # "late" | "soon" | "info"


@dataclass(frozen=True)
class Countdown:
    """Days from today to the next event day (0 on the day itself)."""

    day: dt.date
    days: int
    edition_id: int
    edition_name: str

    @property
    def text(self) -> str:
        if self.days == 0:
            return f"Jour J : {date_long(self.day)}"
        return f"J-{self.days} : {date_long(self.day)}"


@dataclass(frozen=True)
class BudgetGauge:
    """The edition's budget summary seen as a gauge: spent (engagé + facturé + payé, TTC, overheads
    excluded) against the envelope — the very figures of the Budget tab."""

    summary: BudgetSummary

    @property
    def edition_id(self) -> int:
        return self.summary.edition_id

    @property
    def consumed(self) -> Decimal:
        return self.summary.spent

    @property
    def envelope(self) -> Optional[Decimal]:
        return self.summary.envelope

    @property
    def remaining(self) -> Optional[Decimal]:
        return self.summary.remaining

    @property
    def ratio(self) -> Optional[Decimal]:
        return self.summary.used_share

    @property
    def over(self) -> bool:
        return self.summary.over_envelope


@dataclass(frozen=True)
class Dashboard:
    """What needs attention today: countdown, sections of lines and the budget gauge."""

    today: dt.date
    edition_id: Optional[int]
    edition_name: str
    countdown: Optional[Countdown]
    late_tasks: tuple[DashboardRow, ...]
    upcoming_tasks: tuple[DashboardRow, ...]
    budget: Optional[BudgetGauge]
    budget_rows: tuple[DashboardRow, ...]
    shops: tuple[DashboardRow, ...]
    partners: tuple[DashboardRow, ...]
    loans: tuple[DashboardRow, ...]
    # Event-day hours that contradict a participation (core/event_hours.py).
    hours: tuple[DashboardRow, ...] = ()

    def sections(self) -> list[tuple[str, tuple[DashboardRow, ...]]]:
        return [
            ("Tâches en retard", self.late_tasks),
            (f"Jalons et tâches des {UPCOMING_DAYS} prochains jours", self.upcoming_tasks),
            ("Budget", self.budget_rows),
            ("Boutiques sans animation ou non confirmées", self.shops),
            ("Horaires des jours de l'évènement à corriger", self.hours),
            ("Partenaires sans rôle confirmé", self.partners),
            ("Matériel non rentré", self.loans),
        ]

    def rows(self) -> list[DashboardRow]:
        return [row for _title, rows in self.sections() for row in rows]


def next_event(session: Session, today: dt.date) -> Optional[Countdown]:
    found = session.execute(
        select(EventDay.day, Edition.id, Edition.name)
        .join(Edition, Edition.id == EventDay.edition_id)
        .where(EventDay.day >= today, Edition.status != "annulée")
        .order_by(EventDay.day)
        .limit(1)
    ).first()
    if found is None:
        return None
    day, edition_id, name = found
    return Countdown(day, (day - today).days, edition_id, name)


# --- sections -----------------------------------------------------------------------------------


def _task_row(section: str, task: Any, today: dt.date, late: bool) -> DashboardRow:
    """task: a row of _task_rows' query (id, edition_id, title, end, milestone, status, owner, edition name)."""
    kind = "Jalon" if task.milestone else "Tâche"
    if late:
        delay = (today - task.end).days
        when = f"prévue pour le {date_abbr(task.end)}, {delay} jour{'s' if delay > 1 else ''} de retard"
    else:
        left = (task.end - today).days
        when = f"échéance {date_abbr(task.end)}" + (" (aujourd'hui)" if left == 0 else f" (dans {left} j)")
    owner = f" — {task.owner_name}" if task.owner_name is not None else ""
    return DashboardRow(
        section, f"{kind} : {task.title}", f"{when} — {task.status}{owner} — {task.edition_name}", "Planning",
        {"task_id": task.id, "edition_id": task.edition_id}, task.end, "late" if late else "soon",
    )


def _task_rows(session: Session, today: dt.date) -> tuple[tuple[DashboardRow, ...], tuple[DashboardRow, ...]]:
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    # Both lists end by the horizon: tasks due later (most of a regional base's) are not even read.
    # Plain columns with the owner's and the edition's names joined: ~2 000 open tasks at 10× scale
    # took 80 ms as ORM objects with their owners and editions loaded.
    open_tasks = session.execute(
        select(Task.id, Task.edition_id, Task.title, Task.end, Task.milestone, Task.status,
               Organisation.name.label("owner_name"), Edition.name.label("edition_name"))
        .join(Edition, Edition.id == Task.edition_id)
        .outerjoin(Organisation, Organisation.id == Task.owner_organisation_id)
        .where(Task.status != DONE, Task.end <= horizon)
        .order_by(Task.end, Task.position, Task.id)
    ).all()
    # Late tasks of every edition: an unfinished task stays late even once its edition is over.
    late = tuple(_task_row("late", t, today, True) for t in open_tasks if is_late(t.end, t.status, today))
    upcoming = tuple(_task_row("upcoming", t, today, False) for t in open_tasks if today <= t.end <= horizon)
    return late, upcoming


def _budget_row(gauge: BudgetGauge) -> DashboardRow:
    consumed, envelope = gauge.consumed, gauge.envelope
    if envelope is None:
        text = f"Dépenses engagées : {money(consumed)} TTC — enveloppe non renseignée"
        detail, severity = "Renseignez l'enveloppe budgétaire de l'édition.", "soon"
    else:
        percent = (consumed * 100 / envelope).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if envelope else Decimal(0)
        text = f"Dépenses engagées : {money(consumed)} TTC sur une enveloppe de {money(envelope)} ({percent} %)"
        remaining = gauge.remaining
        assert remaining is not None
        if gauge.over:
            detail, severity = f"Dépassement de {money(-remaining)}.", "late"
        else:
            detail, severity = f"Reste {money(remaining)}.", "info"
    return DashboardRow("budget", text, detail, "Budget", {"edition_id": gauge.edition_id}, None, severity)


def _hours_rows(session: Session, edition_id: int) -> tuple[DashboardRow, ...]:
    from .event_hours import edition_conflicts

    return tuple(
        DashboardRow("hours", conflict.shop_name, conflict.message, "Participations",
                     {"shop_id": conflict.shop_id, "edition_id": edition_id}, conflict.day, "soon")
        for conflict in edition_conflicts(session, edition_id)
    )


def _shop_rows(session: Session, edition_id: int) -> tuple[DashboardRow, ...]:
    rows = []
    for p in list_participation_rows(session, edition_id, participating_only=True):
        # Shops not taking part, or withdrawn ones, need nothing more.
        if not p.participates or not takes_part(p.status):
            continue
        problems = []
        if p.status != "confirmée":
            problems.append(f"participation « {p.status} »")
        if not p.animations:
            problems.append("aucune animation prévue")
        if problems:
            rows.append(DashboardRow("shops", p.shop_name, f"{p.commune} — {' ; '.join(problems)}", "Boutiques",
                                     {"shop_id": p.shop_id, "edition_id": edition_id}, None,
                                     "soon" if p.status != "confirmée" else "info"))
    return tuple(sorted(rows, key=lambda r: r.text.casefold()))


def _partner_rows(session: Session, edition_id: int) -> tuple[DashboardRow, ...]:
    """Public-facing partners (the press-kit recipients' rule, core.partners.public_facing: ESS
    structures, EPCI, press, CCAS, relays…) with no confirmed role in the edition."""
    receives = {t.id: t.receives_press_kit for t in list_role_types(session)}
    roles: dict[int, list[tuple[str, bool]]] = {}
    for role in list_role_rows(session, edition_id):
        roles.setdefault(role.organisation_id, []).append((role.status, receives.get(role.role_type_id, False)))
    rows = []
    # Only the names and kinds (by name, like the Partenaires tab): the whole rows of 5 000 organisations,
    # with their counts and snapshots, took most of the dashboard's time at 10× scale.
    organisations = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name, Organisation.id))
    for organisation in organisations:
        own = roles.get(organisation.id, [])
        if any(status == "confirmé" for status, _ in own) or not public_facing(organisation.kind, own):
            continue
        found = sorted({status for status, _ in own})
        detail = f"rôle(s) {', '.join(found)}" if found else "aucun rôle dans l'édition"
        rows.append(DashboardRow("partners", organisation.name, f"{organisation.kind} — {detail}", "Partenaires",
                                 {"organisation_id": organisation.id, "edition_id": edition_id}))
    return tuple(rows)


def _loan_rows(session: Session, today: dt.date) -> tuple[DashboardRow, ...]:
    return tuple(
        DashboardRow(
            "loans",
            f"{loan.item_identifier} — {loan.kind}",
            f"chez {loan.destination_name or '?'} — reprise prévue le {date_abbr(loan.pickup_date)} — "
            f"{loan.status} — {loan.edition_name}",
            "Logistique",
            {"loan_id": loan.loan_id, "edition_id": loan.edition_id},
            loan.pickup_date,
            "late",
        )
        for loan in overdue_loans(session, today)
    )


def dashboard(session: Session, today: dt.date, edition_id: Optional[int]) -> Dashboard:
    """Everything the coordinator should look at today; edition_id is the edition being prepared."""
    edition = session.get(Edition, edition_id) if edition_id is not None else None
    late, upcoming = _task_rows(session, today)
    budget: Optional[BudgetGauge] = None
    budget_rows: tuple[DashboardRow, ...] = ()
    shop_rows: tuple[DashboardRow, ...] = ()
    partner_rows: tuple[DashboardRow, ...] = ()
    if edition is not None:
        budget = BudgetGauge(budget_summary(session, edition.id))
        budget_rows = (_budget_row(budget),)
        shop_rows = _shop_rows(session, edition.id)
        partner_rows = _partner_rows(session, edition.id)
    return Dashboard(today, edition.id if edition else None, edition.name if edition else "",
                     next_event(session, today), late, upcoming, budget, budget_rows, shop_rows, partner_rows,
                     _loan_rows(session, today), _hours_rows(session, edition.id) if edition else ())
