"""Participations: which shops take part in an edition, their animations per event day, their animator."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from .editions import get_edition
from .errors import ValidationError, get_or_raise
from .event_hours import conflicts_for, day_hours, participation_conflicts
from .formatting import date_abbr, date_long
from .models import (
    ANIMATION_CATEGORIES,
    PARTICIPATION_STATUSES,
    WEEKDAYS,
    Animation,
    Contact,
    EventDay,
    Organisation,
    Participation,
    Shop,
    Territory,
)
from .validation import clean_text, fold, time_of_day
from .versions import RowSnapshot, editable, seen, seen_columns

EPCI_KIND = "collectivité/EPCI"
# Shops copied from a previous edition still have to confirm for the new one.
COPIED_STATUS = "pressentie"
# A withdrawn shop no longer takes part: left out of counts, costs, documents, deliveries, dashboard.
WITHDRAWN = "désistée"


def takes_part(status: str) -> bool:
    """Whether a participation with this status counts as taking part (the one place of that rule)."""
    return status != WITHDRAWN


def taking_part():
    """The same rule as a query condition on Participation."""
    return Participation.status != WITHDRAWN


# --- Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnimationRow:
    """One animation as plain values; `day` is None when its event day is unknown."""

    id: int
    event_day_id: Optional[int]
    day: Optional[dt.date]
    category: str
    description: str
    start_time: str
    end_time: str

    def hours(self) -> str:
        if self.start_time and self.end_time:
            return f"{self.start_time}–{self.end_time}"
        if self.start_time:
            return f"dès {self.start_time}"
        if self.end_time:
            return f"jusqu'à {self.end_time}"
        return ""

    def summary(self) -> str:
        """'14:00–18:00 musique (Musique et chansons)'"""
        text = " ".join(part for part in (self.hours(), self.category) if part)
        if self.description:
            text += f" ({self.description})"
        return text


@dataclass(frozen=True)
class ParticipationRow:
    """One shop in the participation table of an edition (participating or not)."""

    shop_id: int
    shop_name: str
    commune: str
    network: str
    territory: str
    shop_active: bool
    participation_id: Optional[int]
    status: str
    animator_id: Optional[int]
    animator: str
    notes: str
    animations: tuple[AnimationRow, ...]
    warnings: tuple[str, ...]
    closed_days: tuple[dt.date, ...] = ()
    # The participation as loaded (None when the shop does not take part): unticking takes it back.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def participates(self) -> bool:
        return self.participation_id is not None

    def animations_on(self, event_day_id: int) -> tuple[AnimationRow, ...]:
        return tuple(a for a in self.animations if a.event_day_id == event_day_id)


@dataclass(frozen=True)
class EventDayRow:
    id: int
    day: dt.date


@dataclass(frozen=True)
class ParticipationDetail:
    """What the participation editor shows for one shop in one edition."""

    participation_id: int
    edition_id: int
    shop_id: int
    shop_name: str
    status: str
    animator_id: Optional[int]
    notes: str
    animations: tuple[AnimationRow, ...]
    event_days: tuple[EventDayRow, ...]
    warnings: tuple[str, ...]
    # The participation as the editor loaded it: update_participation refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AnimationInput:
    """An animation as typed in a form: the event day, a category, free text and hours."""

    event_day_id: Optional[int]
    category: str
    description: str = ""
    start_time: str = ""
    end_time: str = ""


@dataclass(frozen=True)
class AnimatorChoice:
    """A contact offered as prevention animator; `local` when from the shop's own EPCI."""

    id: int
    name: str
    organisation: str
    local: bool

    @property
    def label(self) -> str:
        return f"{self.name} — {self.organisation}"


# --- Closed-day warnings ------------------------------------------------------------------------


