"""SQLAlchemy 2.0 typed models: the whole Bons Jours data model in one declarative base."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy import false as sql_false
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


class Money(TypeDecorator):
    """Exact amount in euros stored as integer cents; Python side is always Decimal."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Optional[int]:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("Les montants ne doivent jamais être des float : utilisez Decimal.")
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
        return int(amount * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Optional[Decimal]:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class Rate(TypeDecorator):
    """A percentage with two decimals (VAT 5,5 %) stored as integer hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Optional[int]:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("Les taux ne doivent jamais être des float : utilisez Decimal.")
        return int(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP) * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Optional[Decimal]:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class Base(DeclarativeBase):
    """Declarative base of every Bons Jours table; every row carries a version for optimistic locking."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}

    # Bumped by every UPDATE; an UPDATE or DELETE whose version no longer matches is refused, so two
    # coordinators sharing a server never overwrite each other silently (see operations.py).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )


# --- Territories and shops -------------------------------------------------------------------

TERRITORY_KINDS = ["EPCI", "Commune", "Pays", "Autre"]


class Territory(Base):
    """A local authority (EPCI, collectivité) that covers part of the département."""

    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="EPCI")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the public reads (directory, press kits, posters) when the official name is an acronym
    # nobody knows ("SIRDOMDI"); empty: the official name is printed.
    public_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # SIREN of the EPCI in the reference geography (core/geo.py), "" for other territories.
    epci_code: Mapped[str] = mapped_column(String(9), default="", server_default="")

    shops: Mapped[list[Shop]] = relationship(back_populates="territory")

    @property
    def display_name(self) -> str:
        """The name printed for the public."""
        return self.public_name.strip() or self.name


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

PRODUCT_CATEGORIES = [
    "meubles",
    "vêtements",
    "électroménager",
    "livres/disques",
    "jouets",
    "vaisselle",
    "vélos",
    "informatique",
    "bric-à-brac",
    "linge de maison",
    "matériaux",
]

NETWORKS = [
    "Emmaüs",
    "Secours Catholique",
    "Envie",
    "APIVET",
    "Arceau Anjou",
    "Réseau des ressourceries",
    "Indépendant",
]

LEGAL_FORMS = [
    "Association",
    "Entreprise d'insertion",
    "Atelier et chantier d'insertion",
    "SCIC",
    "Autre",
]


class Shop(TimestampMixin, Base):
    """A boutique solidaire: a second-hand shop run by a social and solidarity economy structure."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    network: Mapped[str] = mapped_column(String(120), default="")
    legal_form: Mapped[str] = mapped_column(String(120), default="")
    # An "entreprise d'insertion" may not advertise its shop itself.
    may_promote: Mapped[bool] = mapped_column(Boolean, default=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    commune: Mapped[str] = mapped_column(String(200))
    territory_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL"), index=True
    )
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    # True when the coordinates are the commune's centre, not the shop's address (drawn differently).
    coordinates_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_false())
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # {"mercredi": [["09:00", "12:00"], ["14:00", "18:00"]], ...}
    opening_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    products: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    territory: Mapped[Optional[Territory]] = relationship(back_populates="shops")
    participations: Mapped[list[Participation]] = relationship(
        back_populates="shop", cascade="all, delete-orphan"
    )


# --- Editions and participations -------------------------------------------------------------

EDITION_STATUSES = ["en préparation", "en cours", "terminée", "annulée"]


class Edition(TimestampMixin, Base):
    """One occurrence of the operation, held on one or more event days."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    theme: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40), default="en préparation")
    budget_envelope: Mapped[Optional[Decimal]] = mapped_column(Money)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Review ("bilan") of the edition.
    press_articles: Mapped[Optional[int]] = mapped_column(Integer)
    booklets_distributed: Mapped[Optional[int]] = mapped_column(Integer)
    qualitative_results: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whom journalists call: printed in every press kit of the edition.
    press_contact_id: Mapped[Optional[int]] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))

    press_contact: Mapped[Optional[Contact]] = relationship(foreign_keys=[press_contact_id])
    event_days: Mapped[list[EventDay]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="EventDay.day"
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[Task]] = relationship(back_populates="edition", cascade="all, delete-orphan")
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )
    roles: Mapped[list[EditionRole]] = relationship(back_populates="edition", cascade="all, delete-orphan")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="edition", cascade="all, delete-orphan")
    booklet_relays: Mapped[list[BookletRelay]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )
    loans: Mapped[list[Loan]] = relationship(back_populates="edition", cascade="all, delete-orphan")
    consumables: Mapped[list[Consumable]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )

    @property
    def first_day(self) -> Optional[dt.date]:
        return min((d.day for d in self.event_days), default=None)


