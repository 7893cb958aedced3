"""Document generation for the CLI and the GUI worker: file names, batches, progress, cancel, PDF."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from sqlalchemy.orm import Session

from ..errors import BonsJoursError, NotFoundError, ValidationError, get_or_raise
from ..resources import resource_path
from . import bilan, catalogue, common, delivery, directory, partners, press
from .engine import DocumentError, PdfUnavailableError, convert_to_pdf, find_soffice, pdf_unavailable_reason
from .engine import check_document_target, default_properties, gc_paused, render_document, safe_filename, unique_path
from .package import add_thumbnails, thumbnails_enabled
from .typography import french_typography

Progress = Callable[[int, int, str], None]
ShouldCancel = Callable[[], bool]
# Draws the local map of a press kit's scope (render/ does it with Qt); returns the PNG or None.
# (session, scope) → the scope's local map image, or None (drawn by render.geo_map, outside the core).
MapDrawer = Callable[[Session, "press.Scope"], Optional[Path]]


@dataclass
class GenerationResult:
    """What a generation wrote; cancelled is True when the user stopped a batch midway."""

    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    cancelled: bool = False
    drafts: list[Path] = field(default_factory=list)
    # Recipients whose draft has no To: (no e-mail known), to complete by hand.
    missing_email: list[str] = field(default_factory=list)
    # Hours conflicts and other things to check, one French line each (written anyway).
    warnings: list[str] = field(default_factory=list)
    # (partner, document it receives)
    recipients: list[tuple[str, Path]] = field(default_factory=list)

    @property
    def folder(self) -> Optional[Path]:
        return self.documents[0].parent if self.documents else None


def default_template(kind: str) -> Path:
    return resource_path("templates", catalogue.DEFAULT_TEMPLATES[kind])


def default_filename(kind: str, edition_name: str) -> str:
    """File name for the one-file kinds, e.g. "Annuaire des boutiques – Avril 2014.docx"."""
    label = {"directory": "Annuaire des boutiques", "bilan": "Bilan"}.get(kind, catalogue.KIND_LABELS[kind])
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


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long: said by the target's check, in French
        return False


def _docx_target(out: Path) -> Path:
    if not str(out).strip():
        raise DocumentError("Le nom du document à écrire est vide : indiquez un fichier .docx.")
    out = Path(out).expanduser()
    if _is_dir(out):
        raise DocumentError(f"« {out} » est un dossier : indiquez le nom du document .docx à écrire dedans.")
    if out.suffix.lower() != ".docx":  # « --out base.sqlite » is a slip, not « base.sqlite.docx »
        from ..io.safe_write import refuse_a_database

        try:
            refuse_a_database(out)
        except DocumentError:
            raise
        except BonsJoursError as exc:
            raise DocumentError(str(exc)) from None
        except OSError:  # a name too long: said by the target's check, in French
            pass
    if out.suffix.lower() != ".docx":
        out = out.with_name(out.name + ".docx")
    return out


def _render_job(template: Path, build: Callable[[], dict], target: Path, title: str) -> None:
    # A function of its own: the context and the rendered template are freed when it returns,
    # before the cycle collector is back on (gc_paused), so it has little left to scan.
    context = build()
    render_document(template, context, target, dataclasses.replace(default_properties(context, target),
                                                                   title=french_typography(title)))


def _run_batch(jobs: Sequence[tuple[str, Path, Callable[[], dict], str]], template: Path, pdf: bool,
               progress: Optional[Progress], should_cancel: Optional[ShouldCancel],
               kind: str) -> GenerationResult:
    """Render each (label, target, build context, title) job; between jobs, honour a cancel request.

    The title goes into the file properties; then, when LibreOffice is there, one run of it draws
    every document's first-page thumbnail."""
    from .checks import ensure_template_usable

    ensure_template_usable(template, kind)  # the check's errors stop the generation, before any file
    # Every target and its folder checked before the first document is rendered: a protected folder,
    # the backups folder or the open base is refused at once, not after minutes of work.
    probed: set[Path] = set()
    for _label, target, _build, _title in jobs:
        folder = Path(target).parent
        check_document_target(target, probe=folder not in probed)
        probed.add(folder)
    result = GenerationResult()
    total = len(jobs) + (1 if pdf and jobs else 0)
    for index, (label, target, build, title) in enumerate(jobs):
        if should_cancel is not None and should_cancel():
            result.cancelled = True
            return result
        if progress is not None:
            progress(index, total, label)
        with gc_paused():
            _render_job(template, build, target, title)
        result.documents.append(target)
    if result.documents and thumbnails_enabled(pdf) and find_soffice() is not None:
        if should_cancel is not None and should_cancel():
            result.cancelled = True
            return result
        if progress is not None:
            progress(len(jobs) - 1, total, "Vignettes des documents (LibreOffice)")
        add_thumbnails(result.documents)
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
    """(id, name) of the partners that get a press kit by default (their roles say so), or those named."""
    if partner:
        return [(o.id, o.name) for o in partners.find_organisations(session, partner)]
    recipients = press.press_recipients(session, edition_id)
    if not recipients:
        raise NotFoundError(
            "Aucun partenaire n'a de rôle dans cette édition (ni d'animateur auprès d'une boutique) : "
            "ajoutez des rôles dans l'onglet Partenaires, ou nommez un partenaire avec --partner."
        )
    return [(r.organisation_id, r.name) for r in recipients if r.receives]


