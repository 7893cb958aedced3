"""Documents tab: choose a document and an edition, check the proposed recipients, generate, open the folder."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt, QUrl
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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.documents.contexts import KIND_LABELS
from ...core.errors import BonsJoursError
from ...core.partners import INTERNAL_KINDS
from ..widgets.communication_kit import (
    KIT_KINDS,
    KIT_LABELS,
    CommunicationKitJob,
    CommunicationKitOptions,
    KitOutcome,
    kit_folder,
)
from ..widgets.generation_job import GenerationJob
from .base import BaseTab

log = logging.getLogger(__name__)

WORD_KINDS = tuple(KIND_LABELS)
DESCRIPTIONS = {
    "press-kit": "Un dossier de presse public par zone (le département, chaque territoire, chaque réseau) des "
                 "partenaires cochés ; ceux qui partagent une zone partagent le fichier.",
    "role-sheet": "Une fiche interne par partenaire coché : ses rôles, ses tâches, ses réunions, ses prêts "
                  "et ses contacts pour l'édition.",
    "directory": "L'annuaire des boutiques participantes, avec la carte en couverture.",
    "bilan": "Le bilan de l'édition : participation, résultats, budget et graphiques.",
    "delivery-sheet": "Une fiche par tournée de livraison et de reprise (onglet Logistique).",
    "communication-kit": "Une affiche par territoire et une pour le département, trois bannières web et la "
                         "page « Local et solidaire » avec sa carte, prête à publier.",
    "posters": "Une affiche PDF par territoire et une pour le département, avec le QR code de la page web "
               "et les logos des partenaires.",
    "banners": "Trois bannières PNG aux formats usuels du web, avec le nom et les dates de l'évènement.",
    "website": "La page « Local et solidaire » (index.html, carte, GeoJSON, agenda .ics) à copier telle "
               "quelle sur le site.",
}
PRESELECTION_HINT = {
    "press-kit": "Cochés d'office : les partenaires dont un rôle reçoit le dossier de presse (liste des rôles, "
                 "onglet Partenaires), comme en ligne de commande ; jamais les services du Département.",
    "role-sheet": "Cochés d'office : les partenaires de l'édition, sauf les services du Département.",
}


class WordDocumentsJob(GenerationJob):
    """One batch of Word documents (core.documents.generate) for one edition."""

    def __init__(self, db, kind: str, edition_id: int, out_dir: Path, *, template: Optional[Path],
                 pdf: bool, organisation_ids: Optional[list[int]] = None, map_image: Optional[Path] = None,
                 chart_images: tuple = (), eml: bool = False, scope_maps: Optional[dict] = None,
                 page_format: str = "a5", booklet: bool = False, parent=None):
        super().__init__(db, edition_id, parent)
        self.kind = kind
        self.out_dir = out_dir
        self.template = template
        self.pdf = pdf
        self.organisation_ids = organisation_ids
        self.map_image = map_image
        self.chart_images = list(chart_images)
        self.eml = eml
        self.scope_maps = dict(scope_maps or {})
        self.page_format = page_format
        self.booklet = booklet

    def report(self, done: int, total: int, label: str) -> None:
        super().report(done, total, f"{done + 1}/{total} — {label}" if label and done < total else label)

    def work(self, session):
        from ...core.documents import generate
        from ...core.editions import get_edition

        options = dict(template=self.template, pdf=self.pdf, should_cancel=self.isInterruptionRequested,
                       progress=self.report)
        edition_name = get_edition(session, self.edition_id).name
        if self.kind == "press-kit":
            return generate.generate_press_kits(
                session, self.edition_id, self.out_dir, organisation_ids=self.organisation_ids, eml=self.eml,
                map_drawer=lambda _session, scope: self.scope_maps.get(scope.key), **options)
        if self.kind == "role-sheet":
            return generate.generate_role_sheets(session, self.edition_id, self.out_dir,
                                                 organisation_ids=self.organisation_ids, eml=self.eml, **options)
        if self.kind == "directory":
            target = self.out_dir / generate.default_filename("directory", edition_name)
            return generate.generate_directory(session, self.edition_id, target, map_image=self.map_image,
                                               page_format=self.page_format, booklet=self.booklet, **options)
        if self.kind == "bilan":
            target = self.out_dir / generate.default_filename("bilan", edition_name)
            return generate.generate_bilan(session, self.edition_id, target, chart_images=self.chart_images,
                                           **options)
        return generate.generate_delivery_sheets(session, self.edition_id, self.out_dir, **options)


def written_files(result) -> list[Path]:
    """Every file a generation wrote: Word documents, PDF, drafts — or the kit's files."""
    if isinstance(result, KitOutcome):
        return list(result.files)
    return list(result.documents) + list(result.pdfs) + list(getattr(result, "drafts", []) or [])