class EventDay(Base):
    """A day on which the shops hold their animations (a Wednesday and a Saturday, usually)."""

    __tablename__ = "event_days"
    __table_args__ = (UniqueConstraint("edition_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)

    edition: Mapped[Edition] = relationship(back_populates="event_days")


PARTICIPATION_STATUSES = ["pressentie", "confirmée", "désistée"]

ANIMATION_CATEGORIES = [
    "musique",
    "jeux",
    "promotions",
    "café offert",
    "vente de crêpes",
    "constructions insolites",
    "atelier réparation",
    "animation prévention déchets",
    "autre",
]


class Participation(TimestampMixin, Base):
    """A shop taking part in an edition, with its results after the event."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("shop_id", "edition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(40), default="confirmée")
    animator_contact_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    # Results, entered after the event.
    visitors: Mapped[Optional[int]] = mapped_column(Integer)
    sales: Mapped[Optional[Decimal]] = mapped_column(Money)
    animations_held: Mapped[str] = mapped_column(Text, default="")
    result_comments: Mapped[str] = mapped_column(Text, default="")
    # Opening hours on each event day, {"2014-04-02": [["14:00", "18:00"]]}; a day left out follows the
    # shop's weekly hours for that weekday, an empty list means the shop does not open that day.
    event_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    shop: Mapped[Shop] = relationship(back_populates="participations")
    edition: Mapped[Edition] = relationship(back_populates="participations")
    animator: Mapped[Optional[Contact]] = relationship()
    animations: Mapped[list[Animation]] = relationship(
        back_populates="participation", cascade="all, delete-orphan", order_by="Animation.id"
    )


class Animation(Base):
    """What a participating shop does on one event day (music, games, crêpes...)."""

    __tablename__ = "animations"

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    event_day_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("event_days.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(80), default="autre")
    description: Mapped[str] = mapped_column(Text, default="")
    start_time: Mapped[str] = mapped_column(String(5), default="")  # "HH:MM"
    end_time: Mapped[str] = mapped_column(String(5), default="")

    participation: Mapped[Participation] = relationship(back_populates="animations")
    event_day: Mapped[Optional[EventDay]] = relationship()


# --- Partners ---------------------------------------------------------------------------------

ORGANISATION_KINDS = [
    "structure ESS",
    "collectivité/EPCI",
    "service du Département",
    "presse",
    "CCAS",
    "Maison des solidarités",
    "autre",
]


class Organisation(TimestampMixin, Base):
    """A partner organisation: ESS structure, EPCI, Département service, press, CCAS..."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(60), default="autre")
    territory_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    commune: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    territory: Mapped[Optional[Territory]] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.name"
    )
    roles: Mapped[list[EditionRole]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


LOGO_FORMATS = ("png", "jpeg", "svg")


class OrganisationLogo(Base):
    """An organisation's logo, the file's bytes kept in the base: a shared base carries it to every
    colleague's posters, and a backup keeps it. Its own table, so organisation rows stay light."""

    __tablename__ = "organisation_logos"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    format: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)


CONTACT_CHANNELS = ["courriel", "téléphone", "courrier", "rencontre"]


class Contact(TimestampMixin, Base):
    """A person in a partner organisation."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_channel: Mapped[str] = mapped_column(String(40), default="courriel")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


DEFAULT_ROLE_TYPES = [
    "boutique participante",
    "animations prévention en boutique",
    "relais presse locale",
    "diffusion de l'annuaire",
    "communication",
    "logistique",
    "financement",
    "autre",
]
# Public-facing roles: the Département's internal services (communication, logistics, funding) are not.
PRESS_KIT_ROLE_TYPES = [
    "boutique participante",
    "animations prévention en boutique",
    "relais presse locale",
    "diffusion de l'annuaire",
]

ROLE_STATUSES = ["invité", "confirmé", "décliné"]


class RoleType(Base):
    """An entry of the editable list of roles a partner may hold in an edition."""

    __tablename__ = "role_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Partners holding a role of this type get the (public) press kit by default.
    receives_press_kit: Mapped[bool] = mapped_column(Boolean, default=False)


class EditionRole(TimestampMixin, Base):
    """What one organisation does in one edition, with its contact and commitment."""

    __tablename__ = "edition_roles"
    __table_args__ = (UniqueConstraint("edition_id", "organisation_id", "role_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role_type_id: Mapped[int] = mapped_column(ForeignKey("role_types.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    contact_id: Mapped[Optional[int]] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(40), default="invité")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(back_populates="roles")
    role_type: Mapped[RoleType] = relationship()
    contact: Mapped[Optional[Contact]] = relationship()


class BookletRelay(Base):
    """Directory booklets handed to a relay (Maison des solidarités, CCAS, EPCI)."""

    __tablename__ = "booklet_relays"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[Optional[dt.date]] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[Edition] = relationship(back_populates="booklet_relays")
    organisation: Mapped[Organisation] = relationship()


class Meeting(TimestampMixin, Base):
    """A meeting of an edition (kick-off with the EPCIs, review meeting...)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="meetings")
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class MeetingAttendee(Base):
    """An organisation invited to a meeting, and whether it came."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    organisation: Mapped[Organisation] = relationship()


# --- Planning ---------------------------------------------------------------------------------

TASK_STATUSES = ["à faire", "en cours", "terminée"]
OFFSET_UNITS = ["jours", "mois"]


class Task(TimestampMixin, Base):
    """A task or milestone of an edition's retro-planning."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    phase: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(40), default="à faire")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Anchor: the start is the edition's first event day + offset (value, unit), "J-13 mois".
    anchor_offset: Mapped[Optional[int]] = mapped_column(Integer)
    anchor_unit: Mapped[Optional[str]] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="tasks")
    owner: Mapped[Optional[Organisation]] = relationship()
    successors: Mapped[list[TaskDependency]] = relationship(
        back_populates="predecessor",
        foreign_keys="TaskDependency.predecessor_id",
        cascade="all, delete-orphan",
    )
    predecessors: Mapped[list[TaskDependency]] = relationship(
        back_populates="successor",
        foreign_keys="TaskDependency.successor_id",
        cascade="all, delete-orphan",
    )


