"""Versions travel with the data: what a form or a table loads carries each row as it was seen, and
every update or delete service takes it back and refuses to write over a newer version.

A service fetches the row it changes with ``editable(session, Model, ident, expected)``: a row deleted
meanwhile, or saved by someone else since ``expected`` was read, raises ConcurrentEditError with a
French sentence saying what changed. The row is then written with SQLAlchemy's version column
(``version_id_col``), so a colleague's save landing between this check and the UPDATE is refused too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any, Iterable, Optional, TypeVar

from sqlalchemy import and_, inspect, select
from sqlalchemy.orm import Session

from .errors import ConflictError, record_label
from .models import Base

M = TypeVar("M")

FIELD_LABELS = {
    "name": "Nom", "commune": "Commune", "address": "Adresse", "postal_code": "Code postal", "phone": "Téléphone",
    "email": "Courriel", "website": "Site web", "network": "Réseau", "notes": "Notes", "title": "Titre",
    "start": "Début", "end": "Fin", "status": "Statut", "progress": "Avancement", "label": "Libellé",
    "supplier": "Fournisseur", "amount_ht": "Montant HT", "amount_ttc": "Montant TTC", "vat_rate": "Taux de TVA",
    "amount_vat": "TVA", "kind": "Type", "function": "Fonction", "theme": "Thème", "description": "Description",
    "delivery_date": "Livraison", "pickup_date": "Reprise", "returned_date": "Retour", "quantity": "Quantité",
    "territory_id": "Territoire", "organisation_id": "Organisation", "contact_id": "Contact",
    "role_type_id": "Rôle", "preferred_channel": "Moyen préféré", "date": "Date", "subject": "Objet",
    "minutes": "Compte rendu", "category_id": "Catégorie", "order_ref": "Bon de commande",
    "invoice_ref": "Facture", "order_date": "Date de commande", "invoice_date": "Date de facture",
    "payment_date": "Date de paiement", "is_credit_note": "Avoir", "is_overhead": "Frais généraux",
    "budget_envelope": "Enveloppe", "press_articles": "Articles de presse", "booklets_distributed": "Annuaires distribués",
    "qualitative_results": "Résultats qualitatifs", "recommendations": "Recommandations",
    "visitors": "Visiteurs", "sales": "Ventes", "animations_held": "Animations tenues",
    "result_comments": "Commentaires", "animator_contact_id": "Animateur", "category": "Catégorie",
    "start_time": "Heure de début", "end_time": "Heure de fin", "event_day_id": "Jour", "item_id": "Objet",
    "shop_id": "Boutique", "carrier": "Transporteur", "identifier": "Identifiant", "storage_place": "Rangement",
    "condition": "État", "unit": "Unité", "milestone": "Jalon", "owner_organisation_id": "Responsable",
    "phase": "Phase", "anchor_offset": "Ancrage", "anchor_unit": "Unité d'ancrage", "position": "Ordre",
}
HIDDEN_IN_DIFF = {"updated_at", "created_at", "version", "id", "is_example"}

NAME_COLUMNS = ("name", "label", "title", "subject", "identifier")


@dataclass(frozen=True)
class RowSnapshot:
    """A row as the user saw it (every column, version included); update and delete services take it
    back and refuse to write when the row changed since."""

    table: str
    pk: dict[str, Any]
    values: dict[str, Any]

    @property
    def version(self) -> Optional[int]:
        return self.values.get("version")

    @property
    def ident(self) -> Any:
        return next(iter(self.pk.values())) if len(self.pk) == 1 else tuple(self.pk.values())


@lru_cache(maxsize=None)
def _attributes(mapper) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    table = mapper.local_table
    pairs = tuple((column.name, mapper.get_property_by_column(column).key) for column in table.columns)
    return table.name, pairs, tuple(c.name for c in table.primary_key.columns)


def seen(obj: Any) -> RowSnapshot:
    """The snapshot of an ORM row just loaded (no query when its columns are loaded)."""
    name, pairs, pk = _attributes(inspect(obj).mapper)
    loaded = obj.__dict__
    values = {column: loaded[key] if key in loaded else getattr(obj, key) for column, key in pairs}
    return RowSnapshot(name, {column: values[column] for column in pk}, values)


@lru_cache(maxsize=None)
def _names(table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(c.name for c in table.columns), tuple(c.name for c in table.primary_key.columns)


def seen_columns(model: Any, row: Any) -> RowSnapshot:
    """The snapshot of a row read as plain columns, for lists that avoid building ORM objects: row is
    a result row of select(Model.__table__, …), whose first items are the table's columns in order
    (read by position: by name costs about as much as the rest of the list)."""
    table = _table(model)
    names, pk = _names(table)
    values = dict(zip(names, row))
    return RowSnapshot(table.name, {name: values[name] for name in pk}, values)


def _table(model: Any):
    return model.__table__ if hasattr(model, "__table__") else Base.metadata.tables[model]


def _pk_clause(table, pk: dict[str, Any]):
    return and_(*(table.c[name] == value for name, value in pk.items()))


def fetch_row(connection, table, pk: dict[str, Any]) -> Optional[dict[str, Any]]:
    row = connection.execute(select(table).where(_pk_clause(table, pk))).mappings().first()
    return dict(row) if row is not None else None


def snapshot(session: Session, model: Any, ident: Any) -> RowSnapshot:
    """Read one row as it is now, to hand to a form."""
    table = _table(model)
    pk_cols = list(table.primary_key.columns)
    values = ident if isinstance(ident, dict) else {pk_cols[0].name: ident}
    row = fetch_row(session.connection(), table, values)
    if row is None:
        from .errors import NotFoundError, not_found_message

        raise NotFoundError(not_found_message(table.name))
    return RowSnapshot(table.name, {c.name: row[c.name] for c in pk_cols}, row)


class ConcurrentEditError(ConflictError):
    """Someone else saved or deleted the record since the form was opened; carries what changed."""

    def __init__(self, message: str, changes: list[tuple[str, Any, Any]], deleted: bool = False):
        super().__init__(message)
        self.changes = changes
        self.deleted = deleted


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return str(value)


def _what(shot: RowSnapshot) -> tuple[str, str]:
    """(« la boutique « Emmaüs » », "e" when the word is feminine)."""
    label, feminine = record_label(shot.table)  # the one table of record names (core.errors)
    name = next((shot.values[c] for c in NAME_COLUMNS if shot.values.get(c)), None)
    return (f"{label} « {name} »" if name else label), ("e" if feminine else "")


def _named(connection, table, column: str, value: Any) -> Any:
    """A foreign key shown by the name of what it points to (« Territoire : « Mauges » → « Choletais » »)."""
    if value is None or connection is None or column not in table.c or not table.c[column].foreign_keys:
        return value
    target = next(iter(table.c[column].foreign_keys)).column
    name = next((c for c in NAME_COLUMNS if c in target.table.c), None)
    if name is None:
        return value
    found = connection.execute(select(target.table.c[name]).where(target == value)).scalar()
    return found if found is not None else value


def refuse_if_stale(shot: RowSnapshot, current: Optional[dict[str, Any]], connection=None) -> None:
    """Raise ConcurrentEditError when the row is gone or its version is not the one the user saw."""
    what, e = _what(shot)
    if current is None:
        raise ConcurrentEditError(
            f"Enregistrement refusé : {what} a été supprimé{e} entre-temps par un autre utilisateur, "
            f"depuis que vous l'avez affiché{e}. Rechargez pour voir les données actuelles.", [], deleted=True)
    if current.get("version") == shot.version:
        return
    table = Base.metadata.tables[shot.table]
    diffs = [(FIELD_LABELS.get(k, k), _named(connection, table, k, shot.values.get(k)), _named(connection, table, k, v))
             for k, v in current.items() if k not in HIDDEN_IN_DIFF and shot.values.get(k) != v]
    lines = "; ".join(f"{label} : « {_shown(old)} » → « {_shown(new)} »" for label, old, new in diffs) \
        or "aucune différence visible"
    raise ConcurrentEditError(
        f"Enregistrement refusé : quelqu'un d'autre a modifié {what} depuis que vous l'avez "
        f"affiché{e} ({lines}). Rechargez pour voir les nouvelles valeurs, puis refaites votre modification.",
        diffs)


def check_snapshots(connection, snapshots: Iterable[RowSnapshot]) -> None:
    for shot in snapshots:
        refuse_if_stale(shot, fetch_row(connection, Base.metadata.tables[shot.table], shot.pk), connection)


def editable(session: Session, model: type[M], ident: Any, expected: RowSnapshot) -> M:
    """The row to update or delete, refused (ConcurrentEditError) if it changed or went since the user
    saw ``expected``. Every update and delete service fetches its row through here."""
    table = _table(model)
    if not isinstance(expected, RowSnapshot):
        raise TypeError(f"expected: the RowSnapshot of the {table.name} row the user saw, not {expected!r}")
    if expected.table != table.name or expected.ident != ident:
        raise TypeError(f"expected is the snapshot of {expected.table} {expected.ident}, not {table.name} {ident}")
    obj = session.get(model, ident)
    if obj is None or getattr(obj, "version", None) != expected.version:
        current = fetch_row(session.connection(), table, expected.pk) if obj is not None else None
        refuse_if_stale(expected, current, session.connection())
    return obj


def editables(session: Session, model: type[M], expected: Iterable[RowSnapshot]) -> list[M]:
    """editable() for several rows, each identified by its snapshot."""
    return [editable(session, model, shot.ident, shot) for shot in expected]
