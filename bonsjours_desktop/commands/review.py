"""Review commands: the dashboard as text, the comparison of editions as CSV, the comparison charts as PNG."""

from __future__ import annotations

import argparse
from typing import Optional


def register(sub, groups, common) -> None:
    board = sub.add_parser(
        "dashboard", parents=[common],
        help="afficher le tableau de bord (compte à rebours, retards, budget, manques) ; --today pour une autre date",
    )
    board.add_argument("--edition", metavar="NOM", help="édition suivie (défaut : l'édition en cours à la date du jour)")
    board.set_defaults(handler=run_dashboard)

    comparison = groups["export"].add_parser(
        "comparison", parents=[common], help="comparaison des éditions (boutiques, visiteurs, coûts) en CSV"
    )
    comparison.add_argument("--out", metavar="FICHIER.csv", required=True, help="fichier CSV à écrire (séparateur ;)")
    comparison.set_defaults(handler=run_export_comparison)

    charts = groups["export"].add_parser(
        "review-charts", parents=[common], help="graphiques de comparaison des éditions en images PNG"
    )
    charts.add_argument("--out-dir", metavar="DOSSIER", required=True, help="dossier où écrire les quatre PNG")
    charts.add_argument("--width", type=int, default=1000, help="largeur des images en pixels (défaut : 1000)")
    charts.set_defaults(handler=run_export_charts)


def _edition_id(session, name: Optional[str]) -> Optional[int]:
    from ..core import clock
    from ..core.editions import current_edition_id, find_edition

    if name:
        return find_edition(session, name).id
    return current_edition_id(session, clock.today())


def run_dashboard(args: argparse.Namespace) -> int:
    from ..core import clock
    from ..core.db import open_database
    from ..core.operations import OperationRunner
    from ..core.dashboard import dashboard

    db = open_database(args.db, create=False)
    try:
        today = clock.today()
        data = OperationRunner(db).read(lambda s: dashboard(s, today, _edition_id(s, args.edition)))
    finally:
        db.dispose()
    print(data.countdown.text if data.countdown else "Aucune journée prévue.")
    if data.edition_name:
        print(f"Édition suivie : {data.edition_name}")
    for title, rows in data.sections():
        print()
        print(f"{title} ({len(rows)})")
        for row in rows:
            print(f"  - {row.text} — {row.detail}" if row.detail else f"  - {row.text}")
        if not rows:
            print("  Rien à signaler.")
    return 0


def _decimal(value) -> str:
    return "" if value is None else f"{value:f}".replace(".", ",")


def run_export_comparison(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.operations import OperationRunner
    from ..core.comparison import compare_editions

    db = open_database(args.db, create=False)
    try:
        comparisons = OperationRunner(db).read(compare_editions)
    finally:
        db.dispose()
    from ..core.io.safe_write import atomic_write, check_output_target

    target = check_output_target(args.out)
    header = ["Édition", "Première journée", "Boutiques", "Visiteurs", "Ventes (€)", "Dépenses TTC (€)",
              "Coût par boutique (€)", "Coût par visiteur (€)", "Articles de presse", "Annuaires distribués"]
    import io

    from ..core.io.spreadsheet import french_csv_writer

    # utf-8-sig and ";" so that a French spreadsheet opens it with accents and decimal commas right.
    buffer = io.StringIO(newline="")
    writer = french_csv_writer(buffer)
    writer.writerow(header)
    for c in comparisons:
        writer.writerow([
            c.name, c.first_day.strftime("%d/%m/%Y") if c.first_day else "", c.shops,
            c.visitors if c.visitors_known else "", _decimal(c.sales),
            _decimal(c.total_ttc) if c.has_budget else "", _decimal(c.cost_per_shop),
            _decimal(c.cost_per_visitor), "" if c.press_articles is None else c.press_articles,
            "" if c.booklets_distributed is None else c.booklets_distributed,
        ])
    atomic_write(target, buffer.getvalue(), encoding="utf-8-sig")
    print(f"Comparaison de {len(comparisons)} édition(s) écrite : {target}")
    return 0


def run_export_charts(args: argparse.Namespace) -> int:
    import os

    from ..core.db import open_database
    from ..core.errors import BonsJoursError
    from ..core.operations import OperationRunner
    from ..core.comparison import compare_editions

    if args.width < 200 or args.width > 8000:
        raise BonsJoursError(f"Largeur {args.width} invalide : indiquez entre 200 et 8000 pixels.")
    db = open_database(args.db, create=False)
    try:
        comparisons = OperationRunner(db).read(compare_editions)
    finally:
        db.dispose()
    # Drawing needs Qt but no screen: render offscreen unless a platform was chosen explicitly.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..render.comparison_charts import render_comparison_pngs
    from ..render.headless import ensure_application

    ensure_application()
    from ..core.io.safe_write import check_output_folder

    paths = render_comparison_pngs(comparisons, check_output_folder(args.out_dir), width=args.width, height=args.width * 9 // 16)
    for path in paths:
        print(f"Graphique écrit : {path}")
    return 0
