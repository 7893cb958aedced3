"""The small shared UI kit: a French yes/no question, « Enregistrer sous » that adds the extension, a French
date editor, and the one look of an error (red text under a field, red frame on the field).

Callers reach these through the module (``kit.confirm(...)``) so a test can replace one function for the
whole application."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QDateEdit, QFileDialog, QLabel, QMessageBox, QWidget

ERROR_COLOR = "#c62828"
ERROR_STYLE = f"color: {ERROR_COLOR};"
FRENCH = QLocale(QLocale.French, QLocale.France)
# « mar. 25 mars 2014 », as core.formatting.date_abbr writes it.
DATE_FORMAT = "ddd d MMM yyyy"
LONG_DATE_FORMAT = "dddd d MMMM yyyy"  # « mercredi 13 novembre 2013 », where there is room
TYPING_FORMAT = "dd/MM/yyyy"  # while the field has the focus: a date typed in one go


# --- Questions and files ------------------------------------------------------------------------------


def confirm(parent: Optional[QWidget], title: str, text: str, yes_label: str = "Oui", no_label: str = "Non",
            *, informative: str = "", default_yes: bool = False) -> bool:
    """Ask a yes/no question with French buttons (« Non » by default: a stray Entrée destroys nothing);
    True when the user chose yes_label."""
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    yes = box.addButton(yes_label, QMessageBox.YesRole)
    no = box.addButton(no_label, QMessageBox.NoRole)
    box.setDefaultButton(yes if default_yes else no)
    box.setEscapeButton(no)
    if informative:
        box.setInformativeText(informative)
    box.exec()
    return box.clickedButton() is yes


def filter_extensions(filter_text: str) -> list[str]:
    """« Classeur Excel (*.xlsx);;CSV (*.csv) » → ['.xlsx', '.csv'] (lower case, in order)."""
    return [ext.lower() for ext in re.findall(r"\*(\.[\w.]+)", filter_text or "")]


def with_extension(target: str | Path, chosen_filter: str, filters: str) -> Path:
    """The name typed, with the chosen filter's extension added when it has none of the offered ones
    (« budget » → « budget.csv », « bilan.2014 » → « bilan.2014.xlsx »); Linux dialogs add nothing."""
    path = Path(target)
    offered = filter_extensions(filters)
    if path.suffix.lower() in offered:
        return path
    wanted = filter_extensions(chosen_filter) or offered
    return path.with_name(path.name + wanted[0]) if wanted else path


def save_file_as(parent: Optional[QWidget], title: str, default_name: str, filters: str) -> Optional[Path]:
    """Ask where to save; the file chosen with its extension, None when cancelled.

    filters is a Qt filter string (« Classeur Excel (*.xlsx);;CSV pour Excel (*.csv) ») or a bare
    extension (« .pdf » / « pdf »)."""
    if "(" not in filters:
        extension = filters if filters.startswith(".") else f".{filters}"
        filters = f"Fichier {extension[1:].upper()} (*{extension})"
    # Asking before replacing is done here, on the name that will be written: Qt's own question was about
    # the name as typed (« base.sqlite » — replaced? no: « base.sqlite.csv » was written, and an existing
    # « boutiques.csv » was replaced without a word when « boutiques » was typed).
    target, chosen = QFileDialog.getSaveFileName(parent, title, default_name, filters,
                                                 options=QFileDialog.DontConfirmOverwrite)
    if not target:
        return None
    path = with_extension(target, chosen, filters)
    # The open base (or its journal, lock…), or for an export any base: refused before « Le remplacer ? »,
    # which would offer what is then refused.
    from ...core.errors import BonsJoursError
    from ...core.io.safe_write import refuse_a_database

    try:
        refuse_a_database(path, existing_base=".sqlite" not in filter_extensions(filters))
    except BonsJoursError as exc:
        from ..errors import show_error

        show_error(parent, exc)
        return None
    if path.exists() and not confirm(parent, title, f"Le fichier « {path.name} » existe déjà. Le remplacer ?",
                                     "Remplacer", "Annuler", informative=f"Dossier : {path.parent}"):
        return None
    return path


# --- Dates --------------------------------------------------------------------------------------------


class DateEdit(QDateEdit):
    """A date field shown the French way (« mar. 25 mars 2014 ») with a French calendar; takes and gives
    Python dates (set_value / value)."""

    def __init__(self, value: Optional[dt.date] = None, parent: Optional[QWidget] = None, *,
                 display_format: str = DATE_FORMAT):
        super().__init__(parent)
        self.setLocale(FRENCH)
        self.setDisplayFormat(display_format)
        self.setCalendarPopup(True)
        # The calendar (a popup of some thirty widgets) is made when it is first opened, not here: a form
        # with four dates otherwise styles a hundred hidden widgets when its tab opens.
        self._calendar_ready = False
        self._moved_by_digit = False  # the last digit typed moved to the next part of the date
        self._shown_format = ""  # the French display format, put back when the field is left
        self.setMinimumDate(QDate(1990, 1, 1))
        self.setMaximumDate(QDate(2100, 12, 31))
        if value is not None:
            self.set_value(value)

    def calendarWidget(self):  # noqa: N802 - Qt name
        calendar = super().calendarWidget()
        if not self._calendar_ready:
            self._calendar_ready = True
            calendar.setLocale(FRENCH)
            calendar.setFirstDayOfWeek(Qt.Monday)
        return calendar

    # Qt opens the calendar on a click on the arrow or F4 / Alt+↓ (keyPressEvent below): French and Monday
    # first before.
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt name
        self.calendarWidget()
        super().mousePressEvent(event)

    def set_value(self, value: dt.date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))

    def value(self) -> dt.date:
        return self.date().toPython()

    # Shown « mar. 25 mars 2014 », typed « 25/03/2014 »: while the field has the focus it reads digits, so
    # a date typed in one go (as in a spreadsheet) goes in; the French form comes back on leaving.
    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.displayFormat() != TYPING_FORMAT:
            self._shown_format = self.displayFormat()
            self.setDisplayFormat(TYPING_FORMAT)
        super().focusInEvent(event)
        if event.reason() != Qt.PopupFocusReason:
            self.setSelectedSection(QDateEdit.DaySection)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self._calendar_ready and event.key() in (Qt.Key_F4, Qt.Key_Select, Qt.Key_Up, Qt.Key_Down):
            self.calendarWidget()  # F4 / Alt+↓ open the calendar
        # Qt moves to the next part after two digits, then moves again on the « / » typed after them
        # (« 01/11/2013 » gave 01/03/1): a separator right after such a move is taken as done.
        if event.text() in ("/", ".", "-", " ") and self._moved_by_digit:
            self._moved_by_digit = False
            event.accept()
            return
        if event.text() in (".", "-", " "):  # « 1.11.2013 », « 1-11-2013 »: the same as « / »
            event = QKeyEvent(event.type(), Qt.Key_Slash, event.modifiers(), "/")
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_by_digit = event.text().isdigit() and self.currentSection() != section

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        if event.reason() != Qt.PopupFocusReason and self._shown_format:
            self.setDisplayFormat(self._shown_format)


# --- The one error look -------------------------------------------------------------------------------


class _ErrorFrame(QWidget):
    """A red frame drawn over a field, letting every click through; it changes no size, so nothing moves."""

    def __init__(self, field: QWidget):
        super().__init__(field)
        self.setObjectName("errorFrame")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.NoFocus)
        field.installEventFilter(self)
        self.setGeometry(field.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize:
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(QColor(ERROR_COLOR), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)


def mark_error(field: QWidget, on: bool) -> None:
    """Frame field in red (on) or not; the field keeps its size and place."""
    frame = field.findChild(_ErrorFrame, "errorFrame", Qt.FindDirectChildrenOnly)
    if on:
        if frame is None:
            frame = _ErrorFrame(field)
        frame.setGeometry(field.rect())
        frame.raise_()
        frame.show()
    elif frame is not None:
        frame.hide()


def has_error_mark(field: QWidget) -> bool:
    frame = field.findChild(_ErrorFrame, "errorFrame", Qt.FindDirectChildrenOnly)
    return frame is not None and not frame.isHidden()


class ErrorLine(QLabel):
    """The error text under a field: its height is kept whether or not there is a message (reserved
    lines), so showing an error never moves the fields below; the message wraps."""

    def __init__(self, key: str = "", lines: int = 2, parent: Optional[QWidget] = None):
        self.lines = lines  # before QLabel's set-up, which may already send a style change
        super().__init__(parent)
        if key:
            self.setObjectName(f"error_{key}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setStyleSheet(ERROR_STYLE)
        self._reserve()

    def _reserve(self) -> None:
        # `lines` lines of text in the label's font, with its margins; done again when the font changes
        # (the application's stylesheet sets it when the form is first polished, before it is shown).
        margins = self.contentsMargins()
        reserved = (self.fontMetrics().lineSpacing() * self.lines + margins.top() + margins.bottom()
                    + 2 * self.margin() + 4)
        self.setFixedHeight(max(reserved, self.heightForWidth(self.width()) if self.text() else 0))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            self._reserve()

    def needed_height(self, width: Optional[int] = None) -> int:
        """Height the current message needs at width (its own width by default)."""
        return self.heightForWidth(width or self.width()) if self.text() else 0

    def set_message(self, message: str) -> None:
        """Show message (or clear it). A message longer than the reserved lines gets the room it needs
        once (the full text must be readable), and that room is kept."""
        self.setText(message)
        self.setToolTip(message)
        if message and self.width() > 0:
            needed = self.heightForWidth(self.width())
            if needed > self.height():
                self.setFixedHeight(needed)
                # The window grows rather than squeezing the fields.
                window = self.window()
                if window is not self and window.isVisible():
                    window.resize(window.width(), max(window.height(), window.sizeHint().height()))


def error_label(key: str = "", lines: int = 2) -> ErrorLine:
    return ErrorLine(key, lines)
