"""Shared field checks, French formatting and exact money."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from bonsjours_desktop.core import formatting, money, validation
from bonsjours_desktop.core.errors import ValidationError
import datetime as dt


@pytest.mark.parametrize("raw, expected", [
    ("0241000000", "02 41 00 00 00"), ("+33 2 41 00 00 00", "02 41 00 00 00"),
    ("02.41.00.00.00", "02 41 00 00 00"), ("241000000", "02 41 00 00 00"), ("", ""),
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
