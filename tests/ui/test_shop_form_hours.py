"""The shop form: a day « ouvert » without hours, French coordinates, and the non-blocking warning
about swapped coordinates."""

import pytest
from sqlalchemy import select

from bonsjours_desktop.core.models import Shop


@pytest.fixture
def tab(main_window):
    return main_window.show_tab("Boutiques")


def test_open_day_without_hours_french_coordinates_and_swapped_warning(tab, qapp_no_modal, main_window):
    dialog = tab.open_form()
    dialog.name.setText("Recyclerie test")
    dialog.commune.setText("Angers")
    dialog.postal_code.setText("49000.0")
    dialog.phone.setText("+33 (0)2 41 00 00 00")
    dialog.latitude.setText("-0,5518 ; 47,4711")  # a pasted pair, French notation, swapped
    dialog._on_edited("latitude")
    assert (dialog.latitude.text(), dialog.longitude.text()) == ("-0,5518", "47,4711")
    assert dialog.coordinates_label.isVisibleTo(dialog)
    assert dialog.coordinates_label.text().startswith("Latitude et longitude semblent inversées")
    # Putting them right removes the warning; « 47,4711 » is one French decimal.
    dialog.latitude.setText("47,4711")
    dialog.longitude.setText("-0,5518")
    dialog._on_edited("longitude")
    assert not dialog.coordinates_label.isVisibleTo(dialog)
    dialog.hours["mardi"].setText("ouvert")
    dialog.hours["samedi"].setText("9 h - 12 h")
    dialog.accept()
    assert dialog.saved_id is not None
    stored = main_window.context.read(lambda s: [
        (x.postal_code, x.phone, x.latitude, x.longitude, x.opening_hours)
        for x in s.scalars(select(Shop).where(Shop.name == "Recyclerie test"))])
    assert stored == [("49000", "02 41 00 00 00", 47.4711, -0.5518, {"mardi": [], "samedi": [["09:00", "12:00"]]})]
    # Opened again, the day reads « ouvert ».
    again = tab.open_form(dialog.saved_id)
    assert (again.hours["mardi"].text(), again.hours["lundi"].text()) == ("ouvert", "")
