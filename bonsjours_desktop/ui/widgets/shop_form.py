"""The shop form: every field with its French validation message next to it, hours per weekday, products."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import validation
from ...core.errors import ValidationError
from ...core.models import LEGAL_FORMS, WEEKDAYS
from ...core.shops import (
    ShopInput,
    create_shop,
    duplicate_warning,
    list_networks,
    list_product_names,
    list_territory_names,
    shop_input,
    split_products,
    update_shop,
    validate_shop,
)
from ..context import AppContext
from . import kit
from .form_dialog import FormDialog


WARNING_STYLE = "color: #8a5a00; background: #fff4d6; padding: 4px; border-radius: 3px;"
NO_TERRITORY = "(aucun)"


class ShopDialog(FormDialog):
    """Create or edit one shop; saving goes through context.run (one undoable operation)."""

    def __init__(self, context: AppContext, shop_id: Optional[int] = None, parent: Optional[QWidget] = None):
        super().__init__(context, "Nouvelle boutique" if shop_id is None else "Modifier la boutique", parent,
                         object_name="shopDialog", minimum_width=1100)
        self.shop_id = shop_id
        self._touched: set[str] = set()

        self.name = QLineEdit(objectName="field_name")
        self.network = QComboBox(objectName="field_network", editable=True)
        self.network.addItems([""] + context.read(list_networks))
        self.legal_form = QComboBox(objectName="field_legal_form", editable=True)
        self.legal_form.addItems([""] + LEGAL_FORMS)
        self.may_promote = QCheckBox("Peut faire la promotion de sa boutique", objectName="field_may_promote")
        self.may_promote.setChecked(True)
        self.may_promote.setToolTip("Décocher pour une entreprise d'insertion : elle n'a pas le droit de faire la "
                                    "promotion de son point de vente ; l'opération le fait pour elle.")
        self.legal_form.currentTextChanged.connect(self._on_legal_form)
        self.address = QLineEdit(objectName="field_address")
        self.postal_code = QLineEdit(objectName="field_postal_code", maxLength=8)
        self.postal_code.setMaximumWidth(90)
        self.commune = QLineEdit(objectName="field_commune")
        self.territory = QComboBox(objectName="field_territory")
        self.territory.addItems([NO_TERRITORY] + context.read(list_territory_names))
        self.phone = QLineEdit(objectName="field_phone", placeholderText="02 41 00 00 00")
        self.email = QLineEdit(objectName="field_email", placeholderText="nom@domaine.fr")
        self.website = QLineEdit(objectName="field_website", placeholderText="www.exemple.fr")
        self.latitude = QLineEdit(objectName="field_latitude", placeholderText="47,4711 — ou coller « 47.4711, -0.5518 »")
        self.longitude = QLineEdit(objectName="field_longitude", placeholderText="-0,5518")
        self.notes = QPlainTextEdit(objectName="field_notes")
        self.notes.setFixedHeight(60)
        self.active = QCheckBox("Boutique en activité", objectName="field_active")
        self.active.setChecked(True)
        # Warnings (probable duplicate, swapped coordinates) never refuse a save; they show under the
        # fields, above the buttons, so that they move no field either.
        self.duplicate_label = QLabel(objectName="duplicateWarning", wordWrap=True)
        self.duplicate_label.setStyleSheet(WARNING_STYLE)
        self.duplicate_label.hide()
        self.coordinates_label = QLabel(objectName="coordinatesWarning", wordWrap=True)
        self.coordinates_label.setStyleSheet(WARNING_STYLE)
        self.coordinates_label.hide()

        general = self.form
        general.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        general.addRow("Nom *", self.field_box("name", self.name))
        general.addRow("Réseau", self.network)
        general.addRow("Forme juridique", self.legal_form)
        general.addRow("", self.may_promote)
        general.addRow("Adresse", self.address)
        general.addRow("Code postal", self.field_box("postal_code", self.postal_code))
        general.addRow("Commune *", self.field_box("commune", self.commune))
        general.addRow("Territoire", self.territory)
        general.addRow("Téléphone", self.field_box("phone", self.phone, lines=2))
        general.addRow("Courriel", self.field_box("email", self.email, lines=2))
        general.addRow("Site web", self.field_box("website", self.website, lines=2))
        # Latitude and longitude side by side, each above its own message: one row less, so the form
        # fits a 1366×768 screen with every error line reserved.
        coordinates = QHBoxLayout()
        coordinates.setContentsMargins(0, 0, 0, 0)
        coordinates.addWidget(self.field_box("latitude", self.latitude, lines=2, shows=("coordinates",)), 1)
        coordinates.addWidget(QLabel("Longitude"), 0, Qt.AlignTop)
        coordinates.addWidget(self.field_box("longitude", self.longitude, lines=2), 1)
        general.addRow("Latitude", coordinates)
        general.addRow("", self.active)
        general.addRow("", QLabel("* obligatoire"))

        hours_box = QGroupBox("Horaires d'ouverture")
        hours_box.setMinimumWidth(540)  # room for a day's error message on one line
        hours_grid = QGridLayout(hours_box)
        hours_grid.setVerticalSpacing(1)
        hint = QLabel("Plusieurs plages par jour : 09:00-12:00 14:00-18:00 ; « ouvert » si les horaires ne sont "
                      "pas connus ; vide = fermé.", objectName="hoursHint", wordWrap=True)
        hint.setStyleSheet("color: #555;")
        self.hours: dict[str, QLineEdit] = {}
        for row, day in enumerate(WEEKDAYS):
            edit = QLineEdit(objectName=f"field_hours_{day}", placeholderText="fermé")
            self.hours[day] = edit
            hours_grid.addWidget(QLabel(day.capitalize()), row, 0)
            hours_grid.addWidget(edit, row, 1)
        # One reserved message line for the week (each message names its day), the day's field framed in
        # red: the seven days stay close together and the form fits a 1366×768 screen.
        hours_grid.addWidget(self.field_box("hours", QWidget(), lines=2,
                                            shows=tuple(f"hours_{day}" for day in WEEKDAYS)), len(WEEKDAYS), 0, 1, 2)
        self.fields.pop("hours")
        self.fields.update({f"hours_{day}": edit for day, edit in self.hours.items()})
        hours_grid.addWidget(hint, len(WEEKDAYS) + 1, 0, 1, 2)

        products_box = QGroupBox("Produits vendus")
        products_layout = QVBoxLayout(products_box)
        # One check box per category, three per row: every name readable at a glance.
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.product_boxes: dict[str, QCheckBox] = {}
        for position, product in enumerate(context.read(list_product_names)):
            box = QCheckBox(product, objectName=f"product_{position}")
            self.product_boxes[product] = box
            grid.addWidget(box, position // 3, position % 3)
        self.other_products = QLineEdit(objectName="field_other_products",
                                        placeholderText="Autres produits, séparés par des virgules")
        products_layout.addLayout(grid)
        products_layout.addWidget(self.other_products)

        right = QVBoxLayout()
        right.addWidget(hours_box)
        right.addWidget(products_box)
        notes_row = QHBoxLayout()
        notes_row.addWidget(QLabel("Notes"), 0, Qt.AlignTop)
        notes_row.addWidget(self.notes, 1)
        right.addLayout(notes_row)
        right.addStretch(1)
        columns = QHBoxLayout()
        self.body.removeItem(general)
        columns.addLayout(general, 3)
        columns.addLayout(right, 2)
        self.body.insertLayout(0, columns)
        self.body.insertWidget(1, self.duplicate_label)
        self.body.insertWidget(2, self.coordinates_label)

        if shop_id is not None:
            self.reload()
        for key, edit in self._line_edits().items():
            edit.editingFinished.connect(lambda k=key: self._on_edited(k))
        self.name.textChanged.connect(self._update_duplicate)
        self.commune.textChanged.connect(self._update_duplicate)
        self._setup_commune_completion()

    # -- fields ----------------------------------------------------------------------------------

    def _setup_commune_completion(self) -> None:
        """The commune offers the real communes: those of the postal code typed, else by name
        (the coordinator's département first); choosing one with a single code fills the code."""
        from PySide6.QtCore import QStringListModel, Qt
        from PySide6.QtWidgets import QCompleter

        from ...core import geo

        self._departement = self.context.read(geo.coordinator_departement)
        self._commune_names = QStringListModel(self)
        completer = QCompleter(self._commune_names, self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        self.commune.setCompleter(completer)
        self.commune_completer = completer

        def offer_for_code(code: str) -> None:
            found = geo.communes_by_postal_code(code.strip())
            if found:
                self._commune_names.setStringList([c.name for c in found])
                if not self.commune.text().strip() and len({geo.official(c).insee for c in found}) == 1:
                    self.commune.setText(found[0].name)

        def offer_for_name(text: str) -> None:
            if geo.communes_by_postal_code(self.postal_code.text().strip()):
                return
            found = geo.complete_communes(text, self._departement)
            self._commune_names.setStringList(
                [f"{c.name} ({c.postal_codes[0]})" if c.postal_codes else c.name for c in found])

        def chosen(text: str) -> None:
            name, _, code = text.partition(" (")
            if code:
                self.commune.setText(name)
                if not self.postal_code.text().strip():
                    self.postal_code.setText(code.rstrip(")"))

        self.postal_code.textEdited.connect(offer_for_code)
        self.commune.textEdited.connect(offer_for_name)
        completer.activated.connect(chosen)

    def _line_edits(self) -> dict[str, QLineEdit]:
        edits = {
            "name": self.name, "commune": self.commune, "postal_code": self.postal_code, "phone": self.phone,
            "email": self.email, "website": self.website, "latitude": self.latitude, "longitude": self.longitude,
        }
        edits.update({f"hours_{day}": edit for day, edit in self.hours.items()})
        return edits

    def load(self, data: ShopInput) -> None:
        self.name.setText(data.name)
        self.network.setCurrentText(data.network)
        self.legal_form.setCurrentText(data.legal_form)
        self.may_promote.setChecked(data.may_promote)
        self.address.setText(data.address)
        self.postal_code.setText(data.postal_code)
        self.commune.setText(data.commune)
        index = self.territory.findText(data.territory) if data.territory else 0
        self.territory.setCurrentIndex(max(0, index))
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self.website.setText(data.website)
        self.latitude.setText(data.latitude.replace(".", ","))
        self.longitude.setText(data.longitude.replace(".", ","))
        for day, edit in self.hours.items():
            edit.setText(data.opening_hours.get(day, ""))
        known = {validation.fold(name): box for name, box in self.product_boxes.items()}
        others = []
        for product in data.products:
            box = known.get(validation.fold(product))
            if box is not None:
                box.setChecked(True)
            else:
                others.append(product)
        self.other_products.setText(", ".join(others))
        self.notes.setPlainText(data.notes)
        self.active.setChecked(data.active)

    def input(self) -> ShopInput:
        """What the form holds, as typed."""
        territory = self.territory.currentText()
        products = [name for name, box in self.product_boxes.items() if box.isChecked()]
        products += split_products(self.other_products.text())
        return ShopInput(
            name=self.name.text(),
            commune=self.commune.text(),
            network=self.network.currentText(),
            legal_form=self.legal_form.currentText(),
            may_promote=self.may_promote.isChecked(),
            address=self.address.text(),
            postal_code=self.postal_code.text(),
            territory="" if territory == NO_TERRITORY else territory,
            phone=self.phone.text(),
            email=self.email.text(),
            website=self.website.text(),
            latitude=self.latitude.text(),
            longitude=self.longitude.text(),
            opening_hours={day: edit.text() for day, edit in self.hours.items() if edit.text().strip()},
            products=products,
            notes=self.notes.toPlainText(),
            active=self.active.isChecked(),
        )

    # -- validation ------------------------------------------------------------------------------

    def _on_legal_form(self, text: str) -> None:
        if validation.fold(text) == validation.fold("Entreprise d'insertion"):
            self.may_promote.setChecked(False)

    def _on_edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "latitude":
            self._split_pasted_pair()
        if key == "phone":
            try:
                normalised = validation.phone(self.phone.text())
                if normalised != self.phone.text():
                    self.phone.setText(normalised)
            except ValidationError:
                pass
        self.validate(only=self._touched)

    def _split_pasted_pair(self) -> None:
        """'47.4711, -0.5518' pasted in Latitude fills both fields."""
        if self.longitude.text().strip():
            return
        try:
            latitude, longitude = validation.coordinates(self.latitude.text(), "")
        except ValidationError:
            return
        if latitude is not None and longitude is not None:
            self.latitude.setText(repr(latitude).replace(".", ","))
            self.longitude.setText(repr(longitude).replace(".", ","))

    def validate(self, only: Optional[set[str]] = None, focus: bool = False) -> bool:
        """Show each field's French message under it (only those in only, when given); True when the form
        can be saved. The rules are the core's (validate_shop)."""
        try:
            validate_shop(self.input())
            errors: dict[str, str] = {}
        except ValidationError as exc:
            errors = dict(exc.errors)
        if "coordinates" in errors:
            errors.setdefault("latitude", errors.pop("coordinates"))
        self._update_coordinates_warning(errors)
        self.clear_errors()
        self.show_errors({key: message for key, message in errors.items() if only is None or key in only}, focus)
        return not errors

    def _update_coordinates_warning(self, errors: dict[str, str]) -> None:
        warning = ""
        if "latitude" not in errors and "longitude" not in errors:
            try:
                latitude, longitude = validation.coordinates(self.latitude.text(), self.longitude.text())
                warning = " ".join(validation.check_coordinates(latitude, longitude, getattr(self, "_departement", None)))
            except ValidationError:
                warning = ""
        self.coordinates_label.setText(warning)
        self.coordinates_label.setVisible(bool(warning))

    def _update_duplicate(self) -> None:
        name, commune = self.name.text(), self.commune.text()
        warning = self.context.read(lambda s: duplicate_warning(s, name, commune, self.shop_id)) if name.strip() else ""
        self.duplicate_label.setText(warning)
        self.duplicate_label.setVisible(bool(warning))

    # -- saving ----------------------------------------------------------------------------------

    def data(self) -> ShopInput:
        return self.input()

    def description(self) -> str:
        name = self.name.text().strip()
        return f"Créer la boutique « {name} »" if self.shop_id is None else f"Modifier la boutique « {name} »"

    def before_save(self, data: ShopInput) -> bool:
        """Every field's message first; then a probable duplicate or doubtful coordinates are confirmed."""
        if not self.validate(focus=True):
            return False
        warning = self.context.read(lambda s: duplicate_warning(s, data.name, data.commune, self.shop_id))
        if warning and not kit.confirm(self, "Doublon probable", f"{warning}\n\nEnregistrer quand même ?",
                                       "Enregistrer quand même", "Revenir au formulaire"):
            return False
        from ...core.geo import typed_coordinates_warning

        warning = self.context.read(lambda s: typed_coordinates_warning(s, data.latitude, data.longitude))
        if warning and not kit.confirm(self, "Coordonnées douteuses", f"{warning}\n\nEnregistrer quand même ?",
                                       "Enregistrer quand même", "Revenir au formulaire"):
            return False
        return True

    def write(self, session, data: ShopInput):
        if self.shop_id is None:
            return create_shop(session, data)
        return update_shop(session, self.shop_id, data, expected=self.seen)

    def saved_value(self, changes) -> int:
        return changes.value.shop_id

    def save(self) -> bool:
        """Validate, confirm a probable duplicate, then write in one undoable operation."""
        return self.submit()

    def record(self, session):
        from ...core.models import Shop
        from ...core.operations import snapshot

        return _ShopRecord(snapshot(session, Shop, self.shop_id), shop_input(session, self.shop_id))

    def show_record(self, record: "_ShopRecord") -> None:
        self.load(record.data)


class _ShopRecord:
    """The shop as the form loads it: its input and its version."""

    def __init__(self, seen, data: ShopInput):
        self.seen, self.data = seen, data
