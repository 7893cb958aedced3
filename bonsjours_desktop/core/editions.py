"""Editions and their event days: queries and validated operations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from .errors import NotFoundError, ValidationError, get_or_raise
from .formatting import date_long
from .models import (
    EDITION_STATUSES,
    Animation,
    BookletRelay,
    BudgetLine,
    Consumable,
    Edition,
    EditionRole,
    EventDay,
    Loan,
    Meeting,
    Participation,
    Task,
)
from .money import parse_amount
from .validation import clean_text, collect, fold, required
from .versions import RowSnapshot, editable, seen


@dataclass(frozen=True)
class EditionSummary:
    """One edition in a list: name, status, event days and number of participating shops."""

    id: int
    name: str
    status: str
    days: tuple[dt.date, ...]
    shop_count: int

    @property
    def first_day(self) -> Optional[dt.date]:
        return self.days[0] if self.days else None


def list_editions(session: Session) -> list[EditionSummary]:
    """Every edition, oldest event first (editions without days last)."""
    counts = dict(
        session.execute(select(Participation.edition_id, func.count()).group_by(Participation.edition_id)).all()
    )
    days: dict[int, list[dt.date]] = {}
    for edition_id, day in session.execute(select(EventDay.edition_id, EventDay.day).order_by(EventDay.day)):
        days.setdefault(edition_id, []).append(day)
    summaries = [
        EditionSummary(e.id, e.name, e.status, tuple(days.get(e.id, ())), counts.get(e.id, 0))
        for e in session.scalars(select(Edition))
    ]
    return sorted(summaries, key=lambda s: (s.first_day is None, s.first_day or dt.date.max, s.name))


def get_edition(session: Session, edition_id: int) -> Edition:
    edition = get_or_raise(session, Edition, edition_id)
    return edition


def find_edition(session: Session, name: str) -> Edition:
    """By exact name, then case- and accent-insensitively; French error listing what exists."""
    editions = list(session.scalars(select(Edition)))
    for edition in editions:
        if edition.name == name:
            return edition
    for edition in editions:
        if fold(edition.name) == fold(name):
            return edition
    known = ", ".join(f"« {e.name} »" for e in editions) or "aucune"
    raise NotFoundError(f"Aucune édition ne s'appelle « {name} ». Éditions existantes : {known}.")


def current_edition_id(session: Session, today: dt.date) -> Optional[int]:
    """The edition whose last event day is the first not yet past, else the latest one."""
    summaries = list_editions(session)
    upcoming = [s for s in summaries if s.days and s.days[-1] >= today]
    if upcoming:
        return upcoming[0].id
    dated = [s for s in summaries if s.days]
    if dated:
        return dated[-1].id
    return summaries[0].id if summaries else None


# --- Editing editions -------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionDetail:
    """Everything the edition form shows, as plain values."""

    id: int
    name: str
    theme: str
    status: str
    budget_envelope: Optional[Decimal]
    notes: str
    days: tuple[dt.date, ...]
    # The row as loaded: update_edition/delete_edition take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class EditionImpact:
    """What goes with an edition when it is deleted (counts shown in the confirmation)."""

    name: str
    event_days: int
    participations: int
    animations: int
    tasks: int
    budget_lines: int
    loans: int
    meetings: int
    roles: int
    booklet_relays: int
    consumables: int

    def describe(self) -> str:
        """French list of what will be deleted, empty parts left out."""
        parts = [
            (self.participations, "participation de boutique", "participations de boutiques"),
            (self.animations, "animation", "animations"),
            (self.tasks, "tâche du planning", "tâches du planning"),
            (self.budget_lines, "ligne de budget", "lignes de budget"),
            (self.loans, "prêt de matériel", "prêts de matériel"),
            (self.meetings, "réunion", "réunions"),
            (self.roles, "rôle de partenaire", "rôles de partenaires"),
            (self.booklet_relays, "relais de l'annuaire", "relais de l'annuaire"),
            (self.consumables, "consommable", "consommables"),
        ]
        texts = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
        if not texts:
            return "aucune donnée liée"
        return ", ".join(texts[:-1]) + (" et " if len(texts) > 1 else "") + texts[-1]


def edition_detail(session: Session, edition_id: int) -> EditionDetail:
    edition = get_edition(session, edition_id)
    return EditionDetail(
        id=edition.id,
        name=edition.name,
        theme=edition.theme,
        status=edition.status,
        budget_envelope=edition.budget_envelope,
        notes=edition.notes,
        days=tuple(sorted(d.day for d in edition.event_days)),
        seen=seen(edition),
    )


def _check_name(session: Session, name: Optional[str], edition_id: Optional[int]) -> str:
    text = required(name, "name", "Le nom de l'édition")
    key = fold(text)
    for other_id, other_name in session.execute(select(Edition.id, Edition.name)):
        if other_id != edition_id and fold(other_name) == key:
            raise ValidationError({"name": f"Une édition s'appelle déjà « {other_name} » : choisissez un autre nom."})
    return text


def _check_status(status: Optional[str]) -> str:
    if status not in EDITION_STATUSES:
        choices = ", ".join(EDITION_STATUSES)
        raise ValidationError({"status": f"Le statut « {status} » n'existe pas (choix : {choices})."})
    return status


def _check_envelope(value: Optional[str | Decimal | int]) -> Optional[Decimal]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = parse_amount(value, "budget_envelope", "L'enveloppe budgétaire")
    if amount < 0:
        raise ValidationError({"budget_envelope": "L'enveloppe budgétaire ne peut pas être négative."})
    return amount


def check_event_days(days: Iterable[dt.date]) -> list[dt.date]:
    """At least one day, no day twice; returned sorted."""
    days = list(days)
    if not days:
        raise ValidationError({"days": "Indiquez au moins un jour d'évènement."})
    seen: set[dt.date] = set()
    for day in days:
        if not isinstance(day, dt.date):
            raise ValidationError({"days": f"« {day} » n'est pas une date."})
        if day in seen:
            raise ValidationError({"days": f"Le {date_long(day)} est indiqué deux fois dans les jours d'évènement."})
        seen.add(day)
    return sorted(days)


def create_edition(
    session: Session,
    name: str,
    days: Iterable[dt.date],
    *,
    theme: str = "",
    status: str = "en préparation",
    budget_envelope: Optional[str | Decimal | int] = None,
    notes: str = "",
    allow_no_days: bool = False,
) -> int:
    """Validated new edition with its event days; returns its id.

    allow_no_days: an edition whose days are still to be agreed with the shops (the command line's
    `editions create` without --days); its days are set later with update_edition/set_event_days."""
    days = list(days)
    values: dict = {}
    collect(
        lambda: values.__setitem__("name", _check_name(session, name, None)),
        lambda: values.__setitem__("status", _check_status(status)),
        lambda: values.__setitem__("envelope", _check_envelope(budget_envelope)),
        lambda: values.__setitem__("days", [] if allow_no_days and not days else check_event_days(days)),
    )
    edition = Edition(
        name=values["name"],
        theme=clean_text(theme),
        status=values["status"],
        budget_envelope=values["envelope"],
        notes=clean_text(notes),
    )
    session.add(edition)
    for day in values["days"]:
        edition.event_days.append(EventDay(day=day))
    session.flush()
    return edition.id


def update_edition(
    session: Session,
    edition_id: int,
    *,
    name: str,
    days: Iterable[dt.date],
    theme: str = "",
    status: str = "en préparation",
    budget_envelope: Optional[str | Decimal | int] = None,
    notes: str = "",
    expected: RowSnapshot,
) -> int:
    """Validated change of an edition; returns how many animations went with removed event days.
    expected: the edition as the form loaded it (refused if someone saved it since)."""
    edition = editable(session, Edition, edition_id, expected)
    values: dict = {}
    collect(
        lambda: values.__setitem__("name", _check_name(session, name, edition_id)),
        lambda: values.__setitem__("status", _check_status(status)),
        lambda: values.__setitem__("envelope", _check_envelope(budget_envelope)),
        lambda: values.__setitem__("days", check_event_days(days)),
    )
    edition.name = values["name"]
    edition.theme = clean_text(theme)
    edition.status = values["status"]
    edition.budget_envelope = values["envelope"]
    edition.notes = clean_text(notes)
    return set_event_days(session, edition_id, values["days"])


def animations_on_removed_days(session: Session, edition_id: int, days: Iterable[dt.date]) -> int:
    """How many animations set_event_days(days) would delete (to warn before saving)."""
    keep = set(days)
    removed = [d.id for d in get_edition(session, edition_id).event_days if d.day not in keep]
    if not removed:
        return 0
    return session.scalar(select(func.count()).select_from(Animation).where(Animation.event_day_id.in_(removed))) or 0


def set_event_days(session: Session, edition_id: int, days: list[dt.date]) -> int:
    """Make the edition's event days exactly `days`: days kept keep their row (and animations),
    new days are added, removed days go with their animations. Returns how many animations went."""
    edition = get_edition(session, edition_id)
    wanted = check_event_days(days)
    removed_animations = 0
    existing = {d.day: d for d in edition.event_days}
    for day, event_day in existing.items():
        if day in wanted:
            continue
        # Delete the animations through the ORM so undo records them and no stale object remains.
        for animation in session.scalars(select(Animation).where(Animation.event_day_id == event_day.id)):
            if animation.participation is not None and animation in animation.participation.animations:
                animation.participation.animations.remove(animation)
            session.delete(animation)
            removed_animations += 1
        edition.event_days.remove(event_day)
        session.delete(event_day)
    for day in wanted:
        if day not in existing:
            edition.event_days.append(EventDay(day=day))
    if set(wanted) != set(existing):
        # Event days live in their own rows: the edition's version moves with them (from the form, the
        # concertation or the planning), so a colleague's stale form cannot put back the old days.
        flag_modified(edition, "name")
    session.flush()
    session.expire(edition, ["event_days"])
    # Anchored tasks not yet done follow the new first event day (done ones stay where they were).
    from .planning import reanchor_edition

    reanchor_edition(session, edition_id)
    return removed_animations


def edition_impact(session: Session, edition_id: int) -> EditionImpact:
    """Counts of what deleting the edition would delete with it."""
    edition = get_edition(session, edition_id)

    def count(model, column) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column == edition_id)) or 0

    animations = session.scalar(
        select(func.count())
        .select_from(Animation)
        .join(Participation, Animation.participation_id == Participation.id)
        .where(Participation.edition_id == edition_id)
    ) or 0
    return EditionImpact(
        name=edition.name,
        event_days=count(EventDay, EventDay.edition_id),
        participations=count(Participation, Participation.edition_id),
        animations=animations,
        tasks=count(Task, Task.edition_id),
        budget_lines=count(BudgetLine, BudgetLine.edition_id),
        loans=count(Loan, Loan.edition_id),
        meetings=count(Meeting, Meeting.edition_id),
        roles=count(EditionRole, EditionRole.edition_id),
        booklet_relays=count(BookletRelay, BookletRelay.edition_id),
        consumables=count(Consumable, Consumable.edition_id),
    )


def delete_edition(session: Session, edition_id: int, *, expected: RowSnapshot) -> str:
    """Delete the edition and everything that belongs to it (undoable); returns its name."""
    edition = editable(session, Edition, edition_id, expected)
    name = edition.name
    session.delete(edition)
    session.flush()
    return name