def weekday_name(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def is_open_on(opening_hours: Optional[dict], day: dt.date) -> bool:
    """A shop is open on a day when its weekday has opening ranges, or is open with hours not given."""
    from .hours import is_open_on_weekday

    return is_open_on_weekday(opening_hours, weekday_name(day))


def closed_day_warnings(shop_name: str, opening_hours: Optional[dict], days: Iterable[dt.date]) -> list[str]:
    """One French sentence per event day on which the shop is normally closed."""
    return [
        f"La boutique « {shop_name} » est normalement fermée le {weekday_name(day)} ({date_abbr(day)}) : "
        f"vérifiez qu'elle ouvrira ce jour-là."
        for day in sorted(days)
        if not is_open_on(opening_hours, day)
    ]


# --- Queries ----------------------------------------------------------------------------------


def list_event_days(session: Session, edition_id: int) -> list[EventDayRow]:
    return [
        EventDayRow(d.id, d.day)
        for d in session.scalars(select(EventDay).where(EventDay.edition_id == edition_id).order_by(EventDay.day))
    ]


def _sorted_animations(rows: Iterable[AnimationRow]) -> tuple[AnimationRow, ...]:
    """By day, then hour: how the coordinator reads a programme."""
    return tuple(sorted(rows, key=lambda r: (r.day or dt.date.max, r.start_time or "99", r.id)))


def _animation_rows(animations: Iterable[Animation], days: dict[int, dt.date]) -> tuple[AnimationRow, ...]:
    return _sorted_animations(
        AnimationRow(a.id, a.event_day_id, days.get(a.event_day_id) if a.event_day_id else None, a.category,
                     a.description, a.start_time, a.end_time)
        for a in animations
    )


def list_participation_rows(session: Session, edition_id: Optional[int],
                            participating_only: bool = False) -> list[ParticipationRow]:
    """Every active shop, plus inactive ones that take part, with their participation in the edition
    (only the shops with a participation when participating_only).

    Plain column queries rather than ORM objects: the table reloads after every change, and building
    tens of thousands of ORM instances would make a large directory sluggish.
    """
    if edition_id is None:
        return []
    days = {d.id: d.day for d in list_event_days(session, edition_id)}
    animations: dict[int, list[AnimationRow]] = {}
    for a in session.execute(
        select(Animation.id, Animation.participation_id, Animation.event_day_id, Animation.category,
               Animation.description, Animation.start_time, Animation.end_time)
        .join(Participation, Animation.participation_id == Participation.id)
        .where(Participation.edition_id == edition_id)
    ):
        animations.setdefault(a.participation_id, []).append(
            AnimationRow(a.id, a.event_day_id, days.get(a.event_day_id) if a.event_day_id else None, a.category,
                         a.description, a.start_time, a.end_time)
        )
    participations = {
        p.shop_id: p
        for p in session.execute(
            select(Participation.__table__, Contact.name.label("animator"))
            .outerjoin(Contact, Participation.animator_contact_id == Contact.id)
            .where(Participation.edition_id == edition_id)
        )
    }
    query = (select(Shop.id, Shop.name, Shop.commune, Shop.network, Shop.active,
                    Territory.name.label("territory"), cast(Shop.opening_hours, String).label("hours_json"))
             .outerjoin(Territory, Shop.territory_id == Territory.id)
             .order_by(Shop.name))
    if participating_only:
        query = query.where(Shop.id.in_(list(participations)))
    # The days a shop's weekly hours close, once per distinct hours text (shops share hours; a
    # regional base has 10 000 shops).
    hours_of: dict[Optional[str], tuple[Optional[dict], tuple[dt.date, ...]]] = {}
    rows = []
    append = rows.append
    for shop_id, name, commune, network, active, territory, hours_json in session.execute(query):
        participation = participations.get(shop_id)
        if participation is None and not active:
            continue
        known = hours_of.get(hours_json)
        if known is None:
            decoded = json.loads(hours_json) if hours_json else None
            known = hours_of[hours_json] = (
                decoded, tuple(sorted(d for d in days.values() if not is_open_on(decoded, d))))
        opening_hours, closed = known
        if participation is None:
            # Most shops of a large directory: positional fields, nothing to compute.
            append(ParticipationRow(shop_id, name, commune, network, territory or "", active, None, "", None, "", "",
                                    (), (), closed, None))
            continue
        append(
            ParticipationRow(
                shop_id=shop_id,
                shop_name=name,
                commune=commune,
                network=network,
                territory=territory or "",
                shop_active=active,
                participation_id=participation.id,
                status=participation.status,
                animator_id=participation.animator_contact_id,
                animator=participation.animator or "",
                notes=participation.notes,
                animations=_sorted_animations(animations.get(participation.id, ())),
                warnings=_row_conflicts(shop_id, name, opening_hours, participation, days.values(), animations),
                closed_days=tuple(d for d in closed
                                  if day_hours(opening_hours, participation.event_hours, d).missing),
                seen=seen_columns(Participation, participation),
            )
        )
    return rows


def _row_conflicts(shop_id, shop_name, opening_hours, participation, days, animations) -> tuple[str, ...]:
    """Hours conflicts of a table row (plain values, no ORM objects), as French lines."""
    if not takes_part(participation.status):
        return ()
    rows = animations.get(participation.id, ())
    return tuple(c.message for c in conflicts_for(
        shop_id, shop_name, participation.id, opening_hours, participation.event_hours, days,
        [(a.day, a.category, a.description, a.start_time, a.end_time) for a in rows]))


def hours_warnings(participation: Participation) -> list[str]:
    """The event-day hours conflicts of a participation, one French line each (core/event_hours.py)."""
    return [c.message for c in participation_conflicts(participation)]


def _get_participation(session: Session, participation_id: int) -> Participation:
    participation = get_or_raise(session, Participation, participation_id)
    return participation


def _get_shop(session: Session, shop_id: int) -> Shop:
    shop = get_or_raise(session, Shop, shop_id)
    return shop


def participation_warnings(session: Session, participation_id: int) -> list[str]:
    return hours_warnings(_get_participation(session, participation_id))


def participation_detail(session: Session, participation_id: int) -> ParticipationDetail:
    participation = _get_participation(session, participation_id)
    event_days = list_event_days(session, participation.edition_id)
    days = {d.id: d.day for d in event_days}
    return ParticipationDetail(
        participation_id=participation.id,
        edition_id=participation.edition_id,
        shop_id=participation.shop_id,
        shop_name=participation.shop.name,
        status=participation.status,
        animator_id=participation.animator_contact_id,
        notes=participation.notes,
        animations=_animation_rows(participation.animations, days),
        event_days=tuple(event_days),
        warnings=tuple(hours_warnings(participation)),
        seen=seen(participation),
    )


def find_participation_id(session: Session, edition_id: int, shop_id: int) -> Optional[int]:
    return session.scalar(
        select(Participation.id).where(Participation.edition_id == edition_id, Participation.shop_id == shop_id)
    )


def animator_choices(session: Session, shop_id: Optional[int]) -> list[AnimatorChoice]:
    """Every contact; those of the shop's EPCI (an EPCI organisation of its territory) first."""
    territory_id = None
    if shop_id is not None:
        territory_id = _get_shop(session, shop_id).territory_id
    contacts = session.scalars(select(Contact).options(selectinload(Contact.organisation)))
    choices = []
    for contact in contacts:
        organisation: Organisation = contact.organisation
        local = (
            territory_id is not None
            and organisation.territory_id == territory_id
            and organisation.kind == EPCI_KIND
        )
        choices.append(AnimatorChoice(contact.id, contact.name, organisation.name, local))
    choices.sort(key=lambda c: (not c.local, fold(c.name), fold(c.organisation)))
    return choices


# --- Operations -------------------------------------------------------------------------------


def add_participation(
    session: Session, edition_id: int, shop_id: int, status: str = "confirmée"
) -> tuple[int, list[str]]:
    """The shop takes part in the edition; returns (participation id, closed-day warnings)."""
    edition = get_edition(session, edition_id)
    shop = _get_shop(session, shop_id)
    status = _check_status(status)
    existing = find_participation_id(session, edition_id, shop_id)
    if existing is not None:
        return existing, participation_warnings(session, existing)
    participation = Participation(shop=shop, edition=edition, status=status)
    session.add(participation)
    session.flush()
    return participation.id, hours_warnings(participation)


def remove_participation(session: Session, edition_id: int, shop_id: int, *, expected: Optional[RowSnapshot]) -> int:
    """The shop no longer takes part; its animations go with it. Returns how many animations went.
    expected: the participation as the user saw it (refused if someone changed it since)."""
    participation_id = find_participation_id(session, edition_id, shop_id)
    if participation_id is None:
        return 0
    participation = editable(session, Participation, participation_id, expected)
    count = len(participation.animations)
    session.delete(participation)
    session.flush()
    return count


def set_participation(session: Session, edition_id: int, shop_id: int, participates: bool, *,
                      expected: Optional[RowSnapshot]) -> list[str]:
    """Tick or untick a shop; returns the closed-day warnings when it now takes part. expected: the
    participation as seen (None when ticking a shop that did not take part)."""
    if participates:
        return add_participation(session, edition_id, shop_id)[1]
    remove_participation(session, edition_id, shop_id, expected=expected)
    return []


def set_participations(session: Session, edition_id: int, shop_ids: Sequence[int], participates: bool, *,
                       expected: Sequence[Optional[RowSnapshot]]) -> list[str]:
    """Tick or untick several shops in one operation; returns every closed-day warning.
    expected: for each shop, its participation as seen (None for a shop that did not take part)."""
    if len(expected) != len(shop_ids):
        raise TypeError("expected: one snapshot (or None) per shop")
    warnings: list[str] = []
    for shop_id, shot in zip(shop_ids, expected):
        warnings.extend(set_participation(session, edition_id, shop_id, participates, expected=shot))
    return warnings


def _check_status(status: Optional[str]) -> str:
    if status not in PARTICIPATION_STATUSES:
        choices = ", ".join(PARTICIPATION_STATUSES)
        raise ValidationError({"status": f"Le statut de participation « {status} » n'existe pas (choix : {choices})."})
    return status


def _check_animator(session: Session, contact_id: Optional[int]) -> Optional[int]:
    if contact_id is None:
        return None
    if session.get(Contact, contact_id) is None:
        raise ValidationError({"animator": "Le contact choisi comme animateur de prévention n'existe plus."})
    return contact_id


def check_animation(
    animation: AnimationInput, event_days: dict[int, dt.date], position: Optional[int] = None
) -> AnimationInput:
    """Validated, normalised animation; messages name the animation's place in the list."""
    where = f"Animation {position}" if position is not None else "Animation"
    prefix = f"animations.{position}." if position is not None else ""
    errors: dict[str, str] = {}
    day = event_days.get(animation.event_day_id) if animation.event_day_id is not None else None
    if day is None:
        errors[prefix + "day"] = f"{where} : choisissez un jour d'évènement de l'édition."
    else:
        where = f"{where} ({date_abbr(day)})"
    category = clean_text(animation.category).strip()
    if category not in ANIMATION_CATEGORIES:
        choices = ", ".join(ANIMATION_CATEGORIES)
        errors[prefix + "category"] = (
            f"{where} : la catégorie « {animation.category} » n'existe pas (choix : {choices})."
        )
    times: dict[str, str] = {}
    for key, label in (("start_time", "l'heure de début"), ("end_time", "l'heure de fin")):
        try:
            times[key] = time_of_day(getattr(animation, key), prefix + key)
        except ValidationError:
            errors[prefix + key] = (
                f"{where} : {label} « {getattr(animation, key)} » n'est pas valide (exemple : 14:30)."
            )
    start, end = times.get("start_time", ""), times.get("end_time", "")
    if start and end and start >= end:
        errors[prefix + "end_time"] = f"{where} : l'heure de fin ({end}) doit être après l'heure de début ({start})."
    if errors:
        raise ValidationError(errors)
    return AnimationInput(animation.event_day_id, category, clean_text(animation.description), start, end)


def update_participation(
    session: Session,
    participation_id: int,
    *,
    status: str,
    animator_id: Optional[int],
    notes: str = "",
    animations: Optional[Sequence[AnimationInput]] = None,
    expected: RowSnapshot,
) -> list[str]:
    """Validated change of a participation and (when given) its whole list of animations.

    Existing animation rows are reused in order so their ids stay stable. Returns closed-day warnings.
    expected: the participation as the editor loaded it (refused if someone saved it since).
    """
    participation = editable(session, Participation, participation_id, expected)
    event_days = {d.id: d.day for d in participation.edition.event_days}
    errors: dict[str, str] = {}
    checked: list[AnimationInput] = []
    try:
        status = _check_status(status)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        animator_id = _check_animator(session, animator_id)
    except ValidationError as exc:
        errors.update(exc.errors)
    for position, animation in enumerate(animations or (), start=1):
        try:
            checked.append(check_animation(animation, event_days, position))
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    participation.status = status
    participation.animator_contact_id = animator_id
    participation.notes = clean_text(notes)
    if animations is not None:
        current = sorted(participation.animations, key=lambda a: a.id)
        for index, values in enumerate(checked):
            if index < len(current):
                target = current[index]
            else:
                target = Animation()
                participation.animations.append(target)
            target.event_day_id = values.event_day_id
            target.category = values.category
            target.description = values.description
            target.start_time = values.start_time
            target.end_time = values.end_time
        for extra in current[len(checked):]:
            participation.animations.remove(extra)
            session.delete(extra)
        # Animations live in their own rows: the participation's version moves with them, so a
        # colleague's stale editor cannot put back the animations someone else just changed.
        flag_modified(participation, "notes")
    session.flush()
    return hours_warnings(participation)


def add_animation(session: Session, participation_id: int, animation: AnimationInput) -> int:
    """Validated new animation for a participation; returns its id."""
    participation = _get_participation(session, participation_id)
    event_days = {d.id: d.day for d in participation.edition.event_days}
    values = check_animation(animation, event_days)
    row = Animation(
        event_day_id=values.event_day_id,
        category=values.category,
        description=values.description,
        start_time=values.start_time,
        end_time=values.end_time,
    )
    participation.animations.append(row)
    session.flush()
    return row.id


def delete_animation(session: Session, animation_id: int, *, expected: RowSnapshot) -> None:
    animation = editable(session, Animation, animation_id, expected)
    animation.participation.animations.remove(animation)
    session.delete(animation)
    session.flush()


# --- Copy from a previous edition ---------------------------------------------------------------


@dataclass(frozen=True)
class CopyPreview:
    """What copying participations from `source` would do: shops to add, already there, inactive."""

    to_copy: int
    already: int
    inactive: int


def _copy_plan(session: Session, source_edition_id: int, target_edition_id: int):
    if source_edition_id == target_edition_id:
        raise ValidationError({"source": "Choisissez une autre édition que celle dans laquelle vous copiez."})
    get_edition(session, source_edition_id)
    get_edition(session, target_edition_id)
    existing = set(
        session.scalars(select(Participation.shop_id).where(Participation.edition_id == target_edition_id))
    )
    sources = session.scalars(
        select(Participation)
        .where(Participation.edition_id == source_edition_id)
        .options(selectinload(Participation.shop), selectinload(Participation.animations))
    ).all()
    to_copy = [p for p in sources if p.shop_id not in existing and p.shop.active and takes_part(p.status)]
    already = sum(1 for p in sources if p.shop_id in existing)
    inactive = sum(1 for p in sources if p.shop_id not in existing and not p.shop.active)
    return to_copy, already, inactive


def copy_preview(session: Session, source_edition_id: int, target_edition_id: int) -> CopyPreview:
    to_copy, already, inactive = _copy_plan(session, source_edition_id, target_edition_id)
    return CopyPreview(len(to_copy), already, inactive)


def copy_participations(session: Session, source_edition_id: int, target_edition_id: int) -> int:
    """Copy the shops (with animator and animations) of a previous edition into another.

    Animations move to the target's event days by position (1st day → 1st day...); those on a day
    the target does not have are left out. Shops already taking part, shops no longer active and
    shops that withdrew are skipped. Copied participations are "pressentie". Returns how many copied.
    """
    to_copy, _already, _inactive = _copy_plan(session, source_edition_id, target_edition_id)
    source_days = [d.id for d in list_event_days(session, source_edition_id)]
    target_days = [d.id for d in list_event_days(session, target_edition_id)]
    day_map = {source: target_days[i] for i, source in enumerate(source_days) if i < len(target_days)}
    for source in to_copy:
        copy = Participation(
            shop_id=source.shop_id,
            edition_id=target_edition_id,
            status=COPIED_STATUS,
            animator_contact_id=source.animator_contact_id,
        )
        session.add(copy)
        for animation in sorted(source.animations, key=lambda a: a.id):
            if animation.event_day_id not in day_map:
                continue
            copy.animations.append(
                Animation(
                    event_day_id=day_map[animation.event_day_id],
                    category=animation.category,
                    description=animation.description,
                    start_time=animation.start_time,
                    end_time=animation.end_time,
                )
            )
    session.flush()
    return len(to_copy)


def describe_days(days: Iterable[dt.date]) -> str:
    """'mercredi 2 avril 2014 et samedi 5 avril 2014'"""
    texts = [date_long(d) for d in sorted(days)]
    if not texts:
        return "dates à fixer"
    return ", ".join(texts[:-1]) + (" et " if len(texts) > 1 else "") + texts[-1]
