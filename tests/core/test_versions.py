"""Versions travel with the data: for every editing path, two coordinators (two engines on the same
base) load the same row; B saves, A's stale save is refused with what changed, and B's change is kept.
A row deleted meanwhile is refused as « supprimé(e) entre-temps ». Runs on SQLite, and on PostgreSQL
with BONSJOURS_TEST_ENGINE=postgresql (make test)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import pytest
from sqlalchemy import select

from bonsjours_desktop.core import budget as b
from bonsjours_desktop.core import editions, planning, shops
from bonsjours_desktop.core import logistics as L
from bonsjours_desktop.core import participations as parts
from bonsjours_desktop.core import partners as p
from bonsjours_desktop.core import review
from bonsjours_desktop.core.db import open_database
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.models import (
    BudgetCategory,
    BudgetLine,
    Consumable,
    ConsumableDelivery,
    Contact,
    Edition,
    EditionRole,
    Item,
    Loan,
    Meeting,
    Organisation,
    Participation,
    RoleType,
    Shop,
    Task,
)
from bonsjours_desktop.core.operations import OperationRunner
from bonsjours_desktop.core.versions import ConcurrentEditError, RowSnapshot, editable, snapshot

Session = Any


def one(model, **where) -> Callable[[Session], int]:
    return lambda s: s.scalars(select(model.id).filter_by(**where)).first()


def form(row) -> dict[str, Any]:
    """What a form sends back: every field of the row it loaded."""
    return {k: v for k, v in dataclasses.asdict(row).items() if k not in ("id", "seen")}


def edition_id(name: str) -> Callable[[Session], int]:
    return lambda s: find_edition(s, name).id


@dataclass
class Seen:
    """What a screen holds: the row's snapshot and, for forms built from an input record, that record."""

    seen: RowSnapshot
    data: Any = None


@dataclass
class EditingPath:
    """One way to change a row: what the screen loads (a row carrying .seen), B's save, A's save."""

    name: str
    find: Callable[[Session], int]
    load: Callable[[Session, int], Any]  # what the form or table loads: a row with its .seen snapshot
    save_b: Callable[[Session, int, Any], Any]
    save_a: Callable[[Session, int, Any], Any]
    kept: Callable[[Session, int], bool]  # B's change is still there
    changed: str  # what the refusal says changed
    delete: Callable[[Session, int, RowSnapshot], Any] | None = None
    disjoint: bool = True  # A and B change different fields (A's reloaded save keeps B's change)

    def __str__(self) -> str:
        return self.name


def _org_save(field: str, value: str):
    return lambda s, i, row: p.update_organisation(s, i, {**form(row), field: value}, expected=row.seen)


def _line_save(**changes):
    def save(s, i, row):
        return b.update_line(s, i, dataclasses.replace(b.BudgetLineInput.from_row(row), **changes), expected=row.seen)
    return save


def _shop_save(**changes):
    return lambda s, i, row: shops.update_shop(s, i, dataclasses.replace(row.data, **changes), expected=row.seen)


def _edition_save(**changes):
    def save(s, i, row):
        values = dict(name=row.name, days=row.days, theme=row.theme, status=row.status,
                      budget_envelope=row.budget_envelope, notes=row.notes)
        return editions.update_edition(s, i, **{**values, **changes}, expected=row.seen)
    return save


def _task_form(row, **changes) -> planning.TaskData:
    data = planning.TaskData(title=row.title, start=row.start, end=row.end, milestone=row.milestone,
                             owner_id=row.owner_id, phase=row.phase, status=row.status, progress=row.progress,
                             notes=row.notes, anchor=row.anchor, predecessors=list(row.predecessors))
    return dataclasses.replace(data, **changes)


def _first_task(s) -> int:
    return planning.list_task_rows(s, find_edition(s, "Novembre 2013").id)[0].id


def _apr(s) -> int:
    """The edition the demo's loans, consumables and deliveries belong to."""
    return find_edition(s, "Avril 2014").id


def _item(s, i):
    return next(r for r in L.list_item_rows(s) if r.id == i)


def _consumable(s, i):
    return next(r for r in L.list_consumable_rows(s, s.get(Consumable, i).edition_id) if r.id == i)


def _delivery(s, i):
    return next(r for r in L.list_delivery_rows(s, s.get(ConsumableDelivery, i).consumable.edition_id) if r.id == i)


def _loan_save(row, **changes):
    values = dict(item_id=row.item_id, shop_id=row.shop_id, organisation_id=row.organisation_id,
                  delivery_date=row.delivery_date, pickup_date=row.pickup_date, carrier=row.carrier,
                  status=row.status, returned_date=row.returned_date, notes=row.notes)
    return {**values, **changes}


