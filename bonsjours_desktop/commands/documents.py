"""Document commands: generate press-kits / role-sheets / directory / bilan / delivery-sheets, template check / variables."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

KIND_CHOICES = ("press-kit", "role-sheet", "directory", "bilan", "delivery-sheet")


def register(sub, groups, common) -> None:
    generate = groups["generate"]

    def add_common(parser, folder: bool) -> None:
        parser.add_argument("--edition", required=True, metavar="NOM", help="édition (ex. « Avril 2014 »)")
        if folder:
            parser.add_argument("--out-dir", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers")
        else:
            parser.add_argument("--out", required=True, metavar="FICHIER.docx", help="fichier Word à écrire")
        parser.add_argument("--template", metavar="MODELE.docx", help="votre modèle Word (défaut : modèle fourni)")
        parser.add_argument("--pdf", action="store_true", help="écrire aussi un PDF (nécessite LibreOffice)")

    press = generate.add_parser("press-kits", parents=[common],
                                help="un dossier de presse public par zone (département, territoire, réseau)")
    add_common(press, folder=True)
    press.add_argument("--partner", metavar="NOM", help="seulement le dossier de ce partenaire (nom exact ou partie du nom)")
    press.add_argument("--eml", action="store_true",
                       help="écrire aussi un brouillon de courriel (.eml) par partenaire destinataire")
    press.add_argument("--strict", action="store_true",
                       help="refuser de produire s'il reste des conflits d'horaires les jours de l'évènement")
    press.set_defaults(handler=run_press_kits)

    roles = generate.add_parser("role-sheets", parents=[common], help="une fiche rôle (interne) par partenaire")
    add_common(roles, folder=True)
    roles.add_argument("--partner", metavar="NOM", help="seulement ce partenaire (nom exact ou partie du nom)")
    roles.add_argument("--eml", action="store_true",
                       help="écrire aussi un brouillon de courriel (.eml) par partenaire")
    roles.set_defaults(handler=run_role_sheets)

    directory = generate.add_parser("directory", parents=[common], help="l'annuaire des boutiques solidaires")
    add_common(directory, folder=False)
    directory.add_argument("--map", metavar="IMAGE.png",
                           help="image de carte à placer en couverture (défaut : la carte du département, dessinée)")
    directory.add_argument("--sans-carte", "--no-map", dest="no_map", action="store_true", help="couverture sans carte")
    directory.add_argument("--format", choices=("a5", "a4"), default="a5",
                           help="format des pages : a5 (petit annuaire, défaut) ou a4")
    directory.add_argument("--booklet", "--livret", dest="booklet", action="store_true",
                           help="avec --pdf : écrire aussi « … – livret.pdf », pages A5 imposées sur A4 pour "
                                "une impression recto verso pliée et agrafée")
    directory.set_defaults(handler=run_directory)

    bilan = generate.add_parser("bilan", parents=[common], help="le bilan de l'édition")
    add_common(bilan, folder=False)
    bilan.add_argument("--chart", action="append", default=[], metavar="IMAGE.png[=LÉGENDE]",
                       help="graphique à insérer dans la partie budget (répétable)")
    bilan.set_defaults(handler=run_bilan)

    sheets = generate.add_parser("delivery-sheets", parents=[common],
                                 help="une fiche par tournée de livraison ou de reprise (jour × territoire)")
    add_common(sheets, folder=True)
    sheets.set_defaults(handler=run_delivery_sheets)

    template = groups["template"]
    check = template.add_parser("check", parents=[common], help="vérifier un modèle Word (variables, syntaxe, balises coupées)")
    check.add_argument("file", metavar="FICHIER.docx")
    check.add_argument("--kind", choices=KIND_CHOICES, help="type de document (défaut : deviné)")
    check.set_defaults(handler=run_check)

    variables = template.add_parser("variables", parents=[common], help="lister les variables d'un type de document")
    variables.add_argument("kind", choices=KIND_CHOICES, metavar="TYPE", help=" | ".join(KIND_CHOICES))
    variables.set_defaults(handler=run_variables)


def _progress(done: int, total: int, label: str) -> None:
    if done < total:
        print(f"  [{done + 1}/{total}] {label}", file=sys.stderr)


def _report(result) -> int:
    for line in getattr(result, "warnings", []):
        print(f"À vérifier : {line}", file=sys.stderr)
    for path in result.documents + result.pdfs + getattr(result, "drafts", []):
        print(f"Écrit : {path}")
    recipients = getattr(result, "recipients", [])
    if recipients:
        print("Destinataires :")
        for name, path in recipients:
            print(f"  {name} → {path.name}")
    missing = getattr(result, "missing_email", [])
    if missing:
        print(f"Sans adresse de courriel (brouillon sans destinataire, à compléter) : {', '.join(missing)}.")
    count = len(result.documents)
    print(f"{count} document(s) Word" + (f" et {len(result.pdfs)} PDF" if result.pdfs else "")
          + (f" et {len(result.drafts)} brouillon(s) de courriel" if getattr(result, "drafts", []) else "")
          + " produit(s).")
    return 0


def _with_session(args: argparse.Namespace, action):
    from ..core.db import open_database
    from ..core.editions import find_edition

    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition = find_edition(session, args.edition)
            return action(session, edition.id)
    finally:
        db.dispose()


def _template(args) -> Path | None:
    return Path(args.template).expanduser() if args.template else None


def run_press_kits(args: argparse.Namespace) -> int:

    from ..core.documents.generate import generate_press_kits

    with tempfile.TemporaryDirectory(prefix="bonsjours-cartes-") as map_dir:
        result = _with_session(args, lambda s, eid: generate_press_kits(
            s, eid, Path(args.out_dir).expanduser(), partner=args.partner, template=_template(args), pdf=args.pdf,
            eml=args.eml, strict=args.strict, map_drawer=_map_drawer(Path(map_dir), eid), progress=_progress))
    return _report(result)


def _map_drawer(folder: Path, edition_id: int):
    """Local maps of the territory and network kits (render.geo_map, offscreen; none if Qt is unusable)."""
    import os

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    def draw(session, scope):
        try:
            from ..render.geo_map import scope_map_png

            target = folder / f"carte-{len(list(folder.iterdir()))}.png"
            return scope_map_png(session, edition_id, target, territory_id=scope.territory_id,
                                 network=scope.network or None)
        except Exception as exc:  # noqa: BLE001 - a kit without its map is better than no kit
            print(f"bonsjours : carte de « {scope.name} » non produite ({exc}).", file=sys.stderr)
            return None

    return draw


def run_role_sheets(args: argparse.Namespace) -> int:
    from ..core.documents.generate import generate_role_sheets

    result = _with_session(args, lambda s, eid: generate_role_sheets(
        s, eid, Path(args.out_dir).expanduser(), partner=args.partner, template=_template(args), pdf=args.pdf,
        eml=args.eml, progress=_progress))
    return _report(result)


def run_directory(args: argparse.Namespace) -> int:

    from ..core.documents.engine import check_image
    from ..core.documents.generate import generate_directory
    from ..core.errors import NotFoundError, ValidationError

    if args.booklet and not args.pdf:
        raise ValidationError("--booklet écrit un PDF à imprimer : ajoutez --pdf.")
    if args.booklet and args.format != "a5":
        raise ValidationError("--booklet plie des pages A5 sur des feuilles A4 : utilisez --format a5.")
    map_image = Path(args.map).expanduser() if args.map else None
    if map_image is not None and not map_image.is_file():
        raise NotFoundError(f"Image de carte introuvable : « {map_image} ».")
    if map_image is not None:
        check_image(map_image)  # before any document: unreadable or not an image, said once
    with tempfile.TemporaryDirectory(prefix="bonsjours-carte-") as folder:

        def generate(session, edition_id):
            image = map_image
            if image is None and not args.no_map:
                # the same drawing as the window's, headless (render/ makes its own offscreen application)
                from ..render.geo_map import DIRECTORY_MAP_MM, departement_map_png

                from ..core.documents.contexts import DIRECTORY_MAP_WIDTH_MM

                # drawn at its printed size: the A5 cover is narrower than the A4 one
                ratio = DIRECTORY_MAP_WIDTH_MM[args.format] / DIRECTORY_MAP_MM[0]
                size = (DIRECTORY_MAP_MM[0] * ratio, DIRECTORY_MAP_MM[1] * ratio)
                image = departement_map_png(session, Path(folder) / "carte.png", size, 300, edition_id=edition_id)
            return generate_directory(session, edition_id, Path(args.out), template=_template(args), pdf=args.pdf,
                                      map_image=image, page_format=args.format, booklet=args.booklet,
                                      progress=_progress)

        result = _with_session(args, generate)
    return _report(result)


def run_bilan(args: argparse.Namespace) -> int:
    from ..core.documents.engine import check_image
    from ..core.documents.generate import generate_bilan
    from ..core.errors import NotFoundError

    charts = []
    for spec in args.chart:
        path_text, _, caption = spec.partition("=")
        path = Path(path_text).expanduser()
        if not path.is_file():
            raise NotFoundError(f"Image de graphique introuvable : « {path} ».")
        check_image(path)
        charts.append((path, caption or path.stem))

    with tempfile.TemporaryDirectory(prefix="bonsjours-graphiques-") as chart_dir:
        def generate(session, edition_id):
            images = charts or _budget_charts(session, edition_id, Path(chart_dir))
            return generate_bilan(session, edition_id, Path(args.out), template=_template(args), pdf=args.pdf,
                                  chart_images=images, progress=_progress)

        result = _with_session(args, generate)
    return _report(result)


def _budget_charts(session, edition_id: int, folder: Path) -> list:
    """Without --chart, the bilan gets the edition's budget charts, drawn offscreen with Qt."""
    import os

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from ..render.budget_charts import budget_chart_images

        return budget_chart_images(edition_id, folder, session)
    except Exception as exc:  # noqa: BLE001 - a bilan without charts is better than no bilan
        print(f"bonsjours : graphiques du budget non produits ({exc}).")
        return []


