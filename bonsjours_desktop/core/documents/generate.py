"""Document generation for the CLI and the GUI worker: file names, batches, progress, cancel, PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from sqlalchemy.orm import Session

from ..errors import NotFoundError, get_or_raise
from ..resources import resource_path
from . import contexts
from .engine import DocumentError, PdfUnavailableError, convert_to_pdf, find_soffice, pdf_unavailable_reason
from .engine import render_document, safe_filename, unique_path

Progress = Callable[[int, int, str], None]
ShouldCancel = Callable[[], bool]


@dataclass
class GenerationResult:
    """What a generation wrote; cancelled is True when the user stopped a batch midway."""

    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    cancelled: bool = False

    @property
    def folder(self) -> Optional[Path]:
        return self.documents[0].parent if self.documents else None


def default_template(kind: str) -> Path:
    return resource_path("templates", contexts.DEFAULT_TEMPLATES[kind])


def default_filename(kind: str, edition_name: str) -> str:
    """File name for the one-file kinds, e.g. "Annuaire des boutiques – Avril 2014.docx"."""
    label = {"directory": "Annuaire des boutiques", "bilan": "Bilan"}.get(kind, contexts.KIND_LABELS[kind])
    return safe_filename(f"{label} – {edition_name}", ".docx")


def _template(kind: str, template: Optional[Path]) -> Path:
    path = Path(template) if template else default_template(kind)
    if not path.is_file():
        raise DocumentError(f"Modèle introuvable : « {path} ».")
    if path.suffix.lower() != ".docx":
        raise DocumentError(f"Le modèle « {path.name} » doit être un document Word .docx.")
    return path


def _require_pdf(pdf: bool) -> None:
    if pdf and find_soffice() is None:
        raise PdfUnavailableError(pdf_unavailable_reason())


def _docx_target(out: Path) -> Path:
    out = Path(out).expanduser()
    if out.suffix.lower() != ".docx":
        out = out.with_name(out.name + ".docx")
    return out


def _run_batch(jobs: Sequence[tuple[str, Path, Callable[[], dict]]], template: Path, pdf: bool,
               progress: Optional[Progress], should_cancel: Optional[ShouldCancel]) -> GenerationResult:
    """Render each (label, target, build context) job; between jobs, honour a cancel request."""
    result = GenerationResult()
    total = len(jobs) + (1 if pdf and jobs else 0)
    for index, (label, target, build) in enumerate(jobs):
        if should_cancel is not None and should_cancel():
            result.cancelled = True
            return result
        if progress is not None:
            progress(index, total, label)
        render_document(template, build(), target)
        result.documents.append(target)
    if pdf and result.documents:
        if should_cancel is not None and should_cancel():
            result.cancelled = True
            return result
        if progress is not None:
            progress(len(jobs), total, "Conversion en PDF avec LibreOffice")
        result.pdfs = convert_to_pdf(result.documents)
    if progress is not None:
        progress(total, total, "Terminé")
    return result


def press_kit_partners(session: Session, edition_id: int, partner: Optional[str] = None) -> list[tuple[int, str]]:
    """(id, name) of the partners that get a press kit: the edition's partners, or those named."""
    if partner:
        organisations = contexts.find_organisations(session, partner)
    else:
        organisations = contexts.edition_partners(session, edition_id)
        if not organisations:
            raise NotFoundError(
                "Aucun partenaire n'a de rôle dans cette édition (ni d'animateur auprès d'une boutique) : "
                "ajoutez des rôles dans l'onglet Partenaires, ou nommez un partenaire avec --partner."
            )
    return [(o.id, o.name) for o in organisations]


def generate_press_kits(session: Session, edition_id: int, out_dir: Path, *,
                        organisation_ids: Optional[Sequence[int]] = None, partner: Optional[str] = None,
                        template: Optional[Path] = None, pdf: bool = False,
                        progress: Optional[Progress] = None,
                        should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """One press kit per partner in out_dir, named "Dossier de presse – <édition> – <partenaire>.docx"."""
    template_path = _template("press-kit", template)
    _require_pdf(pdf)
    edition = contexts._edition(session, edition_id)
    if organisation_ids is None:
        partners = press_kit_partners(session, edition_id, partner)
    else:
        from ..models import Organisation

        partners = []
        for organisation_id in organisation_ids:
            organisation = get_or_raise(session, Organisation, organisation_id)
            partners.append((organisation.id, organisation.name))
    taken: set[str] = set()
    jobs = []
    shared: dict = {}

    def build(organisation_id: int) -> dict:
        if not shared:
            shared.update(contexts.press_kit_shared(session, edition_id))
        return contexts.press_kit_context(session, edition_id, organisation_id, shared)

    for organisation_id, name in partners:
        filename = safe_filename(f"Dossier de presse – {edition.name} – {name}", ".docx")
        jobs.append((name, unique_path(Path(out_dir), filename, taken),
                     lambda oid=organisation_id: build(oid)))
    return _run_batch(jobs, template_path, pdf, progress, should_cancel)


def generate_directory(session: Session, edition_id: int, out: Path, *, template: Optional[Path] = None,
                       pdf: bool = False, map_image: Optional[Path] = None,
                       progress: Optional[Progress] = None,
                       should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    template_path = _template("directory", template)
    _require_pdf(pdf)
    target = _docx_target(out)
    return _run_batch([("Annuaire des boutiques", target,
                        lambda: contexts.directory_context(session, edition_id, map_image))],
                      template_path, pdf, progress, should_cancel)


def generate_bilan(session: Session, edition_id: int, out: Path, *, template: Optional[Path] = None,
                   pdf: bool = False, chart_images: Sequence[tuple[Path, str]] = (),
                   progress: Optional[Progress] = None,
                   should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    template_path = _template("bilan", template)
    _require_pdf(pdf)
    target = _docx_target(out)
    return _run_batch([("Bilan de l'édition", target,
                        lambda: contexts.bilan_context(session, edition_id, chart_images))],
                      template_path, pdf, progress, should_cancel)


def generate_delivery_sheets(session: Session, edition_id: int, out_dir: Path, *,
                             template: Optional[Path] = None, pdf: bool = False,
                             progress: Optional[Progress] = None,
                             should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """One sheet per round (delivery day × territory), "Tournée – <jour> – <territoire>.docx"."""
    template_path = _template("delivery-sheet", template)
    _require_pdf(pdf)
    edition = contexts._edition(session, edition_id)
    rounds = contexts.delivery_rounds(session, edition_id)
    if not rounds:
        raise NotFoundError(
            f"Aucune livraison ni reprise n'est prévue pour l'édition « {edition.name} » : "
            "saisissez les prêts et les livraisons dans l'onglet Logistique."
        )
    taken: set[str] = set()
    jobs = []
    for key in rounds:
        when = key.day.isoformat() if key.day else "date à fixer"
        filename = safe_filename(f"Tournée – {when} – {key.territory}", ".docx")
        jobs.append((key.label, unique_path(Path(out_dir), filename, taken),
                     lambda k=key: contexts.delivery_sheet_context(session, edition_id, k, rounds)))
    return _run_batch(jobs, template_path, pdf, progress, should_cancel)
