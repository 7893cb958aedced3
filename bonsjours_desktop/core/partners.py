"""Partners: organisations, their contacts, their roles in each edition, booklet relays and meetings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from . import validation as v
from .errors import ConflictError, ValidationError, get_or_raise
from .formatting import date_short
from .versions import RowSnapshot, editable, seen, seen_columns
from .models import (
    CONTACT_CHANNELS,
    ORGANISATION_KINDS,
    ROLE_STATUSES,
    BookletRelay,
    ConsumableDelivery,
    Contact,
    Edition,
    EditionRole,
    Loan,
    Meeting,
    MeetingAttendee,
    Organisation,
    Participation,
    RoleType,
    Task,
    Territory,
)

# --- Rows ---------------------------------------------------------------------------------------


# Organisation kinds that never face the public (the Département's own services).
INTERNAL_KINDS = frozenset({"service du Département"})


def public_facing(kind: str, roles: Iterable[tuple[str, bool]]) -> bool:
    """The one rule of who faces the public in an edition — the press-kit recipients and the dashboard's
    « Partenaires sans rôle confirmé » both use it. roles: (status, role type receives_press_kit) of the
    organisation's roles in the edition. Never an internal service; with roles not declined, when one of
    their types is public-facing (press, CCAS' directory, relays…); with none, yes (an EPCI whose animator
    accompanies a shop, a network head, the press to invite)."""
    if kind in INTERNAL_KINDS:
        return False
    active = [receives for status, receives in roles if status != "décliné"]
    return any(active) if active else True


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as the tables show it."""

    id: int
    name: str
    kind: str
    territory: str
    commune: str
    email: str
    phone: str
    contact_count: int
    is_example: bool
    territory_id: Optional[int] = None
    website: str = ""
    role_count: int = 0
    address: str = ""
    postal_code: str = ""
    notes: str = ""
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class OrganisationDetails:
    """Every editable field of an organisation, for the form."""

    id: int
    name: str
    kind: str
    territory_id: Optional[int]
    address: str
    postal_code: str
    commune: str
    website: str
    email: str
    phone: str
    notes: str
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ContactRow:
    """A contact person with the organisation it belongs to."""

    id: int
    organisation_id: int
    organisation: str
    name: str
    function: str
    email: str
    phone: str
    preferred_channel: str
    notes: str
    is_example: bool
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RoleTypeRow:
    """An entry of the editable list of roles, with how many edition roles use it."""

    id: int
    name: str
    position: int
    use_count: int
    # Partners holding a role of this type get the public press kit by default (Documents tab).
    receives_press_kit: bool = False
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RoleRow:
    """What one organisation does in one edition."""

    id: int
    edition_id: int
    organisation_id: int
    organisation: str
    organisation_kind: str
    role_type_id: int
    role_type: str
    description: str
    contact_id: Optional[int]
    contact: str
    status: str
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RoleMatrixRow:
    """One organisation of the matrix; cells follow RoleMatrix.role_types (None = no role)."""

    organisation_id: int
    organisation: str
    kind: str
    cells: tuple[Optional[str], ...]
    descriptions: tuple[str, ...]

    @property
    def role_count(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)


@dataclass(frozen=True)
class RoleMatrix:
    """Organisations × role types of an edition; a cell holds the commitment status."""

    edition_id: int
    edition_name: str
    role_types: tuple[tuple[int, str], ...]
    rows: tuple[RoleMatrixRow, ...]

    def status(self, organisation: str, role_type: str) -> Optional[str]:
        column = [name for _id, name in self.role_types].index(role_type)
        for row in self.rows:
            if row.organisation == organisation:
                return row.cells[column]
        return None


@dataclass(frozen=True)
class BookletRelayRow:
    """Directory booklets handed to one relay for an edition."""

    id: int
    edition_id: int
    organisation_id: int
    organisation: str
    organisation_kind: str
    quantity: int
    date: Optional[dt.date]
    notes: str
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AttendeeRow:
    organisation_id: int
    organisation: str
    attended: bool