def _participation(s) -> int:
    return next(r.participation_id for r in parts.list_participation_rows(s, _apr(s)) if r.animations)


def _participation_save(**changes):
    def save(s, i, row):
        values = dict(status=row.status, animator_id=row.animator_id, notes=row.notes,
                      animations=[parts.AnimationInput(a.event_day_id, a.category, a.description, a.start_time,
                                                       a.end_time) for a in row.animations])
        return parts.update_participation(s, i, **{**values, **changes}, expected=row.seen)
    return save


def _row_of_participation(s, i):
    """The participation as the tick box column of the table shows it."""
    return next(r for r in parts.list_participation_rows(s, s.get(Participation, i).edition_id)
                if r.participation_id == i)


def _result_row(s, i):
    return next(r for r in review.list_result_rows(s, s.get(Participation, i).edition_id) if r.participation_id == i)


def _results(**cells):
    def save(s, i, row):
        return review.set_results(s, row.seen.values["edition_id"], [{"shop_id": row.shop_id, "seen": row.seen, **cells}])
    return save


def _review_save(**values):
    return lambda s, i, row: review.set_edition_review(s, i, expected=row.seen, **values)


PATHS = [
    EditingPath(
        "ordre des catégories", lambda s: b.list_categories(s)[0].id,
        lambda s, i: next(c for c in b.list_categories(s) if c.id == i),
        lambda s, i, row: b.move_category(s, i, 1, expected=row.seen),
        lambda s, i, row: b.rename_category(s, i, "Communication", expected=row.seen),
        lambda s, i: b.list_categories(s)[1].id == i, "Ordre : « 0 » → « 1 »"),
    EditingPath(
        "catégorie de budget", lambda s: b.list_categories(s)[0].id,
        lambda s, i: next(c for c in b.list_categories(s) if c.id == i),
        lambda s, i, row: b.rename_category(s, i, "Communication et impressions", expected=row.seen),
        lambda s, i, row: b.rename_category(s, i, "Com", expected=row.seen),
        lambda s, i: s.get(BudgetCategory, i).name == "Communication et impressions",
        "Nom : « .* » → « Communication et impressions »", disjoint=False),
    EditingPath(
        "grille du bilan", _participation, _result_row, _results(visitors="1 234"), _results(result_comments="Belle journée"),
        lambda s, i: s.get(Participation, i).visitors == 1234, "Visiteurs : « .* » → « 1234 »"),
    EditingPath(
        "bilan de l'édition", edition_id("Avril 2014"), review.get_edition_review,
        _review_save(press_articles="12"), _review_save(recommendations="Commencer plus tôt"),
        lambda s, i: s.get(Edition, i).press_articles == 12, "Articles de presse : « .* » → « 12 »"),
    EditingPath(
        "participation", _participation, parts.participation_detail,
        _participation_save(notes="Vitrine décorée"), _participation_save(status="pressentie"),
        lambda s, i: s.get(Participation, i).notes == "Vitrine décorée", "Notes : « .* » → « Vitrine décorée »",
        lambda s, i, seen: parts.remove_participation(s, s.get(Participation, i).edition_id,
                                                      s.get(Participation, i).shop_id, expected=seen)),
    EditingPath(
        "animations d'une participation", _participation, parts.participation_detail,
        _participation_save(animations=[]), _participation_save(notes="Vitrine décorée"),
        lambda s, i: len(parts.participation_detail(s, i).animations) == 0, "quelqu'un d'autre a modifié la participation"),
    EditingPath(
        "case « participe » décochée", _participation, _row_of_participation,
        _participation_save(notes="Confirmé par téléphone"),
        lambda s, i, row: parts.set_participations(s, row.seen.values["edition_id"], [row.shop_id], False,
                                                   expected=[row.seen]),
        lambda s, i: s.get(Participation, i).notes == "Confirmé par téléphone",
        "Notes : « .* » → « Confirmé par téléphone »", disjoint=False),
    EditingPath(
        "objet de l'inventaire", lambda s: L.list_item_rows(s)[0].id, _item,
        lambda s, i, row: L.update_item(s, i, row.identifier, row.kind, "Hangar B", row.condition, row.notes,
                                        expected=row.seen),
        lambda s, i, row: L.update_item(s, i, row.identifier, row.kind, row.storage_place, row.condition,
                                        "Pièce manquante", expected=row.seen),
        lambda s, i: s.get(Item, i).storage_place == "Hangar B", "Rangement : « .* » → « Hangar B »",
        lambda s, i, seen: L.delete_item(s, i, expected=seen)),
    EditingPath(
        "prêt", lambda s: L.list_loan_rows(s, _apr(s))[0].id, L.get_loan_row,
        lambda s, i, row: L.update_loan(s, i, **_loan_save(row, carrier="Camion du Département"), expected=row.seen),
        lambda s, i, row: L.update_loan(s, i, **_loan_save(row, notes="Clé chez la voisine"), expected=row.seen),
        lambda s, i: s.get(Loan, i).carrier == "Camion du Département",
        "Transporteur : « .* » → « Camion du Département »",
        lambda s, i, seen: L.delete_loan(s, i, expected=seen)),
    EditingPath(
        "statut de prêts", lambda s: L.list_loan_rows(s, _apr(s))[0].id, L.get_loan_row,
        lambda s, i, row: L.update_loan(s, i, **_loan_save(row, notes="Rendu en retard"), expected=row.seen),
        lambda s, i, row: L.set_loans_status(s, [row.seen], "à reprendre"),
        lambda s, i: s.get(Loan, i).notes == "Rendu en retard", "Notes : « .* » → « Rendu en retard »"),
    EditingPath(
        "consommable", lambda s: L.list_consumable_rows(s, _apr(s))[0].id, _consumable,
        lambda s, i, row: L.update_consumable(s, i, row.name, 99_999, row.unit, row.notes, expected=row.seen),
        lambda s, i, row: L.update_consumable(s, i, row.name, row.quantity, row.unit, "Réimpression", expected=row.seen),
        lambda s, i: s.get(Consumable, i).quantity == 99_999, "Quantité : « .* » → « 99999 »",
        lambda s, i, seen: L.delete_consumable(s, i, expected=seen)),
    EditingPath(
        "livraison", lambda s: L.list_delivery_rows(s, _apr(s))[0].id, _delivery,
        lambda s, i, row: L.update_delivery(s, i, consumable_id=row.consumable_id, shop_id=row.shop_id,
                                            organisation_id=row.organisation_id, quantity=1, date=row.date,
                                            carrier=row.carrier, expected=row.seen),
        lambda s, i, row: L.update_delivery(s, i, consumable_id=row.consumable_id, shop_id=row.shop_id,
                                            organisation_id=row.organisation_id, quantity=row.quantity,
                                            date=row.date, carrier="La Poste", expected=row.seen),
        lambda s, i: s.get(ConsumableDelivery, i).quantity == 1, "Quantité : « .* » → « 1 »",
        lambda s, i, seen: L.delete_delivery(s, i, expected=seen)),
    EditingPath(
        "tâche", _first_task, planning.task_row,
        lambda s, i, row: planning.save_task(s, 0, i, _task_form(row, status="en cours", progress=40), expected=row.seen),
        lambda s, i, row: planning.save_task(s, 0, i, _task_form(row, notes="Voir avec le Département"), expected=row.seen),
        lambda s, i: s.get(Task, i).progress == 40, "Avancement : « .* » → « 40 »",
        lambda s, i, seen: planning.delete_tasks(s, [seen])),
    EditingPath(
        "tâche déplacée sur le Gantt", _first_task, planning.task_row,
        lambda s, i, row: planning.move_task(s, i, dt.date(2013, 5, 6), expected=row.seen),
        lambda s, i, row: planning.set_status(s, i, "terminée", expected=row.seen),
        lambda s, i: s.get(Task, i).start == dt.date(2013, 5, 6), "Début : « .* » → « 06/05/2013 »"),
    EditingPath(
        "boutique", one(Shop, name="Emmaüs Cholet"),
        lambda s, i: Seen(snapshot(s, Shop, i), shops.shop_input(s, i)),
        _shop_save(phone="02 41 99 99 99"), _shop_save(notes="Parking à l'arrière"),
        lambda s, i: s.get(Shop, i).phone == "02 41 99 99 99", "Téléphone : « .* » → « 02 41 99 99 99 »",
        lambda s, i, seen: shops.delete_shop(s, i, expected=seen)),
    EditingPath(
        "édition", edition_id("Avril 2014"), editions.edition_detail,
        _edition_save(theme="Le réemploi en fête"), _edition_save(notes="Bilan à envoyer"),
        lambda s, i: s.get(Edition, i).theme == "Le réemploi en fête", "Thème : « .* » → « Le réemploi en fête »",
        lambda s, i, seen: editions.delete_edition(s, i, expected=seen)),
    EditingPath(
        "jours d'une édition", edition_id("Avril 2014"), editions.edition_detail,
        _edition_save(days=[dt.date(2014, 4, 2)]), _edition_save(notes="Bilan à envoyer"),
        lambda s, i: editions.edition_detail(s, i).days == (dt.date(2014, 4, 2),), "quelqu'un d'autre a modifié l'édition"),
    EditingPath(
        "organisation", one(Organisation, name="Emmaüs"), p.organisation_details,
        _org_save("phone", "02 41 11 22 33"), _org_save("notes", "Rappeler en mars"),
        lambda s, i: s.get(Organisation, i).phone == "02 41 11 22 33", "Téléphone : « .* » → « 02 41 11 22 33 »",
        lambda s, i, seen: p.delete_organisation(s, i, expected=seen)),
    EditingPath(
        "contact", one(Contact, name="Claire Moreau"), p.contact_row,
        lambda s, i, row: p.update_contact(s, i, {**form(row), "function": "Directrice"}, expected=row.seen),
        lambda s, i, row: p.update_contact(s, i, {**form(row), "notes": "Vue au salon"}, expected=row.seen),
        lambda s, i: s.get(Contact, i).function == "Directrice", "Fonction : « .* » → « Directrice »",
        lambda s, i, seen: p.delete_contact(s, i, expected=seen)),
    EditingPath(
        "rôle", lambda s: s.scalars(select(EditionRole.id).order_by(EditionRole.id)).first(), p.role_row,
        lambda s, i, row: p.update_role(s, i, {"description": "Prête la salle"}, expected=row.seen),
        lambda s, i, row: p.set_role_status(s, i, "décliné", expected=row.seen),
        lambda s, i: s.get(EditionRole, i).description == "Prête la salle", "Description : « .* » → « Prête la salle »",
        lambda s, i, seen: p.delete_role(s, i, expected=seen)),
    EditingPath(
        "type de rôle", one(RoleType, name="autre"), lambda s, i: next(r for r in p.list_role_types(s) if r.id == i),
        lambda s, i, row: p.rename_role_type(s, i, "divers", expected=row.seen),
        lambda s, i, row: p.rename_role_type(s, i, "autres", expected=row.seen),
        lambda s, i: s.get(RoleType, i).name == "divers", "Nom : « autre » → « divers »", disjoint=False),
    EditingPath(
        "remise d'annuaires", lambda s: p.list_booklet_relays(s, find_edition(s, "Novembre 2013").id)[0].id,
        p.booklet_relay_row,
        lambda s, i, row: p.update_booklet_relay(s, i, {"quantity": 999}, expected=row.seen),
        lambda s, i, row: p.update_booklet_relay(s, i, {"notes": "Déposés à l'accueil"}, expected=row.seen),
        lambda s, i: p.booklet_relay_row(s, i).quantity == 999, "Quantité : « .* » → « 999 »",
        lambda s, i, seen: p.delete_booklet_relay(s, i, expected=seen)),
    EditingPath(
        "réunion", lambda s: s.scalars(select(Meeting.id).order_by(Meeting.date)).first(), p.meeting_row,
        lambda s, i, row: p.update_meeting(s, i, {"minutes": "Compte rendu validé"}, expected=row.seen),
        lambda s, i, row: p.update_meeting(s, i, {"subject": "Réunion de lancement"}, expected=row.seen),
        lambda s, i: s.get(Meeting, i).minutes == "Compte rendu validé", "(?s)Compte rendu : « .* » → « Compte rendu validé »",
        lambda s, i, seen: p.delete_meeting(s, i, expected=seen)),
    EditingPath(
        "invités d'une réunion", lambda s: s.scalars(select(Meeting.id).order_by(Meeting.date)).first(), p.meeting_row,
        lambda s, i, row: p.update_meeting(s, i, {"attendees": {}}, expected=row.seen),
        lambda s, i, row: p.update_meeting(s, i, {"minutes": "Tout le monde était là"}, expected=row.seen),
        lambda s, i: p.meeting_row(s, i).invited_count == 0, "quelqu'un d'autre a modifié la réunion"),
    EditingPath(
        "ligne de budget", lambda s: b.list_line_rows(s, find_edition(s, "Novembre 2013").id)[0].id, b.get_line_row,
        _line_save(amount="1234,56", basis=b.BASIS_HT), _line_save(notes="Devis signé"),
        lambda s, i: s.get(BudgetLine, i).amount_ht == Decimal("1234.56"), "Montant HT : « .* » → « 1.234,56 »",
        lambda s, i, seen: b.delete_lines(s, [seen])),
    EditingPath(
        "enveloppe", edition_id("Novembre 2013"), lambda s, i: Seen(snapshot(s, Edition, i)),
        lambda s, i, row: b.set_envelope(s, i, "45 000", expected=row.seen),
        lambda s, i, row: b.set_envelope(s, i, "38 000", expected=row.seen),
        lambda s, i: s.get(Edition, i).budget_envelope == Decimal("45000"), "Enveloppe : « .* » → « 45.000,00 »",
        disjoint=False),
]


