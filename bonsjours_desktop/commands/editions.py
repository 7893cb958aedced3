"""Edition commands: `editions list` and `editions create --name NOM [--days …] [--envelope …]`."""

from __future__ import annotations

import argparse
import datetime as dt

from ..core.errors import BonsJoursError


def register(sub, groups, common) -> None:
    editions = sub.add_parser(
        "editions", parents=[common], help="lister ou créer les éditions",
        description="Les éditions de l'opération : « list » les montre, « create » en ajoute une.",
    )
    actions = editions.add_subparsers(dest="what", metavar="ACTION", parser_class=type(editions))
    actions.required = True

    listing = actions.add_parser("list", parents=[common], help="lister les éditions (jours, statut, boutiques)")
    listing.set_defaults(handler=run_list)

    create = actions.add_parser(
        "create", parents=[common], help="créer une édition",
        description="Crée une édition. Sans --days, l'édition est créée sans jours : ils se fixent ensuite "
        "dans Fichier → Éditions… (ou après la concertation sur les dates).",
    )
    create.add_argument("--name", required=True, metavar="NOM", help="nom de l'édition (ex. « Novembre 2015 »)")
    create.add_argument("--days", metavar="AAAA-MM-JJ,AAAA-MM-JJ",
                        help="jours de l'évènement séparés par des virgules (ex. 2015-11-18,2015-11-21)")
    create.add_argument("--envelope", metavar="MONTANT", help="enveloppe budgétaire en euros (ex. 3500 ou 3 500,50)")
    create.add_argument("--theme", default="", metavar="TEXTE", help="thème de l'édition")
    create.set_defaults(handler=run_create)


def parse_days(text: str) -> list[dt.date]:
    """« 2015-11-18,2015-11-21 » (or dd/mm/yyyy) → dates; a French error naming the bad one."""
    days = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                days.append(dt.datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise BonsJoursError(f"--days : « {part} » n'est pas une date (attendu AAAA-MM-JJ, ex. 2015-11-18).")
    if not days:
        raise BonsJoursError("--days est vide : indiquez au moins une date (ex. 2015-11-18,2015-11-21).")
    return days


def run_list(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.editions import list_editions
    from ..core.formatting import date_long

    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            editions = list_editions(session)
    finally:
        db.dispose()
    if not editions:
        print(f"Aucune édition dans {db.display_name}. Créez-en une : bonsjours editions create --name NOM --days …")
        return 0
    for edition in editions:
        days = ", ".join(date_long(day) for day in edition.days) if edition.days else "jours à fixer"
        print(f"{edition.name} — {edition.status} — {days} — {edition.shop_count} boutique{'s' if edition.shop_count > 1 else ''}")
    return 0


def run_create(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.editions import create_edition
    from ..core.formatting import date_long
    from ..core.operations import OperationRunner

    days = parse_days(args.days) if args.days is not None else []
    db = open_database(args.db)
    try:
        OperationRunner(db).run(
            f"Créer l'édition « {args.name.strip()} »",
            lambda s: create_edition(s, args.name, days, theme=args.theme, budget_envelope=args.envelope,
                                     allow_no_days=not days),
        )
    finally:
        db.dispose()
    when = ", ".join(date_long(day) for day in sorted(days)) if days else "sans jours pour l'instant"
    print(f"Édition « {args.name.strip()} » créée dans {db.display_name} ({when}).")
    return 0