@dataclass(frozen=True)
class MeetingRow:
    """A meeting of an edition with its invited organisations."""

    id: int
    edition_id: int
    date: dt.date
    subject: str
    minutes: str
    attendees: tuple[AttendeeRow, ...]
    # The row as loaded: hand it back to the update/delete service, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def invited_count(self) -> int:
        return len(self.attendees)

    @property
    def attended_count(self) -> int:
        return sum(1 for a in self.attendees if a.attended)


@dataclass(frozen=True)
class DeletionImpact:
    """What goes (or loses its link) when an organisation or a contact is deleted."""

    name: str
    contacts: int = 0
    roles: int = 0
    booklet_relays: int = 0
    meeting_invitations: int = 0
    tasks_unowned: int = 0
    loans: int = 0
    deliveries: int = 0
    animator_links: int = 0
    role_contact_links: int = 0

    def lines(self) -> list[str]:
        """French sentences, one per non-empty consequence."""
        parts = [
            (self.contacts, "contact supprimé", "contacts supprimés"),
            (self.roles, "rôle dans une édition supprimé", "rôles dans les éditions supprimés"),
            (self.booklet_relays, "remise d'annuaires supprimée", "remises d'annuaires supprimées"),
            (self.meeting_invitations, "invitation à une réunion supprimée", "invitations à des réunions supprimées"),
            (self.tasks_unowned, "tâche du planning sans responsable", "tâches du planning sans responsable"),
            (self.loans, "prêt de matériel supprimé", "prêts de matériel supprimés"),
            (self.deliveries, "livraison de fournitures supprimée", "livraisons de fournitures supprimées"),
            (self.animator_links, "boutique perd son animateur·rice de prévention",
             "boutiques perdent leur animateur·rice de prévention"),
            (self.role_contact_links, "rôle perd sa personne de contact", "rôles perdent leur personne de contact"),
        ]
        return [f"{count} {one if count == 1 else many}" for count, one, many in parts if count]

    @property
    def is_empty(self) -> bool:
        return not self.lines()

    def message(self) -> str:
        """The confirmation question shown before deleting."""
        lines = self.lines()
        if not lines:
            return f"Supprimer « {self.name} » ? Rien d'autre n'en dépend."
        return f"Supprimer « {self.name} » ? Cela entraîne aussi :\n" + "\n".join(f"• {line}" for line in lines)


# --- Organisations -----------------------------------------------------------------------------


def list_organisation_rows(session: Session, edition_id: Optional[int] = None) -> list[OrganisationRow]:
    """Every organisation; role_count counts its roles in edition_id (in every edition when None)."""
    counts = dict(session.execute(select(Contact.organisation_id, func.count()).group_by(Contact.organisation_id)).all())
    role_query = select(EditionRole.organisation_id, func.count()).group_by(EditionRole.organisation_id)
    if edition_id is not None:
        role_query = role_query.where(EditionRole.edition_id == edition_id)
    roles = dict(session.execute(role_query).all())
    # Plain columns, territory joined, snapshot from the columns: a regional base has 5 000 organisations.
    query = (select(Organisation.__table__, Territory.name)
             .outerjoin(Territory, Territory.id == Organisation.territory_id)
             .order_by(Organisation.name, Organisation.id))
    rows = []
    width = len(Organisation.__table__.columns)
    for row in session.execute(query):
        shot = seen_columns(Organisation, row)
        o = shot.values
        rows.append(OrganisationRow(o["id"], o["name"], o["kind"], row[width] or "", o["commune"], o["email"],
                                    o["phone"], counts.get(o["id"], 0), o["is_example"], o["territory_id"],
                                    o["website"], roles.get(o["id"], 0), o["address"], o["postal_code"], o["notes"],
                                    shot))
    return rows


def list_territory_choices(session: Session) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in session.scalars(select(Territory).order_by(Territory.name))]


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = get_or_raise(session, Organisation, organisation_id)
    return organisation


def organisation_details(session: Session, organisation_id: int) -> OrganisationDetails:
    o = get_organisation(session, organisation_id)
    return OrganisationDetails(o.id, o.name, o.kind, o.territory_id, o.address, o.postal_code, o.commune,
                               o.website, o.email, o.phone, o.notes, seen(o))