class TaskDependency(Base):
    """Finish-to-start link: the successor starts at least lag_days after the predecessor ends."""

    __tablename__ = "task_dependencies"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    lag_days: Mapped[int] = mapped_column(Integer, default=0)

    predecessor: Mapped[Task] = relationship(back_populates="successors", foreign_keys=[predecessor_id])
    successor: Mapped[Task] = relationship(back_populates="predecessors", foreign_keys=[successor_id])


class PlanningTemplate(TimestampMixin, Base):
    """A reusable retro-planning expressed as offsets from the event day."""

    __tablename__ = "planning_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    tasks: Mapped[list[PlanningTemplateTask]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="PlanningTemplateTask.position"
    )


class PlanningTemplateTask(Base):
    """One task of a planning template; dependencies name other tasks by position."""

    __tablename__ = "planning_template_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("planning_templates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    offset: Mapped[int] = mapped_column(Integer, default=0)
    unit: Mapped[str] = mapped_column(String(10), default="jours")
    duration_days: Mapped[int] = mapped_column(Integer, default=0)
    milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str] = mapped_column(String(120), default="")
    owner_name: Mapped[str] = mapped_column(String(300), default="")
    # [[predecessor_position, lag_days], ...]
    dependencies: Mapped[list[Any]] = mapped_column(default=list)

    template: Mapped[PlanningTemplate] = relationship(back_populates="tasks")


# --- Budget -----------------------------------------------------------------------------------

DEFAULT_BUDGET_CATEGORIES = [
    "fournitures",
    "supports de communication",
    "achat d'espaces",
    "impressions",
    "transport et livraisons",
    "animations",
    "frais de personnel",
    "autre",
]
BUDGET_STATUSES = ["prévu", "engagé", "facturé", "payé"]
VAT_RATES = [Decimal("20.00"), Decimal("10.00"), Decimal("5.50"), Decimal("2.10"), Decimal("0.00")]