def hours_problems(session: Session, edition_id: int, strict: bool) -> list[str]:
    """The edition's hours conflicts as French lines; with strict, refuse before anything is written."""
    from ..event_hours import edition_conflicts

    lines = [c.message for c in edition_conflicts(session, edition_id)]
    if lines and strict:
        raise ValidationError({"event_hours": (
            f"{len(lines)} conflit(s) d'horaires les jours de l'évènement (--strict) : rien n'a été écrit. "
            + " ".join(lines))})
    return lines


def _drafts(session: Session, kind: str, edition, result: GenerationResult, recipients, out_dir: Path,
            scope_text: Callable[[object], str]) -> None:
    """One .eml per recipient: (organisation id, name, e-mail, contact name, document) in `recipients`."""
    from . import email_drafts

    pdf_of = {p.stem: p for p in result.pdfs}
    days = common.days_short([d.day for d in edition.event_days])
    values = {"edition": edition.name, "days": days, "operation": catalogue.OPERATION_TITLE}
    template = email_drafts.body_template(session, kind)
    taken: set[str] = set()
    for recipient, document in recipients:
        attachments = [document] + ([pdf_of[document.stem]] if document.stem in pdf_of else [])
        body = email_drafts.fill(template, scope=scope_text(recipient), **values)
        subject = email_drafts.fill(email_drafts.SUBJECTS[kind], **values)
        message = email_drafts.build_draft(recipient.contact_name, recipient.email, subject, body, attachments)
        label = f"{'Courriel dossier de presse' if kind == 'press-kit' else 'Courriel fiche rôle'} – {recipient.name}"
        result.drafts.append(email_drafts.write_draft(out_dir, label, message, taken))
        if not recipient.email:
            result.missing_email.append(recipient.name)


