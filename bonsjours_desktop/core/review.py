"""Review ("bilan") of editions: results per shop and per edition, comparison, and the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .editions import get_edition, list_editions
from .errors import NotFoundError, ValidationError
from .formatting import date_abbr, date_long, money
from .models import (
    Animation,
    BudgetLine,
    Edition,
    EditionRole,
    EventDay,
    Loan,
    Organisation,
    Participation,
    Task,
)
from .money import parse_amount
from .validation import clean_text

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# --- Results per shop -------------------------------------------------------------------------

RESULT_FIELDS = ("visitors", "sales", "animations_held", "result_comments")
RESULT_LABELS = {
    "visitors": "Visiteurs",
    "sales": "Ventes (€)",
    "animations_held": "Animations réalisées",
    "result_comments": "Commentaires",
}


@dataclass(frozen=True)
class ResultRow:
    """One participating shop of an edition with its results."""

    participation_id: int
    shop_id: int
    shop_name: str
    commune: str
    status: str
    visitors: Optional[int]
    sales: Optional[Decimal]
    animations_held: str
    result_comments: str
    is_example: bool


def list_result_rows(session: Session, edition_id: int) -> list[ResultRow]:
    """Participations of the edition (withdrawn ones included, they may have a comment), by shop name."""
    participations = session.scalars(
        select(Participation)
        .where(Participation.edition_id == edition_id)
        .options(selectinload(Participation.shop))
    )
    rows = [
        ResultRow(p.id, p.shop_id, p.shop.name, p.shop.commune, p.status, p.visitors, p.sales,
                  p.animations_held, p.result_comments, p.is_example)
        for p in participations
    ]
    return sorted(rows, key=lambda r: (r.shop_name.casefold(), r.shop_id))


def parse_count(value: Any, field_key: str, label: str) -> Optional[int]:
    """'1 200', 1200, '' → 1200, 1200, None; French message for text, decimals or negatives."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError({field_key: f"{label} : « {value} » n'est pas un nombre entier."})
    if isinstance(value, int):
        number = value
    else:
        raw = str(value)
        text = re.sub(r"[\s\u00a0\u202f]", "", raw)
        if not text:
            return None
        if not re.fullmatch(r"[-+]?[0-9]+", text):  # \d would take other scripts' digits
            raise ValidationError({field_key: f"{label} : « {raw.strip()} » n'est pas un nombre entier (exemple : 120)."})
        number = int(text)
    if number < 0:
        raise ValidationError({field_key: f"{label} : « {value} » est négatif ; indiquez un nombre positif ou zéro."})
    return number


def _parse_sales(value: Any, field_key: str, label: str) -> Optional[Decimal]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        raise TypeError("Les ventes doivent être du texte ou un Decimal, jamais un float.")
    try:
        amount = parse_amount(value, field_key, label)
    except ValidationError as exc:
        # parse_amount speaks of "Le montant"; keep its explanation but say where it is.
        raise ValidationError({field_key: f"{label} : {exc.errors[field_key]}"}) from None
    if amount < 0:
        raise ValidationError({field_key: f"{label} : « {value} » est négatif ; les ventes sont positives ou nulles."})
    return amount


