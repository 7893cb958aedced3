"""Logistics services: items, loans (double booking, statuses, overdue), consumables, rounds, demo."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core import logistics as L
from bonsjours_desktop.core.demo import load_demo
from bonsjours_desktop.core.errors import ConflictError, ValidationError
from bonsjours_desktop.core.models import (
    Consumable,
    ConsumableDelivery,
    Edition,
    Item,
    Loan,
    Organisation,
    Shop,
)
from bonsjours_desktop.core.operations import OperationRunner
from bonsjours_desktop.core.versions import snapshot

D = dt.date


@pytest.fixture
def ids(demo_db):
    """Ids of the demo's editions, a free-standing game, a shop and an EPCI organisation."""
    with demo_db.session() as s:
        return {
            "apr": s.scalars(select(Edition.id).filter_by(name="Avril 2014")).one(),
            "nov": s.scalars(select(Edition.id).filter_by(name="Novembre 2013")).one(),
            "roue1": s.scalars(select(Item.id).filter_by(identifier="ROUE-01")).one(),
            "roue2": s.scalars(select(Item.id).filter_by(identifier="ROUE-02")).one(),
            "shop": s.scalars(select(Shop.id).filter_by(name="Emmaüs Cholet")).one(),
            "epci": s.scalars(select(Organisation.id).filter_by(name="Angers Loire Métropole")).one(),
        }


def lend(ops, ids, item="roue1", start=D(2013, 11, 6), end=D(2013, 11, 18), **kw):
    kw.setdefault("shop_id", ids["shop"])
    return ops.run("Prêter", lambda s: L.create_loan(s, ids["nov"], ids[item], delivery_date=start, pickup_date=end,
                                                     **kw)).value


# --- Loans and conflicts ------------------------------------------------------------------------


def test_double_booking_is_refused_naming_the_other_loan(demo_ops, ids):
    lend(demo_ops, ids, carrier="Équipe logistique")
    with pytest.raises(ConflictError) as caught:
        lend(demo_ops, ids, start=D(2013, 11, 18), end=D(2013, 11, 25), shop_id=None, organisation_id=ids["epci"])
    message = str(caught.value)
    assert "« ROUE-01 »" in message and "déjà prêté à Emmaüs Cholet" in message
    assert "du mer. 6 nov. 2013 au lun. 18 nov. 2013" in message
    assert "édition « Novembre 2013 »" in message
    assert "chevauchent" in message
    with demo_ops.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Loan).where(Loan.edition_id == ids["nov"])) == 1


def test_conflict_also_spans_editions_and_a_loan_inside_another(demo_ops, ids):
    # ROUE-02 is lent by the demo for April 2014 from 26 March to 8 April; this November loan sits inside.
    with pytest.raises(ConflictError, match="Communauté d'agglomération du Choletais.*Avril 2014"):
        lend(demo_ops, ids, start=D(2014, 3, 30), end=D(2014, 3, 31), item="roue2")


def test_adjacent_dates_are_allowed_and_overlap_is_inclusive(demo_ops, ids):
    lend(demo_ops, ids, start=D(2013, 11, 6), end=D(2013, 11, 18))
    lend(demo_ops, ids, start=D(2013, 11, 19), end=D(2013, 11, 25))  # the day after: allowed
    lend(demo_ops, ids, start=D(2013, 10, 1), end=D(2013, 11, 5))  # the day before: allowed
    with pytest.raises(ConflictError):
        lend(demo_ops, ids, start=D(2013, 11, 25), end=D(2013, 11, 26))  # same day as a pickup: refused


def test_updating_a_loan_is_checked_against_the_others_but_not_itself(demo_ops, ids):
    first = lend(demo_ops, ids, start=D(2013, 11, 6), end=D(2013, 11, 18))
    second = lend(demo_ops, ids, start=D(2013, 11, 20), end=D(2013, 11, 25))

    def move(loan_id, start, end):
        return lambda s: L.update_loan(s, loan_id, item_id=ids["roue1"], shop_id=ids["shop"], delivery_date=start,
                                       pickup_date=end, carrier="", expected=snapshot(s, Loan, loan_id))

    demo_ops.run("Décaler", move(first, D(2013, 11, 5), D(2013, 11, 19)))
    with pytest.raises(ConflictError, match="du mer. 6 nov. 2013|du mar. 5 nov. 2013"):
        demo_ops.run("Décaler", move(second, D(2013, 11, 19), D(2013, 11, 25)))