def run_delivery_sheets(args: argparse.Namespace) -> int:
    from ..core.documents.generate import generate_delivery_sheets

    result = _with_session(args, lambda s, eid: generate_delivery_sheets(
        s, eid, Path(args.out_dir).expanduser(), template=_template(args), pdf=args.pdf, progress=_progress))
    return _report(result)


def run_check(args: argparse.Namespace) -> int:
    from ..core.documents.checks import check_template, guess_kind
    from ..core.documents.contexts import KIND_LABELS

    path = Path(args.file).expanduser()
    kind = args.kind or guess_kind(path)
    problems = check_template(path, kind)
    print(f"Modèle « {path.name} » vérifié comme : {KIND_LABELS[kind]}"
          + ("" if args.kind else " (deviné ; précisez --kind au besoin)") + ".")
    for problem in problems:
        print(f"  {problem}")
    errors = [p for p in problems if p.severity == "erreur"]
    if not problems:
        print("Aucun problème : le modèle peut être utilisé.")
    elif not errors:
        print(f"{len(problems)} avertissement(s), aucune erreur : le modèle peut être utilisé.")
    else:
        print(f"{len(errors)} erreur(s) : corrigez le modèle dans Word avant de l'utiliser.")
    return 1 if errors else 0


def run_variables(args: argparse.Namespace) -> int:
    from ..core.documents.contexts import KIND_LABELS, VARIABLES
    from ..core.documents.engine import FILTER_HELP

    print(f"Variables du modèle « {KIND_LABELS[args.kind]} » :")
    for variable in VARIABLES[args.kind]:
        example = f" (ex. {variable.example})" if variable.example else ""
        print(f"  {variable.name} — {variable.description}{example}")
    print("Filtres :")
    for name, description, example in FILTER_HELP:
        print(f"  {name} — {description} : {example}")
    return 0