def set_results(session: Session, edition_id: int, rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """Update results of several participations at once; every cell is checked before anything is written.

    Each row names its shop by "shop_id" (or "participation_id") and carries only the columns to change
    among visitors (integer ≥ 0, '' clears), sales (French amount ≥ 0, '' clears), animations_held and
    result_comments (text stored as typed). Errors are keyed "<shop_id>.<column>" and name the shop and
    the column, so a pasted block is either written whole or not at all.
    """
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFoundError("Cette édition n'existe plus.")
    participations = {
        p.shop_id: p
        for p in session.scalars(
            select(Participation).where(Participation.edition_id == edition_id).options(selectinload(Participation.shop))
        )
    }
    by_id = {p.id: p for p in participations.values()}
    errors: dict[str, str] = {}
    planned: list[tuple[Participation, dict[str, Any]]] = []
    for index, row in enumerate(rows, start=1):
        participation = None
        if row.get("shop_id") is not None:
            participation = participations.get(row["shop_id"])
        elif row.get("participation_id") is not None:
            participation = by_id.get(row["participation_id"])
        if participation is None:
            errors[f"ligne{index}"] = (
                f"Ligne {index} : cette boutique ne participe pas à l'édition « {edition.name} »."
            )
            continue
        shop = participation.shop.name
        values: dict[str, Any] = {}
        for column in RESULT_FIELDS:
            if column not in row:
                continue
            key = f"{participation.shop_id}.{column}"
            label = f"Boutique « {shop} », colonne « {RESULT_LABELS[column]} »"
            try:
                if column == "visitors":
                    values[column] = parse_count(row[column], key, label)
                elif column == "sales":
                    values[column] = _parse_sales(row[column], key, label)
                else:
                    values[column] = clean_text(row[column] if row[column] is not None else "")
            except ValidationError as exc:
                errors.update(exc.errors)
        unknown = set(row) - set(RESULT_FIELDS) - {"shop_id", "participation_id"}
        if unknown:
            errors[f"{participation.shop_id}.colonnes"] = (
                f"Boutique « {shop} » : colonne(s) inconnue(s) {', '.join(sorted(unknown))}."
            )
        planned.append((participation, values))
    if errors:
        raise ValidationError(errors)
    changed: list[int] = []
    for participation, values in planned:
        for column, value in values.items():
            if getattr(participation, column) != value:
                setattr(participation, column, value)
                changed.append(participation.id)
    session.flush()
    return sorted(set(changed))


# --- Results per edition ----------------------------------------------------------------------

EDITION_REVIEW_LABELS = {
    "press_articles": "Articles de presse",
    "booklets_distributed": "Annuaires distribués",
    "qualitative_results": "Résultats qualitatifs",
    "recommendations": "Recommandations",
}


@dataclass(frozen=True)
class EditionReview:
    """The edition-level part of the review: counts and free texts as in the case sheet."""

    edition_id: int
    name: str
    press_articles: Optional[int]
    booklets_distributed: Optional[int]
    qualitative_results: str
    recommendations: str


def get_edition_review(session: Session, edition_id: int) -> EditionReview:
    edition = get_edition(session, edition_id)
    return EditionReview(edition.id, edition.name, edition.press_articles, edition.booklets_distributed,
                         edition.qualitative_results, edition.recommendations)


def set_edition_review(session: Session, edition_id: int, **values: Any) -> int:
    """Set any of press_articles, booklets_distributed (integers ≥ 0, '' clears), qualitative_results,
    recommendations (text as typed) of an edition; every field is checked before anything is written."""
    edition = get_edition(session, edition_id)
    unknown = set(values) - set(EDITION_REVIEW_LABELS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) du bilan : {', '.join(sorted(unknown))}.")
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("press_articles", "booklets_distributed"):
            try:
                parsed[name] = parse_count(value, name, f"Bilan « {edition.name} », {EDITION_REVIEW_LABELS[name]}")
            except ValidationError as exc:
                errors.update(exc.errors)
        else:
            parsed[name] = clean_text(value)
    if errors:
        raise ValidationError(errors)
    for name, value in parsed.items():
        if getattr(edition, name) != value:
            setattr(edition, name, value)
    session.flush()
    return edition.id


# --- Comparison of editions -------------------------------------------------------------------


def _signed_ttc(line: BudgetLine) -> Decimal:
    # A credit note lowers spending whichever sign it was typed with.
    return -abs(line.amount_ttc) if line.is_credit_note else line.amount_ttc


@dataclass(frozen=True)
class EditionComparison:
    """Key figures of one edition for the comparison across editions."""

    edition_id: int
    name: str
    first_day: Optional[dt.date]
    shops: int
    visitors: int
    visitors_known: int  # shops that reported a visitor count
    sales: Decimal
    total_ttc: Decimal
    has_budget: bool
    press_articles: Optional[int]
    booklets_distributed: Optional[int]

    @property
    def cost_per_shop(self) -> Optional[Decimal]:
        if not self.has_budget or not self.shops:
            return None
        return (self.total_ttc / self.shops).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_per_visitor(self) -> Optional[Decimal]:
        if not self.has_budget or not self.visitors:
            return None
        return (self.total_ttc / self.visitors).quantize(CENT, rounding=ROUND_HALF_UP)


def compare_editions(session: Session) -> list[EditionComparison]:
    """Every edition, oldest first: shops taking part (not withdrawn), visitors, sales, TTC spending
    outside overheads; costs per shop and per visitor are None when there is nothing to divide."""
    shops: dict[int, int] = {}
    visitors: dict[int, int] = {}
    known: dict[int, int] = {}
    sales: dict[int, Decimal] = {}
    for p in session.scalars(select(Participation).where(Participation.status != "désistée")):
        shops[p.edition_id] = shops.get(p.edition_id, 0) + 1
        if p.visitors is not None:
            visitors[p.edition_id] = visitors.get(p.edition_id, 0) + p.visitors
            known[p.edition_id] = known.get(p.edition_id, 0) + 1
        if p.sales is not None:
            sales[p.edition_id] = sales.get(p.edition_id, ZERO) + p.sales
    totals: dict[int, Decimal] = {}
    for line in session.scalars(select(BudgetLine).where(BudgetLine.is_overhead.is_(False))):
        totals[line.edition_id] = totals.get(line.edition_id, ZERO) + _signed_ttc(line)
    editions = {e.id: e for e in session.scalars(select(Edition))}
    result = []
    for summary in list_editions(session):
        edition = editions[summary.id]
        result.append(
            EditionComparison(
                summary.id, summary.name, summary.first_day, shops.get(summary.id, 0),
                visitors.get(summary.id, 0), known.get(summary.id, 0), sales.get(summary.id, ZERO),
                totals.get(summary.id, ZERO), summary.id in totals, edition.press_articles,
                edition.booklets_distributed,
            )
        )
    return result


# --- Dashboard --------------------------------------------------------------------------------

UPCOMING_DAYS = 15
RETURNED_LOAN_STATUSES = ("rentré", "perdu/abîmé", "perdu", "abîmé")
SPENT_BUDGET_STATUSES = ("engagé", "facturé", "payé")
PARTNER_KINDS = ("structure ESS", "collectivité/EPCI")


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
    """Spending engaged, invoiced or paid (TTC, overheads excluded) against the edition's envelope."""

    edition_id: int
    consumed: Decimal
    envelope: Optional[Decimal]

    @property
    def ratio(self) -> Optional[Decimal]:
        if not self.envelope:
            return None
        return self.consumed / self.envelope

    @property
    def over(self) -> bool:
        return self.envelope is not None and self.consumed > self.envelope


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

    def sections(self) -> list[tuple[str, tuple[DashboardRow, ...]]]:
        return [
            ("Tâches en retard", self.late_tasks),
            (f"Jalons et tâches des {UPCOMING_DAYS} prochains jours", self.upcoming_tasks),
            ("Budget", self.budget_rows),
            ("Boutiques sans animation ou non confirmées", self.shops),
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


def _task_row(section: str, task: Task, today: dt.date, late: bool) -> DashboardRow:
    kind = "Jalon" if task.milestone else "Tâche"
    if late:
        delay = (today - task.end).days
        when = f"prévue pour le {date_abbr(task.end)}, {delay} jour{'s' if delay > 1 else ''} de retard"
    else:
        left = (task.end - today).days
        when = f"échéance {date_abbr(task.end)}" + (" (aujourd'hui)" if left == 0 else f" (dans {left} j)")
    owner = f" — {task.owner.name}" if task.owner else ""
    return DashboardRow(
        section, f"{kind} : {task.title}", f"{when} — {task.status}{owner} — {task.edition.name}", "Planning",
        {"task_id": task.id, "edition_id": task.edition_id}, task.end, "late" if late else "soon",
    )


def dashboard(session: Session, today: dt.date, edition_id: Optional[int]) -> Dashboard:
    """Everything the coordinator should look at today; edition_id is the edition being prepared."""
    edition = session.get(Edition, edition_id) if edition_id is not None else None
    edition_name = edition.name if edition else ""

    open_tasks = list(
        session.scalars(
            select(Task)
            .where(Task.status != "terminée")
            .options(selectinload(Task.owner), selectinload(Task.edition))
            .order_by(Task.end, Task.position, Task.id)
        )
    )
    # Late tasks of every edition: an unfinished task stays late even once its edition is over.
    late = tuple(_task_row("late", t, today, True) for t in open_tasks if t.end < today)
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    upcoming = tuple(_task_row("upcoming", t, today, False) for t in open_tasks if today <= t.end <= horizon)

    budget: Optional[BudgetGauge] = None
    budget_rows: tuple[DashboardRow, ...] = ()
    shop_rows: tuple[DashboardRow, ...] = ()
    partner_rows: tuple[DashboardRow, ...] = ()
    if edition is not None:
        consumed = ZERO
        for line in session.scalars(
            select(BudgetLine).where(
                BudgetLine.edition_id == edition.id,
                BudgetLine.is_overhead.is_(False),
                BudgetLine.status.in_(SPENT_BUDGET_STATUSES),
            )
        ):
            consumed += _signed_ttc(line)
        budget = BudgetGauge(edition.id, consumed, edition.budget_envelope)
        if budget.envelope is None:
            text = f"Dépenses engagées : {money(consumed)} TTC — enveloppe non renseignée"
            detail, severity = "Renseignez l'enveloppe budgétaire de l'édition.", "soon"
        else:
            percent = (consumed * 100 / budget.envelope).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if budget.envelope else Decimal(0)
            text = f"Dépenses engagées : {money(consumed)} TTC sur une enveloppe de {money(budget.envelope)} ({percent} %)"
            if budget.over:
                detail, severity = f"Dépassement de {money(consumed - budget.envelope)}.", "late"
            else:
                detail, severity = f"Reste {money(budget.envelope - consumed)}.", "info"
        budget_rows = (DashboardRow("budget", text, detail, "Budget", {"edition_id": edition.id}, None, severity),)

        animation_counts = dict(
            session.execute(
                select(Animation.participation_id, func.count())
                .join(Participation, Participation.id == Animation.participation_id)
                .where(Participation.edition_id == edition.id)
                .group_by(Animation.participation_id)
            ).all()
        )
        shop_list = []
        # Withdrawn shops no longer take part, so they need nothing more.
        for p in session.scalars(
            select(Participation)
            .where(Participation.edition_id == edition.id, Participation.status != "désistée")
            .options(selectinload(Participation.shop))
        ):
            problems = []
            if p.status != "confirmée":
                problems.append(f"participation « {p.status} »")
            if not animation_counts.get(p.id):
                problems.append("aucune animation prévue")
            if problems:
                shop_list.append(
                    DashboardRow("shops", p.shop.name, f"{p.shop.commune} — {' ; '.join(problems)}", "Boutiques",
                                 {"shop_id": p.shop_id, "edition_id": edition.id}, None,
                                 "soon" if p.status != "confirmée" else "info")
                )
        shop_rows = tuple(sorted(shop_list, key=lambda r: r.text.casefold()))

        confirmed = set(
            session.scalars(
                select(EditionRole.organisation_id).where(
                    EditionRole.edition_id == edition.id, EditionRole.status == "confirmé"
                )
            )
        )
        pending: dict[int, list[str]] = {}
        for organisation_id, status in session.execute(
            select(EditionRole.organisation_id, EditionRole.status).where(EditionRole.edition_id == edition.id)
        ):
            pending.setdefault(organisation_id, []).append(status)
        partner_list = []
        for organisation in session.scalars(
            select(Organisation).where(Organisation.kind.in_(PARTNER_KINDS)).order_by(Organisation.name)
        ):
            if organisation.id in confirmed:
                continue
            statuses = pending.get(organisation.id)
            detail = (f"rôle(s) {', '.join(sorted(set(statuses)))}" if statuses else "aucun rôle dans l'édition")
            partner_list.append(
                DashboardRow("partners", organisation.name, f"{organisation.kind} — {detail}", "Partenaires",
                             {"organisation_id": organisation.id, "edition_id": edition.id})
            )
        partner_rows = tuple(partner_list)

    loan_rows = tuple(
        DashboardRow(
            "loans",
            f"{loan.item.identifier} — {loan.item.kind}",
            f"chez {loan.shop.name if loan.shop else (loan.organisation.name if loan.organisation else '?')}"
            f" — reprise prévue le {date_abbr(loan.pickup_date)} — {loan.status} — {loan.edition.name}",
            "Logistique",
            {"loan_id": loan.id, "edition_id": loan.edition_id},
            loan.pickup_date,
            "late",
        )
        for loan in session.scalars(
            select(Loan)
            .where(Loan.status.not_in(RETURNED_LOAN_STATUSES), Loan.pickup_date < today)
            .options(selectinload(Loan.item), selectinload(Loan.shop), selectinload(Loan.organisation),
                     selectinload(Loan.edition))
            .order_by(Loan.pickup_date, Loan.id)
        )
    )

    return Dashboard(today, edition.id if edition else None, edition_name, next_event(session, today), late,
                     upcoming, budget, budget_rows, shop_rows, partner_rows, loan_rows)