def test_early_return_frees_the_item(demo_ops, ids):
    first = lend(demo_ops, ids, start=D(2013, 11, 6), end=D(2013, 11, 30))
    with pytest.raises(ConflictError):
        lend(demo_ops, ids, start=D(2013, 11, 20), end=D(2013, 11, 25))
    demo_ops.run("Rentré", lambda s: L.set_loan_status(s, first, "rentré", returned_date=D(2013, 11, 18), expected=snapshot(s, Loan, first)))
    lend(demo_ops, ids, start=D(2013, 11, 20), end=D(2013, 11, 25))


def test_loan_validation_messages(demo_ops, ids):
    with pytest.raises(ValidationError, match="ne peut pas précéder la livraison"):
        lend(demo_ops, ids, start=D(2013, 11, 18), end=D(2013, 11, 6))
    with pytest.raises(ValidationError, match="une boutique ou une organisation"):
        lend(demo_ops, ids, organisation_id=ids["epci"])
    with pytest.raises(ValidationError, match="une boutique ou une organisation"):
        lend(demo_ops, ids, shop_id=None)
    with pytest.raises(ValidationError, match="statut « parti »"):
        lend(demo_ops, ids, status="parti")


# --- Statuses and overdue -----------------------------------------------------------------------


def test_statuses_and_overdue_flags(demo_ops, ids):
    clock.set_today(D(2013, 11, 20))
    loan = lend(demo_ops, ids, start=D(2013, 11, 6), end=D(2013, 11, 18))
    demo_ops.run("Livré", lambda s: L.set_loan_status(s, loan, "livré", expected=snapshot(s, Loan, loan)))
    overdue = demo_ops.read(lambda s: L.overdue_loans(s, clock.today()))
    assert [(o.item_identifier, o.destination_name, o.pickup_date, o.edition_name, o.days_late) for o in overdue] == [
        ("ROUE-01", "Emmaüs Cholet", D(2013, 11, 18), "Novembre 2013", 2)
    ]
    assert overdue[0].loan_id == loan and overdue[0].kind == "Roue de la prévention des déchets"
    # One rule: the Prêts table's red rows, this list and the dashboard's « Matériel non rentré ».
    from bonsjours_desktop.core.dashboard import dashboard

    table = demo_ops.read(lambda s: L.list_loan_rows(s, None, clock.today()))
    board = demo_ops.read(lambda s: dashboard(s, clock.today(), None))
    assert {r.id for r in table if r.overdue} == {o.loan_id for o in overdue} == {
        r.payload["loan_id"] for r in board.loans}
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.overdue and row.days_late == 2
    items = {r.identifier: r for r in demo_ops.read(L.list_item_rows)}
    assert items["ROUE-01"].overdue and items["ROUE-01"].situation.startswith("non rentré")
    # The pickup day itself is not late yet.
    assert demo_ops.read(lambda s: L.overdue_loans(s, D(2013, 11, 18))) == []

    demo_ops.run("À reprendre", lambda s: L.set_loan_status(s, loan, "à reprendre", expected=snapshot(s, Loan, loan)))
    assert len(demo_ops.read(lambda s: L.overdue_loans(s, clock.today()))) == 1
    demo_ops.run("Rentré", lambda s: L.set_loan_status(s, loan, "rentré", expected=snapshot(s, Loan, loan)))
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.status == "rentré" and row.returned_date == D(2013, 11, 20) and not row.overdue
    assert demo_ops.read(lambda s: L.overdue_loans(s, clock.today())) == []
    items = {r.identifier: r for r in demo_ops.read(L.list_item_rows)}
    assert not items["ROUE-01"].overdue and items["ROUE-01"].situation.startswith("disponible")

    demo_ops.run("Livré", lambda s: L.set_loan_status(s, loan, "livré", expected=snapshot(s, Loan, loan)))
    assert demo_ops.read(lambda s: L.get_loan_row(s, loan)).returned_date is None


