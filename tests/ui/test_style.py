"""One visual language: tool buttons in the tabs outlined like push buttons, group titles readable."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolButton


@pytest.fixture
def themed(qapp_no_modal):
    from bonsjours_desktop.ui.theme import apply_theme

    before = qapp_no_modal.styleSheet()
    apply_theme(qapp_no_modal, False)
    yield qapp_no_modal
    qapp_no_modal.setStyleSheet(before)


def _border_colour(button) -> QColor:
    """The first opaque pixel from the left, half-way down: the outline (a flat button has none)."""
    image = button.grab().toImage()
    y = image.height() // 2
    for x in range(image.width() // 3):
        colour = image.pixelColor(x, y)
        if colour.alpha() > 200:
            return colour
    return QColor("transparent")


def test_tool_buttons_in_tabs_are_outlined_like_push_buttons(themed, main_window):
    from qt_material import get_theme

    primary = QColor(get_theme("light_blue.xml", invert_secondary=True)["primaryColor"])
    tab = main_window.show_tab("Boutiques")
    button = next(b for b in tab.findChildren(QToolButton) if b.text().startswith("Nouvelle boutique"))
    colour = _border_colour(button)
    assert abs(colour.red() - primary.red()) + abs(colour.green() - primary.green()) + \
        abs(colour.blue() - primary.blue()) < 60, colour.name()



def test_a_pressed_tool_button_keeps_its_outline_and_its_label(themed, main_window):
    """qt-material's « QToolButton:pressed » gave the pressed button 12 px grey side borders: the label was
    cut (« EXP…ER… » while the export menu was open). Pressed, the outline is still the thin primary one."""
    from qt_material import get_theme

    primary = QColor(get_theme("light_blue.xml", invert_secondary=True)["primaryColor"])
    button = main_window.show_tab("Boutiques").export_button
    button.setDown(True)
    try:
        colour = _border_colour(button)
    finally:
        button.setDown(False)
    assert abs(colour.red() - primary.red()) + abs(colour.green() - primary.green()) + \
        abs(colour.blue() - primary.blue()) < 60, colour.name()

@pytest.mark.parametrize("dark", [False, True])
def test_group_titles_use_the_text_colour_not_a_faded_one(dark):
    from qt_material import get_theme

    from bonsjours_desktop.ui.style import house_stylesheet
    from bonsjours_desktop.ui.theme import DARK, LIGHT

    theme = DARK if dark else LIGHT
    sheet = house_stylesheet(theme, dark)
    text = get_theme(theme, invert_secondary=not dark)["secondaryTextColor"]
    title_rule = sheet.split("QGroupBox::title {", 1)[1].split("}", 1)[0]
    assert f"color: {text};" in title_rule


def test_the_house_style_is_applied_with_the_theme(main_window):
    """The house rules come with each theme's sheet, which the window's pieces carry (not the
    application: see ui/theme.py), once — switching themes replaces them, it does not pile them up."""
    from bonsjours_desktop.ui.theme import stylesheet

    for dark in (False, True):
        assert stylesheet(dark).count("QStackedWidget QToolButton {") == 1
    tab = main_window.show_tab("Boutiques")
    assert tab.styleSheet().count("QStackedWidget QToolButton {") == 1
    main_window.action_dark.setChecked(True)
    assert tab.styleSheet().count("QStackedWidget QToolButton {") == 1
    assert tab.styleSheet() == stylesheet(True) or stylesheet(True) in tab.styleSheet()


def _mnemonic(text: str) -> str:
    """The letter after a single « & » (Alt+letter), '' without one."""
    cleaned = text.replace("&&", "")
    index = cleaned.find("&")
    return cleaned[index + 1].lower() if 0 <= index < len(cleaned) - 1 else ""


def test_alt_shortcuts_are_distinct_in_the_menu_bar_and_in_every_menu(main_window):
    menus = [action.menu() for action in main_window.menuBar().actions() if action.menu() is not None]
    top = [_mnemonic(menu.title()) for menu in menus]
    assert all(top) and len(set(top)) == len(top), top
    for menu in menus:
        letters = [_mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        letters = [letter for letter in letters if letter]
        assert len(set(letters)) == len(letters), (menu.title(), letters)