@pytest.fixture
def two_coordinators(demo_db):
    """A and B: two engines on the same base, as two computers of a team."""
    other = open_database(demo_db.url)
    yield OperationRunner(demo_db), OperationRunner(other)
    other.dispose()


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_stale_save_is_refused_and_the_colleagues_change_kept(two_coordinators, path):
    a, b_ = two_coordinators
    ident = a.read(path.find)
    assert ident is not None
    loaded_by_a = a.read(lambda s: path.load(s, ident))
    loaded_by_b = b_.read(lambda s: path.load(s, ident))
    assert loaded_by_a.seen.version is not None
    b_.run("B enregistre", lambda s: path.save_b(s, ident, loaded_by_b))
    with pytest.raises(ConcurrentEditError, match=path.changed) as refused:
        a.run("A enregistre", lambda s: path.save_a(s, ident, loaded_by_a))
    assert str(refused.value).startswith("Enregistrement refusé : quelqu'un d'autre a modifié")
    assert a.read(lambda s: path.kept(s, ident)), "B's change was overwritten"
    # Once A reloads (the row and its new version), A's save goes through.
    reloaded = a.read(lambda s: path.load(s, ident))
    a.run("A enregistre", lambda s: path.save_a(s, ident, reloaded))
    if path.disjoint:
        assert a.read(lambda s: path.kept(s, ident))


