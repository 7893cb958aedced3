"""Reference geography: lookups in the shipped dataset, name matching, Lambert-93, contours."""

from __future__ import annotations

import pytest

from bonsjours_desktop.core import geo


def test_postal_code_lookup_gives_the_real_communes():
    assert [c.name for c in geo.communes_by_postal_code("49100")] == ["Angers"]
    nantes = geo.communes_by_postal_code("44000")
    assert [c.insee for c in nantes] == ["44109"]
    assert geo.is_postal_code("49400") and not geo.is_postal_code("04925")
    # a commune nouvelle's postal codes also reach its communes déléguées
    names = {c.name for c in geo.communes_by_postal_code("49120")}
    assert {"Chemillé-en-Anjou", "Chemillé"} <= names


def test_departements_communes_and_epci_are_complete():
    assert geo.departement("49").name == "Maine-et-Loire"
    assert geo.departement("44").name == "Loire-Atlantique"
    assert len(geo.departements()) == 101
    communes_49 = geo.communes_of("49")
    assert communes_49[0].name == "Angers"  # most populated first
    assert 150 < len(communes_49) < 200
    assert geo.epci(geo.commune("49007").epci).name == "Communauté urbaine Angers Loire Métropole"
    assert geo.epci(geo.commune("44109").epci).name == "Nantes Métropole"
    assert "Communauté d'agglomération Saumur Val de Loire" in {e.name for e in geo.epcis_of("49")}
    assert "49300" in geo.postal_codes_of("49") and "44000" not in geo.postal_codes_of("49")


@pytest.mark.parametrize(
    ("typed", "postal_code", "expected"),
    [
        ("ANGERS", "49100", "49007"),
        ("angers cedex 01", "49035", "49007"),  # a Cedex code is not a postal code of the commune
        ("St-Barthélemy-d'Anjou", "", "49267"),
        ("SAINT BARTHELEMY D ANJOU", "49124", "49267"),
        ("Ponts-de-Cé (Les)", "", "49246"),
        ("les ponts de ce", "49130", "49246"),
        ("Saumur", "", "49328"),
        ("Chemillé", "49120", "49092"),  # commune déléguée → its commune nouvelle
        ("Beaupréau", "49600", "49023"),
    ],
)
def test_commune_matching_tolerates_case_accents_saint_cedex(typed, postal_code, expected):
    found = geo.match_commune(typed, postal_code, "49")
    assert found is not None
    assert geo.official(found).insee == expected


def test_ambiguous_names_need_the_postal_code_or_departement():
    # Saint-Georges-sur-Loire exists in 49 only, "Beaulieu" in many départements
    assert geo.match_commune("Beaulieu") is None
    assert geo.match_commune("Saint-Herblain", "", "49").departement == "44"
    assert geo.match_commune("Nowhere-sur-Rien", "49100") is None


def test_postal_code_check_names_the_wrong_code():
    assert geo.check_postal_code("49100") == ""
    assert "« 04925 »" in geo.check_postal_code("04925")
    assert geo.check_postal_code("49035", "Angers Cedex 01") == ""
    assert geo.check_postal_code("99035", "Angers Cedex 01") != ""


@pytest.mark.parametrize(
    ("lon", "lat", "x", "y"),
    [  # reference values from PROJ (EPSG:4326 → EPSG:2154)
        (3.0, 46.5, 700000.0, 6600000.0),
        (2.3522219, 48.856614, 652470.642, 6862036.803),
        (-0.5518, 47.4711, 432555.188, 6713876.111),
        (7.7521, 48.5734, 1050362.695, 6840899.647),
        (9.45, 42.70, 1228546.045, 6199420.644),
        (-4.486, 48.390, 146636.140, 6836217.365),
    ],
)
def test_lambert93_matches_proj(lon, lat, x, y):
    px, py = geo.lambert93(lon, lat)
    assert px == pytest.approx(x, abs=0.01)
    assert py == pytest.approx(y, abs=0.01)


def test_contours_hold_the_departement_its_epci_and_communes():
    maine = geo.contours("49")
    assert len(maine.communes) == len(geo.communes_of("49"))
    assert set(maine.epci) == {e.code for e in geo.epcis_of("49")}
    angers = geo.commune("49007")
    assert geo.point_in_rings(angers.longitude, angers.latitude, maine.outline)
    assert geo.point_in_rings(angers.longitude, angers.latitude, maine.epci[angers.epci])
    nantes = geo.commune("44109")
    assert not geo.point_in_rings(nantes.longitude, nantes.latitude, maine.outline)
    assert geo.point_in_rings(nantes.longitude, nantes.latitude, geo.contours("44").outline)
    with pytest.raises(ValueError):
        geo.contours("00")


