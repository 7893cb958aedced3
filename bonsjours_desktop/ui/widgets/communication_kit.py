"""The Documents tab's « Kit de communication » box: posters, web banners and the public page, in one go."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ...core.errors import BonsJoursError

log = logging.getLogger(__name__)
SIZES = (("a3", "A3 (29,7 × 42 cm)"), ("a4", "A4 (21 × 29,7 cm)"),
         ("abribus", "Abribus (120 × 176 cm, fond perdu 5 mm)"))


class KitWorker(QThread):
    """Writes the kit off the GUI thread (QPdfWriter and QImage may be painted in any thread)."""

    progress = Signal(str)
    succeeded = Signal(object)  # (folder, files, warnings)
    failed = Signal(str)

    def __init__(self, db, edition_id: int, folder: Path, size: str, address: str, parent=None):
        super().__init__(parent)
        self.db, self.edition_id, self.folder, self.size, self.address = db, edition_id, folder, size, address

    def run(self) -> None:  # noqa: D401 - QThread entry point
        from ...core.io.website import generate_website
        from ...render.posters import generate_banners, generate_posters

        files: list[Path] = []
        warnings: list[str] = []
        try:
            with self.db.session() as session:
                posters = generate_posters(session, self.edition_id, self.folder / "affiches", self.size, self.address,
                                           progress=lambda done, total, label: self.progress.emit(
                                               f"Affiche {done + 1}/{total} — {label}" if done < total else ""))
                self.progress.emit("Bannières web…")
                banners = generate_banners(session, self.edition_id, self.folder / "bannieres")
                self.progress.emit("Page web…")
                website = generate_website(session, self.edition_id, self.folder / "page-web", self.address)
            for result in (posters, banners, website):
                files += result.files
                warnings += result.warnings
        except BonsJoursError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported in French, details in the log
            log.exception("Erreur pendant la production du kit de communication")
            self.failed.emit(f"Erreur inattendue pendant la production du kit de communication : {exc}")
            return
        self.succeeded.emit((self.folder, files, warnings))


class CommunicationKitBox(QGroupBox):
    """The web page's address (remembered for the edition), the poster size, and one button."""

    def __init__(self, context, out_dir: Callable[[], str], parent=None):
        super().__init__("Kit de communication (affiches, bannières, page web)", parent)
        self.context = context
        self.out_dir = out_dir
        self.worker: Optional[KitWorker] = None
        self.open_folder_when_done = True
        self.address_edit = QLineEdit(placeholderText="https://www.exemple.fr/les-bons-jours")
        self.address_edit.setObjectName("webAddress")
        self.address_edit.setToolTip("Adresse où la page sera publiée : le QR code des affiches y mène. "
                                     "Enregistrée avec l'édition.")
        self.size_combo = QComboBox()
        for key, label in SIZES:
            self.size_combo.addItem(label, key)
        self.button = QPushButton("Produire le kit de communication")
        self.button.setObjectName("communicationKitButton")
        self.button.clicked.connect(self.start)
        self.status = QLabel("Une affiche par territoire et une pour le département, trois bannières web et la "
                             "page « Local et solidaire » avec sa carte, dans le dossier de sortie.")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Adresse de la page web :", self.address_edit)
        form.addRow("Format des affiches :", self.size_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        self.load()

    def load(self) -> None:
        from ...core.communication import web_address

        edition_id = self.context.edition_id
        self.address_edit.setText(self.context.read(lambda s: web_address(s, edition_id)) if edition_id else "")

    def start(self) -> None:
        from ...core.communication import set_web_address, web_address
        from ...core.editions import get_edition
        from ..errors import show_error

        if self.worker is not None:
            return
        edition_id = self.context.edition_id
        if edition_id is None:
            show_error(self, BonsJoursError("Choisissez d'abord une édition dans la barre d'outils."))
            return
        if not self.out_dir().strip():
            show_error(self, BonsJoursError("Indiquez le dossier où écrire les documents."))
            return
        address = self.address_edit.text().strip()
        if address != self.context.read(lambda s: web_address(s, edition_id)):
            saved = self.context.run(self, "Enregistrer l'adresse de la page web",
                                     lambda s: set_web_address(s, address, edition_id))
            if saved is None:
                return  # refused (mistyped address): the message was shown, nothing is produced
        name = self.context.read(lambda s: get_edition(s, edition_id).name)
        folder = Path(self.out_dir().strip()).expanduser() / f"Kit de communication – {name}"
        self.worker = KitWorker(self.context.db, edition_id, folder, self.size_combo.currentData(), address, self)
        self.worker.progress.connect(self.status.setText)
        self.worker.succeeded.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._finished)
        self.button.setEnabled(False)
        self.status.setText("Production en cours…")
        self.worker.start()

    def _done(self, result) -> None:
        folder, files, warnings = result
        lines = [f"{len(files)} fichier(s) produit(s) dans {folder}."]
        lines += [f"À vérifier : {w}" for w in warnings]
        self.status.setText("\n".join(lines))
        if self.open_folder_when_done:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _failed(self, message: str) -> None:
        from ..errors import show_error

        self.status.setText(message)
        show_error(self, BonsJoursError(message))

    def _finished(self) -> None:
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None
        self.button.setEnabled(True)

    def wait(self) -> None:
        if self.worker is not None:
            self.worker.wait()
