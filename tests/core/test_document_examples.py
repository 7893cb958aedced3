"""The « Modèles » help's example values are read from the chosen edition's own document context."""

from __future__ import annotations

from bonsjours_desktop.core.documents.contexts import VARIABLES
from bonsjours_desktop.core.documents.examples import display, example_variables
from bonsjours_desktop.core.editions import find_edition


def test_examples_are_those_of_the_chosen_edition(demo_db):
    with demo_db.session() as session:
        november = find_edition(session, "Novembre 2013").id
        april = find_edition(session, "Avril 2014").id
        for kind in ("press-kit", "directory", "bilan"):
            first = {v.name: v.example for v in example_variables(session, kind, november)}
            second = {v.name: v.example for v in example_variables(session, kind, april)}
            assert list(first) == [v.name for v in VARIABLES[kind]]
            assert first["edition.name"] == "Novembre 2013" and second["edition.name"] == "Avril 2014", kind
            assert first["edition.days_text"] == "mercredi 13 novembre 2013 et samedi 16 novembre 2013"
        shops = {v.name: v.example for v in example_variables(session, "directory", april)}
        assert shops["shops[].name"] and shops["shops"].endswith("éléments)")
        # Novembre 2013 has no delivery round: no value borrowed from another edition
        assert not any(v.example for v in example_variables(session, "delivery-sheet", november))
        sheet = {v.name: v.example for v in example_variables(session, "delivery-sheet", april)}
        assert sheet["edition.name"] == "Avril 2014"


def test_display_is_one_short_line():
    import datetime as dt

    assert display(True) == "vrai" and display(dt.date(2014, 4, 2)) == "2014-04-02"
    assert display([]) == "(liste vide pour cette édition)"
    assert display({"a": 1}) == ""
    assert len(display("mot " * 100)) <= 90 and display("mot " * 100).endswith("…")
    assert display("deux\nlignes") == "deux lignes"