@pytest.mark.parametrize("path", [x for x in PATHS if x.delete is not None], ids=str)
def test_stale_delete_is_refused_and_a_deleted_row_is_not_saved_over(two_coordinators, path):
    a, b_ = two_coordinators
    ident = a.read(path.find)
    loaded_by_a = a.read(lambda s: path.load(s, ident))
    loaded_by_b = b_.read(lambda s: path.load(s, ident))
    b_.run("B enregistre", lambda s: path.save_b(s, ident, loaded_by_b))
    with pytest.raises(ConcurrentEditError, match="quelqu'un d'autre a modifié"):
        a.run("A supprime", lambda s: path.delete(s, ident, loaded_by_a.seen))
    assert a.read(lambda s: path.kept(s, ident))
    # B deletes; A's save of the form it still has open is refused, nothing comes back.
    reloaded_by_b = b_.read(lambda s: path.load(s, ident))
    b_.run("B supprime", lambda s: path.delete(s, ident, reloaded_by_b.seen))
    with pytest.raises(ConcurrentEditError, match="supprimée? entre-temps") as refused:
        a.run("A enregistre", lambda s: path.save_a(s, ident, loaded_by_a))
    assert refused.value.deleted


def test_a_service_without_the_version_it_saw_is_a_programming_error(demo_ops):
    ident = demo_ops.read(one(Organisation, name="Emmaüs"))
    with pytest.raises(TypeError, match="RowSnapshot"):
        demo_ops.run("x", lambda s: editable(s, Organisation, ident, 3))  # type: ignore[arg-type]
    other = demo_ops.read(one(Contact, name="Claire Moreau"))
    shot = demo_ops.read(lambda s: p.contact_row(s, other).seen)
    with pytest.raises(TypeError, match="snapshot of contacts"):
        demo_ops.run("x", lambda s: p.update_organisation(s, ident, {}, expected=shot))


def test_the_refusal_names_what_a_foreign_key_points_to(two_coordinators):
    a, b_ = two_coordinators
    ident = a.read(one(Organisation, name="Emmaüs"))
    territories = a.read(p.list_territory_choices)
    before = a.read(lambda s: p.organisation_details(s, ident))
    target_id, target_name = next((i, n) for i, n in territories if i != before.territory_id)
    b_.run("B", lambda s: p.update_organisation(s, ident, {**form(before), "territory_id": target_id},
                                                expected=before.seen))
    with pytest.raises(ConcurrentEditError, match=f"Territoire : « .* » → « {re.escape(target_name)} »"):
        a.run("A", lambda s: p.update_organisation(s, ident, {**form(before), "notes": "x"}, expected=before.seen))
