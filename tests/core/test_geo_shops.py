"""Shops and the reference geography: real postal codes, territory and approximate centre from the commune."""

from __future__ import annotations

import pytest

from bonsjours_desktop.core.versions import snapshot
from sqlalchemy import select

from bonsjours_desktop.core import geo
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.io.shops_io import import_shops, plan_import, read_csv_text
from bonsjours_desktop.core.models import Shop, Territory
from bonsjours_desktop.core.shops import ShopInput, create_shop, shop_input, update_shop

# A network's list as coordinators get it: names, addresses, postal codes, communes, nothing else.
BARE_LIST = "\n".join([
    "Nom;Adresse;Code postal;Commune",
    "Recyclerie du Layon;3 rue du Moulin;49190;ST-AUBIN DE LUIGNE",
    "Boutique des Mauges;1 place de l'Église;49600;Beaupréau",
    "Friperie de Chemillé;12 rue Nationale;49120;CHEMILLE",
    "Dépôt-vente angevin;4 bd Foch;49035;ANGERS CEDEX 01",
    "Les Ponts solidaires;8 rue David d'Angers;49130;Ponts-de-Cé (Les)",
])


def _shops(session):
    return {s.name: s for s in session.scalars(select(Shop))}


def test_import_of_a_bare_list_gives_territories_and_approximate_coordinates(ops):
    table = read_csv_text(BARE_LIST)
    assert ops.read(lambda s: plan_import(s, table)).problems == ()
    ops.run("Importer", lambda s: import_shops(s, table))

    def check(session):
        shops = _shops(session)
        assert len(shops) == 5
        for shop in shops.values():
            assert shop.territory is not None, shop.name
            assert shop.coordinates_approximate, shop.name
            assert geo.coordinates_warning(shop.latitude, shop.longitude, "49") == "", shop.name
        assert shops["Dépôt-vente angevin"].territory.name == "Communauté urbaine Angers Loire Métropole"
        assert shops["Les Ponts solidaires"].territory == shops["Dépôt-vente angevin"].territory
        assert shops["Boutique des Mauges"].territory.name == "Communauté d'agglomération Mauges Communauté"
        assert shops["Friperie de Chemillé"].territory == shops["Boutique des Mauges"].territory
        # text stays as typed
        assert shops["Recyclerie du Layon"].commune == "ST-AUBIN DE LUIGNE"
        territories = list(session.scalars(select(Territory)))
        assert all(t.epci_code for t in territories)

    ops.read(check)


def test_a_wrong_postal_code_is_a_french_error_naming_it(ops):
    table = read_csv_text("Nom;Code postal;Commune\nBoutique;49999;Angers\n")
    plan = ops.read(lambda s: plan_import(s, table))
    assert len(plan.problems) == 1
    assert "« 49999 » n'existe pas" in plan.problems[0].message
    with pytest.raises(ValidationError) as error:
        ops.run("Créer", lambda s: create_shop(s, ShopInput(name="B", commune="Angers", postal_code="49999")))
    assert error.value.errors == {"postal_code": "Le code postal « 49999 » n'existe pas (liste officielle de La Poste)."}


def test_typed_coordinates_are_kept_and_not_approximate(ops):
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name="B", commune="Angers", postal_code="49100", latitude="47,47", longitude="-0,55"))).value.shop_id
    shop = ops.read(lambda s: (lambda x: (x.latitude, x.longitude, x.coordinates_approximate))(s.get(Shop, shop_id)))
    assert shop == (47.47, -0.55, False)


def test_approximate_coordinates_stay_approximate_until_changed(ops):
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="B", commune="Saumur"))).value.shop_id
    assert ops.read(lambda s: s.get(Shop, shop_id).coordinates_approximate)
    form = ops.read(lambda s: shop_input(s, shop_id))
    form.notes = "re-saved"
    ops.run("Modifier", lambda s: update_shop(s, shop_id, form, expected=snapshot(s, Shop, shop_id)))
    assert ops.read(lambda s: s.get(Shop, shop_id).coordinates_approximate)
    form.latitude = "47,26"
    ops.run("Modifier", lambda s: update_shop(s, shop_id, form, expected=snapshot(s, Shop, shop_id)))
    assert not ops.read(lambda s: s.get(Shop, shop_id).coordinates_approximate)


def test_an_existing_territory_is_reused_by_its_epci_code(demo_ops):
    shop_id = demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(name="B", commune="Trélazé"))).value.shop_id

    def check(session):
        shop = session.get(Shop, shop_id)
        # the demo's "Angers Loire Métropole" carries the EPCI code: no second territory for it
        assert shop.territory.name == "Angers Loire Métropole"
        assert shop.territory.display_name == "Angers Loire Métropole"

    demo_ops.read(check)


def test_the_demo_territories_have_public_names(demo_ops):
    names = demo_ops.read(lambda s: {t.name: t.display_name for t in s.scalars(select(Territory))})
    assert names["SIRDOMDI – Pays segréen"] == "Pays segréen"
    assert not any(acronym in public for public in names.values() for acronym in ("SIRDOMDI", "SICTOM", "SMITOM"))


def test_choosing_another_departement(ops):
    assert ops.read(geo.coordinator_departement) == "49"
    ops.run("Département", lambda s: geo.set_coordinator_departement(s, "44"))
    assert ops.read(geo.coordinator_departement) == "44"
    # an ambiguous name now resolves in Loire-Atlantique
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(name="B", commune="Saint-Herblain"))).value.shop_id
    lat, lon = ops.read(lambda s: (s.get(Shop, shop_id).latitude, s.get(Shop, shop_id).longitude))
    assert geo.coordinates_warning(lat, lon, "44") == ""
    with pytest.raises(ValidationError):
        ops.run("Département", lambda s: geo.set_coordinator_departement(s, "100"))


def test_typed_coordinates_outside_the_departement_are_flagged(ops):
    assert ops.read(lambda s: geo.typed_coordinates_warning(s, "47,4711", "-0,5518")) == ""
    assert "inversées" in ops.read(lambda s: geo.typed_coordinates_warning(s, "-0.5518", "47.4711"))
    assert "hors du département Maine-et-Loire" in ops.read(
        lambda s: geo.typed_coordinates_warning(s, "47.2184", "-1.5536"))
    assert ops.read(lambda s: geo.typed_coordinates_warning(s, "", "")) == ""
