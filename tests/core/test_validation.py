"""Shared field checks, French formatting and exact money."""

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from bonsjours_desktop.core import formatting, money, validation
from bonsjours_desktop.core.validation import fold, fold_many
from bonsjours_desktop.core.errors import ValidationError
import datetime as dt


@pytest.mark.parametrize("raw, expected", [
    ("0241000000", "02 41 00 00 00"), ("+33 2 41 00 00 00", "02 41 00 00 00"),
    ("02.41.00.00.00", "02 41 00 00 00"), ("241000000", "02 41 00 00 00"), ("", ""),
    ("+33 (0)2 41 00 00 00", "02 41 00 00 00"), ("0033 (0) 241000000", "02 41 00 00 00"),
    ("+33 0 2 41 00 00 00", "02 41 00 00 00"),
])
def test_phone_normalised(raw, expected):
    assert validation.phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "02 41", "abc", "+44 20 7946 0958"])
def test_bad_phone_says_why_in_french(raw):
    with pytest.raises(ValidationError, match="numéro de téléphone"):
        validation.phone(raw)


def test_coordinates_pair_and_decimal_commas():
    assert validation.coordinates("47.4711, -0.5518", None) == (47.4711, -0.5518)
    assert validation.coordinates("47,4711", "-0,5518") == (47.4711, -0.5518)
    with pytest.raises(ValidationError, match="latitude"):
        validation.coordinates("147", "0")


@pytest.mark.parametrize("latitude, longitude, expected", [
    ("47,4711", "-0,5518", (47.4711, -0.5518)),  # French decimal commas in both fields
    ("47.47, -0.55", "", (47.47, -0.55)),  # a pasted pair, English notation
    ("47.47,-0.55", "", (47.47, -0.55)),
    ("47,47 ; -0,55", "", (47.47, -0.55)),  # a pasted pair, French notation
    ("47,47 -0,55", "", (47.47, -0.55)),
    ("47,4711, -0,5518", "", (47.4711, -0.5518)),
    ("−0,55", "47,47", (-0.55, 47.47)),  # a typographic minus
])
def test_coordinates_in_every_notation(latitude, longitude, expected):
    assert validation.coordinates(latitude, longitude) == expected


@pytest.mark.parametrize("latitude, longitude, message", [
    ("47,4711", "", "Indiquez la latitude et la longitude"),  # one French decimal, never « 47 / 4711 »
    ("47,45", "", "Indiquez la latitude et la longitude"),  # not a point in Kazakhstan
    ("4_7.4711", "-0.55", "n'est pas un nombre"),  # Python's float() takes underscores
    ("47.4711", "1e-1", "n'est pas un nombre"),
    ("nan", "0", "n'est pas un nombre"),
])
def test_coordinates_refused_with_a_french_reason(latitude, longitude, message):
    with pytest.raises(ValidationError, match=message):
        validation.coordinates(latitude, longitude)


def test_swapped_or_far_coordinates_are_warnings():
    assert validation.check_coordinates(47.4711, -0.5518) == []
    assert validation.check_coordinates(None, None) == []
    [swapped] = validation.check_coordinates(-0.5518, 47.4711)
    assert swapped == ("Latitude et longitude semblent inversées (-0,5518 ; 47,4711) : échangées, elles tombent "
                       "dans le département Maine-et-Loire.")  # French decimal commas, as typed in the form
    [far] = validation.check_coordinates(47.0, 45.0)
    assert far == "Les coordonnées (47,0000 ; 45,0000) sont hors du département Maine-et-Loire."
    # The real contour, not a box: Nantes is in the box's latitudes but in Loire-Atlantique.
    assert validation.check_coordinates(47.2184, -1.5536) != []
    assert validation.check_coordinates(47.2184, -1.5536, "44") == []


@pytest.mark.parametrize("raw, expected", [
    ("49000", "49000"), ("49 000", "49000"), ("49000.0", "49000"), ("1000", "01000"), ("1000.0", "01000"),
    ("9800", "09800"), ("01000", "01000"), ("", ""),
])
def test_postal_code_as_excel_leaves_it(raw, expected):
    assert validation.postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["4925", "1001", "490", "4900a", "49_000", "490000"])
def test_postal_code_typos_are_errors_naming_the_code(raw):
    with pytest.raises(ValidationError, match=f"Code postal « {raw} » : 5 chiffres attendus"):
        validation.postal_code(raw)


def test_postal_code_and_email():
    assert validation.postal_code("1000") == "01000"
    with pytest.raises(ValidationError, match="5 chiffres"):
        validation.postal_code("490")
    assert validation.email("a@b.fr") == "a@b.fr"
    with pytest.raises(ValidationError, match="adresse électronique"):
        validation.email("a@b")


