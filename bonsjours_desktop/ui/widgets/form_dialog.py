"""One way to edit a row: a dialog of labelled fields, each with a reserved error line, saved through
``AppContext.run`` with the row's version.

- Every field sits above its own error line whose height is kept whether or not it shows a message, so an
  error never moves a field (a click lands where the user aimed); the field gets a red frame.
- On « Enregistrer », the core validates: its ValidationError names fields, each message goes under its
  field and the focus to the first one; any other domain error goes to the message line above the buttons.
  The dialog stays open until the row is saved.
- The write runs in ``AppContext.run`` with ``expected=self.seen`` (the row's snapshot when the form
  loaded it): a colleague's newer save is refused there, with « Recharger » calling ``reload``.

Subclasses add fields (``add_field``, or ``field_box`` for their own layouts), and define ``write`` (the
core call), ``description`` (the undo label), ``record`` (the row with its ``.seen``) and, when the form
is not a plain dict of fields, ``data``/``show_record``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import BonsJoursError, ValidationError
from ..context import AppContext
from . import kit


class FormDialog(QDialog):
    """A dialog of labelled fields with reserved French error lines; accept() saves through AppContext.run."""

    def __init__(self, context: AppContext, title: str, parent: Optional[QWidget] = None, *,
                 object_name: str = "formDialog", minimum_width: int = 520):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.setObjectName(object_name)
        self.setMinimumWidth(minimum_width)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, kit.ErrorLine] = {}
        # Core field name → the key of the error line showing it (several fields may share one line).
        self.error_lines: dict[str, str] = {}
        self.saved_id: Any = None
        self.saved: Any = None  # the Changes of the save
        # The row as the form loaded it: the update service refuses to save over a newer version.
        self.seen: Any = None
        # Above the buttons: a message longer than its line moves only the buttons.
        self.general_error = kit.ErrorLine("general", lines=1)
        self.general_error.setObjectName("formError")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.general_error)
        self.body.addWidget(self.buttons)

    # -- building --------------------------------------------------------------------------------

    def field_box(self, key: str, widget: QWidget, *, lines: int = 1, shows: tuple[str, ...] = ()) -> QWidget:
        """widget above its reserved error line, for a form's own layouts; the error line also shows the
        core's messages for the field names in shows (e.g. the VAT rate under the amount)."""
        if widget.objectName() == "":
            widget.setObjectName(f"field_{key}")
        error = kit.ErrorLine(key, lines)
        box = QWidget()
        box.setObjectName(f"box_{key}")
        # Rows keep their natural height; extra space goes to the widgets meant to grow (lists).
        box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(error)
        self.fields.setdefault(key, widget)
        self.errors[key] = error
        for name in shows:
            self.error_lines[name] = key
        return box

    def add_field(self, key: str, label: str, widget: QWidget, check: Optional[Callable[[str], object]] = None,
                  *, lines: Optional[int] = None, shows: tuple[str, ...] = ()) -> QWidget:
        """Add a row; check (a core validator taking the text) runs when the field is left.

        Reserved message lines: two for a checked field (its messages quote what was typed and give an
        example), one for a required one (label ending in « * »), none for the others — the core seldom
        refuses them, and if it does the message goes to the line above the buttons, the field framed."""
        if lines is None:
            lines = 2 if check is not None else 1 if label.rstrip().endswith("*") else 0
        if isinstance(widget, QComboBox):
            # Long names (organisations, contacts) must not squeeze the labels.
            widget.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(28)
        widget.setObjectName(f"field_{key}")
        self.form.addRow(label, self.field_box(key, widget, lines=lines, shows=shows) if lines else widget)
        self.fields[key] = widget
        if check is not None and isinstance(widget, QLineEdit):
            self.check_on_leave(key, widget, check)
        return widget

    def check_on_leave(self, key: str, widget: QLineEdit, check: Callable[[str], object]) -> None:
        widget.editingFinished.connect(lambda k=key, w=widget, c=check: self._check_field(k, w.text(), c))
        widget.textEdited.connect(lambda _t, k=key: self.set_error(k, ""))

    def _check_field(self, key: str, text: str, check: Callable[[str], object]) -> None:
        try:
            check(text)
        except ValidationError as exc:
            self.set_error(key, " ".join(exc.errors.values()))
        else:
            self.set_error(key, "")

    # -- errors ----------------------------------------------------------------------------------

    def _line_key(self, key: str) -> Optional[str]:
        key = self.error_lines.get(key, key)
        return key if key in self.errors else None

    def set_error(self, key: str, message: str) -> None:
        """message under the field named key (a core field name) and a red frame on it; '' clears both.
        A name the form does not show goes to the message line above the buttons."""
        line_key = self._line_key(key)
        label = self.errors[line_key] if line_key else self.general_error
        label.set_message(message)
        widget = self.fields.get(key) or (self.fields.get(line_key) if line_key else None)
        if widget is not None:
            kit.mark_error(widget, bool(message))

    def show_errors(self, errors: dict[str, str], focus: bool = True) -> Optional[QWidget]:
        """Each message under its field (messages sharing a line are joined); focus to the first field."""
        grouped: dict[str, list[str]] = {}
        for key, message in errors.items():
            grouped.setdefault(self._line_key(key) or "", []).append(message)
        for key, messages in grouped.items():
            if key:
                self.errors[key].set_message(" ".join(messages))
            else:
                self.general_error.set_message(" ".join(messages))
        first = None
        for key in errors:
            widget = self.fields.get(key) or self.fields.get(self._line_key(key) or "")
            if widget is not None:
                kit.mark_error(widget, True)
                first = first or widget
        if first is not None and focus:
            first.setFocus()
        return first

    def error_text(self, key: str) -> str:
        line_key = self._line_key(key)
        return (self.errors[line_key] if line_key else self.general_error).text()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.set_message("")
        for widget in self.fields.values():
            kit.mark_error(widget, False)
        self.general_error.set_message("")

    # -- values ----------------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        widget = self.fields[key]
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QDateEdit):
            return widget.date().toPython()
        if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "value"):
            return widget.value()
        raise TypeError(key)

    def values(self) -> dict[str, Any]:
        return {key: self.value(key) for key in self.fields}

    def set_value(self, key: str, value: Any) -> None:
        widget = self.fields[key]
        if isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index >= 0:
                widget.setCurrentIndex(index)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QDateEdit):
            from ...core import clock

            day: dt.date = value or clock.today()
            widget.setDate(day)

    # -- saving ----------------------------------------------------------------------------------

    def description(self) -> str:
        """The undo label of the save."""
        return self.windowTitle()

    def data(self) -> Any:
        """What the form holds, as typed, for write()."""
        return self.values()

    def write(self, session, data: Any) -> Any:
        """The core call that saves data (with expected=self.seen for an existing row)."""
        raise NotImplementedError

    def before_save(self, data: Any) -> bool:
        """Questions to ask before writing (a probable duplicate…); False keeps the form open."""
        return True

    def saved_value(self, changes) -> Any:
        return changes.value

    def submit(self) -> bool:
        """Validate and write in one undoable operation; True when saved (saved_id set)."""
        self.clear_errors()
        data = self.data()
        if not self.before_save(data):
            return False
        changes = self.context.run(self, self.description(), lambda s: self.write(s, data),
                                   on_reload=self.reload if self.seen is not None else None,
                                   on_error=self.show_domain_error)
        if changes is None:
            return False
        self.saved = changes
        self.saved_id = self.saved_value(changes)
        return True

    def accept(self) -> None:
        if self.submit():
            super().accept()

    def show_domain_error(self, exc: BaseException) -> bool:
        """Validation errors under their fields, other domain errors (duplicate role…) above the buttons;
        the form stays open to fix them."""
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        else:
            self.general_error.set_message(str(exc))
        return True

    # -- reloading -------------------------------------------------------------------------------

    def record(self, session) -> Any:
        """The row being edited as a core row (with its .seen snapshot); None for a new one."""
        return None

    def show_record(self, record: Any) -> None:
        """Fill the fields from record (by default, its attributes named like the fields)."""
        for key in self.fields:
            if hasattr(record, key):
                self.set_value(key, getattr(record, key))

    def reload(self) -> None:
        """Show the row as it is now in the base (after another user changed it), with its new version."""
        try:
            record = self.context.read(self.record)
        except BonsJoursError as exc:  # deleted meanwhile: say so, nothing left to save over
            self.general_error.set_message(str(exc))
            self.buttons.button(QDialogButtonBox.Save).setEnabled(False)
            return
        if record is None:
            return
        self.seen = record.seen
        self.show_record(record)
        self.clear_errors()
