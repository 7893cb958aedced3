"""Shop services: validation, opening hours, products, duplicates, create/update/delete with undo."""

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.models import Animation, Participation, Shop
from bonsjours_desktop.core.versions import snapshot
from bonsjours_desktop.core.shops import (
    ShopInput,
    create_shop,
    delete_impact,
    delete_shop,
    format_opening_hours,
    list_shop_rows,
    opening_hours_from_text,
    parse_day_ranges,
    shop_input,
    split_products,
    update_shop,
    validate_shop,
)


def errors_of(data: ShopInput) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate_shop(data)
    return info.value.errors


def test_name_and_commune_are_required_with_french_messages():
    errors = errors_of(ShopInput(name="  ", commune=""))
    assert errors["name"] == "Le nom de la boutique est obligatoire."
    assert errors["commune"] == "La commune est obligatoire."


def test_every_bad_field_is_reported_at_once():
    errors = errors_of(ShopInput(name="A", commune="Angers", postal_code="4900a", phone="12", email="x@",
                                 website="pas un site", latitude="95", longitude="0",
                                 opening_hours={"mercredi": "12:00-09:00"}))
    assert set(errors) == {"postal_code", "phone", "email", "website", "latitude", "hours_mercredi"}
    assert "5 chiffres" in errors["postal_code"]
    assert "finit avant de commencer" in errors["hours_mercredi"]


def test_values_are_normalised():
    clean = validate_shop(ShopInput(name=" Emmaüs ", commune="Foix", phone="+33 2 41 39 72 30",
                                    postal_code="9000", latitude="47.4711, -0.5518"))
    assert clean.name == "Emmaüs"
    assert clean.phone == "02 41 39 72 30"
    assert clean.postal_code == "09000"
    assert (clean.latitude, clean.longitude) == (47.4711, -0.5518)
    clean = validate_shop(ShopInput(name="A", commune="B", latitude="47,4711", longitude="-0,5518"))
    assert (clean.latitude, clean.longitude) == (47.4711, -0.5518)


def test_day_ranges_several_per_day_checked():
    assert parse_day_ranges("9h-12h, 14:00-18:00", "mercredi") == [["09:00", "12:00"], ["14:00", "18:00"]]
    assert parse_day_ranges("14:00-18:00 09:00-12:00", "samedi") == [["09:00", "12:00"], ["14:00", "18:00"]]
    with pytest.raises(ValidationError, match="se chevauchent"):
        parse_day_ranges("09:00-12:00 11:00-13:00", "mercredi")
    with pytest.raises(ValidationError, match="illisibles"):
        parse_day_ranges("le matin", "mercredi")
    with pytest.raises(ValidationError, match="heure invalide"):
        parse_day_ranges("25:00-26:00", "mercredi")


def test_opening_hours_text_format_round_trips():
    text = "mercredi 09:00-12:00 14:00-18:00; samedi 09:30-12:30"
    hours = opening_hours_from_text(text)
    assert hours == {"mercredi": [["09:00", "12:00"], ["14:00", "18:00"]], "samedi": [["09:30", "12:30"]]}
    assert format_opening_hours(hours) == text
    # What people type in spreadsheets
    assert opening_hours_from_text("Mer. 9h-12h / 14h-18h\nsam 9h30-12h30") == hours
    assert list(opening_hours_from_text("du mardi au jeudi 10h-12h")) == ["mardi", "mercredi", "jeudi"]
    assert opening_hours_from_text("mercredi et samedi 14h-18h; dimanche fermé") == {
        "mercredi": [["14:00", "18:00"]], "samedi": [["14:00", "18:00"]]}
    with pytest.raises(ValidationError, match="Jour « jour » inconnu"):
        opening_hours_from_text("jour 9h-12h")


def test_products_known_categories_get_their_spelling_free_ones_kept():
    assert split_products("Meubles, VETEMENTS; objets d'art, meubles") == ["meubles", "vêtements", "objets d'art"]


def test_create_warns_about_probable_duplicate_and_update(ops):
    first = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="Emmaüs Angers", commune="Angers"))).value
    assert first.warnings == ()
    second = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="EMMAUS  angers", commune="angers"))).value
    assert second.warnings and "Doublon probable" in second.warnings[0]
    # Editing a shop does not count itself as its duplicate
    again = ops.run("Modifier", lambda s: update_shop(
        s, first.shop_id, ShopInput(name="Emmaüs Angers", commune="Angers", network="Emmaüs"),
        expected=snapshot(s, Shop, first.shop_id))).value
    assert "« EMMAUS  angers »" in again.warnings[0]  # the other one, not itself
    lone = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="Envie", commune="Cholet"))).value
    assert ops.run("Modifier", lambda s: update_shop(
        s, lone.shop_id, ShopInput(name="ENVIE", commune="Cholet"),
        expected=snapshot(s, Shop, lone.shop_id))).value.warnings == ()