def generate_press_kits(session: Session, edition_id: int, out_dir: Path, *,
                        organisation_ids: Optional[Sequence[int]] = None, partner: Optional[str] = None,
                        template: Optional[Path] = None, pdf: bool = False, eml: bool = False,
                        strict: bool = False, map_drawer: Optional[MapDrawer] = None,
                        progress: Optional[Progress] = None,
                        should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """One public kit per scope (the département, then each territory and network of a recipient),
    named "Dossier de presse – <édition> – <zone>.docx"; partners sharing a scope share the file."""
    template_path = _template("press-kit", template)
    _require_pdf(pdf)
    edition = common._edition(session, edition_id)
    warnings = hours_problems(session, edition_id, strict)
    data = press.press_data(session, edition_id)
    recipients = press.press_recipients(session, edition_id, data)
    data["recipients"] = recipients
    if organisation_ids is not None or partner:
        chosen = set(organisation_ids) if organisation_ids is not None else {
            o.id for o in partners.find_organisations(session, partner)}
        known = {r.organisation_id: r for r in recipients}
        extra = chosen - set(known)
        # A partner named on purpose but without a role this edition still gets the kit of its area.
        for organisation_id in extra:
            from ..models import Organisation

            organisation = get_or_raise(session, Organisation, organisation_id)
            name, email = press.main_contact(organisation, [])
            recipients.append(press.Recipient(organisation.id, organisation.name, organisation.kind, True,
                                              press.scope_of(organisation, data), email, name, ""))
    else:
        chosen = {r.organisation_id for r in recipients if r.receives}
    scopes = press.kit_scopes(recipients, data, chosen)
    if not edition.press_contact_id:
        warnings.append("Aucun contact presse n'est choisi pour l'édition (onglet Documents) : les dossiers "
                        "donnent le contact du Département.")
    taken: set[str] = set()
    jobs = []
    paths: dict[str, Path] = {}

    def build(scope: press.Scope) -> dict:
        image = None
        if map_drawer is not None and scope.kind != press.DEPARTEMENT and press.scope_points(
                session, edition_id, scope, data):
            image = map_drawer(session, scope)
        return press.press_kit_context(session, edition_id, scope, data, image)

    for scope in scopes:
        filename = safe_filename(f"Dossier de presse – {edition.name} – {scope.file_label}", ".docx")
        paths[scope.key] = unique_path(Path(out_dir), filename, taken)
        jobs.append((scope.file_label, paths[scope.key], lambda sc=scope: build(sc),
                     f"Dossier de presse – {edition.name} – {scope.file_label}"))
    result = _run_batch(jobs, template_path, pdf, progress, should_cancel, "press-kit")
    result.warnings = warnings
    written = set(result.documents)
    result.recipients = [(r.name, paths[r.scope.key]) for r in recipients
                         if r.organisation_id in chosen and paths.get(r.scope.key) in written]
    if eml and not result.cancelled:
        by_name = [(r, paths[r.scope.key]) for r in recipients
                   if r.organisation_id in chosen and paths.get(r.scope.key) in written]
        _drafts(session, "press-kit", edition, result, by_name, Path(out_dir), lambda r: r.scope.label)
    return result


def generate_role_sheets(session: Session, edition_id: int, out_dir: Path, *,
                         organisation_ids: Optional[Sequence[int]] = None, partner: Optional[str] = None,
                         template: Optional[Path] = None, pdf: bool = False, eml: bool = False,
                         progress: Optional[Progress] = None,
                         should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """One internal sheet per partner, "Fiche rôle – <édition> – <partenaire>.docx"."""
    from ..models import Organisation
    from . import role_sheets

    template_path = _template("role-sheet", template)
    _require_pdf(pdf)
    edition = common._edition(session, edition_id)
    if organisation_ids is not None:
        organisations = []
        for organisation_id in organisation_ids:
            organisations.append(get_or_raise(session, Organisation, organisation_id))
    else:
        organisations = role_sheets.role_sheet_partners(session, edition_id, partner)
    data = partners.press_kit_shared(session, edition_id)
    taken: set[str] = set()
    jobs = []
    targets = []
    for organisation in organisations:
        target = unique_path(Path(out_dir), safe_filename(f"Fiche rôle – {edition.name} – {organisation.name}",
                                                          ".docx"), taken)
        targets.append((organisation, target))
        jobs.append((organisation.name, target,
                     lambda oid=organisation.id: role_sheets.role_sheet_context(session, edition_id, oid, data),
                     f"Fiche rôle – {edition.name} – {organisation.name}"))
    result = _run_batch(jobs, template_path, pdf, progress, should_cancel, "role-sheet")
    written = set(result.documents)
    result.recipients = [(o.name, t) for o, t in targets if t in written]
    if eml and not result.cancelled:
        drafts = []
        for organisation, target in targets:
            if target not in written:
                continue
            name, email = press.main_contact(organisation, data["roles"].get(organisation.id, []))
            drafts.append((press.Recipient(organisation.id, organisation.name, organisation.kind, True,
                                           press.departement_scope({"departement_name": ""}), email, name, ""),
                           target))
        _drafts(session, "role-sheet", edition, result, drafts, Path(out_dir), lambda r: "")
    return result


def generate_directory(session: Session, edition_id: int, out: Path, *, template: Optional[Path] = None,
                       pdf: bool = False, map_image: Optional[Path] = None, page_format: str = "a5",
                       booklet: bool = False, progress: Optional[Progress] = None,
                       should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """The directory, an A5 booklet by default (page_format "a4" for A4 pages). With booklet (and
    pdf), also "<name> – livret.pdf": the A5 pages imposed on A4 sheets for saddle-stitch printing."""
    if page_format not in catalogue.PAGE_FORMATS:
        raise DocumentError(f"Format de page inconnu « {page_format} » : a5 ou a4.")
    if booklet and not pdf:
        raise DocumentError("Le livret à imprimer est un PDF : demandez aussi le PDF (--pdf).")
    if booklet and page_format != "a5":
        raise DocumentError("Le livret plie des pages A5 sur des feuilles A4 : choisissez le format a5.")
    if template is None and page_format == "a4":
        template = resource_path("templates", catalogue.DIRECTORY_A4_TEMPLATE)
    template_path = _template("directory", template)
    _require_pdf(pdf)
    target = _docx_target(out)
    edition = common._edition(session, edition_id)
    result = _run_batch([("Annuaire des boutiques", target,
                          lambda: directory.directory_context(session, edition_id, map_image, page_format),
                          f"Annuaire des boutiques – {edition.name}")],
                        template_path, pdf, progress, should_cancel, "directory")
    if booklet and result.pdfs and not result.cancelled:
        from .booklet import impose_booklet

        pdf_path = result.pdfs[0]
        result.pdfs.append(impose_booklet(pdf_path, pdf_path.with_name(f"{pdf_path.stem} – livret.pdf")))
    return result


def generate_bilan(session: Session, edition_id: int, out: Path, *, template: Optional[Path] = None,
                   pdf: bool = False, chart_images: Sequence[tuple[Path, str]] = (),
                   progress: Optional[Progress] = None,
                   should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    template_path = _template("bilan", template)
    _require_pdf(pdf)
    target = _docx_target(out)
    edition = common._edition(session, edition_id)
    return _run_batch([("Bilan de l'édition", target,
                        lambda: bilan.bilan_context(session, edition_id, chart_images),
                        f"Bilan – {edition.name}")],
                      template_path, pdf, progress, should_cancel, "bilan")


def generate_delivery_sheets(session: Session, edition_id: int, out_dir: Path, *,
                             template: Optional[Path] = None, pdf: bool = False,
                             progress: Optional[Progress] = None,
                             should_cancel: Optional[ShouldCancel] = None) -> GenerationResult:
    """One sheet per round (delivery day × territory), "Tournée – <jour> – <territoire>.docx"."""
    template_path = _template("delivery-sheet", template)
    _require_pdf(pdf)
    edition = common._edition(session, edition_id)
    rounds = delivery.delivery_rounds(session, edition_id)
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
                     lambda k=key: delivery.delivery_sheet_context(session, edition_id, k, rounds),
                     f"Fiche de tournée – {edition.name} – {key.label}"))
    return _run_batch(jobs, template_path, pdf, progress, should_cancel, "delivery-sheet")
