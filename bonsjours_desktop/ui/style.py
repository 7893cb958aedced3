"""The house style added on top of qt-material: one button look in every tab, readable group titles.

qt-material draws a QPushButton outlined (bold, upper case, primary colour) but a QToolButton flat —
so the tabs whose actions are tool buttons (Boutiques, Planning) looked unlike the others. Outlined
is qt-material's own default and the look of every dialog's buttons: the tool buttons inside the
tabs take it too. Group titles: qt-material greys them at 40 % opacity, which reads as « disabled »;
they get the text colour, bold. Checkable list items show a check box when unticked too (qt-material
draws only the tick, so an unticked recipient looked like plain text). Kept apart from theme.py so the theme switch can call it as it likes.
"""

from __future__ import annotations


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def house_stylesheet(theme: str, dark: bool) -> str:
    """The additions for a qt-material theme file (e.g. "light_blue.xml"), secondary colours inverted
    for the light theme as theme.apply_theme does."""
    from qt_material import get_theme

    colours = get_theme(theme, invert_secondary=not dark)
    primary = colours["primaryColor"]
    text = colours["secondaryTextColor"]
    background = colours["secondaryDarkColor"]
    disabled = _rgba(text, 0.35)
    # Tool buttons living in a tab page (QStackedWidget is the QTabWidget's page holder): outlined like
    # QPushButton. Those that belong to another widget (a tab bar's scroll arrows, a search field's
    # clear button, spin boxes) keep their own look.
    return f"""
QStackedWidget QToolButton {{
  color: {primary};
  background-color: transparent;
  border: 2px solid {primary};
  border-radius: 4px;
  font-weight: bold;
  text-transform: uppercase;
  margin: 2px;
  padding: 2px 12px;
}}
/* Each state says its border: qt-material's « QToolButton:hover/:pressed/:checked » (more specific than a
   rule without state) widen the side borders to 12 px, and the label was cut: « EXP…ER… ». */
QStackedWidget QToolButton:hover {{
  background-color: {_rgba(primary, 0.1)};
  border: 2px solid {primary};
}}
QStackedWidget QToolButton:pressed,
QStackedWidget QToolButton:checked {{
  color: {background};
  background-color: {primary};
  border: 2px solid {primary};
}}
QStackedWidget QToolButton:disabled {{
  color: {disabled};
  border: 2px solid {disabled};
  background-color: transparent;
}}
QStackedWidget QToolButton[popupMode="2"] {{
  padding-right: 20px;
}}
QStackedWidget QTabBar QToolButton,
QStackedWidget QLineEdit QToolButton,
QStackedWidget QAbstractSpinBox QToolButton,
QStackedWidget QCalendarWidget QToolButton {{
  color: {text};
  border: none;
  background-color: transparent;
  margin: 0px;
  padding: 0px;
}}
QPushButton#generateButton {{
  color: {background};
  background-color: {primary};
  border: 2px solid {primary};
}}
QPushButton#generateButton:disabled {{
  color: {disabled};
  background-color: transparent;
  border: 2px solid {disabled};
}}
QGroupBox::title {{
  color: {text};
  font-weight: bold;
}}
QGroupBox:disabled::title {{
  color: {_rgba(text, 0.4)};
}}
QListView::indicator:unchecked {{
  image: url(icon:/primary/checkbox_unchecked.svg);
}}
QListView::indicator:checked,
QListView::indicator:checked:selected,
QListView::indicator:checked:focus {{
  image: url(icon:/primary/checkbox_checked.svg);
}}
QWidget#documentsErrorLabel {{
  color: {"#ff8a80" if dark else "#b00020"};
}}
QStackedWidget QToolBar {{
  border: none;
}}
QStackedWidget QToolBar::separator:horizontal {{
  border: none;
  width: 8px;
}}
"""