def _validated_organisation(session: Session, data: Mapping[str, Any], organisation_id: Optional[int]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    def name() -> None:
        text = v.required(data.get("name"), "name", "Le nom de l'organisation")
        key = v.fold(text)
        for other_id, other_name in session.execute(select(Organisation.id, Organisation.name)):
            if other_id != organisation_id and v.fold(other_name) == key:
                raise ValidationError({"name": f"Une organisation s'appelle déjà « {other_name} »."})
        values["name"] = text

    def kind() -> None:
        text = (data.get("kind") or "autre").strip()
        if text not in ORGANISATION_KINDS:
            raise ValidationError({"kind": f"Le type « {text} » n'existe pas (types : {', '.join(ORGANISATION_KINDS)})."})
        values["kind"] = text

    def territory() -> None:
        territory_id = data.get("territory_id")
        if territory_id in (None, ""):
            values["territory_id"] = None
            return
        if session.get(Territory, int(territory_id)) is None:
            raise ValidationError({"territory_id": "Ce territoire n'existe plus ; choisissez-en un autre."})
        values["territory_id"] = int(territory_id)

    def simple() -> None:
        for key in ("address", "commune", "notes"):
            values[key] = v.clean_text(data.get(key))

    v.collect(
        name, kind, territory, simple,
        lambda: values.__setitem__("postal_code", v.postal_code(data.get("postal_code"))),
        lambda: values.__setitem__("website", v.website(data.get("website"))),
        lambda: values.__setitem__("email", v.email(data.get("email"))),
        lambda: values.__setitem__("phone", v.phone(data.get("phone"))),
    )
    return values


def create_organisation(session: Session, data: Mapping[str, Any]) -> int:
    """Add an organisation; name required and unique (ignoring case and accents)."""
    organisation = Organisation(**_validated_organisation(session, data, None))
    session.add(organisation)
    session.flush()
    return organisation.id


def update_organisation(session: Session, organisation_id: int, data: Mapping[str, Any], *,
                        expected: RowSnapshot) -> int:
    """Save the form; expected is the row as the form loaded it (refused if someone saved since)."""
    organisation = editable(session, Organisation, organisation_id, expected)
    for key, value in _validated_organisation(session, data, organisation_id).items():
        setattr(organisation, key, value)
    return organisation.id


def deletion_impact(session: Session, organisation_id: int) -> DeletionImpact:
    """What deleting this organisation takes with it, for the confirmation."""
    organisation = get_organisation(session, organisation_id)

    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    contact_ids = select(Contact.id).where(Contact.organisation_id == organisation_id)
    return DeletionImpact(
        name=organisation.name,
        contacts=count(Contact, Contact.organisation_id == organisation_id),
        roles=count(EditionRole, EditionRole.organisation_id == organisation_id),
        booklet_relays=count(BookletRelay, BookletRelay.organisation_id == organisation_id),
        meeting_invitations=count(MeetingAttendee, MeetingAttendee.organisation_id == organisation_id),
        tasks_unowned=count(Task, Task.owner_organisation_id == organisation_id),
        loans=count(Loan, Loan.organisation_id == organisation_id),
        deliveries=count(ConsumableDelivery, ConsumableDelivery.organisation_id == organisation_id),
        animator_links=count(Participation, Participation.animator_contact_id.in_(contact_ids)),
    )


def delete_organisation(session: Session, organisation_id: int, *, expected: RowSnapshot) -> int:
    """Delete the organisation; contacts, roles, relays and invitations go with it (undoable)."""
    organisation = editable(session, Organisation, organisation_id, expected)
    session.delete(organisation)
    return organisation_id


# --- Contacts ----------------------------------------------------------------------------------


def _contact_row(c: Contact) -> ContactRow:
    return ContactRow(c.id, c.organisation_id, c.organisation.name, c.name, c.function, c.email, c.phone,
                      c.preferred_channel, c.notes, c.is_example, seen(c))


def list_contact_rows(session: Session, organisation_ids: Optional[Iterable[int]] = None) -> list[ContactRow]:
    """Contacts of the given organisations (all when None), by organisation then name."""
    query = select(Contact).join(Contact.organisation).options(selectinload(Contact.organisation))
    if organisation_ids is not None:
        query = query.where(Contact.organisation_id.in_(list(organisation_ids)))
    return [_contact_row(c) for c in session.scalars(query.order_by(Organisation.name, Contact.name))]


def get_contact(session: Session, contact_id: int) -> Contact:
    contact = get_or_raise(session, Contact, contact_id)
    return contact


def contact_row(session: Session, contact_id: int) -> ContactRow:
    return _contact_row(get_contact(session, contact_id))


def _validated_contact(session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    def organisation() -> None:
        organisation_id = data.get("organisation_id")
        if organisation_id in (None, "") or session.get(Organisation, int(organisation_id)) is None:
            raise ValidationError({"organisation_id": "Choisissez l'organisation de ce contact."})
        values["organisation_id"] = int(organisation_id)

    def channel() -> None:
        text = (data.get("preferred_channel") or "courriel").strip()
        if text not in CONTACT_CHANNELS:
            raise ValidationError(
                {"preferred_channel": f"Le moyen de contact « {text} » n'existe pas (possibles : {', '.join(CONTACT_CHANNELS)})."}
            )
        values["preferred_channel"] = text

    v.collect(
        organisation,
        lambda: values.__setitem__("name", v.required(data.get("name"), "name", "Le nom du contact")),
        lambda: values.__setitem__("function", v.clean_text(data.get("function"))),
        lambda: values.__setitem__("email", v.email(data.get("email"))),
        lambda: values.__setitem__("phone", v.phone(data.get("phone"))),
        channel,
        lambda: values.__setitem__("notes", v.clean_text(data.get("notes"))),
    )
    return values


def create_contact(session: Session, data: Mapping[str, Any]) -> int:
    contact = Contact(**_validated_contact(session, data))
    session.add(contact)
    session.flush()
    return contact.id


def update_contact(session: Session, contact_id: int, data: Mapping[str, Any], *, expected: RowSnapshot) -> int:
    contact = editable(session, Contact, contact_id, expected)
    values = _validated_contact(session, {"organisation_id": contact.organisation_id, **data})
    moved = contact.organisation_id != values["organisation_id"]
    for key, value in values.items():
        setattr(contact, key, value)
    if moved:
        # Roles keep their contact only within the same organisation.
        for role in session.scalars(select(EditionRole).where(EditionRole.contact_id == contact_id)):
            role.contact_id = None
    return contact.id


def contact_deletion_impact(session: Session, contact_id: int) -> DeletionImpact:
    contact = get_contact(session, contact_id)

    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return DeletionImpact(
        name=contact.name,
        animator_links=count(Participation, Participation.animator_contact_id == contact_id),
        role_contact_links=count(EditionRole, EditionRole.contact_id == contact_id),
    )


def delete_contact(session: Session, contact_id: int, *, expected: RowSnapshot) -> int:
    session.delete(editable(session, Contact, contact_id, expected))
    return contact_id


def email_list(rows: Iterable[ContactRow]) -> str:
    """Addresses separated by '; ' as Outlook expects, without duplicates or blanks."""
    seen: set[str] = set()
    addresses = []
    for row in rows:
        address = row.email.strip()
        if address and address.casefold() not in seen:
            seen.add(address.casefold())
            addresses.append(address)
    return "; ".join(addresses)


# --- Role types --------------------------------------------------------------------------------


def list_role_types(session: Session) -> list[RoleTypeRow]:
    counts = dict(session.execute(select(EditionRole.role_type_id, func.count()).group_by(EditionRole.role_type_id)).all())
    return [
        RoleTypeRow(r.id, r.name, r.position, counts.get(r.id, 0), r.receives_press_kit, seen(r))
        for r in session.scalars(select(RoleType).order_by(RoleType.position, RoleType.id))
    ]


def _validated_role_type_name(session: Session, name: Optional[str], role_type_id: Optional[int]) -> str:
    text = v.required(name, "name", "Le nom du rôle").strip()
    for other in session.scalars(select(RoleType)):
        if other.id != role_type_id and v.fold(other.name) == v.fold(text):
            raise ValidationError({"name": f"Le rôle « {other.name} » existe déjà."})
    return text


def create_role_type(session: Session, name: str) -> int:
    position = (session.scalar(select(func.max(RoleType.position))) or 0) + 1
    role_type = RoleType(name=_validated_role_type_name(session, name, None), position=position)
    session.add(role_type)
    session.flush()
    return role_type.id


def rename_role_type(session: Session, role_type_id: int, name: str, *, expected: RowSnapshot) -> int:
    role_type = editable(session, RoleType, role_type_id, expected)
    role_type.name = _validated_role_type_name(session, name, role_type_id)
    return role_type_id


def set_role_type_press_kit(session: Session, role_type_id: int, receives: bool, *, expected: RowSnapshot) -> int:
    """Whether partners holding this role get the press kit by default."""
    role_type = editable(session, RoleType, role_type_id, expected)
    role_type.receives_press_kit = bool(receives)
    session.flush()
    return role_type_id


def move_role_type(session: Session, role_type_id: int, step: int, *, expected: RowSnapshot) -> int:
    """Move one place up (step -1) or down (+1) in the list; positions are renumbered 0..n."""
    from .reference import move_in_list

    return move_in_list(session, RoleType, role_type_id, step, expected=expected)


def delete_role_type(session: Session, role_type_id: int, *, expected: RowSnapshot) -> int:
    role_type = editable(session, RoleType, role_type_id, expected)
    used = session.scalar(select(func.count()).select_from(EditionRole).where(EditionRole.role_type_id == role_type_id))
    if used:
        raise ConflictError(
            f"Le rôle « {role_type.name} » est tenu par {used} partenaire(s) dans les éditions : "
            "supprimez ou changez d'abord ces rôles."
        )
    session.delete(role_type)
    return role_type_id


# --- Roles per edition -------------------------------------------------------------------------


def _role_row(r: EditionRole) -> RoleRow:
    return RoleRow(r.id, r.edition_id, r.organisation_id, r.organisation.name, r.organisation.kind, r.role_type_id,
                   r.role_type.name, r.description, r.contact_id, r.contact.name if r.contact else "", r.status,
                   seen(r))


def list_role_rows(session: Session, edition_id: Optional[int]) -> list[RoleRow]:
    if edition_id is None:
        return []
    query = (
        select(EditionRole)
        .join(EditionRole.organisation)
        .join(EditionRole.role_type)
        .where(EditionRole.edition_id == edition_id)
        .options(selectinload(EditionRole.organisation), selectinload(EditionRole.role_type),
                 selectinload(EditionRole.contact))
        .order_by(Organisation.name, RoleType.position)
    )
    return [_role_row(r) for r in session.scalars(query)]


def role_row(session: Session, role_id: int) -> RoleRow:
    role = get_or_raise(session, EditionRole, role_id)
    return _role_row(role)


def _reference_check(session: Session, data: Mapping[str, Any], values: dict[str, Any], key: str, model: Any,
                     message: str):
    """A check for collect(): data[key] must name an existing row of model; stored as int in values."""

    def check() -> None:
        ident = data.get(key)
        if ident in (None, "") or session.get(model, int(ident)) is None:
            raise ValidationError({key: message})
        values[key] = int(ident)

    return check


def _validated_role(session: Session, data: Mapping[str, Any], role_id: Optional[int]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    edition = _reference_check(session, data, values, "edition_id", Edition, "Choisissez d'abord une édition.")
    organisation = _reference_check(session, data, values, "organisation_id", Organisation,
                                    "Choisissez l'organisation qui tient ce rôle.")
    role_type = _reference_check(session, data, values, "role_type_id", RoleType, "Choisissez le rôle dans la liste.")

    def status() -> None:
        text = (data.get("status") or "invité").strip()
        if text not in ROLE_STATUSES:
            raise ValidationError({"status": f"Le statut « {text} » n'existe pas (possibles : {', '.join(ROLE_STATUSES)})."})
        values["status"] = text

    v.collect(edition, organisation, role_type, status,
              lambda: values.__setitem__("description", v.clean_text(data.get("description"))))

    contact_id = data.get("contact_id")
    if contact_id in (None, ""):
        values["contact_id"] = None
    else:
        contact = session.get(Contact, int(contact_id))
        if contact is None or contact.organisation_id != values["organisation_id"]:
            raise ValidationError({"contact_id": "La personne de contact doit appartenir à l'organisation qui tient le rôle."})
        values["contact_id"] = contact.id

    duplicate = session.scalars(
        select(EditionRole).where(
            EditionRole.edition_id == values["edition_id"],
            EditionRole.organisation_id == values["organisation_id"],
            EditionRole.role_type_id == values["role_type_id"],
        )
    ).first()
    if duplicate is not None and duplicate.id != role_id:
        raise ConflictError(
            f"« {duplicate.organisation.name} » tient déjà le rôle « {duplicate.role_type.name} » dans cette "
            "édition : modifiez ce rôle plutôt que d'en ajouter un second."
        )
    return values


def create_role(session: Session, data: Mapping[str, Any]) -> int:
    role = EditionRole(**_validated_role(session, data, None))
    session.add(role)
    session.flush()
    return role.id


def update_role(session: Session, role_id: int, data: Mapping[str, Any], *, expected: RowSnapshot) -> int:
    role = editable(session, EditionRole, role_id, expected)
    current = {"edition_id": role.edition_id, "organisation_id": role.organisation_id, "role_type_id": role.role_type_id,
               "status": role.status, "description": role.description, "contact_id": role.contact_id}
    for key, value in _validated_role(session, {**current, **data}, role_id).items():
        setattr(role, key, value)
    return role_id


def set_role_status(session: Session, role_id: int, status: str, *, expected: RowSnapshot) -> int:
    return update_role(session, role_id, {"status": status}, expected=expected)


def delete_role(session: Session, role_id: int, *, expected: RowSnapshot) -> int:
    role = editable(session, EditionRole, role_id, expected)
    session.delete(role)
    return role_id


def copy_roles(session: Session, from_edition_id: int, to_edition_id: int) -> int:
    """Invite again, for to_edition, the partners of from_edition (status « invité »); returns how many."""
    if from_edition_id == to_edition_id:
        raise ValidationError({"edition_id": "Choisissez une autre édition que l'édition en cours."})
    existing = set(
        session.execute(
            select(EditionRole.organisation_id, EditionRole.role_type_id).where(EditionRole.edition_id == to_edition_id)
        ).all()
    )
    added = 0
    for role in session.scalars(select(EditionRole).where(EditionRole.edition_id == from_edition_id)):
        if (role.organisation_id, role.role_type_id) in existing:
            continue
        session.add(EditionRole(edition_id=to_edition_id, organisation_id=role.organisation_id,
                                role_type_id=role.role_type_id, description=role.description,
                                contact_id=role.contact_id, status="invité"))
        added += 1
    session.flush()
    return added


def role_matrix(session: Session, edition_id: int, *, all_organisations: bool = False,
                used_role_types_only: bool = False) -> RoleMatrix:
    """Organisations × role types of the edition; by default only organisations holding a role."""
    edition = get_or_raise(session, Edition, edition_id)
    roles = list_role_rows(session, edition_id)
    role_types = [(r.id, r.name) for r in list_role_types(session)]
    if used_role_types_only:
        used = {r.role_type_id for r in roles}
        role_types = [rt for rt in role_types if rt[0] in used]
    column_of = {role_type_id: index for index, (role_type_id, _name) in enumerate(role_types)}
    by_organisation: dict[int, dict[int, RoleRow]] = {}
    for role in roles:
        by_organisation.setdefault(role.organisation_id, {})[role.role_type_id] = role
    # Only what the matrix shows, in list_organisation_rows' order: the full rows (counts, snapshots) of
    # a regional base's 5 000 organisations cost more than the rest of the matrix.
    organisations = select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name,
                                                                                        Organisation.id)
    if not all_organisations:
        organisations = organisations.where(Organisation.id.in_(select(EditionRole.organisation_id)
                                                                .where(EditionRole.edition_id == edition_id)))
    rows = []
    for organisation_id, name, kind in session.execute(organisations):
        held = by_organisation.get(organisation_id, {})
        if not held and not all_organisations:
            continue
        cells: list[Optional[str]] = [None] * len(role_types)
        descriptions = [""] * len(role_types)
        for role_type_id, role in held.items():
            if role_type_id in column_of:
                cells[column_of[role_type_id]] = role.status
                descriptions[column_of[role_type_id]] = role.description
        rows.append(RoleMatrixRow(organisation_id, name, kind, tuple(cells), tuple(descriptions)))
    return RoleMatrix(edition.id, edition.name, tuple(role_types), tuple(rows))


# --- Booklet relays ----------------------------------------------------------------------------


def list_booklet_relays(session: Session, edition_id: Optional[int]) -> list[BookletRelayRow]:
    if edition_id is None:
        return []
    query = (
        select(BookletRelay).join(BookletRelay.organisation).where(BookletRelay.edition_id == edition_id)
        .options(selectinload(BookletRelay.organisation)).order_by(Organisation.name, BookletRelay.date)
    )
    return [_relay_row(r) for r in session.scalars(query)]


def _relay_row(r: BookletRelay) -> BookletRelayRow:
    return BookletRelayRow(r.id, r.edition_id, r.organisation_id, r.organisation.name, r.organisation.kind,
                           r.quantity, r.date, r.notes, seen(r))


def booklet_relay_row(session: Session, relay_id: int) -> BookletRelayRow:
    return _relay_row(get_or_raise(session, BookletRelay, relay_id))


def parse_quantity(value: Any, field: str = "quantity") -> int:
    text = str(value if value is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise ValidationError({field: "Indiquez le nombre d'annuaires remis."})
    try:
        if not re.fullmatch(r"[+-]?[0-9]+", text):  # int() would also take « 1_50 »
            raise ValueError(text)
        number = int(text)
    except ValueError:
        raise ValidationError({field: f"Le nombre d'annuaires « {value} » doit être un nombre entier (exemple : 150)."}) from None
    if number <= 0:
        raise ValidationError({field: "Le nombre d'annuaires remis doit être supérieur à zéro."})
    return number


def _validated_relay(session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    edition = _reference_check(session, data, values, "edition_id", Edition, "Choisissez d'abord une édition.")
    organisation = _reference_check(session, data, values, "organisation_id", Organisation,
                                    "Choisissez le relais qui a reçu les annuaires.")

    def date() -> None:
        value = data.get("date")
        if value is not None and not isinstance(value, dt.date):
            raise ValidationError({"date": "La date de remise n'est pas une date valide."})
        values["date"] = value

    v.collect(edition, organisation, date,
              lambda: values.__setitem__("quantity", parse_quantity(data.get("quantity"))),
              lambda: values.__setitem__("notes", v.clean_text(data.get("notes"))))
    return values


def create_booklet_relay(session: Session, data: Mapping[str, Any]) -> int:
    relay = BookletRelay(**_validated_relay(session, data))
    session.add(relay)
    session.flush()
    return relay.id


def update_booklet_relay(session: Session, relay_id: int, data: Mapping[str, Any], *, expected: RowSnapshot) -> int:
    relay = editable(session, BookletRelay, relay_id, expected)
    current = {"edition_id": relay.edition_id, "organisation_id": relay.organisation_id, "quantity": relay.quantity,
               "date": relay.date, "notes": relay.notes}
    for key, value in _validated_relay(session, {**current, **data}).items():
        setattr(relay, key, value)
    return relay_id


def delete_booklet_relay(session: Session, relay_id: int, *, expected: RowSnapshot) -> int:
    relay = editable(session, BookletRelay, relay_id, expected)
    session.delete(relay)
    return relay_id


# --- Meetings ----------------------------------------------------------------------------------


def _meeting_row(m: Meeting) -> MeetingRow:
    attendees = sorted(
        (AttendeeRow(a.organisation_id, a.organisation.name, a.attended) for a in m.attendees),
        key=lambda a: v.fold(a.organisation),
    )
    return MeetingRow(m.id, m.edition_id, m.date, m.subject, m.minutes, tuple(attendees), seen(m))


def list_meetings(session: Session, edition_id: Optional[int]) -> list[MeetingRow]:
    if edition_id is None:
        return []
    query = (
        select(Meeting).where(Meeting.edition_id == edition_id)
        .options(selectinload(Meeting.attendees).selectinload(MeetingAttendee.organisation))
        .order_by(Meeting.date, Meeting.id)
    )
    return [_meeting_row(m) for m in session.scalars(query)]


def meeting_row(session: Session, meeting_id: int) -> MeetingRow:
    meeting = get_or_raise(session, Meeting, meeting_id)
    return _meeting_row(meeting)


def _validated_meeting(session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    def edition() -> None:
        edition_id = data.get("edition_id")
        if edition_id in (None, "") or session.get(Edition, int(edition_id)) is None:
            raise ValidationError({"edition_id": "Choisissez d'abord une édition."})
        values["edition_id"] = int(edition_id)

    def date() -> None:
        value = data.get("date")
        if not isinstance(value, dt.date):
            raise ValidationError({"date": "Indiquez la date de la réunion."})
        values["date"] = value

    v.collect(edition, date,
              lambda: values.__setitem__("subject", v.required(data.get("subject"), "subject", "L'objet de la réunion")),
              lambda: values.__setitem__("minutes", v.clean_text(data.get("minutes"))))
    return values


def _set_attendees(session: Session, meeting: Meeting, attendees: Mapping[int, bool]) -> None:
    """Make the invitation list exactly `attendees` (organisation id → came?), through the ORM."""
    wanted = {int(k): bool(came) for k, came in attendees.items()}
    for organisation_id in wanted:
        if session.get(Organisation, organisation_id) is None:
            raise ValidationError({"attendees": "Une organisation invitée n'existe plus ; rouvrez la réunion."})
    for attendee in list(meeting.attendees):
        if attendee.organisation_id not in wanted:
            meeting.attendees.remove(attendee)
        elif attendee.attended != wanted[attendee.organisation_id]:
            attendee.attended = wanted[attendee.organisation_id]
    present = {a.organisation_id for a in meeting.attendees}
    for organisation_id, came in wanted.items():
        if organisation_id not in present:
            meeting.attendees.append(MeetingAttendee(organisation_id=organisation_id, attended=came))


def create_meeting(session: Session, data: Mapping[str, Any]) -> int:
    meeting = Meeting(**_validated_meeting(session, data))
    session.add(meeting)
    _set_attendees(session, meeting, data.get("attendees") or {})
    session.flush()
    return meeting.id


def update_meeting(session: Session, meeting_id: int, data: Mapping[str, Any], *, expected: RowSnapshot) -> int:
    meeting = editable(session, Meeting, meeting_id, expected)
    current = {"edition_id": meeting.edition_id, "date": meeting.date, "subject": meeting.subject,
               "minutes": meeting.minutes}
    for key, value in _validated_meeting(session, {**current, **data}).items():
        setattr(meeting, key, value)
    if "attendees" in data:
        _set_attendees(session, meeting, data["attendees"] or {})
        # Invitations live in their own rows: the meeting's version moves with them, so a colleague's
        # stale form cannot put back the list someone else just changed.
        flag_modified(meeting, "subject")
    return meeting_id


def delete_meeting(session: Session, meeting_id: int, *, expected: RowSnapshot) -> int:
    meeting = editable(session, Meeting, meeting_id, expected)
    session.delete(meeting)
    return meeting_id


def meeting_summary(row: MeetingRow) -> str:
    """One French line: date, subject, attendance."""
    return f"{date_short(row.date)} — {row.subject} ({row.attended_count} présent(s) sur {row.invited_count} invité(s))"


# --- Export rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactExportRow:
    """A contact with its organisation and, when an edition is given, the organisation's roles in it."""

    name: str
    organisation: str
    kind: str
    territory: str
    function: str
    email: str
    phone: str
    preferred_channel: str
    roles: str


def contact_export_rows(session: Session, edition_id: Optional[int] = None, *, only_involved: bool = False,
                        contact_ids: Optional[Iterable[int]] = None) -> list[ContactExportRow]:
    roles_of: dict[int, list[str]] = {}
    if edition_id is not None:
        for role in list_role_rows(session, edition_id):
            roles_of.setdefault(role.organisation_id, []).append(f"{role.role_type} ({role.status})")
    wanted = set(contact_ids) if contact_ids is not None else None
    query = (
        select(Contact).join(Contact.organisation)
        .options(selectinload(Contact.organisation).selectinload(Organisation.territory))
        .order_by(Organisation.name, Contact.name)
    )
    rows = []
    for c in session.scalars(query):
        if wanted is not None and c.id not in wanted:
            continue
        if only_involved and c.organisation_id not in roles_of:
            continue
        o = c.organisation
        rows.append(ContactExportRow(c.name, o.name, o.kind, o.territory.name if o.territory else "", c.function,
                                     c.email, c.phone, c.preferred_channel, ", ".join(roles_of.get(o.id, []))))
    return rows
