"""Budget commands: export budget (xlsx/csv) and export budget-charts (PNG)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub, groups, common) -> None:
    export = groups["export"].add_parser(
        "budget", parents=[common], help="exporter le budget d'une édition (xlsx ou csv pour Excel)",
    )
    export.add_argument("--edition", metavar="NOM", help="nom de l'édition (défaut : l'édition en cours)")
    export.add_argument("--format", choices=["xlsx", "csv"], help="format (défaut : d'après l'extension du fichier)")
    export.add_argument("--out", metavar="FICHIER", required=True, help="fichier à écrire (.xlsx ou .csv)")
    export.add_argument("--frais-generaux", dest="include_overheads", action="store_true",
                        help="compter les frais généraux dans les totaux")
    export.set_defaults(handler=run_export_budget)

    charts = groups["export"].add_parser(
        "budget-charts", parents=[common], help="enregistrer les graphiques du budget en images PNG",
    )
    charts.add_argument("--edition", metavar="NOM", help="nom de l'édition (défaut : l'édition en cours)")
    charts.add_argument("--out", metavar="DOSSIER", required=True, help="dossier où écrire les PNG")
    charts.add_argument("--frais-generaux", dest="include_overheads", action="store_true",
                        help="compter les frais généraux dans les graphiques")
    charts.set_defaults(handler=run_export_charts)


def _edition_id(session, name) -> int:
    from ..core import clock
    from ..core.editions import current_edition_id, find_edition
    from ..core.errors import NotFoundError

    if name:
        return find_edition(session, name).id
    edition_id = current_edition_id(session, clock.today())
    if edition_id is None:
        raise NotFoundError("Aucune édition dans la base : créez-en une ou chargez l'exemple (bonsjours demo).")
    return edition_id


def run_export_budget(args: argparse.Namespace) -> int:
    from ..core.budget import budget_summary
    from ..core.db import open_database
    from ..core.formatting import money
    from ..core.io.budget_io import export_budget, export_format

    out = Path(args.out).expanduser()
    export_format(out, args.format)  # refuse a bad extension before opening anything
    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition_id = _edition_id(session, args.edition)
            export_budget(session, edition_id, out, args.format, args.include_overheads)
            summary = budget_summary(session, edition_id, args.include_overheads)
    finally:
        db.dispose()
    scope = ("frais généraux inclus" if args.include_overheads
             else f"hors frais généraux, comptés à part : {money(summary.overheads_ttc)}")
    remaining = (f", reste sur l'enveloppe {money(summary.remaining)}" if summary.remaining is not None
                 else ", enveloppe non définie")
    print(
        f"Budget « {summary.edition_name} » exporté dans {out} : {len(summary.lines)} ligne(s), "
        f"total TTC {money(summary.total_ttc)} ({scope}), dépensé (engagé + facturé + payé) "
        f"{money(summary.spent)}{remaining}."
    )
    if summary.warning:
        print(summary.warning)
    return 0


def run_export_charts(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..render.budget_charts import save_budget_charts

    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition_id = _edition_id(session, args.edition)
        paths = save_budget_charts(edition_id, Path(args.out).expanduser(), db,
                                   include_overheads=args.include_overheads)
    finally:
        db.dispose()
    for path in paths.values():
        print(f"Graphique enregistré : {path}")
    return 0