def test_lost_and_damaged_update_the_item_condition(demo_ops, ids):
    clock.set_today(D(2013, 11, 20))
    loan = lend(demo_ops, ids)
    demo_ops.run("Perdu", lambda s: L.set_loan_status(s, loan, "perdu/abîmé", expected=snapshot(s, Loan, loan)))
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.item_condition == "perdu" and row.returned_date is None and not row.overdue
    with pytest.raises(ConflictError, match="marqué perdu"):
        lend(demo_ops, ids, start=D(2013, 12, 1), end=D(2013, 12, 5))
    demo_ops.run("Retrouvé", lambda s: L.set_loan_status(s, loan, "rentré", returned_date=D(2013, 11, 19), expected=snapshot(s, Loan, loan)))
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.item_condition == "bon" and row.returned_date == D(2013, 11, 19)
    demo_ops.run("Abîmé", lambda s: L.set_loan_status(s, loan, "perdu/abîmé", condition="abîmé", expected=snapshot(s, Loan, loan)))
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.item_condition == "abîmé" and row.returned_date == D(2013, 11, 19)
    with pytest.raises(ValidationError, match="précéder sa livraison"):
        demo_ops.run("Rentré", lambda s: L.set_loan_status(s, loan, "rentré", returned_date=D(2013, 1, 1), expected=snapshot(s, Loan, loan)))


def test_undo_of_a_loan_and_of_a_status_change(demo_ops, ids):
    clock.set_today(D(2013, 11, 20))
    loan = lend(demo_ops, ids)
    demo_ops.run("Perdu", lambda s: L.set_loan_status(s, loan, "perdu/abîmé", condition="perdu", expected=snapshot(s, Loan, loan)))
    demo_ops.undo()
    row = demo_ops.read(lambda s: L.get_loan_row(s, loan))
    assert row.status == "à livrer" and row.item_condition == "bon"
    demo_ops.undo()
    assert demo_ops.read(lambda s: L.list_loan_rows(s, ids["nov"])) == []
    demo_ops.redo()
    assert [r.id for r in demo_ops.read(lambda s: L.list_loan_rows(s, ids["nov"]))] == [loan]


# --- Items --------------------------------------------------------------------------------------


def test_items_crud(demo_ops):
    item_id = demo_ops.run("Objet", lambda s: L.create_item(s, " KIT-01 ", "Kit de signalétique", "Hangar", "bon",
                                                           "Kakémono + fanions")).value
    with pytest.raises(ValidationError, match="déjà pris par l'objet « KIT-01 »"):
        demo_ops.run("Objet", lambda s: L.create_item(s, "kit-01", "Kit", "", "bon", ""))
    with pytest.raises(ValidationError, match="L'identifiant de l'objet est obligatoire"):
        demo_ops.run("Objet", lambda s: L.create_item(s, "  ", "Kit", "", "bon", ""))
    with pytest.raises(ValidationError, match="L'état « cassé »"):
        demo_ops.run("Objet", lambda s: L.create_item(s, "KIT-02", "Kit", "", "cassé", ""))
    demo_ops.run("Modifier", lambda s: L.update_item(s, item_id, "KIT-01", "Kit de signalétique", "Hangar B", "usé",
                                                    "Kakémono + fanions", expected=snapshot(s, Item, item_id)))
    row = [r for r in demo_ops.read(L.list_item_rows) if r.id == item_id][0]
    assert (row.identifier, row.storage_place, row.condition) == ("KIT-01", "Hangar B", "usé")
    demo_ops.run("Supprimer", lambda s: L.delete_item(s, item_id, expected=snapshot(s, Item, item_id)))
    assert item_id not in [r.id for r in demo_ops.read(L.list_item_rows)]


def test_deleting_an_item_takes_its_loans_and_undo_brings_them_back(demo_ops, ids):
    assert demo_ops.read(lambda s: L.item_loan_count(s, ids["roue1"])) == 1
    demo_ops.run("Supprimer", lambda s: L.delete_item(s, ids["roue1"], expected=snapshot(s, Item, ids["roue1"])))
    assert len(demo_ops.read(lambda s: L.list_loan_rows(s, ids["apr"]))) == 11
    demo_ops.undo()
    assert len(demo_ops.read(lambda s: L.list_loan_rows(s, ids["apr"]))) == 12