def test_coordinates_warning_catches_outside_and_swapped():
    assert geo.coordinates_warning(47.4711, -0.5518, "49") == ""
    assert "inversées" in geo.coordinates_warning(-0.5518, 47.4711, "49")
    assert "hors du département" in geo.coordinates_warning(47.2184, -1.5536, "49")
    assert geo.coordinates_warning(47.2184, -1.5536, "44") == ""


def test_completion_puts_the_coordinators_departement_first():
    names = [c.name for c in geo.complete_communes("sain", "49", limit=5)]
    assert all(geo.match_commune(n, "", "49").departement == "49" for n in names)
    assert geo.complete_communes("", "49") == []


def test_a_departement_s_communes_do_not_build_the_whole_country():
    """Opening the Boutiques tab needs one département's communes (map labels), not France's 37 000."""
    index = geo._Index(geo._load_gz("france.json.gz"))
    found = sorted(index.official_communes_of("49"))
    assert index._communes is None  # nothing built for the whole country yet
    assert found == sorted(c for c in index.by_insee.values() if c.departement == "49")
    assert len(found) > 150 and all(not c.parent for c in found)
    assert index.communes and index.by_postal["49100"]


def test_a_commune_found_through_its_postal_code_is_the_one_the_name_index_gives():
    """match_commune looks among the communes a postal code serves before building the country's name
    index: for names and codes of a whole département (and codes that do not serve the name), the same
    commune as the search through the index."""
    from bonsjours_desktop.core.geo import _match_by_name_index, name_key

    def reference(name, postal_code, departement_code):
        key = name_key(name)
        return _match_by_name_index(key, postal_code.strip(), departement_code) if key else None

    communes = geo.communes_of("49") + geo.communes_of("2A")
    codes = sorted({cp for c in communes for cp in c.postal_codes})
    communes += [c for cp in codes for c in geo.communes_by_postal_code(cp) if c.parent]  # communes déléguées
    for i, commune in enumerate(communes):
        for name in (commune.name, commune.name.upper().replace("SAINT", "ST")):
            for code in (*commune.postal_codes, codes[i % len(codes)], "", "75001"):
                assert geo.match_commune.__wrapped__(name, code, "49") == reference(name, code, "49")


def test_the_summary_says_what_the_country_s_index_says():
    """summary.json.gz is derived from france.json.gz (tools/build_geo.py --summary-only): same
    départements and EPCI, and each département's label candidates are its most populated official
    communes in communes_of's order — a stale summary (france.json.gz rebuilt alone) fails here."""
    france = geo._load_gz("france.json.gz")
    assert sorted([d.code, d.name, d.chef_lieu] for d in geo.departements()) == sorted(france["departements"])
    assert sorted([e.code, e.name, e.kind] for e in geo._summary().epcis.values()) == sorted(france["epci"])
    for code in ("49", "44", "2A", "974", "75"):
        expected = [(c.name, c.longitude, c.latitude) for c in geo.communes_of(code)[:40]]
        assert geo.most_populated(code) == expected, code
    chef = geo.commune(geo.departement("974").chef_lieu)
    assert geo._summary().centres["974"] == (chef.longitude, chef.latitude)
    assert "INSEE" in geo.source_text()


def test_lookups_by_departement_or_epci_do_not_load_the_communes(monkeypatch):
    """The map's département, its name, an EPCI's name: the small summary (~4 ms), not the 37 000
    communes (~50 ms, which the Boutiques tab paid each time its map was first drawn)."""
    geo._index.cache_clear()
    monkeypatch.setattr(geo, "_index", lambda: (_ for _ in ()).throw(AssertionError("index des communes chargé")))
    assert geo.departement("49").name == "Maine-et-Loire"
    assert geo.epci("244900015").name == "Communauté urbaine Angers Loire Métropole"
    assert geo.most_populated("49")[0][0] == "Angers"
    assert geo.contours("49").outline
    assert geo.Projection("974")(55.45, -20.88) != (0.0, 0.0)
