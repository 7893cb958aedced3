"""Documents tab: generate press kits, directory, review report and delivery sheets from Word templates."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QThread, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.documents.contexts import KIND_LABELS, VARIABLES, Variable
from ...core.errors import BonsJoursError
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view

log = logging.getLogger(__name__)

VARIABLE_COLUMNS = [
    Column[Variable]("Variable", lambda v: v.name),
    Column[Variable]("Description", lambda v: v.description),
    Column[Variable]("Exemple", lambda v: v.example),
]


class GenerationWorker(QThread):
    """Runs one generation off the GUI thread with its own database session."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)  # GenerationResult
    failed = Signal(str)

    def __init__(self, db, kind: str, edition_id: int, out_dir: Path, *, template: Optional[Path],
                 pdf: bool, organisation_ids: Optional[list[int]] = None, map_image: Optional[Path] = None,
                 chart_images: tuple = (), eml: bool = False, scope_maps: Optional[dict] = None,
                 page_format: str = "a5", booklet: bool = False, parent=None):
        super().__init__(parent)
        self.eml = eml
        self.scope_maps = dict(scope_maps or {})
        self.page_format = page_format
        self.booklet = booklet
        self.chart_images = list(chart_images)
        self.db = db
        self.kind = kind
        self.edition_id = edition_id
        self.out_dir = out_dir
        self.template = template
        self.pdf = pdf
        self.organisation_ids = organisation_ids
        self.map_image = map_image

    def run(self) -> None:  # noqa: D401 - QThread entry point
        from ...core.documents import generate
        from ...core.editions import get_edition

        options = dict(template=self.template, pdf=self.pdf, should_cancel=self.isInterruptionRequested,
                       progress=lambda done, total, label: self.progress.emit(done, total, label))
        try:
            with self.db.session() as session:
                edition_name = get_edition(session, self.edition_id).name
                if self.kind == "press-kit":
                    result = generate.generate_press_kits(
                        session, self.edition_id, self.out_dir, organisation_ids=self.organisation_ids, eml=self.eml,
                        map_drawer=lambda _session, scope: self.scope_maps.get(scope.key), **options)
                elif self.kind == "role-sheet":
                    result = generate.generate_role_sheets(session, self.edition_id, self.out_dir,
                                                           organisation_ids=self.organisation_ids, eml=self.eml,
                                                           **options)
                elif self.kind == "directory":
                    target = self.out_dir / generate.default_filename("directory", edition_name)
                    result = generate.generate_directory(session, self.edition_id, target,
                                                         map_image=self.map_image, page_format=self.page_format,
                                                         booklet=self.booklet, **options)
                elif self.kind == "bilan":
                    target = self.out_dir / generate.default_filename("bilan", edition_name)
                    result = generate.generate_bilan(session, self.edition_id, target,
                                                     chart_images=self.chart_images, **options)
                else:
                    result = generate.generate_delivery_sheets(session, self.edition_id, self.out_dir, **options)
        except BonsJoursError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported in French, details in the log
            log.exception("Erreur pendant la production des documents")
            self.failed.emit(f"Erreur inattendue pendant la production des documents : {exc}")
            return
        self.succeeded.emit(result)


