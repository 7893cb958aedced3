"""Date concertation: `dates propose|list|form|import|results|choose` (see core/concertation.py)."""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from pathlib import Path


def register(sub, groups, common) -> None:
    dates = sub.add_parser(
        "dates", parents=[common], help="choisir les dates de l'édition avec les boutiques",
        description="Concertation sur les dates : proposer des dates candidates, écrire le formulaire de "
        "réponse, importer les réponses, classer les candidats, puis choisir.",
    )
    actions = dates.add_subparsers(dest="what", metavar="ACTION", parser_class=type(dates))
    actions.required = True

    def action(name, help_text, handler, description=None):
        parser = actions.add_parser(name, parents=[common], help=help_text, description=description or help_text)
        parser.add_argument("--edition", required=True, metavar="NOM", help="nom de l'édition")
        parser.set_defaults(handler=handler)
        return parser

    propose = action("propose", "proposer des dates candidates", run_propose,
                     "Ajoute des jeux de dates candidates : « / » sépare les jours d'un candidat, « , » les "
                     "candidats. Ex. --candidates \"2014-11-12/2014-11-15,2014-11-19/2014-11-22\".")
    propose.add_argument("--candidates", required=True, metavar="DATES",
                         help="ex. 2014-11-12/2014-11-15,2014-11-19/2014-11-22")
    action("list", "lister les candidats, avec les jours fériés et vacances scolaires", run_list)
    form = action("form", "écrire le formulaire de réponse (XLSX à listes déroulantes)", run_form)
    form.add_argument("--out", required=True, metavar="FICHIER.xlsx", help="classeur à écrire")
    form.add_argument("--partners", action="store_true", help="ajouter une ligne par partenaire")
    importer = action("import", "importer les réponses d'un formulaire rempli", run_import)
    importer.add_argument("file", metavar="FICHIER", help="formulaire rempli (.xlsx ou .csv)")
    importer.add_argument("--dry-run", action="store_true", help="montrer ce qui serait importé, sans rien écrire")
    action("results", "classer les candidats (oui, puis si besoin, puis territoires couverts)", run_results)
    choose = action("choose", "faire du candidat choisi les jours de l'édition", run_choose)
    choose.add_argument("--candidate", required=True, type=int, metavar="N", help="numéro du candidat (Choix N)")


@contextmanager
def _edition(args):
    """The operation runner on --db and the id of --edition (French error if unknown); disposed after."""
    from ..core.db import open_database
    from ..core.editions import find_edition
    from ..core.operations import OperationRunner

    db = open_database(args.db, create=False)  # an edition to work on means a base that exists
    try:
        ops = OperationRunner(db)
        yield ops, ops.read(lambda s: find_edition(s, args.edition).id)
    finally:
        db.dispose()


def run_propose(args: argparse.Namespace) -> int:
    from ..core.concertation import list_candidates, parse_candidates, propose_candidates

    candidates = parse_candidates(args.candidates)
    with _edition(args) as (ops, edition_id):
        ops.run("Proposer des dates", lambda s: propose_candidates(s, edition_id, candidates))
        _print_candidates(ops.read(lambda s: list_candidates(s, edition_id)))
    return 0


def _print_candidates(candidates) -> None:
    for candidate in candidates:
        print(candidate.label + (" — retenu" if candidate.chosen else ""))
        for flag in candidate.flags:
            print(f"    ⚠ {flag}")


def run_list(args: argparse.Namespace) -> int:
    from ..core.concertation import list_candidates

    with _edition(args) as (ops, edition_id):
        candidates = ops.read(lambda s: list_candidates(s, edition_id))
    if not candidates:
        print(f"Aucune date candidate pour « {args.edition} » : bonsjours dates propose --edition … --candidates …")
    _print_candidates(candidates)
    return 0


def run_form(args: argparse.Namespace) -> int:
    from ..core.concertation import write_reply_form

    out = Path(args.out).expanduser()
    with _edition(args) as (ops, edition_id):
        rows = ops.read(lambda s: write_reply_form(s, edition_id, out, partners=args.partners))
    print(f"Formulaire écrit : {out} ({rows} ligne{'s' if rows > 1 else ''} à remplir).")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..core.concertation import apply_answers, read_answers

    with _edition(args) as (ops, edition_id):
        imported = ops.read(lambda s: read_answers(s, edition_id, args.file))
        print(f"Fichier lu : {imported.description} ; {imported.rows} ligne{'s' if imported.rows > 1 else ''} "
              "de réponses.")
        for problem in imported.problems:
            print(f"  {problem}")
        if args.dry_run:
            print(f"Essai (--dry-run), rien n'a été écrit : {len(imported.answers)} réponse(s) seraient enregistrées.")
            return 0
        changes = ops.run("Importer les réponses sur les dates", lambda s: apply_answers(s, edition_id, imported))
        print(f"{changes.value} réponse{'s' if changes.value > 1 else ''} enregistrée{'s' if changes.value > 1 else ''}"
              f" dans {ops.db.display_name}.")
    return 0


def run_results(args: argparse.Namespace) -> int:
    from ..core.concertation import ranking

    with _edition(args) as (ops, edition_id):
        ranked = ops.read(lambda s: ranking(s, edition_id))
    if not ranked:
        print(f"Aucune date candidate pour « {args.edition} ».")
        return 0
    for rank, item in enumerate(ranked, start=1):
        chosen = " — retenu" if item.candidate.chosen else ""
        print(f"{rank}. {item.candidate.label} : {item.sentence()}{chosen}")
        if item.cannot:
            print(f"    ne peuvent pas : {', '.join(item.cannot)}")
        for flag in item.candidate.flags:
            print(f"    ⚠ {flag}")
    return 0


def run_choose(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..core.concertation import candidate_label, choose_candidate, get_candidate
    from ..core.models import Edition
    from ..core.versions import snapshot

    with _edition(args) as (ops, edition_id):
        label, seen = ops.read(lambda s: (candidate_label(
            dt.date.fromisoformat(day) for day in get_candidate(s, edition_id, args.candidate).days),
            snapshot(s, Edition, edition_id)))
        changes = ops.run(f"Choisir les dates {label}",
                          lambda s: choose_candidate(s, edition_id, args.candidate, expected=seen))
    removed = changes.value
    print(f"Dates retenues pour « {args.edition} » : {label}. Le planning suit les nouveaux jours."
          + (f" {removed} animation(s) des jours retirés supprimée(s)." if removed else ""))
    return 0
