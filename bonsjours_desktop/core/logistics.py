"""Logistics: lendable items, loans (deliveries and pickups), consumables and delivery rounds."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, load_only, selectinload

from . import clock
from .errors import ConflictError, NotFoundError, ValidationError, get_or_raise, not_found_message
from .formatting import date_abbr, date_short, integer
from .models import (
    ITEM_CONDITIONS,
    LOAN_STATUSES,
    Consumable,
    ConsumableDelivery,
    Edition,
    EventDay,
    Item,
    Loan,
    Organisation,
    Participation,
    Shop,
    Territory,
)
from .participations import taking_part
from .validation import clean_text, collect, fold, required
from .versions import RowSnapshot, editable, seen, seen_columns

# Statuses after which the item is no longer out there waiting to be picked up.
CLOSED_STATUSES = ("rentré", "perdu/abîmé")
# Statuses meaning the item has left the hangar (a delivery has happened).
DELIVERED_STATUSES = ("livré", "à reprendre", "rentré", "perdu/abîmé")
LOST_OR_DAMAGED = "perdu/abîmé"
SHOP = "boutique"
ORGANISATION = "organisation"
NO_TERRITORY = "Sans territoire"


# --- Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    """A lendable item with where it is now (in the hangar, lent, not back)."""

    id: int
    identifier: str
    kind: str
    storage_place: str
    condition: str
    notes: str
    loan_count: int
    situation: str
    overdue: bool
    is_example: bool
    # The row as loaded: update/delete services take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.identifier} – {self.kind}"


@dataclass(frozen=True)
class LoanRow:
    """A loan as the Prêts table shows it; `overdue` is computed for the `today` it was read at."""

    id: int
    edition_id: int
    edition_name: str
    item_id: int
    item_identifier: str
    item_kind: str
    item_condition: str
    shop_id: Optional[int]
    organisation_id: Optional[int]
    destination_kind: str
    destination_name: str
    territory: str
    commune: str
    address: str
    delivery_date: dt.date
    pickup_date: dt.date
    returned_date: Optional[dt.date]
    carrier: str
    status: str
    notes: str
    overdue: bool
    days_late: int
    is_example: bool
    # The row as loaded: update/delete services take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class OverdueLoan:
    """An item not back by its planned pickup date (read by the Logistique tab and the dashboard)."""

    loan_id: int
    item_identifier: str
    kind: str
    destination_name: str
    pickup_date: dt.date
    edition_name: str
    edition_id: int
    status: str
    days_late: int


@dataclass(frozen=True)
class ConsumableRow:
    """A consumable of an edition with its stock, what was delivered and what is left."""

    id: int
    edition_id: int
    name: str
    quantity: int
    unit: str
    notes: str
    delivered: int
    delivery_count: int
    # The row as loaded: update/delete services take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def remaining(self) -> int:
        return self.quantity - self.delivered


@dataclass(frozen=True)
class DeliveryRow:
    """A quantity of a consumable delivered to a shop or an organisation."""

    id: int
    consumable_id: int
    consumable_name: str
    unit: str
    shop_id: Optional[int]
    organisation_id: Optional[int]
    destination_kind: str
    destination_name: str
    territory: str
    commune: str
    quantity: int
    date: Optional[dt.date]
    carrier: str
    # The row as loaded: update/delete services take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Destination:
    """A place things can be delivered to: a shop or an organisation."""

    kind: str  # SHOP or ORGANISATION
    id: int
    name: str
    commune: str
    territory: str
    participates: bool  # a shop taking part in the edition, or an EPCI-type organisation

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


@dataclass(frozen=True)
class RoundLine:
    """One thing to drop off or pick up at a stop."""

    action: str  # "déposer" or "reprendre"
    label: str  # "ROUE-01 – Roue de la prévention des déchets" or "Affiches"
    quantity: int
    unit: str
    item_identifier: str  # "" for consumables
    loan_id: Optional[int]
    delivery_id: Optional[int]
    status: str
    done: bool  # already delivered / already back
    notes: str = ""  # the loan's notes ("Fragile"), printed on the delivery sheet

    @property
    def text(self) -> str:
        if self.item_identifier:
            return self.label
        return f"{self.label} : {quantity_text(self.quantity, self.unit)}"


@dataclass(frozen=True)
class RoundStop:
    """A place the driver stops at, with what to drop off and what to pick up there."""

    destination_kind: str
    shop_id: Optional[int]
    organisation_id: Optional[int]
    name: str
    address: str
    postal_code: str
    commune: str
    phone: str
    contact: str
    drop_offs: tuple[RoundLine, ...]
    pickups: tuple[RoundLine, ...]
    carriers: tuple[str, ...]

    @property
    def full_address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.commune) if part)
        return ", ".join(part for part in (self.address, town) if part) or "adresse à compléter"


@dataclass(frozen=True)
class DeliveryRound:
    """The stops of one day in one territory, in the order the driver can follow."""

    day: Optional[dt.date]  # None: consumable deliveries without a date yet
    territory: str
    stops: tuple[RoundStop, ...]
    carriers: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{date_abbr(self.day) if self.day else 'Date à fixer'} — {self.territory}"

    @property
    def drop_off_count(self) -> int:
        return sum(len(stop.drop_offs) for stop in self.stops)

    @property
    def pickup_count(self) -> int:
        return sum(len(stop.pickups) for stop in self.stops)


# --- Small helpers ------------------------------------------------------------------------------


# What _destination_of reads of a shop: loading whole shops (hours, products… as JSON) for thousands of
# loans cost seconds in a regional base.
_SHOP_AS_DESTINATION = (load_only(Shop.id, Shop.name, Shop.territory_id, Shop.commune, Shop.address, Shop.postal_code,
                                  Shop.phone),
                        selectinload(Shop.territory))


def _destination_of(row: Loan | ConsumableDelivery) -> tuple[str, str, str, str, str, str]:
    """(kind, name, territory, commune, address, postal code) of a loan's or delivery's destination."""
    if row.shop is not None:
        shop = row.shop
        return (SHOP, shop.name, shop.territory.name if shop.territory else "", shop.commune, shop.address,
                shop.postal_code)
    org = row.organisation
    if org is not None:
        return (ORGANISATION, org.name, org.territory.name if org.territory else "", org.commune, org.address,
                org.postal_code)
    return ("", "", "", "", "", "")


def _check_destination(session: Session, shop_id: Optional[int], organisation_id: Optional[int]) -> None:
    if (shop_id is None) == (organisation_id is None):
        raise ValidationError({"destination": "Choisissez une destination : une boutique ou une organisation (une seule)."})
    if shop_id is not None:
        get_or_raise(session, Shop, shop_id)
    if organisation_id is not None:
        get_or_raise(session, Organisation, organisation_id)


def _check_date(value: object, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationError({field: f"{label} est obligatoire."})
    return value


def _count(value: object, field: str, label: str, minimum: int) -> int:
    try:
        text = str(value).strip().replace("\u202f", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?[0-9]+", text):  # int() would also take « 1_0 » or other scripts' digits
            raise ValueError(text)
        number = int(text)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label} « {value} » n'est pas un nombre entier."}) from None
    if number < minimum:
        which = "positif" if minimum > 0 else "positif ou nul"
        raise ValidationError({field: f"{label} doit être un nombre entier {which} (et non {number})."})
    return number


def quantity_text(quantity: int, unit: str) -> str:
    """'300 exemplaires', '1 kit', '1 200 flyers' (a plural unit is put in the singular for one)."""
    if not unit:
        return integer(quantity)
    if abs(quantity) <= 1 and unit.endswith("s") and " " not in unit:
        unit = unit[:-1]
    return f"{integer(quantity)} {unit}"


def address_key(address: str) -> tuple[str, int, str]:
    """Street then house number, so '2 rue X' comes before '15 rue X' and the same street stays together."""
    text = fold(address)
    match = re.match(r"^(\d+)\s*(?:bis|ter)?\s*,?\s*(.*)$", text)
    if match:
        return (match.group(2), int(match.group(1)), text)
    return (text, 0, text)


def is_overdue(status: str, pickup_date: dt.date, today: dt.date) -> bool:
    """Not back (status not rentré/perdu/abîmé) and the planned pickup day is past."""
    return status not in CLOSED_STATUSES and pickup_date < today


# --- Items --------------------------------------------------------------------------------------


def list_item_rows(session: Session, today: Optional[dt.date] = None) -> list[ItemRow]:
    """Every lendable item, by identifier, with where it is on `today` (default clock.today())."""
    today = today or clock.today()
    items = session.scalars(select(Item).order_by(Item.identifier)).all()
    # Counted by the database, and only the loans still open are loaded (they alone say where an item
    # is): an item lent at every edition of a regional base has hundreds of closed loans.
    counts = dict(session.execute(select(Loan.item_id, func.count()).group_by(Loan.item_id)).all())
    open_loans: dict[int, list[Loan]] = {}
    for loan in session.scalars(
        select(Loan).where(Loan.status.not_in(CLOSED_STATUSES))
        .options(selectinload(Loan.shop).options(*_SHOP_AS_DESTINATION),
                 selectinload(Loan.organisation).selectinload(Organisation.territory))
    ):
        open_loans.setdefault(loan.item_id, []).append(loan)
    rows = []
    for item in items:
        situation, overdue = _situation(item, today, open_loans.get(item.id, []))
        rows.append(ItemRow(item.id, item.identifier, item.kind, item.storage_place, item.condition, item.notes,
                            counts.get(item.id, 0), situation, overdue, item.is_example, seen(item)))
    return rows


def _situation(item: Item, today: dt.date, loans: Optional[list[Loan]] = None) -> tuple[str, bool]:
    if item.condition == "perdu":
        return "perdu", False
    loans = item.loans if loans is None else loans
    open_loans = sorted((l for l in loans if l.status not in CLOSED_STATUSES), key=lambda l: l.delivery_date)
    for loan in open_loans:
        name = _destination_of(loan)[1]
        if loan.status == "à livrer":
            if is_overdue(loan.status, loan.pickup_date, today):
                return f"livraison à {name} jamais faite (prévue le {date_short(loan.delivery_date)})", True
            return f"réservé pour {name} du {date_short(loan.delivery_date)} au {date_short(loan.pickup_date)}", False
        if is_overdue(loan.status, loan.pickup_date, today):
            return f"non rentré : chez {name} depuis le {date_short(loan.delivery_date)}, reprise prévue le {date_short(loan.pickup_date)}", True
        return f"chez {name} jusqu'au {date_short(loan.pickup_date)}", False
    # Where it is stored is in its own column; here only whether it can go out.
    return ("disponible" if item.condition in ("bon", "usé") else f"{item.condition}, à vérifier"), False


def _check_item_fields(session: Session, item_id: Optional[int], identifier: str, kind: str, condition: str) -> str:
    ident = clean_text(identifier).strip()
    collect(
        lambda: required(ident, "identifier", "L'identifiant de l'objet"),
        lambda: required(kind, "kind", "Le type d'objet"),
    )
    if condition not in ITEM_CONDITIONS:
        raise ValidationError({"condition": f"L'état « {condition} » n'existe pas ; choisissez parmi : {', '.join(ITEM_CONDITIONS)}."})
    for other in session.scalars(select(Item).where(Item.id != (item_id or -1))):
        if fold(other.identifier) == fold(ident):
            raise ValidationError(
                {"identifier": f"L'identifiant « {ident} » est déjà pris par l'objet « {other.identifier} » ({other.kind})."}
            )
    return ident


def create_item(session: Session, identifier: str, kind: str, storage_place: str = "", condition: str = "bon",
                notes: str = "") -> int:
    """Add a lendable item; the identifier is unique (case and accents ignored)."""
    ident = _check_item_fields(session, None, identifier, kind, condition)
    item = Item(identifier=ident, kind=clean_text(kind), storage_place=clean_text(storage_place),
                condition=condition, notes=clean_text(notes))
    session.add(item)
    session.flush()
    return item.id


def update_item(session: Session, item_id: int, identifier: str, kind: str, storage_place: str, condition: str,
                notes: str, *, expected: RowSnapshot) -> int:
    item = editable(session, Item, item_id, expected)
    ident = _check_item_fields(session, item_id, identifier, kind, condition)
    item.identifier = ident
    item.kind = clean_text(kind)
    item.storage_place = clean_text(storage_place)
    item.condition = condition
    item.notes = clean_text(notes)
    return item.id


def item_loan_count(session: Session, item_id: int) -> int:
    """How many loans go with the item if it is deleted (said in the confirmation)."""
    return session.scalar(select(func.count()).select_from(Loan).where(Loan.item_id == item_id)) or 0


def delete_item(session: Session, item_id: int, *, expected: RowSnapshot) -> int:
    """Delete an item and its loans (undoable like any operation)."""
    item = editable(session, Item, item_id, expected)
    session.delete(item)
    return item_id


# --- Loans --------------------------------------------------------------------------------------


def _loan_row(loan: Loan, today: dt.date) -> LoanRow:
    kind, name, territory, commune, address, _cp = _destination_of(loan)
    overdue = is_overdue(loan.status, loan.pickup_date, today)
    return LoanRow(
        id=loan.id, edition_id=loan.edition_id, edition_name=loan.edition.name, item_id=loan.item_id,
        item_identifier=loan.item.identifier, item_kind=loan.item.kind, item_condition=loan.item.condition,
        shop_id=loan.shop_id, organisation_id=loan.organisation_id, destination_kind=kind, destination_name=name,
        territory=territory, commune=commune, address=address, delivery_date=loan.delivery_date,
        pickup_date=loan.pickup_date, returned_date=loan.returned_date, carrier=loan.carrier, status=loan.status,
        notes=loan.notes, overdue=overdue, days_late=(today - loan.pickup_date).days if overdue else 0,
        is_example=loan.is_example, seen=seen(loan),
    )


def _loan_query():
    return select(Loan).options(
        selectinload(Loan.item), selectinload(Loan.edition),
        selectinload(Loan.shop).options(*_SHOP_AS_DESTINATION),
        selectinload(Loan.organisation).selectinload(Organisation.territory),
    )


def list_loan_rows(session: Session, edition_id: Optional[int], today: Optional[dt.date] = None) -> list[LoanRow]:
    """Loans of an edition (all editions when None), by delivery date then item."""
    today = today or clock.today()
    # Plain columns, joined in one query (no ORM objects): an edition of a regional base has thousands
    # of loans, and the Logistique tab reads them when it opens. Same rows as _loan_row().
    loans = Loan.__table__
    shop_territory, org_territory = aliased(Territory), aliased(Territory)
    query = (
        select(loans, Item.identifier, Item.kind, Item.condition, Edition.name,
               Shop.name, shop_territory.name, Shop.commune, Shop.address,
               Organisation.name, org_territory.name, Organisation.commune, Organisation.address)
        .join(Item, Item.id == loans.c.item_id)
        .join(Edition, Edition.id == loans.c.edition_id)
        .outerjoin(Shop, Shop.id == loans.c.shop_id)
        .outerjoin(shop_territory, shop_territory.id == Shop.territory_id)
        .outerjoin(Organisation, Organisation.id == loans.c.organisation_id)
        .outerjoin(org_territory, org_territory.id == Organisation.territory_id)
    )
    if edition_id is not None:
        query = query.where(loans.c.edition_id == edition_id)
    width = len(loans.columns)
    rows = []
    for row in session.execute(query):
        loan = row._mapping
        identifier, kind, condition, edition_name, *places = row[width:]
        if loan[loans.c.shop_id] is not None and places[0] is not None:
            destination = (SHOP, places[0], places[1] or "", places[2], places[3])
        elif loan[loans.c.organisation_id] is not None and places[4] is not None:
            destination = (ORGANISATION, places[4], places[5] or "", places[6], places[7])
        else:
            destination = ("", "", "", "", "")
        status, pickup_date = loan[loans.c.status], loan[loans.c.pickup_date]
        overdue = is_overdue(status, pickup_date, today)
        rows.append(LoanRow(
            id=loan[loans.c.id], edition_id=loan[loans.c.edition_id], edition_name=edition_name,
            item_id=loan[loans.c.item_id], item_identifier=identifier, item_kind=kind, item_condition=condition,
            shop_id=loan[loans.c.shop_id], organisation_id=loan[loans.c.organisation_id],
            destination_kind=destination[0], destination_name=destination[1], territory=destination[2],
            commune=destination[3], address=destination[4], delivery_date=loan[loans.c.delivery_date],
            pickup_date=pickup_date, returned_date=loan[loans.c.returned_date], carrier=loan[loans.c.carrier],
            status=status, notes=loan[loans.c.notes], overdue=overdue,
            days_late=(today - pickup_date).days if overdue else 0, is_example=loan[loans.c.is_example],
            seen=seen_columns(Loan, row),
        ))
    return sorted(rows, key=lambda r: (r.delivery_date, fold(r.item_identifier), r.id))


def get_loan_row(session: Session, loan_id: int, today: Optional[dt.date] = None) -> LoanRow:
    loan = session.scalars(_loan_query().where(Loan.id == loan_id)).first()
    if loan is None:
        raise NotFoundError(not_found_message(Loan))
    return _loan_row(loan, today or clock.today())


def overdue_loans(session: Session, today: dt.date, edition_id: Optional[int] = None) -> list[OverdueLoan]:
    """Items not back by their pickup date: status not rentré/perdu/abîmé and pickup_date < today.

    Every edition by default (a game forgotten last year is still missing); oldest pickup first."""
    # The same is_overdue as the Prêts table (LoanRow.overdue), so both always list the same loans;
    # the query only narrows to open loans.
    query = _loan_query().where(Loan.status.not_in(CLOSED_STATUSES))
    if edition_id is not None:
        query = query.where(Loan.edition_id == edition_id)
    rows = [
        OverdueLoan(loan.id, loan.item.identifier, loan.item.kind, _destination_of(loan)[1], loan.pickup_date,
                    loan.edition.name, loan.edition_id, loan.status, (today - loan.pickup_date).days)
        for loan in session.scalars(query)
        if is_overdue(loan.status, loan.pickup_date, today)
    ]
    return sorted(rows, key=lambda r: (r.pickup_date, fold(r.item_identifier)))


def _occupied_until(loan: Loan) -> dt.date:
    """Last day the item is away: the actual return day once known, else the planned pickup."""
    return loan.returned_date if loan.returned_date is not None else loan.pickup_date


def check_no_overlap(session: Session, loan_id: Optional[int], item: Item, start: dt.date, end: dt.date) -> None:
    """The same item cannot be lent twice over overlapping dates (both ends included)."""
    others = session.scalars(
        _loan_query().where(Loan.item_id == item.id, Loan.id != (loan_id or -1)).order_by(Loan.delivery_date)
    ).all()
    for other in others:
        if other.delivery_date <= end and start <= _occupied_until(other):
            name = _destination_of(other)[1] or "une destination supprimée"
            until = _occupied_until(other)
            raise ConflictError(
                f"« {item.identifier} » ({item.kind}) est déjà prêté à {name} du {date_abbr(other.delivery_date)} "
                f"au {date_abbr(until)} (édition « {other.edition.name} », statut « {other.status} »). "
                f"Ces dates chevauchent celles demandées (du {date_abbr(start)} au {date_abbr(end)}) : "
                f"choisissez un autre objet ou d'autres dates."
            )


def _validate_loan(session: Session, loan_id: Optional[int], edition_id: int, item_id: int,
                   shop_id: Optional[int], organisation_id: Optional[int], delivery_date, pickup_date,
                   status: str, returned_date) -> Item:
    get_or_raise(session, Edition, edition_id)
    item = get_or_raise(session, Item, item_id)
    errors: dict[str, str] = {}
    if not isinstance(delivery_date, dt.date):
        errors["delivery_date"] = "La date de livraison est obligatoire."
    if not isinstance(pickup_date, dt.date):
        errors["pickup_date"] = "La date de reprise prévue est obligatoire."
    if not errors and pickup_date < delivery_date:
        errors["pickup_date"] = (f"La reprise prévue ({date_abbr(pickup_date)}) ne peut pas précéder la livraison "
                                 f"({date_abbr(delivery_date)}).")
    if status not in LOAN_STATUSES:
        errors["status"] = f"Le statut « {status} » n'existe pas ; choisissez parmi : {', '.join(LOAN_STATUSES)}."
    if returned_date is not None and isinstance(delivery_date, dt.date) and returned_date < delivery_date:
        errors["returned_date"] = (f"Le retour ({date_abbr(returned_date)}) ne peut pas précéder la livraison "
                                   f"({date_abbr(delivery_date)}).")
    if errors:
        raise ValidationError(errors)
    _check_destination(session, shop_id, organisation_id)
    return item


def create_loan(session: Session, edition_id: int, item_id: int, *, shop_id: Optional[int] = None,
                organisation_id: Optional[int] = None, delivery_date: dt.date, pickup_date: dt.date,
                carrier: str = "", status: str = "à livrer", returned_date: Optional[dt.date] = None,
                notes: str = "") -> int:
    """Lend an item for an edition to a shop or an organisation; refuses overlapping loans of the item."""
    item = _validate_loan(session, None, edition_id, item_id, shop_id, organisation_id, delivery_date, pickup_date,
                          status, returned_date)
    if item.condition == "perdu":
        raise ConflictError(f"« {item.identifier} » est marqué perdu dans l'inventaire : il ne peut pas être prêté. "
                            f"S'il a été retrouvé, changez d'abord son état dans l'inventaire.")
    if status == "rentré" and returned_date is None:
        returned_date = clock.today()
    check_no_overlap(session, None, item, delivery_date, returned_date or pickup_date)
    loan = Loan(edition_id=edition_id, item_id=item_id, shop_id=shop_id, organisation_id=organisation_id,
                delivery_date=delivery_date, pickup_date=pickup_date, returned_date=returned_date,
                carrier=clean_text(carrier), status=status, notes=clean_text(notes))
    session.add(loan)
    session.flush()
    return loan.id


def update_loan(session: Session, loan_id: int, *, item_id: int, shop_id: Optional[int] = None,
                organisation_id: Optional[int] = None, delivery_date: dt.date, pickup_date: dt.date,
                carrier: str = "", status: Optional[str] = None, returned_date: Optional[dt.date] = None,
                notes: str = "", expected: RowSnapshot) -> int:
    """Change a loan; a status change goes through set_loan_status (return date, item condition).
    expected: the loan as the form loaded it (refused if someone saved it since)."""
    loan = editable(session, Loan, loan_id, expected)
    status = status or loan.status
    item = _validate_loan(session, loan_id, loan.edition_id, item_id, shop_id, organisation_id, delivery_date,
                          pickup_date, status, returned_date)
    if item.id != loan.item_id and item.condition == "perdu":
        raise ConflictError(f"« {item.identifier} » est marqué perdu dans l'inventaire : il ne peut pas être prêté.")
    end = returned_date if (returned_date is not None and status in CLOSED_STATUSES) else pickup_date
    check_no_overlap(session, loan_id, item, delivery_date, end)
    loan.item_id = item_id
    loan.shop_id = shop_id
    loan.organisation_id = organisation_id
    loan.delivery_date = delivery_date
    loan.pickup_date = pickup_date
    loan.carrier = clean_text(carrier)
    loan.notes = clean_text(notes)
    session.flush()
    if status != loan.status:
        # From the form, a damaged item has a return date and a lost one has none.
        condition = ("abîmé" if returned_date else "perdu") if status == LOST_OR_DAMAGED else None
        _set_loan_status(session, loan_id, status, returned_date=returned_date, condition=condition)
    elif status in CLOSED_STATUSES and returned_date is not None:
        loan.returned_date = returned_date
    return loan.id


def set_loan_status(session: Session, loan_id: int, status: str, *, returned_date: Optional[dt.date] = None,
                    condition: Optional[str] = None, expected: RowSnapshot) -> int:
    """Move a loan, as the user saw it, to a status (see _set_loan_status)."""
    editable(session, Loan, loan_id, expected)
    return _set_loan_status(session, loan_id, status, returned_date=returned_date, condition=condition)


def _set_loan_status(session: Session, loan_id: int, status: str, *, returned_date: Optional[dt.date] = None,
                     condition: Optional[str] = None) -> int:
    """Move a loan to a status, with what goes with it.

    rentré: returned_date = the given day or clock.today(); an item marked "perdu" is found again ("bon").
    perdu/abîmé: the item's condition becomes `condition` ("perdu" by default, or "abîmé"); a damaged item
    came back (returned_date set), a lost one did not.
    à livrer / livré / à reprendre: the item is out (or not yet gone), so no return date.
    """
    loan = get_or_raise(session, Loan, loan_id)
    if status not in LOAN_STATUSES:
        raise ValidationError({"status": f"Le statut « {status} » n'existe pas ; choisissez parmi : {', '.join(LOAN_STATUSES)}."})
    item = loan.item
    if status == "rentré":
        day = returned_date or clock.today()
        if day < loan.delivery_date:
            raise ValidationError({"returned_date": f"Le retour de « {item.identifier} » ({date_abbr(day)}) ne peut pas "
                                                    f"précéder sa livraison ({date_abbr(loan.delivery_date)})."})
        loan.returned_date = day
        if item.condition == "perdu":
            item.condition = "bon"
    elif status == LOST_OR_DAMAGED:
        condition = condition or "perdu"
        if condition not in ("perdu", "abîmé"):
            raise ValidationError({"condition": "Pour un objet perdu ou abîmé, l'état doit être « perdu » ou « abîmé »."})
        item.condition = condition
        if condition == "abîmé":
            day = returned_date or loan.returned_date or clock.today()
            loan.returned_date = max(day, loan.delivery_date)
        else:
            loan.returned_date = None
    else:
        loan.returned_date = None
    loan.status = status
    return loan.id


def set_loans_status(session: Session, expected: Sequence[RowSnapshot], status: str, *,
                     returned_date: Optional[dt.date] = None, condition: Optional[str] = None) -> list[int]:
    """The same status for several loans, as the user saw them, at once (one undo step)."""
    return [set_loan_status(session, shot.ident, status, returned_date=returned_date, condition=condition,
                            expected=shot)
            for shot in expected]


def delete_loan(session: Session, loan_id: int, *, expected: RowSnapshot) -> int:
    loan = editable(session, Loan, loan_id, expected)
    session.delete(loan)
    return loan_id


def default_loan_dates(session: Session, edition_id: Optional[int]) -> tuple[dt.date, dt.date]:
    """A week before the first event day, and two days after the last one (the habit of the hangar)."""
    days = list(session.scalars(select(EventDay.day).where(EventDay.edition_id == edition_id).order_by(EventDay.day)))
    if not days:
        today = clock.today()
        return today, today + dt.timedelta(days=14)
    return days[0] - dt.timedelta(days=7), days[-1] + dt.timedelta(days=2)


# --- Destinations -------------------------------------------------------------------------------


def list_destinations(session: Session, edition_id: Optional[int]) -> list[Destination]:
    """Shops (those taking part in the edition first) then organisations (EPCIs first), by name."""
    return [Destination(*entry) for entry in destination_entries(session, edition_id)]


DestinationEntry = tuple[str, int, str, str, str, bool]


def destination_entries(session: Session, edition_id: Optional[int]) -> list[DestinationEntry]:
    """list_destinations as plain tuples (a Destination's fields in order), for the destination combos: a
    regional base has 15 000 destinations, and building an object for each cost a third of the list."""
    participating = set(session.scalars(select(Participation.shop_id).where(Participation.edition_id == edition_id)))
    # Plain columns, territory joined: a regional base has 10 000 shops and 5 000 organisations.
    shops = session.execute(select(Shop.id, Shop.name, Shop.commune, Territory.name)
                            .outerjoin(Territory, Territory.id == Shop.territory_id))
    organisations = session.execute(select(Organisation.id, Organisation.name, Organisation.commune, Organisation.kind,
                                           Territory.name)
                                    .outerjoin(Territory, Territory.id == Organisation.territory_id))
    shop_rows = sorted(
        ((SHOP, shop_id, name, commune, territory or "", shop_id in participating)
         for shop_id, name, commune, territory in shops),
        key=lambda d: (not d[5], fold(d[2])),
    )
    org_rows = sorted(
        ((ORGANISATION, org_id, name, commune, territory or "", kind == "collectivité/EPCI")
         for org_id, name, commune, kind, territory in organisations),
        key=lambda d: (not d[5], fold(d[2])),
    )
    return shop_rows + org_rows


# --- Consumables --------------------------------------------------------------------------------


def list_consumable_rows(session: Session, edition_id: Optional[int]) -> list[ConsumableRow]:
    sums = {
        cid: (total or 0, count)
        for cid, total, count in session.execute(
            select(ConsumableDelivery.consumable_id, func.sum(ConsumableDelivery.quantity), func.count())
            .group_by(ConsumableDelivery.consumable_id)
        )
    }
    consumables = session.scalars(select(Consumable).where(Consumable.edition_id == edition_id)).all()
    rows = [ConsumableRow(c.id, c.edition_id, c.name, c.quantity, c.unit, c.notes, *sums.get(c.id, (0, 0)),
                          seen=seen(c))
            for c in consumables]
    return sorted(rows, key=lambda r: fold(r.name))


def _delivered(session: Session, consumable_id: int, except_id: Optional[int] = None) -> int:
    query = select(func.coalesce(func.sum(ConsumableDelivery.quantity), 0)).where(
        ConsumableDelivery.consumable_id == consumable_id)
    if except_id is not None:
        query = query.where(ConsumableDelivery.id != except_id)
    return int(session.scalar(query) or 0)


def _check_consumable_fields(session: Session, consumable_id: Optional[int], edition_id: int, name: str,
                             quantity) -> tuple[str, int]:
    errors: dict[str, str] = {}
    text = clean_text(name)
    number = 0
    try:
        required(text, "name", "Le nom du consommable")
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        number = _count(quantity, "quantity", "Le stock", 0)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    for other in session.scalars(select(Consumable).where(Consumable.edition_id == edition_id,
                                                          Consumable.id != (consumable_id or -1))):
        if fold(other.name) == fold(text):
            raise ValidationError({"name": f"L'édition a déjà un consommable « {other.name} »."})
    return text, number


def create_consumable(session: Session, edition_id: int, name: str, quantity: int, unit: str = "exemplaires",
                      notes: str = "") -> int:
    """Add a consumable (posters, flyers, booklets, signage kits) with its stock for an edition."""
    get_or_raise(session, Edition, edition_id)
    text, number = _check_consumable_fields(session, None, edition_id, name, quantity)
    consumable = Consumable(edition_id=edition_id, name=text, quantity=number, unit=clean_text(unit),
                            notes=clean_text(notes))
    session.add(consumable)
    session.flush()
    return consumable.id


def update_consumable(session: Session, consumable_id: int, name: str, quantity: int, unit: str,
                      notes: str = "", *, expected: RowSnapshot) -> int:
    """Change a consumable; the stock cannot drop below what was already delivered."""
    consumable = editable(session, Consumable, consumable_id, expected)
    text, number = _check_consumable_fields(session, consumable_id, consumable.edition_id, name, quantity)
    delivered = _delivered(session, consumable_id)
    if number < delivered:
        raise ConflictError(f"Le stock de « {text} » ne peut pas descendre à {number} : {delivered} {consumable.unit} "
                            f"ont déjà été livrés. Supprimez ou réduisez d'abord des livraisons.")
    consumable.name = text
    consumable.quantity = number
    consumable.unit = clean_text(unit)
    consumable.notes = clean_text(notes)
    return consumable.id


def consumable_delivery_count(session: Session, consumable_id: int) -> int:
    return session.scalar(select(func.count()).select_from(ConsumableDelivery)
                          .where(ConsumableDelivery.consumable_id == consumable_id)) or 0


def delete_consumable(session: Session, consumable_id: int, *, expected: RowSnapshot) -> int:
    """Delete a consumable and its deliveries."""
    session.delete(editable(session, Consumable, consumable_id, expected))
    return consumable_id


def _check_stock(session: Session, consumable: Consumable, quantity: int, except_id: Optional[int]) -> None:
    """Refused rather than warned: the stock is what was printed, so delivering more is a typing mistake;
    after a reprint, raise the stock first."""
    delivered = _delivered(session, consumable.id, except_id)
    if delivered + quantity > consumable.quantity:
        left = consumable.quantity - delivered
        raise ConflictError(
            f"Stock insuffisant de « {consumable.name} » : il en reste {left} {consumable.unit} sur "
            f"{consumable.quantity} ({delivered} déjà livrés) et vous en livrez {quantity}. "
            f"Réduisez la quantité ou augmentez d'abord le stock."
        )


def create_delivery(session: Session, consumable_id: int, *, shop_id: Optional[int] = None,
                    organisation_id: Optional[int] = None, quantity: int, date: Optional[dt.date] = None,
                    carrier: str = "") -> int:
    """Record a quantity of a consumable delivered to a shop or an organisation, within the stock."""
    consumable = get_or_raise(session, Consumable, consumable_id)
    number = _count(quantity, "quantity", "La quantité livrée", 1)
    _check_destination(session, shop_id, organisation_id)
    _check_stock(session, consumable, number, None)
    delivery = ConsumableDelivery(consumable_id=consumable_id, shop_id=shop_id, organisation_id=organisation_id,
                                  quantity=number, date=date, carrier=clean_text(carrier))
    session.add(delivery)
    session.flush()
    return delivery.id


def update_delivery(session: Session, delivery_id: int, *, consumable_id: int, shop_id: Optional[int] = None,
                    organisation_id: Optional[int] = None, quantity: int, date: Optional[dt.date] = None,
                    carrier: str = "", expected: RowSnapshot) -> int:
    delivery = editable(session, ConsumableDelivery, delivery_id, expected)
    consumable = get_or_raise(session, Consumable, consumable_id)
    number = _count(quantity, "quantity", "La quantité livrée", 1)
    _check_destination(session, shop_id, organisation_id)
    _check_stock(session, consumable, number, delivery_id)
    delivery.consumable_id = consumable_id
    delivery.shop_id = shop_id
    delivery.organisation_id = organisation_id
    delivery.quantity = number
    delivery.date = date
    delivery.carrier = clean_text(carrier)
    return delivery.id


def delete_delivery(session: Session, delivery_id: int, *, expected: RowSnapshot) -> int:
    session.delete(editable(session, ConsumableDelivery, delivery_id, expected))
    return delivery_id


def deliver_to_participants(session: Session, consumable_id: int, quantity_each: int,
                            date: Optional[dt.date] = None, carrier: str = "") -> list[int]:
    """Deliver the same quantity to every shop of the edition not yet served with this consumable."""
    consumable = get_or_raise(session, Consumable, consumable_id)
    number = _count(quantity_each, "quantity", "La quantité par boutique", 1)
    served = set(session.scalars(select(ConsumableDelivery.shop_id).where(
        ConsumableDelivery.consumable_id == consumable_id, ConsumableDelivery.shop_id.is_not(None))))
    shops = session.scalars(
        select(Shop).join(Participation, Participation.shop_id == Shop.id)
        .where(Participation.edition_id == consumable.edition_id, taking_part())
        .order_by(Shop.name)
    ).all()
    todo = [shop for shop in shops if shop.id not in served]
    if not todo:
        raise ConflictError(f"Toutes les boutiques participantes ont déjà reçu « {consumable.name} ».")
    _check_stock(session, consumable, number * len(todo), None)
    return [create_delivery(session, consumable_id, shop_id=shop.id, quantity=number, date=date, carrier=carrier)
            for shop in todo]


def list_delivery_rows(session: Session, edition_id: Optional[int],
                       consumable_id: Optional[int] = None) -> list[DeliveryRow]:
    """Deliveries of an edition's consumables (of one consumable if given), by destination."""
    query = (
        select(ConsumableDelivery).join(Consumable)
        .where(Consumable.edition_id == edition_id)
        .options(selectinload(ConsumableDelivery.consumable),
                 selectinload(ConsumableDelivery.shop).options(*_SHOP_AS_DESTINATION),
                 selectinload(ConsumableDelivery.organisation).selectinload(Organisation.territory))
    )
    if consumable_id is not None:
        query = query.where(ConsumableDelivery.consumable_id == consumable_id)
    rows = []
    for d in session.scalars(query):
        kind, name, territory, commune, _address, _cp = _destination_of(d)
        rows.append(DeliveryRow(d.id, d.consumable_id, d.consumable.name, d.consumable.unit, d.shop_id,
                                d.organisation_id, kind, name, territory, commune, d.quantity, d.date, d.carrier,
                                seen(d)))
    return sorted(rows, key=lambda r: (fold(r.destination_name), fold(r.consumable_name), r.id))


# --- Delivery rounds ----------------------------------------------------------------------------


def _contact_of(row: Loan | ConsumableDelivery) -> tuple[str, str]:
    """(phone, contact) the driver can call at a stop."""
    if row.shop is not None:
        return row.shop.phone, ""
    org = row.organisation
    if org is None:
        return "", ""
    person = org.contacts[0] if org.contacts else None
    phone = org.phone or (person.phone if person else "")
    return phone, person.name if person else ""


def delivery_rounds(session: Session, edition_id: int) -> list[DeliveryRound]:
    """Deliveries and pickups of an edition grouped by day and territory, stops in a driver-friendly
    order (territory, then commune, then address). Loans appear twice: dropped off on their delivery
    date, picked up on their planned pickup date (unless lost or damaged); consumable deliveries on
    their date (None last). The one builder of rounds: the Logistique tab and the delivery sheets
    (core.documents.contexts.delivery_rounds) both read it."""
    loans = session.scalars(
        _loan_query().where(Loan.edition_id == edition_id)
        .options(selectinload(Loan.organisation).selectinload(Organisation.contacts))
    ).all()
    deliveries = session.scalars(
        select(ConsumableDelivery).join(Consumable).where(Consumable.edition_id == edition_id)
        .options(selectinload(ConsumableDelivery.consumable),
                 selectinload(ConsumableDelivery.shop).options(*_SHOP_AS_DESTINATION),
                 selectinload(ConsumableDelivery.organisation).selectinload(Organisation.territory),
                 selectinload(ConsumableDelivery.organisation).selectinload(Organisation.contacts))
    ).all()

    # (day, territory) -> destination key -> {"row": source row, "drop": [...], "pick": [...], "carriers": set}
    groups: dict[tuple[Optional[dt.date], str], dict[tuple[str, int], dict]] = defaultdict(dict)

    def slot(day: Optional[dt.date], row: Loan | ConsumableDelivery) -> dict:
        kind, _name, territory, *_ = _destination_of(row)
        key = (kind, row.shop_id if row.shop_id is not None else row.organisation_id)
        stops = groups[(day, territory or NO_TERRITORY)]
        return stops.setdefault(key, {"row": row, "drop": [], "pick": [], "carriers": set()})

    for loan in loans:
        label = f"{loan.item.identifier} – {loan.item.kind}"
        drop = slot(loan.delivery_date, loan)
        drop["drop"].append(RoundLine("déposer", label, 1, "", loan.item.identifier, loan.id, None, loan.status,
                                      loan.status in DELIVERED_STATUSES, loan.notes))
        entries = [drop]
        # A lost or damaged item is on nobody's pickup list any more.
        if loan.status != LOST_OR_DAMAGED:
            pick = slot(loan.pickup_date, loan)
            pick["pick"].append(RoundLine("reprendre", label, 1, "", loan.item.identifier, loan.id, None,
                                          loan.status, loan.status in CLOSED_STATUSES, loan.notes))
            entries.append(pick)
        for entry in entries:
            if loan.carrier:
                entry["carriers"].add(loan.carrier)
    for delivery in deliveries:
        entry = slot(delivery.date, delivery)
        consumable = delivery.consumable
        done = delivery.date is not None and delivery.date <= clock.today()
        entry["drop"].append(RoundLine("déposer", consumable.name, delivery.quantity, consumable.unit, "", None,
                                       delivery.id, "livré" if done else "à livrer", done))
        if delivery.carrier:
            entry["carriers"].add(delivery.carrier)

    rounds = []
    for (day, territory), stops in groups.items():
        built = []
        for (kind, _id), entry in stops.items():
            row = entry["row"]
            _k, name, _t, commune, address, postal_code = _destination_of(row)
            phone, contact = _contact_of(row)
            built.append(RoundStop(
                destination_kind=kind, shop_id=row.shop_id, organisation_id=row.organisation_id, name=name,
                address=address, postal_code=postal_code, commune=commune, phone=phone, contact=contact,
                drop_offs=tuple(sorted(entry["drop"], key=lambda l: (l.item_identifier == "", fold(l.label)))),
                pickups=tuple(sorted(entry["pick"], key=lambda l: fold(l.label))),
                carriers=tuple(sorted(entry["carriers"], key=fold)),
            ))
        built.sort(key=lambda s: (fold(s.commune), address_key(s.address), fold(s.name)))
        carriers = tuple(sorted({c for s in built for c in s.carriers}, key=fold))
        rounds.append(DeliveryRound(day, territory, tuple(built), carriers))
    rounds.sort(key=lambda r: (r.day is None, r.day or dt.date.max, r.territory == NO_TERRITORY, fold(r.territory)))
    return rounds