class BudgetCategory(Base):
    """An entry of the editable list of budget categories."""

    __tablename__ = "budget_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class BudgetLine(TimestampMixin, Base):
    """A planned or actual expense of an edition, exact to the cent (HT, TVA, TTC)."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("budget_categories.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(String(300))
    supplier: Mapped[str] = mapped_column(String(300), default="")
    amount_ht: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    vat_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("20.00"))
    amount_vat: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    amount_ttc: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(40), default="prévu")
    is_credit_note: Mapped[bool] = mapped_column(Boolean, default=False)
    # Staff time, vehicles: valued but carried as overheads, outside the TTC total by default.
    is_overhead: Mapped[bool] = mapped_column(Boolean, default=False)
    order_ref: Mapped[str] = mapped_column(String(120), default="")
    invoice_ref: Mapped[str] = mapped_column(String(120), default="")
    order_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    invoice_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    payment_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="budget_lines")
    category: Mapped[Optional[BudgetCategory]] = relationship()


# --- Logistics --------------------------------------------------------------------------------

ITEM_CONDITIONS = ["bon", "usé", "abîmé", "perdu"]
LOAN_STATUSES = ["à livrer", "livré", "à reprendre", "rentré", "perdu/abîmé"]


class Item(TimestampMixin, Base):
    """A lendable object: a prevention game or a signage kit kept in the hangar."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(200))
    storage_place: Mapped[str] = mapped_column(String(200), default="")
    condition: Mapped[str] = mapped_column(String(40), default="bon")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    loans: Mapped[list[Loan]] = relationship(back_populates="item", cascade="all, delete-orphan")


class Loan(TimestampMixin, Base):
    """An item lent for an edition to a shop or an organisation, delivered then picked up."""

    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[Optional[int]] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    delivery_date: Mapped[dt.date] = mapped_column(Date)
    pickup_date: Mapped[dt.date] = mapped_column(Date)
    returned_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    carrier: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(40), default="à livrer")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="loans")
    item: Mapped[Item] = relationship(back_populates="loans")
    shop: Mapped[Optional[Shop]] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()


class Consumable(Base):
    """Consumable material of an edition (posters, flyers, booklets, signage kits)."""

    __tablename__ = "consumables"
    __table_args__ = (UniqueConstraint("edition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    unit: Mapped[str] = mapped_column(String(40), default="exemplaires")
    notes: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[Edition] = relationship(back_populates="consumables")
    deliveries: Mapped[list[ConsumableDelivery]] = relationship(
        back_populates="consumable", cascade="all, delete-orphan"
    )


class ConsumableDelivery(Base):
    """A quantity of a consumable delivered to a shop or an organisation."""

    __tablename__ = "consumable_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    consumable_id: Mapped[int] = mapped_column(ForeignKey("consumables.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[Optional[int]] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[Optional[dt.date]] = mapped_column(Date)
    carrier: Mapped[str] = mapped_column(String(200), default="")

    consumable: Mapped[Consumable] = relationship(back_populates="deliveries")
    shop: Mapped[Optional[Shop]] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()


# --- Choosing the event dates with the shops ---------------------------------------------------

DATE_ANSWERS = ["oui", "si besoin", "non"]


class DateCandidate(Base):
    """A candidate set of event days for an edition (a Wednesday + Saturday pair, usually)."""

    __tablename__ = "date_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)  # « Choix 1 », « Choix 2 »…
    # ISO dates, sorted: ["2014-11-12", "2014-11-15"]
    days: Mapped[list[Any]] = mapped_column(default=list)
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    answers: Mapped[list[DateAnswer]] = relationship(back_populates="candidate", cascade="all, delete-orphan")


class DateAnswer(Base):
    """One shop's (or partner's) answer to one candidate: oui, si besoin or non."""

    __tablename__ = "date_answers"
    __table_args__ = (UniqueConstraint("candidate_id", "shop_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("date_candidates.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[Optional[int]] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")

    candidate: Mapped[DateCandidate] = relationship(back_populates="answers")
    shop: Mapped[Optional[Shop]] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()


class Setting(Base):
    """A key/value setting stored with the data (e.g. the Département's contact)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