class DocumentsTab(BaseTab):
    """The user's flow: the document and the edition; the recipients proposed by their roles; options;
    « Générer »; the files written and « Ouvrir le dossier ». Template variables live in a help dialog."""

    title = "Documents"
    tables = ("organisations", "edition_roles", "participations", "contacts", "editions", "role_types", "settings",
              "animations", "event_days", "shops", "territories")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        from ...core.documents.engine import pdf_unavailable_reason

        self.worker: Optional[GenerationJob] = None
        self.last_result = None
        self.last_folder: Optional[Path] = None
        self.template_help = None
        self._map_dir: Optional[tempfile.TemporaryDirectory] = None
        self._chart_dir: Optional[tempfile.TemporaryDirectory] = None
        self._proposed: set[int] = set()

        # -- 1. the document and the edition ----------------------------------------------------
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("documentKind")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.insertSeparator(self.kind_combo.count())
        for kind, label in KIT_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.edition_combo = QComboBox()
        self.edition_combo.setObjectName("documentEdition")
        self.edition_combo.setPlaceholderText("aucune édition : Fichier → Nouvelle édition…")
        self.edition_combo.currentIndexChanged.connect(self._on_document_edition_changed)
        self.description = QLabel()
        self.description.setWordWrap(True)
        document_box = QGroupBox("Document")
        document_box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        document_form = QFormLayout(document_box)
        document_form.addRow("Document :", self.kind_combo)
        document_form.addRow("Édition :", self.edition_combo)
        document_form.addRow(self.description)

        # -- 2. the recipients ------------------------------------------------------------------
        self.partners = QListWidget()
        self.partners.setObjectName("partnersList")
        self.partners.setMinimumHeight(120)
        self.preselection_hint = QLabel()
        self.preselection_hint.setWordWrap(True)
        all_button = QPushButton("Tout cocher")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("Tout décocher")
        none_button.clicked.connect(lambda: self._check_all(False))
        proposed_button = QPushButton("Sélection proposée")
        proposed_button.setToolTip("Revenir aux partenaires cochés d'office")
        proposed_button.clicked.connect(self.restore_proposed)
        self.show_all_check = QCheckBox("Montrer aussi les organisations sans rôle dans l'édition")
        self.show_all_check.toggled.connect(lambda _on: self.reload())
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
        self.eml_check = QCheckBox("Préparer aussi un brouillon de courriel (.eml) par destinataire")
        self.eml_check.setToolTip("Un fichier .eml par partenaire, le document joint, à ouvrir dans Outlook ou "
                                  "Thunderbird : rien n'est envoyé.")
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("emlMessage")
        self.message_edit.setToolTip("Message des brouillons ; {edition}, {days}, {operation} et {scope} sont "
                                     "remplacés. Enregistré avec les données.")
        self.message_edit.setMaximumHeight(90)
        self.message_edit.setVisible(False)
        self.eml_check.toggled.connect(self.message_edit.setVisible)
        self.partners_box = QGroupBox("Destinataires")
        partners_layout = QVBoxLayout(self.partners_box)
        partners_layout.addWidget(self.preselection_hint)
        partners_layout.addWidget(self.partners, 1)
        buttons = QHBoxLayout()
        for button in (all_button, none_button, proposed_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        partners_layout.addLayout(buttons)
        partners_layout.addWidget(self.show_all_check)
        partners_layout.addWidget(self.press_contact_row)
        partners_layout.addWidget(self.eml_check)
        partners_layout.addWidget(self.message_edit)

        # -- 3. options -------------------------------------------------------------------------
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
        self.check_button = QPushButton("Vérifier le modèle")
        self.check_button.clicked.connect(self.check_current_template)
        self.help_button = QPushButton("Aide sur les modèles…")
        self.help_button.setObjectName("templateHelpButton")
        self.help_button.setToolTip("Les variables à écrire dans un modèle Word, avec leur valeur pour l'édition choisie")
        self.help_button.clicked.connect(self.open_template_help)
        self.check_results = QListWidget()
        self.check_results.setObjectName("checkResults")
        self.check_results.setWordWrap(True)
        self.check_results.setMaximumHeight(110)
        self.check_results.setVisible(False)
        self.template_row = QWidget()
        template_layout = QVBoxLayout(self.template_row)
        template_layout.setContentsMargins(0, 0, 0, 0)
        choice = QHBoxLayout()
        choice.addWidget(self.default_template)
        choice.addWidget(self.custom_template)
        choice.addWidget(self.template_edit, 1)
        choice.addWidget(browse_template)
        tools = QHBoxLayout()
        tools.addWidget(self.check_button)
        tools.addWidget(self.help_button)
        tools.addStretch(1)
        template_layout.addLayout(choice)
        template_layout.addLayout(tools)
        template_layout.addWidget(self.check_results)

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
        self.booklet_check = QCheckBox("Livret à imprimer : pages A5 imposées sur A4, à plier et agrafer")
        self.booklet_check.setToolTip("Nécessite le PDF et le format A5. Imprimez recto verso (bord court).")
        self.format_combo.currentIndexChanged.connect(self._sync_booklet)
        self.pdf_check.toggled.connect(self._sync_booklet)
        self.format_label = QLabel("Format :")
        self.kit_options = CommunicationKitOptions(context, self)

        self.options_box = QGroupBox("Options")
        options = QFormLayout(self.options_box)
        self.template_label = QLabel("Modèle :")
        options.addRow(self.template_label, self.template_row)
        options.addRow(self.pdf_check)
        options.addRow(self.map_check)
        options.addRow(self.format_label, self.format_combo)
        options.addRow(self.booklet_check)
        options.addRow(self.kit_options)
        self._sync_booklet()

        # -- 4. generate and what was written ---------------------------------------------------
        self.out_edit = QLineEdit(str(Path.home() / "Documents" / "Bons Jours"))
        self.out_edit.setObjectName("outputFolder")
        browse_out = QPushButton("Parcourir…")
        browse_out.clicked.connect(self._browse_out)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel("Dossier :"))
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse_out)
        self.generate_button = QPushButton("Générer")
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setToolTip("Produire les documents (Ctrl+G)")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.start_generation)
        QShortcut(QKeySequence("Ctrl+G"), self, activated=self.start_generation)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_generation)
        run_row = QHBoxLayout()
        run_row.addWidget(self.generate_button)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setObjectName("generationProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        self.status = QLabel("Choisissez un document et une édition, puis « Générer ».")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setObjectName("documentsErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.files_list = QListWidget()
        self.files_list.setObjectName("writtenFiles")
        self.files_list.setToolTip("Double-cliquez pour ouvrir un fichier")
        self.files_list.itemActivated.connect(self._open_file)
        self.open_folder_button = QPushButton("Ouvrir le dossier")
        self.open_folder_button.setObjectName("openFolderButton")
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        run_box = QGroupBox("Production")
        run_layout = QVBoxLayout(run_box)
        run_layout.addLayout(out_row)
        run_layout.addLayout(run_row)
        run_layout.addWidget(self.progress)
        run_layout.addWidget(self.error_label)
        run_layout.addWidget(self.status)
        run_layout.addWidget(QLabel("Fichiers écrits :"))
        run_layout.addWidget(self.files_list, 1)
        folder_row = QHBoxLayout()
        folder_row.addStretch(1)
        folder_row.addWidget(self.open_folder_button)
        run_layout.addLayout(folder_row)

        left = QVBoxLayout()
        left.addWidget(document_box)
        left.addWidget(self.partners_box, 1)
        left.addStretch(0)  # documents without recipients: the document box keeps its height
        right = QVBoxLayout()
        right.addWidget(self.options_box)
        right.addWidget(run_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

        self._fill_editions()
        self._on_kind_changed()

    # -- state -----------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    @property
    def edition_id(self) -> Optional[int]:
        return self.edition_combo.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def set_edition(self, edition_id: Optional[int]) -> None:
        index = self.edition_combo.findData(edition_id)
        if index >= 0:
            self.edition_combo.setCurrentIndex(index)

    def _fill_editions(self) -> None:
        from ...core.editions import list_editions

        keep = self.edition_id if self.edition_combo.count() else self.context.edition_id
        editions = self.context.read(list_editions)
        self.edition_combo.blockSignals(True)
        self.edition_combo.clear()
        for summary in editions:
            self.edition_combo.addItem(summary.name, summary.id)
        index = self.edition_combo.findData(keep)
        self.edition_combo.setCurrentIndex(index if index >= 0 else (0 if editions else -1))
        self.edition_combo.blockSignals(False)

    def _sync_booklet(self, *_args) -> None:
        usable = self.pdf_check.isEnabled() and self.pdf_check.isChecked() and self.format_combo.currentData() == "a5"
        self.booklet_check.setEnabled(usable)
        if not usable:
            self.booklet_check.setChecked(False)

    def _on_kind_changed(self, _index: int = 0) -> None:
        kind = self.kind
        word = kind in WORD_KINDS
        self.description.setText(DESCRIPTIONS.get(kind, ""))
        self.partners_box.setVisible(kind in ("press-kit", "role-sheet"))
        self.press_contact_row.setVisible(kind == "press-kit")
        self.preselection_hint.setText(PRESELECTION_HINT.get(kind, ""))
        for widget in (self.template_label, self.template_row, self.pdf_check):
            widget.setVisible(word)
        self.map_check.setVisible(kind == "directory")
        for widget in (self.format_label, self.format_combo, self.booklet_check):
            widget.setVisible(kind == "directory")
        self.kit_options.setVisible(kind in KIT_KINDS)
        self.kit_options.show_size(kind in ("communication-kit", "posters"))
        self.check_results.clear()
        self.check_results.setVisible(False)
        self._clear_error()
        if kind in ("press-kit", "role-sheet"):
            self.partners.clear()  # each kind proposes its own recipients
        self.reload()

    def _on_document_edition_changed(self, _index: int = 0) -> None:
        self.partners.clear()
        self._clear_error()
        self.reload()

    def reload(self) -> None:
        if not hasattr(self, "kit_options"):
            return
        if self.kind in ("press-kit", "role-sheet"):
            self._reload_recipients()
        if self.kind in KIT_KINDS:
            self.kit_options.load(self.edition_id)
        self._refresh_template_help()

    def _reload_recipients(self) -> None:
        from ...core.documents import press
        from ...core.documents.email_drafts import body_template
        from ...core.partners import list_organisation_rows

        edition_id = self.edition_id
        kind = self.kind
        checked = set(self.checked_partner_ids())
        first_fill = self.partners.count() == 0
        show_all = self.show_all_check.isChecked()

        def query(session):
            from ...core.models import Edition

            recipients = press.press_recipients(session, edition_id) if edition_id else []
            edition = session.get(Edition, edition_id) if edition_id else None
            others = list_organisation_rows(session) if show_all else []
            return (recipients, others, press.press_contact_choices(session),
                    edition.press_contact_id if edition else None, body_template(session, kind))

        recipients, others, contacts, press_contact_id, message = self.context.read(query)
        self._proposed = {r.organisation_id for r in recipients if self._proposed_for(kind, r)}
        self.partners.clear()
        known = {r.organisation_id for r in recipients}
        rows = [(r.organisation_id, r.name, r) for r in recipients]
        rows += [(o.id, o.name, None) for o in others if o.id not in known]
        # the proposed recipients first, then the edition's other partners, then everyone else
        rows.sort(key=lambda row: (row[0] not in self._proposed, row[2] is None, row[1].casefold()))
        for organisation_id, name, recipient in rows:
            item = QListWidgetItem(self._recipient_label(kind, name, recipient))
            item.setData(Qt.UserRole, organisation_id)
            if recipient is not None:
                roles = recipient.roles_text or "partenaire de l'édition"
                item.setToolTip(f"{roles} — courriel : {recipient.email or 'aucun (brouillon sans destinataire)'}")
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            selected = organisation_id in self._proposed if first_fill else organisation_id in checked
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

    @staticmethod
    def _proposed_for(kind: str, recipient) -> bool:
        """Press kits: core.partners.public_facing (the command line's default); role sheets: every
        partner of the edition. Never one of the Département's own services."""
        if recipient.kind in INTERNAL_KINDS:
            return False
        return recipient.receives if kind == "press-kit" else True

    @staticmethod
    def _recipient_label(kind: str, name: str, recipient) -> str:
        if recipient is None:
            return f"{name}  (sans rôle dans l'édition)"
        if recipient.kind in INTERNAL_KINDS:
            return f"{name}  (service du Département)"
        if kind == "press-kit":
            if recipient.receives:
                return f"{name}  →  dossier « {recipient.scope.file_label} »"
            return f"{name}  (rôle sans dossier de presse)"
        return name

    def restore_proposed(self) -> None:
        for i in range(self.partners.count()):
            item = self.partners.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in self._proposed else Qt.Unchecked)

    def _on_press_contact_chosen(self, _index: int) -> None:
        from ...core.documents.press import set_press_contact

        edition_id = self.edition_id
        contact_id = self.press_contact_combo.currentData()
        if edition_id is None:
            return
        self.context.run(self, "Choisir le contact presse de l'édition",
                         lambda s: set_press_contact(s, edition_id, contact_id))

    def on_edition_changed(self, edition_id) -> None:
        """The toolbar's edition becomes the document's edition (one can still pick another here)."""
        self._fill_editions()
        self.set_edition(edition_id)
        self.partners.clear()
        self.refresh()

    def on_changes(self, changes) -> None:
        if changes.touches("editions"):
            self._fill_editions()
        super().on_changes(changes)

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

    # -- errors in place ---------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        # the panel tells about this attempt, not an earlier production
        self.status.setText("Rien n'a été produit.")
        self.status.setToolTip("")
        self.files_list.clear()
        self.open_folder_button.setEnabled(False)

    def _clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.setVisible(False)

    # -- templates: check and help -----------------------------------------------------------------

    def check_current_template(self) -> None:
        from ...core.documents.checks import check_template
        from ...core.documents.generate import default_template

        if self.kind not in WORD_KINDS:
            return
        path = self.template_path() or default_template(self.kind)
        self.check_results.clear()
        self._clear_error()
        try:
            problems = check_template(path, self.kind)
        except BonsJoursError as exc:
            self.show_error(str(exc))
            return
        if not problems:
            self.check_results.addItem(f"Aucun problème dans « {path.name} » : le modèle peut être utilisé.")
        for problem in problems:
            item = QListWidgetItem(str(problem))
            item.setToolTip(str(problem))
            self.check_results.addItem(item)
        self.check_results.setVisible(True)

    def open_template_help(self) -> None:
        from ..widgets.template_help import TemplateHelpDialog

        if self.template_help is None:
            self.template_help = TemplateHelpDialog(self)
        self._refresh_template_help(force=True)
        self.template_help.show()
        self.template_help.raise_()

    def _refresh_template_help(self, force: bool = False) -> None:
        from ...core.documents.examples import example_variables

        dialog = self.template_help
        if dialog is None or not (force or dialog.isVisible()) or self.kind not in WORD_KINDS:
            return
        kind, edition_id = self.kind, self.edition_id
        variables = self.context.read(lambda s: example_variables(s, kind, edition_id))
        dialog.show_variables(kind, self.edition_combo.currentText() if edition_id else None, variables)

    # -- generation ------------------------------------------------------------------------------

    def start_generation(self) -> None:
        if self.worker is not None:
            return
        self._clear_error()
        edition_id = self.edition_id
        if edition_id is None:
            self.show_error("Choisissez d'abord l'édition du document (liste « Édition » ci-contre).")
            return
        out_text = self.out_edit.text().strip()
        if not out_text:
            self.show_error("Indiquez le dossier où écrire les documents (« Dossier », dans « Production »).")
            return
        try:
            job = self._kit_job(edition_id, out_text) if self.kind in KIT_KINDS else self._word_job(edition_id,
                                                                                                   out_text)
        except BonsJoursError as exc:
            self.show_error(str(exc))
            return
        if job is None:
            return
        self.worker = job
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self.generate_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.files_list.clear()
        self.open_folder_button.setEnabled(False)
        self.status.setText("Production en cours…")
        job.start()

    def _word_job(self, edition_id: int, out_text: str) -> Optional[WordDocumentsJob]:
        organisation_ids = None
        scope_maps: dict = {}
        eml = False
        if self.kind in ("press-kit", "role-sheet"):
            organisation_ids = self.checked_partner_ids()
            if not organisation_ids:
                what = "d'un dossier de presse" if self.kind == "press-kit" else "d'une fiche rôle"
                raise BonsJoursError(f"Cochez au moins un partenaire destinataire {what}.")
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
            from ...render.budget_charts import budget_chart_images

            self._chart_dir = tempfile.TemporaryDirectory(prefix="bonsjours-graphiques-")
            try:
                chart_images = budget_chart_images(edition_id, self._chart_dir.name, self.context.db)
            except Exception as exc:  # noqa: BLE001 - the bilan is still useful without its charts
                log.warning("Graphiques du budget impossibles : %s", exc)
        self.last_folder = Path(out_text).expanduser()
        return WordDocumentsJob(
            self.context.db, self.kind, edition_id, self.last_folder, template=self.template_path(),
            pdf=self.pdf_check.isEnabled() and self.pdf_check.isChecked(), organisation_ids=organisation_ids,
            map_image=map_image, chart_images=chart_images, eml=eml, scope_maps=scope_maps,
            page_format=self.format_combo.currentData(),
            booklet=self.booklet_check.isEnabled() and self.booklet_check.isChecked(), parent=self,
        )

    def _kit_job(self, edition_id: int, out_text: str) -> Optional[CommunicationKitJob]:
        address = self.kit_options.remember_address(self, edition_id)
        if address is None:
            return None  # the save was refused: its message was shown, nothing is produced
        name = self.edition_combo.currentText()
        self.last_folder = kit_folder(Path(out_text), name)
        return CommunicationKitJob(self.context.db, edition_id, self.last_folder, KIT_KINDS[self.kind],
                                   self.kit_options.size_combo.currentData(), address, self)

    def _draw_map(self, edition_id: int) -> Optional[Path]:
        from ...core.documents.contexts import DIRECTORY_MAP_WIDTH_MM
        from ...render.geo_map import DIRECTORY_MAP_MM, departement_map_png

        self._map_dir = tempfile.TemporaryDirectory(prefix="bonsjours-carte-")
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
        if done < total and label:
            self.status.setText(label)

    def _on_succeeded(self, result) -> None:
        self.last_result = result
        files = written_files(result)
        folder = getattr(result, "folder", None) or self.last_folder or Path(self.out_edit.text())
        self.last_folder = Path(folder)
        if isinstance(result, KitOutcome):
            lines = [f"{len(files)} fichier(s) produit(s) dans {folder}."]
            if result.cancelled:
                lines = [f"Annulé : {len(files)} fichier(s) déjà produit(s) dans {folder}."]
            lines += [f"À vérifier : {w}" for w in result.warnings]
            self.status.setText("\n".join(lines))
        elif result.cancelled:
            self.status.setText(f"Annulé : {len(result.documents)} document(s) déjà produit(s) dans {folder}.")
        else:
            pdfs = f" et {len(result.pdfs)} PDF" if result.pdfs else ""
            drafts = f" et {len(result.drafts)} brouillon(s) de courriel" if result.drafts else ""
            lines = [f"{len(result.documents)} document(s) Word{pdfs}{drafts} produit(s) dans {folder}."]
            if result.missing_email:
                lines.append("Sans courriel (brouillon à compléter) : " + ", ".join(result.missing_email) + ".")
            if result.warnings:
                lines.append(f"À vérifier ({len(result.warnings)}) : " + " ".join(result.warnings[:3])
                             + (" …" if len(result.warnings) > 3 else ""))
            self.status.setText("\n".join(lines))
            self.status.setToolTip("\n".join(result.warnings))
        self.files_list.clear()
        for path in files:
            try:
                shown = str(Path(path).relative_to(folder))
            except ValueError:
                shown = str(path)
            item = QListWidgetItem(shown)
            item.setData(Qt.UserRole, str(path))
            item.setToolTip(str(path))
            self.files_list.addItem(item)
        self.open_folder_button.setEnabled(bool(files))

    def _on_failed(self, message: str) -> None:
        self.show_error(message)

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
        self.cancel_button.setVisible(False)
        # idle: no leftover full (or busy) bar beside « Générer »
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(False)

    def open_folder(self) -> None:
        if self.last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_folder)))

    def _open_file(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(Qt.UserRole)))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.worker is not None:
            self.worker.requestInterruption()
            self.worker.wait()
        super().closeEvent(event)
