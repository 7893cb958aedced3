"""`bonsjours editions list|create`: editions from the command line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.db import open_database
from bonsjours_desktop.core.models import Edition


def _editions(path):
    db = open_database(str(path), create=False)
    try:
        with db.session() as session:
            return {e.name: (e.budget_envelope, [d.day for d in e.event_days]) for e in session.scalars(select(Edition))}
    finally:
        db.dispose()


def test_list_shows_each_edition_with_days_status_and_shops(demo_file, capsys):
    assert main(["editions", "list", "--db", str(demo_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Novembre 2013 — terminée — mercredi 13 novembre 2013, samedi 16 novembre 2013 — 17 boutiques",
        "Avril 2014 — terminée — mercredi 2 avril 2014, samedi 5 avril 2014 — 20 boutiques",
    ]


def test_list_on_an_empty_base_says_how_to_create_one(tmp_path, capsys):
    path = tmp_path / "vide.sqlite"
    open_database(str(path)).dispose()
    assert main(["editions", "list", "--db", str(path)]) == 0
    assert "Aucune édition" in capsys.readouterr().out


def test_create_with_days_and_envelope(demo_file, capsys):
    argv = ["editions", "create", "--name", "Novembre 2015", "--days", "2015-11-21,18/11/2015",
            "--envelope", "3 500,50", "--db", str(demo_file)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Édition « Novembre 2015 » créée" in out and "mercredi 18 novembre 2015, samedi 21 novembre 2015" in out
    envelope, days = _editions(demo_file)["Novembre 2015"]
    assert envelope == Decimal("3500.50")
    assert days == [dt.date(2015, 11, 18), dt.date(2015, 11, 21)]


def test_create_without_days_leaves_them_to_be_agreed(demo_file, capsys):
    assert main(["editions", "create", "--name", "Avril 2016", "--db", str(demo_file)]) == 0
    assert "sans jours pour l'instant" in capsys.readouterr().out
    assert _editions(demo_file)["Avril 2016"] == (None, [])
    assert main(["editions", "list", "--db", str(demo_file)]) == 0
    assert "Avril 2016 — en préparation — jours à fixer — 0 boutique" in capsys.readouterr().out


@pytest.mark.parametrize("extra, message", [
    (["--name", "avril 2014"], "Une édition s'appelle déjà « Avril 2014 »"),
    (["--name", "X", "--days", "2015-13-01"], "« 2015-13-01 » n'est pas une date"),
    (["--name", "X", "--days", ","], "--days est vide"),
    (["--name", "X", "--days", "2015-11-18,2015-11-18"], "indiqué deux fois"),
    (["--name", "X", "--envelope", "abc"], "« abc » n'est pas un montant valide"),
    (["--name", "X", "--envelope", "-5"], "ne peut pas être négative"),
    (["--name", "   "], "nom"),
])
def test_bad_input_is_one_french_line_and_writes_nothing(demo_file, capsys, extra, message):
    before = _editions(demo_file)
    assert main(["editions", "create", *extra, "--db", str(demo_file)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _editions(demo_file) == before