# --- Consumables --------------------------------------------------------------------------------


def test_consumables_and_deliveries_within_stock(demo_ops, ids):
    cid = demo_ops.run("Stock", lambda s: L.create_consumable(s, ids["nov"], "Affiches", 50, "exemplaires")).value
    with pytest.raises(ValidationError, match="déjà un consommable « Affiches »"):
        demo_ops.run("Stock", lambda s: L.create_consumable(s, ids["nov"], "affiches", 10))
    with pytest.raises(ValidationError, match="Le stock « beaucoup »"):
        demo_ops.run("Stock", lambda s: L.create_consumable(s, ids["nov"], "Flyers", "beaucoup"))
    demo_ops.run("Livrer", lambda s: L.create_delivery(s, cid, shop_id=ids["shop"], quantity=30, date=D(2013, 11, 5)))
    with pytest.raises(ValidationError, match="nombre entier positif"):
        demo_ops.run("Livrer", lambda s: L.create_delivery(s, cid, shop_id=ids["shop"], quantity=0))
    with pytest.raises(ConflictError) as caught:
        demo_ops.run("Livrer", lambda s: L.create_delivery(s, cid, organisation_id=ids["epci"], quantity=21))
    assert "il en reste 20 exemplaires sur 50 (30 déjà livrés)" in str(caught.value)
    demo_ops.run("Livrer", lambda s: L.create_delivery(s, cid, organisation_id=ids["epci"], quantity=20))
    row = demo_ops.read(lambda s: L.list_consumable_rows(s, ids["nov"]))[0]
    assert (row.quantity, row.delivered, row.remaining, row.delivery_count) == (50, 50, 0, 2)
    with pytest.raises(ConflictError, match="ne peut pas descendre à 40"):
        demo_ops.run("Stock", lambda s: L.update_consumable(s, cid, "Affiches", 40, "exemplaires", expected=snapshot(s, Consumable, cid)))
    deliveries = demo_ops.read(lambda s: L.list_delivery_rows(s, ids["nov"]))
    assert [(d.destination_name, d.quantity) for d in deliveries] == [("Angers Loire Métropole", 20), ("Emmaüs Cholet", 30)]
    # Editing a delivery counts the stock without itself.
    demo_ops.run("Modifier", lambda s: L.update_delivery(s, deliveries[1].id, consumable_id=cid, shop_id=ids["shop"],
                                                        quantity=30, date=None, carrier="Moi", expected=snapshot(s, ConsumableDelivery, deliveries[1].id)))
    demo_ops.run("Supprimer", lambda s: L.delete_consumable(s, cid, expected=snapshot(s, Consumable, cid)))
    assert demo_ops.read(lambda s: L.list_delivery_rows(s, ids["nov"])) == []


def test_deliver_to_every_participating_shop(demo_ops, ids):
    cid = demo_ops.run("Stock", lambda s: L.create_consumable(s, ids["nov"], "Kits", 20, "kits")).value
    demo_ops.run("Livrer", lambda s: L.create_delivery(s, cid, shop_id=ids["shop"], quantity=1))
    created = demo_ops.run("Tous", lambda s: L.deliver_to_participants(s, cid, 1, D(2013, 11, 4))).value
    assert len(created) == 16  # 17 shops took part in November 2013, one was already served
    with pytest.raises(ConflictError, match="déjà reçu"):
        demo_ops.run("Tous", lambda s: L.deliver_to_participants(s, cid, 1))


# --- Rounds and demo ----------------------------------------------------------------------------