def test_text_stored_exactly_as_typed(ops):
    name = "L'Atelier « Tout & Rien » <b>\"2\"</b>"
    result = ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name=name, commune="Saint-Barthélemy-d'Anjou", address="2 rue de l'Église\u0007",
        products=["vêtements", "objets d'art & déco"], opening_hours={"mercredi": "9h-12h 14h-18h"},
        may_promote=False))).value
    data = ops.read(lambda s: shop_input(s, result.shop_id))
    assert data.name == name
    assert data.address == "2 rue de l'Église"  # only the control character went
    assert data.products == ["vêtements", "objets d'art & déco"]
    assert data.opening_hours == {"mercredi": "09:00-12:00 14:00-18:00"}
    assert data.may_promote is False
    row = ops.read(list_shop_rows)[0]
    assert row.open_days == ("mercredi",) and row.opening_hours_text == "mercredi 09:00-12:00 14:00-18:00"


def test_update_then_undo(ops):
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="A", commune="Angers"))).value.shop_id
    ops.run("Modifier", lambda s: update_shop(s, shop_id, ShopInput(name="B", commune="Cholet", phone="0241000000"),
                                                    expected=snapshot(s, Shop, shop_id)))
    assert ops.read(lambda s: s.get(Shop, shop_id).phone) == "02 41 00 00 00"
    ops.undo()
    assert ops.read(lambda s: (s.get(Shop, shop_id).name, s.get(Shop, shop_id).phone)) == ("A", "")


def test_invalid_update_writes_nothing(ops):
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="A", commune="Angers"))).value.shop_id
    with pytest.raises(ValidationError):
        ops.run("Modifier", lambda s: update_shop(s, shop_id, ShopInput(name="B", commune=""),
                                                        expected=snapshot(s, Shop, shop_id)))
    assert ops.read(lambda s: s.get(Shop, shop_id).name) == "A"


def test_delete_says_what_goes_with_it_and_undo_brings_it_back(demo_ops):
    shop_id = demo_ops.read(lambda s: s.scalars(select(Shop.id).filter_by(name="Emmaüs Cholet")).one())
    impact = demo_ops.read(lambda s: delete_impact(s, shop_id))
    assert impact.participations == ("Avril 2014", "Novembre 2013")
    assert "2 participation(s)" in impact.sentence() and "animations" in impact.sentence()
    count_animations = lambda s: s.scalar(select(func.count()).select_from(Animation))  # noqa: E731
    before = demo_ops.read(count_animations)
    demo_ops.run("Supprimer", lambda s: delete_shop(s, shop_id, expected=snapshot(s, Shop, shop_id)))
    assert demo_ops.read(lambda s: s.get(Shop, shop_id)) is None
    assert demo_ops.read(lambda s: s.scalar(select(func.count()).select_from(Participation).filter_by(shop_id=shop_id))) == 0
    assert demo_ops.read(count_animations) < before
    demo_ops.undo()
    assert demo_ops.read(lambda s: s.get(Shop, shop_id).name) == "Emmaüs Cholet"
    assert demo_ops.read(count_animations) == before


def test_one_shop_record_read_by_the_form_the_export_and_the_documents(demo_db):
    """shop_record is the one shop → values mapping: the form, the export and the documents show its values."""
    from bonsjours_desktop.core.documents import contexts
    from bonsjours_desktop.core.io.shops_io import export_shops_data
    from bonsjours_desktop.core.shops import format_opening_hours, shop_input, shop_record

    with demo_db.session() as session:
        shop = session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one()
        shop.address = "  12 rue « Test »\nBât. B  "  # stored and shown exactly as typed
        shop.notes = "Clé chez la voisine"
        session.flush()
        record = shop_record(shop)
        form = shop_input(session, shop.id)
        exported = next(e for e in export_shops_data(session) if e.id == shop.id).values
        edition = contexts._edition(session, 1)
        document = contexts._shop_dict(shop, None, edition)
        session.rollback()
    assert record["address"] == "  12 rue « Test »\nBât. B  " and record["territory"]
    for key in ("name", "commune", "address", "postal_code", "territory", "phone", "email", "website", "notes"):
        assert getattr(form, key) == exported[key] == record[key], key
    for key in ("name", "address", "phone", "products"):
        assert document[key] == record[key], key
    # documents are for the public: they print the territory's public name (the form edits the official one)
    assert document["territory"] == "Agglomération du Choletais" != record["territory"]
    assert exported["opening_hours"] == format_opening_hours(record["opening_hours"])
    assert form.products == exported["products"] == record["products"]
    assert set(record) == set(vars(form))  # the form edits every field of the record
