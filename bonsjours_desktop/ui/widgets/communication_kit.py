"""The communication kit in the Documents tab: its options (web address, poster size) and its job."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from .generation_job import GenerationJob

SIZES = (("a3", "A3 (29,7 × 42 cm)"), ("a4", "A4 (21 × 29,7 cm)"),
         ("abribus", "Abribus (120 × 176 cm, fond perdu 5 mm)"))
# document kind of the Documents tab → the parts of the kit it writes
KIT_KINDS = {
    "communication-kit": ("posters", "banners", "website"),
    "posters": ("posters",),
    "banners": ("banners",),
    "website": ("website",),
}
KIT_LABELS = {
    "communication-kit": "Kit de communication complet (affiches, bannières web, page web)",
    "posters": "Affiches (une par territoire et une pour le département)",
    "banners": "Bannières web (728 × 90, 300 × 250, 1200 × 628)",
    "website": "Page web « Local et solidaire » avec sa carte",
}


@dataclass
class KitOutcome:
    """What a kit job wrote, in which folder, and what to check."""

    folder: Path
    files: list[Path]
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False


def kit_folder(out_dir: Path, edition_name: str) -> Path:
    return Path(out_dir).expanduser() / f"Kit de communication – {edition_name}"


class CommunicationKitJob(GenerationJob):
    """Writes the chosen parts of the kit (QPdfWriter and QImage may be painted in any thread)."""

    what = "du kit de communication"

    def __init__(self, db, edition_id: int, folder: Path, parts: tuple[str, ...], size: str, address: str,
                 parent=None):
        super().__init__(db, edition_id, parent)
        self.folder, self.parts, self.size, self.address = folder, parts, size, address

    def work(self, session) -> KitOutcome:
        from ...core.io.website import generate_website
        from ...render.posters import generate_banners, generate_posters

        outcome = KitOutcome(self.folder, [])
        steps = len(self.parts)
        for step, part in enumerate(self.parts):
            if self.isInterruptionRequested():
                outcome.cancelled = True
                break
            if part == "posters":
                result = generate_posters(
                    session, self.edition_id, self.folder / "affiches", self.size, self.address,
                    progress=lambda done, total, label, s=step: self.report(
                        s * 10 + (10 * done) // max(total, 1), steps * 10, f"Affiche — {label}" if label else ""))
            elif part == "banners":
                self.report(step * 10, steps * 10, "Bannières web")
                result = generate_banners(session, self.edition_id, self.folder / "bannieres")
            else:
                self.report(step * 10, steps * 10, "Page web « Local et solidaire »")
                result = generate_website(session, self.edition_id, self.folder / "page-web", self.address)
            outcome.files += result.files
            outcome.warnings += result.warnings
        self.report(steps * 10, steps * 10, "")
        return outcome


class CommunicationKitOptions(QWidget):
    """The web page's address (remembered per edition: the posters' QR code leads there) and the poster size."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.address_edit = QLineEdit(placeholderText="https://www.exemple.fr/les-bons-jours")
        self.address_edit.setObjectName("webAddress")
        self.address_edit.setToolTip("Adresse où la page sera publiée : le QR code des affiches y mène. "
                                     "Enregistrée avec l'édition.")
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("posterSize")
        for key, label in SIZES:
            self.size_combo.addItem(label, key)
        self.size_label_text = "Format des affiches :"
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Adresse de la page web :", self.address_edit)
        form.addRow(self.size_label_text, self.size_combo)
        self.form = form

    def load(self, edition_id: Optional[int]) -> None:
        from ...core.communication import web_address

        self.address_edit.setText(self.context.read(lambda s: web_address(s, edition_id)) if edition_id else "")

    def show_size(self, visible: bool) -> None:
        self.size_combo.setVisible(visible)
        label = self.form.labelForField(self.size_combo)
        if label is not None:
            label.setVisible(visible)

    def remember_address(self, parent, edition_id: int) -> Optional[str]:
        """The typed address, saved with the edition when it changed. A mistyped one raises the core's
        French error (the tab shows it in place); None when the save itself was refused."""
        from ...core.communication import check_web_address, set_web_address, web_address

        address = self.address_edit.text().strip()
        if address:
            check_web_address(address)
        if address != self.context.read(lambda s: web_address(s, edition_id)):
            saved = self.context.run(parent, "Enregistrer l'adresse de la page web",
                                     lambda s: set_web_address(s, address, edition_id))
            if saved is None:
                return None
        return address