def test_fold_ignores_case_and_accents():
    assert validation.fold("  ÉMMAÜS   Angers ") == validation.fold("emmaus angers")


def test_french_formats():
    assert formatting.money(Decimal("41500")) == "41 500,00 €"
    assert formatting.money(Decimal("-1234567.5")) == "-1 234 567,50 €"
    assert formatting.date_abbr(dt.date(2013, 11, 13)) == "mer. 13 nov. 2013"
    assert formatting.date_long(dt.date(2014, 4, 2)) == "mercredi 2 avril 2014"
    assert formatting.rate(Decimal("5.50")) == "5,5 %"


def test_month_label_has_one_short_form():
    labels = [formatting.month_label(dt.date(2012, m, 1)) for m in range(1, 13)]
    assert labels[9:] == ["oct. 2012", "nov. 2012", "déc. 2012"]
    assert labels[:9] == ["janv. 2012", "févr. 2012", "mars 2012", "avr. 2012", "mai 2012", "juin 2012",
                          "juil. 2012", "août 2012", "sept. 2012"]
    assert formatting.month_label(None) == ""


def test_parse_amount_french():
    assert money.parse_amount("41 500,00 €") == Decimal("41500.00")
    assert money.parse_amount("1.234,5") == Decimal("1234.50")
    with pytest.raises(ValidationError, match="montant"):
        money.parse_amount("douze")


@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from(["20", "10", "5.5", "2.1", "0"]))
def test_vat_is_exact_to_the_cent(cents_value, rate_text):
    amount = Decimal(cents_value) / 100
    rate = Decimal(rate_text)
    vat, ttc = money.vat_from_ht(amount, rate)
    assert amount + vat == ttc
    ht, vat2 = money.ht_from_ttc(amount, rate)
    assert ht + vat2 == amount


@pytest.mark.parametrize("raw", ["1_0", "١٢", "1e3", "12.0"])
def test_whole_numbers_refuse_what_python_int_would_take(raw):
    from bonsjours_desktop.core.logistics import _count

    with pytest.raises(ValidationError, match="n'est pas un nombre entier"):
        _count(raw, "quantity", "La quantité", 0)


def test_directory_quantity_refuses_underscores():
    from bonsjours_desktop.core.partners import parse_quantity

    assert parse_quantity("150") == 150
    with pytest.raises(ValidationError, match="doit être un nombre entier"):
        parse_quantity("1_50")


@settings(max_examples=400, deadline=None)
@given(st.floats(46.8, 47.95), st.floats(-1.6, 0.4))
def test_fast_inside_test_agrees_with_the_full_outline_walk(latitude, longitude):
    from bonsjours_desktop.core import geo

    full = geo.point_in_rings(longitude, latitude, geo.contours("49").outline)
    assert geo.outline_contains("49", longitude, latitude) == full


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=12))
def test_folding_many_texts_at_once_gives_each_text_s_fold(texts):
    """fold_many folds all the texts joined (the Boutiques tab's 10 000 search texts): the same keys as
    fold one by one, for any text — accents, ligatures, compatibility characters, NUL, spaces of every kind."""
    assert fold_many(texts) == [fold(text) for text in texts]


def test_folding_many_texts_keeps_french_keys():
    texts = ["Œuvre  d’Émmaüs", "ÉCOCYCLERIE du Val", "", "  Angers\u00a0Centre ", "a\x00b", "Ça ¨va"]
    assert fold_many(texts) == ["œuvre d'emmaus", "ecocyclerie du val", "", "angers centre", "a\x00b", "ca va"]
    assert fold_many([]) == [] and fold_many(["plain ascii  Text"]) == ["plain ascii text"]


@pytest.mark.parametrize("typed, commune, expected", [
    ("1000", "Bourg-en-Bresse", "01000"),  # the zero Excel dropped, and 01000 serves Bourg-en-Bresse
    ("1000.0", "bourg en bresse", "01000"),
    ("1000", "Lieu-dit inconnu", "01000"),  # a commune the list does not know: the code alone decides
    ("01000", "Angers", "01000"),  # typed with its zero: as typed
    ("1000", "Angers", None),  # 01000 exists but is not Angers': a typo, not a dropped zero
    ("9800", "Angers", None),
])
def test_a_4_digit_postal_code_takes_its_zero_back_only_for_a_commune_it_serves(typed, commune, expected):
    from bonsjours_desktop.core.shops import ShopInput, validate_shop

    data = ShopInput(name="Boutique", commune=commune, postal_code=typed)
    if expected is not None:
        assert validate_shop(data).postal_code == expected
    else:
        with pytest.raises(ValidationError, match=f"Code postal « {typed} » : 5 chiffres attendus .* ne dessert pas "
                                                  f"la commune « {commune} »"):
            validate_shop(data)
