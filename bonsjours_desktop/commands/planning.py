"""Planning commands: export an edition's planning as PNG, PDF, iCalendar or CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("png", "pdf", "ics", "csv")


def register(sub, groups, common) -> None:
    export = groups["export"].add_parser(
        "planning", parents=[common],
        help="exporter le planning d'une édition (png, pdf A4 ou A3 paysage, ics pour les agendas, csv)",
    )
    export.add_argument("--edition", required=True, metavar="NOM", help="nom de l'édition (ex. « Novembre 2013 »)")
    export.add_argument("--format", choices=FORMATS, help="format ; par défaut celui de l'extension de --out")
    export.add_argument("--out", required=True, metavar="FICHIER", help="fichier à écrire")
    export.add_argument("--group-by", choices=("owner", "phase", "none"), default="owner",
                        help="regroupement des lignes du diagramme (png, pdf) : responsable, phase ou aucun")
    export.add_argument("--critical", action="store_true", help="souligner la chaîne critique (png, pdf)")
    export.add_argument("--paper", choices=("a4", "a3"), default="a4",
                        help="format du papier du PDF, en paysage : a4 (par défaut) ou a3")
    export.set_defaults(handler=run_export_planning)


def run_export_planning(args: argparse.Namespace) -> int:
    from ..core import clock
    from ..core.db import open_database
    from ..core.editions import find_edition
    from ..core.errors import ValidationError
    from ..core.planning import planning_snapshot

    target = Path(args.out).expanduser()
    fmt = args.format or target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(
            {"format": f"Format « {fmt or '?'} » inconnu : précisez --format parmi {', '.join(FORMATS)}."}
        )
    if not target.parent.exists():
        raise ValidationError({"out": f"Le dossier « {target.parent} » n'existe pas."})
    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition = find_edition(session, args.edition)
            snapshot = planning_snapshot(session, edition.id)
    finally:
        db.dispose()
    try:
        if fmt in ("png", "pdf"):
            # Qt only for the chart formats, imported here so ics/csv never load it.
            from ..render import gantt_print

            if fmt == "png":
                result = gantt_print.render_png(snapshot, target, clock.today(), args.group_by, args.critical)
            else:
                result = gantt_print.render_pdf(snapshot, target, clock.today(), args.group_by, args.critical,
                                                paper=args.paper)
        else:
            from ..core.io import planning_io

            writer = planning_io.write_ics if fmt == "ics" else planning_io.write_csv
            result = writer(snapshot, target)
    except OSError as exc:
        raise ValidationError({"out": f"Impossible d'écrire « {target} » : {exc.strerror or exc}."}) from None
    count = len(snapshot.tasks)
    tasks = f"{count} tâche{'s' if count > 1 else ''}" if count else "aucune tâche"
    pages = f", {result} page{'s' if result > 1 else ''} {args.paper.upper()}" if fmt == "pdf" else ""
    print(f"Planning « {snapshot.edition_name} » exporté ({tasks}{pages}) : {target}")
    return 0