class DocumentsTab(BaseTab):
    """Choose a document, a template and a folder; check the template; generate in the background."""

    title = "Documents"
    tables = ("organisations", "edition_roles", "participations", "contacts", "editions", "role_types", "animations",
              "event_days", "settings", "shops", "territories")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        from ...core.documents.engine import pdf_unavailable_reason

        self.worker: Optional[GenerationWorker] = None
        self.last_result = None
        self.open_folder_when_done = True
        self._map_dir: Optional[tempfile.TemporaryDirectory] = None
        self._chart_dir: Optional[tempfile.TemporaryDirectory] = None

        self.kind_combo = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)

        self.partners = QListWidget()
        self.partners.setObjectName("partnersList")
        self.partners.setMinimumHeight(160)
        all_button = QPushButton("Tout cocher")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("Tout décocher")
        none_button.clicked.connect(lambda: self._check_all(False))
        self.partners_box = QGroupBox("Partenaires destinataires")
        partners_layout = QVBoxLayout(self.partners_box)
        partners_layout.addWidget(self.partners)
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        partners_layout.addLayout(buttons)
        self.press_contact_combo = QComboBox()
        self.press_contact_combo.setObjectName("pressContactCombo")
        self.press_contact_combo.setToolTip("Imprimé dans chaque dossier de presse de l'édition ; il lui faut un "
                                            "téléphone et un courriel (onglet Partenaires).")
        self.press_contact_combo.activated.connect(self._on_press_contact_chosen)
        self.press_contact_row = QWidget()
        contact_layout = QHBoxLayout(self.press_contact_row)
        contact_layout.setContentsMargins(0, 0, 0, 0)
        contact_layout.addWidget(QLabel("Contact presse de l'édition :"))
        contact_layout.addWidget(self.press_contact_combo, 1)
        partners_layout.addWidget(self.press_contact_row)
        self.eml_check = QCheckBox("Préparer aussi un brouillon de courriel (.eml) par destinataire")
        self.eml_check.setToolTip("Un fichier .eml par partenaire, le document joint, à ouvrir dans Outlook ou "
                                  "Thunderbird : rien n'est envoyé.")
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("emlMessage")
        self.message_edit.setToolTip("Message des brouillons ; {edition}, {days}, {operation} et {scope} sont "
                                     "remplacés. Enregistré avec les données.")
        self.message_edit.setMaximumHeight(110)
        self.message_edit.setVisible(False)
        self.eml_check.toggled.connect(self.message_edit.setVisible)
        partners_layout.addWidget(self.eml_check)
        partners_layout.addWidget(self.message_edit)

        self.default_template = QRadioButton("Modèle fourni")
        self.custom_template = QRadioButton("Mon modèle :")
        self.default_template.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.default_template)
        group.addButton(self.custom_template)
        self.template_edit = QLineEdit(placeholderText="fichier .docx modifié dans Word")
        self.template_edit.textEdited.connect(lambda _t: self.custom_template.setChecked(True))
        browse_template = QPushButton("Parcourir…")
        browse_template.clicked.connect(self._browse_template)
        template_row = QHBoxLayout()
        template_row.addWidget(self.default_template)
        template_row.addWidget(self.custom_template)
        template_row.addWidget(self.template_edit, 1)
        template_row.addWidget(browse_template)

        self.out_edit = QLineEdit(str(Path.home() / "Documents" / "Bons Jours"))
        browse_out = QPushButton("Parcourir…")
        browse_out.clicked.connect(self._browse_out)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse_out)

        self.pdf_check = QCheckBox("Produire aussi les PDF (LibreOffice)")
        reason = pdf_unavailable_reason()
        if reason:
            self.pdf_check.setEnabled(False)
            self.pdf_check.setToolTip(reason)
            self.pdf_check.setText("Produire aussi les PDF — indisponible : LibreOffice n'est pas installé")
        else:
            self.pdf_check.setToolTip("Chaque document Word est aussi converti en PDF par LibreOffice.")
        self.map_check = QCheckBox("Carte des boutiques en couverture")
        self.map_check.setChecked(True)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("directoryFormat")
        self.format_combo.addItem("A5 — petit annuaire (livret)", "a5")
        self.format_combo.addItem("A4", "a4")
        self.booklet_check = QCheckBox("Livret à imprimer : PDF des pages A5 imposées sur A4, à plier et agrafer")
        self.booklet_check.setToolTip("Nécessite le PDF et le format A5. Imprimez recto verso (bord court).")
        self.format_combo.currentIndexChanged.connect(self._sync_booklet)
        self.pdf_check.toggled.connect(self._sync_booklet)
        self.format_label = QLabel("Format :")

        form = QFormLayout()
        form.addRow("Document :", self.kind_combo)
        form.addRow("Modèle :", template_row)
        form.addRow("Dossier de sortie :", out_row)
        form.addRow("", self.pdf_check)
        form.addRow("", self.map_check)
        form.addRow(self.format_label, self.format_combo)
        form.addRow("", self.booklet_check)
        self._sync_booklet()

        self.generate_button = QPushButton("Générer")
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setToolTip("Produire les documents (Ctrl+G)")
        self.generate_button.clicked.connect(self.start_generation)
        QShortcut(QKeySequence("Ctrl+G"), self, activated=self.start_generation)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_generation)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("Choisissez un document puis « Générer ».")
        self.status.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.generate_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.check_button = QPushButton("Vérifier le modèle")
        self.check_button.clicked.connect(self.check_current_template)
        self.check_results = QListWidget()
        self.check_results.setObjectName("checkResults")
        self.check_results.setWordWrap(True)
        check_box = QGroupBox("Vérification du modèle")
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.check_button)
        check_layout.addWidget(self.check_results, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addWidget(self.partners_box, 1)
        left_layout.addLayout(run_row)
        left_layout.addWidget(self.status)

        self.variables_model = RowTableModel(VARIABLE_COLUMNS, self)
        self.variables_proxy = SearchProxyModel(self)
        self.variables_proxy.setSourceModel(self.variables_model)
        self.variables_view = make_table_view(self)
        self.variables_view.setModel(self.variables_proxy)
        self.variables_search = QLineEdit(placeholderText="Rechercher une variable…")
        self.variables_search.setClearButtonEnabled(True)
        self.variables_search.textChanged.connect(self.variables_proxy.set_search)
        variables_box = QGroupBox("Variables disponibles dans ce modèle")
        variables_layout = QVBoxLayout(variables_box)
        hint = QLabel("Dans Word, écrivez {{ edition.name }}. « shops[] » désigne un élément d'une liste : "
                      "{%p for shop in shops %} … {{ shop.name }} … {%p endfor %} (paragraphes) ou {%tr for … %} "
                      "(lignes de tableau). Filtres : |date_long, |date_short, |money.")
        hint.setWordWrap(True)
        variables_layout.addWidget(hint)
        variables_layout.addWidget(self.variables_search)
        variables_layout.addWidget(self.variables_view, 1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        from ..widgets.communication_kit import CommunicationKitBox

        # not a Word document: its own box, writing into the same output folder
        self.communication_box = CommunicationKitBox(context, self.out_edit.text, self)
        right_layout.addWidget(self.communication_box)
        right_layout.addWidget(check_box, 1)
        right_layout.addWidget(variables_box, 3)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([620, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._on_kind_changed()
        self.reload()

    # -- state -----------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _sync_booklet(self, *_args) -> None:
        usable = self.pdf_check.isEnabled() and self.pdf_check.isChecked() and self.format_combo.currentData() == "a5"
        self.booklet_check.setEnabled(usable)
        if not usable:
            self.booklet_check.setChecked(False)

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def _on_kind_changed(self, _index: int = 0) -> None:
        kind = self.kind
        self.partners_box.setVisible(kind in ("press-kit", "role-sheet"))
        self.press_contact_row.setVisible(kind == "press-kit")
        if kind in ("press-kit", "role-sheet"):
            self.partners.clear()  # each kind pre-selects its own recipients
            self.reload()
        self.map_check.setVisible(kind == "directory")
        for widget in (self.format_combo, self.format_label, self.booklet_check):
            widget.setVisible(kind == "directory")
        self.variables_model.set_rows(VARIABLES[kind], lambda v: f"{v.name} {v.description} {v.example}")
        self.variables_view.setColumnWidth(0, 230)
        self.variables_view.setColumnWidth(1, 330)
        self.check_results.clear()

    def reload(self) -> None:
        from ...core.documents import press
        from ...core.documents.email_drafts import body_template
        from ...core.partners import list_organisation_rows

        if not hasattr(self, "press_contact_combo"):
            return
        edition_id = self.context.edition_id
        kind = self.kind
        checked = {self.partners.item(i).data(Qt.UserRole) for i in range(self.partners.count())
                   if self.partners.item(i).checkState() == Qt.Checked}
        first_fill = self.partners.count() == 0

        def query(session):
            from ...core.models import Edition

            recipients = press.press_recipients(session, edition_id) if edition_id else []
            edition = session.get(Edition, edition_id) if edition_id else None
            message_kind = kind if kind in ("press-kit", "role-sheet") else "press-kit"
            return (recipients, list_organisation_rows(session), press.press_contact_choices(session),
                    edition.press_contact_id if edition else None, body_template(session, message_kind))

        recipients, organisations, contacts, press_contact_id, message = self.context.read(query)
        by_id = {r.organisation_id: r for r in recipients}
        self.partners.clear()
        # Partners of the edition first (pre-checked: those whose roles call for the kit, or every
        # partner for role sheets), then every other organisation.
        for row in sorted(organisations, key=lambda r: (r.id not in by_id, r.name.casefold())):
            recipient = by_id.get(row.id)
            if recipient is None:
                label, default = row.name + "  (sans rôle dans l'édition)", False
            elif kind == "press-kit":
                default = recipient.receives
                label = (f"{row.name}  →  dossier « {recipient.scope.file_label} »" if recipient.receives
                         else f"{row.name}  (rôle interne : pas de dossier de presse par défaut)")
            else:
                label, default = row.name, True
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, row.id)
            if recipient is not None:
                roles = recipient.roles_text or "partenaire de l'édition"
                item.setToolTip(f"{roles} — courriel : {recipient.email or 'aucun (brouillon sans destinataire)'}")
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            selected = default if first_fill or not checked else row.id in checked
            item.setCheckState(Qt.Checked if selected else Qt.Unchecked)
            self.partners.addItem(item)
        self.press_contact_combo.blockSignals(True)
        self.press_contact_combo.clear()
        self.press_contact_combo.addItem("— aucun (le contact du Département) —", None)
        for contact_id, label in contacts:
            self.press_contact_combo.addItem(label, contact_id)
        index = self.press_contact_combo.findData(press_contact_id) if press_contact_id else 0
        self.press_contact_combo.setCurrentIndex(max(index, 0))
        self.press_contact_combo.blockSignals(False)
        if not self.message_edit.document().isModified():
            self.message_edit.setPlainText(message)

    def _on_press_contact_chosen(self, _index: int) -> None:
        from ...core.documents.press import set_press_contact

        edition_id = self.context.edition_id
        contact_id = self.press_contact_combo.currentData()
        if edition_id is None:
            return
        self.context.run(self, "Choisir le contact presse de l'édition",
                         lambda s: set_press_contact(s, edition_id, contact_id))

    def on_edition_changed(self, edition_id) -> None:
        self.partners.clear()
        self.refresh()
        self.communication_box.load()

    def _check_all(self, state: bool) -> None:
        for i in range(self.partners.count()):
            self.partners.item(i).setCheckState(Qt.Checked if state else Qt.Unchecked)

    def checked_partner_ids(self) -> list[int]:
        return [self.partners.item(i).data(Qt.UserRole) for i in range(self.partners.count())
                if self.partners.item(i).checkState() == Qt.Checked]

    def template_path(self) -> Optional[Path]:
        if self.custom_template.isChecked() and self.template_edit.text().strip():
            return Path(self.template_edit.text().strip())
        return None

    def _browse_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choisir un modèle Word", self.template_edit.text(),
                                              "Documents Word (*.docx)")
        if path:
            self.template_edit.setText(path)
            self.custom_template.setChecked(True)

    def _browse_out(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Dossier de sortie", self.out_edit.text())
        if path:
            self.out_edit.setText(path)

    # -- template check --------------------------------------------------------------------------

    def check_current_template(self) -> None:
        from ...core.documents.checks import check_template
        from ...core.documents.generate import default_template
        from ..errors import show_error

        path = self.template_path() or default_template(self.kind)
        self.check_results.clear()
        try:
            problems = check_template(path, self.kind)
        except BonsJoursError as exc:
            show_error(self, exc)
            return
        if not problems:
            self.check_results.addItem(f"Aucun problème dans « {path.name} » : le modèle peut être utilisé.")
        for problem in problems:
            item = QListWidgetItem(str(problem))
            item.setToolTip(str(problem))
            self.check_results.addItem(item)

    # -- generation ------------------------------------------------------------------------------

    def start_generation(self) -> None:
        from ..errors import show_error

        if self.worker is not None:
            return
        edition_id = self.context.edition_id
        if edition_id is None:
            show_error(self, BonsJoursError("Choisissez d'abord une édition dans la barre d'outils."))
            return
        out_text = self.out_edit.text().strip()
        if not out_text:
            show_error(self, BonsJoursError("Indiquez le dossier où écrire les documents."))
            return
        organisation_ids = None
        scope_maps: dict = {}
        eml = False
        if self.kind in ("press-kit", "role-sheet"):
            organisation_ids = self.checked_partner_ids()
            if not organisation_ids:
                what = "d'un dossier de presse" if self.kind == "press-kit" else "d'une fiche rôle"
                show_error(self, BonsJoursError(f"Cochez au moins un partenaire destinataire {what}."))
                return
            eml = self.eml_check.isChecked()
            if eml and self.message_edit.document().isModified():
                self._save_message()
            if self.kind == "press-kit":
                scope_maps = self._draw_scope_maps(edition_id, organisation_ids)
        map_image = None
        if self.kind == "directory" and self.map_check.isChecked():
            map_image = self._draw_map(edition_id)
        chart_images: list = []
        if self.kind == "bilan":
            # Charts are drawn here, on the GUI thread (Qt widgets cannot be drawn in the worker).
            import tempfile

            from ...render.budget_charts import budget_chart_images

            self._chart_dir = tempfile.TemporaryDirectory(prefix="bonsjours-graphiques-")
            try:
                chart_images = budget_chart_images(edition_id, self._chart_dir.name, self.context.db)
            except Exception as exc:  # noqa: BLE001 - the bilan is still useful without its charts
                logging.getLogger(__name__).warning("Graphiques du budget impossibles : %s", exc)
        self.worker = GenerationWorker(
            self.context.db, self.kind, edition_id, Path(out_text).expanduser(), template=self.template_path(),
            pdf=self.pdf_check.isEnabled() and self.pdf_check.isChecked(), organisation_ids=organisation_ids,
            map_image=map_image, chart_images=chart_images, eml=eml, scope_maps=scope_maps,
            page_format=self.format_combo.currentData(),
            booklet=self.booklet_check.isEnabled() and self.booklet_check.isChecked(), parent=self,
        )
        self.worker.progress.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_succeeded)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status.setText("Production en cours…")
        self.worker.start()

    def _draw_map(self, edition_id: int) -> Optional[Path]:
        from ...render.geo_map import DIRECTORY_MAP_MM, departement_map_png

        self._map_dir = tempfile.TemporaryDirectory(prefix="bonsjours-carte-")
        from ...core.documents.contexts import DIRECTORY_MAP_WIDTH_MM

        target = Path(self._map_dir.name) / "carte.png"
        # drawn at its printed size: the A5 cover is narrower than the A4 one
        ratio = DIRECTORY_MAP_WIDTH_MM[self.format_combo.currentData()] / DIRECTORY_MAP_MM[0]
        size = (DIRECTORY_MAP_MM[0] * ratio, DIRECTORY_MAP_MM[1] * ratio)
        return self.context.read(lambda s: departement_map_png(s, target, size, 300, edition_id=edition_id))

    def _draw_scope_maps(self, edition_id: int, organisation_ids: list[int]) -> dict:
        """The local maps of the territory and network kits, drawn here on the GUI thread."""
        from ...core.documents import press
        from ...render.geo_map import scope_map_png

        self._map_dir = tempfile.TemporaryDirectory(prefix="bonsjours-carte-")
        folder = Path(self._map_dir.name)

        def query(session):
            recipients = press.press_recipients(session, edition_id)
            scopes = {r.scope for r in recipients if r.organisation_id in organisation_ids
                      and r.scope.kind != press.DEPARTEMENT}
            return {scope.key: scope_map_png(session, edition_id, folder / f"carte-{number}.png",
                                             territory_id=scope.territory_id, network=scope.network or None)
                    for number, scope in enumerate(scopes)
                    if press.scope_points(session, edition_id, scope)}

        return self.context.read(query)

    def _save_message(self) -> None:
        from ...core.documents.email_drafts import BODY_SETTINGS
        from ...core.reference import set_setting

        key = BODY_SETTINGS[self.kind]
        text = self.message_edit.toPlainText()
        self.context.run(self, "Modifier le message des brouillons de courriel", lambda s: set_setting(s, key, text))
        self.message_edit.document().setModified(False)

    def cancel_generation(self) -> None:
        if self.worker is not None:
            self.worker.requestInterruption()
            self.status.setText("Annulation demandée : le document en cours se termine…")
            self.cancel_button.setEnabled(False)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if done < total:
            self.status.setText(f"{done + 1}/{total} — {label}")

    def _on_succeeded(self, result) -> None:
        self.last_result = result
        count = len(result.documents)
        pdfs = f" et {len(result.pdfs)} PDF" if result.pdfs else ""
        folder = result.folder or Path(self.out_edit.text())
        if result.cancelled:
            self.status.setText(f"Annulé : {count} document(s) déjà produit(s) dans {folder}.")
        else:
            drafts = f" et {len(result.drafts)} brouillon(s) de courriel" if result.drafts else ""
            lines = [f"{count} document(s) Word{pdfs}{drafts} produit(s) dans {folder}."]
            if result.missing_email:
                lines.append("Sans courriel (brouillon à compléter) : " + ", ".join(result.missing_email) + ".")
            if result.warnings:
                lines.append(f"À vérifier ({len(result.warnings)}) : " + " ".join(result.warnings[:3])
                             + (" …" if len(result.warnings) > 3 else ""))
            self.status.setText("\n".join(lines))
            self.status.setToolTip("\n".join(result.warnings))
        if self.open_folder_when_done and count:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_failed(self, message: str) -> None:
        from ..errors import show_error

        self.status.setText(message)
        show_error(self, BonsJoursError(message))

    def _on_finished(self) -> None:
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None
        if self._map_dir is not None:
            self._map_dir.cleanup()
            self._map_dir = None
        if self._chart_dir is not None:
            self._chart_dir.cleanup()  # the bilan's chart images, drawn before the worker started
            self._chart_dir = None
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        self.communication_box.wait()
        if self.worker is not None:
            self.worker.requestInterruption()
            self.worker.wait()
        super().closeEvent(event)