def test_delivery_rounds_group_by_day_and_territory_in_driver_order(demo_ops, ids):
    rounds = demo_ops.read(lambda s: L.delivery_rounds(s, ids["apr"]))
    assert [r.day for r in rounds] == sorted(r.day for r in rounds)
    first = rounds[0]
    assert first.title == "mar. 25 mars 2014 — Angers Loire Métropole"
    communes = [s.commune for s in first.stops]
    assert communes == sorted(communes, key=lambda c: c.casefold())
    angers = [s for s in first.stops if s.commune == "Angers"]
    # By street, then house number: the driver goes down one street at a time.
    assert [s.address for s in angers] == ["21 boulevard de l'Industrie", "15 rue Bressigny", "2 rue de la Maraîchère",
                                           "83 rue du Mail", "34 rue Saint-Lazare"]
    epci = [s for s in first.stops if s.name == "Angers Loire Métropole"][0]
    assert epci.full_address == "83 rue du Mail, 49000 Angers" and epci.contact == "Claire Moreau"
    assert [l.text for l in epci.drop_offs][0] == "ROUE-01 – Roue de la prévention des déchets"
    kit = [l for s in first.stops for l in s.drop_offs if l.label == "Kits de signalétique"][0]
    assert kit.text == "Kits de signalétique : 1 kit"
    pickups = [r for r in rounds if r.pickup_count]
    assert {r.day for r in pickups} == {D(2014, 4, 7), D(2014, 4, 8), D(2014, 4, 9), D(2014, 4, 10)}
    # Twelve games lent, one came back « perdu/abîmé »: nobody goes to pick it up any more (the same
    # rule as the delivery sheets, which read these rounds), but its drop-off is still listed.
    assert sum(r.pickup_count for r in rounds) == 11
    assert sum(1 for r in rounds for s in r.stops for line in s.drop_offs if line.item_identifier) == 12
    lost = [line for r in rounds for s in r.stops for line in s.drop_offs if line.status == "perdu/abîmé"]
    assert len(lost) == 1 and not any(line.loan_id == lost[0].loan_id for r in rounds for s in r.stops
                                      for line in s.pickups)
    assert all(line.done for r in pickups for s in r.stops for line in s.pickups)
    assert rounds[0].carriers == ("Équipe logistique du Département",)


def test_demo_lends_the_twelve_games_and_delivers_the_kits(demo_db, ids):
    with demo_db.session() as s:
        loans = s.scalars(select(Loan).where(Loan.edition_id == ids["apr"])).all()
        assert len(loans) == 12 and len({l.item_id for l in loans}) == 12
        assert all(D(2014, 3, 24) <= l.delivery_date <= D(2014, 3, 31) for l in loans)
        assert all(D(2014, 4, 6) <= l.pickup_date <= D(2014, 4, 12) for l in loans)
        statuses = sorted(l.status for l in loans)
        assert statuses.count("rentré") == 11 and statuses.count("perdu/abîmé") == 1
        damaged = [l for l in loans if l.status == "perdu/abîmé"][0]
        assert damaged.item.condition == "abîmé"
        epci_loans = [l for l in loans if l.organisation_id is not None]
        assert all(l.organisation.kind == "collectivité/EPCI" for l in epci_loans) and len(epci_loans) == 9
        shop_ids = {l.shop_id for l in loans if l.shop_id is not None}
        participating = {p.shop_id for p in s.get(Edition, ids["apr"]).participations}
        assert shop_ids and shop_ids <= participating
        names = sorted(c.name for c in s.scalars(select(Consumable).where(Consumable.edition_id == ids["apr"])))
        assert names == ["Affiches", "Annuaires « Boutiques solidaires de l'occasion »", "Flyers", "Kits de signalétique"]
        kits = s.scalars(select(Consumable).filter_by(edition_id=ids["apr"], name="Kits de signalétique")).one()
        assert len({d.shop_id for d in kits.deliveries}) == 20 == len(participating)
        for consumable in s.scalars(select(Consumable)):
            assert sum(d.quantity for d in consumable.deliveries) <= consumable.quantity
    assert demo_db and OperationRunner(demo_db).read(lambda s: L.overdue_loans(s, D(2014, 4, 20))) == []


def test_demo_logistics_twice_duplicates_nothing(demo_db):
    def counts():
        with demo_db.session() as s:
            return [s.scalar(select(func.count()).select_from(m)) for m in (Loan, Consumable, ConsumableDelivery, Item)]

    before = counts()
    changes = OperationRunner(demo_db).run("Exemple", lambda s: load_demo(s, living=False) and None)
    assert counts() == before
    assert not changes.touches("loans", "consumables", "consumable_deliveries", "items")
