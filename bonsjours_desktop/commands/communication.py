"""Communication-kit commands: generate posters / banners / website (the public page and its map)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub, groups, common) -> None:
    generate = groups["generate"]

    def add_common(parser) -> None:
        parser.add_argument("--edition", required=True, metavar="NOM", help="édition (ex. « Avril 2014 »)")
        parser.add_argument("--out-dir", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers")

    posters = generate.add_parser("posters", parents=[common],
                                  help="les affiches (PDF) : une par territoire et une pour le département")
    add_common(posters)
    posters.add_argument("--size", choices=("a3", "a4", "abribus"), default="a3",
                         help="format : a3 (défaut), a4, abribus (120 × 176 cm, fond perdu de 5 mm)")
    posters.add_argument("--url", metavar="ADRESSE",
                         help="adresse de la page web pour le QR code (défaut : celle enregistrée pour l'édition)")
    posters.add_argument("--remember-url", action="store_true",
                         help="enregistrer --url comme adresse de la page web de l'édition")
    posters.set_defaults(handler=run_posters)

    banners = generate.add_parser("banners", parents=[common],
                                  help="les bannières web (PNG 728 × 90, 300 × 250, 1200 × 628)")
    add_common(banners)
    banners.set_defaults(handler=run_banners)

    website = generate.add_parser("website", parents=[common],
                                  help="la page web « Local et solidaire » (index.html, carte, GeoJSON, agenda .ics)")
    add_common(website)
    website.add_argument("--url", metavar="ADRESSE", help="adresse où la page sera publiée (cité dans l'agenda)")
    website.set_defaults(handler=run_website)


def _offscreen() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _progress(done: int, total: int, label: str) -> None:
    if done < total:
        print(f"  [{done + 1}/{total}] {label}", file=sys.stderr)


def _run(args: argparse.Namespace, action, remember_url: str = ""):
    from ..core.db import open_database
    from ..core.editions import find_edition

    db = open_database(args.db, create=False)
    try:
        if remember_url:
            from ..core.communication import set_web_address
            from ..core.operations import OperationRunner

            OperationRunner(db).run("Adresse de la page web", lambda s: set_web_address(
                s, remember_url, find_edition(s, args.edition).id), undoable=False)
        with db.session() as session:
            edition = find_edition(session, args.edition)
            return action(session, edition.id)
    finally:
        db.dispose()


def _report(result, noun: str) -> int:
    for line in result.warnings:
        print(f"À vérifier : {line}", file=sys.stderr)
    for path in result.files:
        print(f"Écrit : {path}")
    print(f"{len(result.files)} {noun} produit(s).")
    return 0


def run_posters(args: argparse.Namespace) -> int:
    _offscreen()
    from ..core.communication import check_web_address
    from ..render.posters import generate_posters

    if args.url is not None:
        check_web_address(args.url)  # before any work: one French line for a mistyped address
    result = _run(args, lambda s, eid: generate_posters(s, eid, Path(args.out_dir), args.size, args.url,
                                                         progress=_progress),
                  remember_url=args.url if args.remember_url and args.url else "")
    return _report(result, "affiche(s)")


def run_banners(args: argparse.Namespace) -> int:
    _offscreen()
    from ..render.posters import generate_banners

    return _report(_run(args, lambda s, eid: generate_banners(s, eid, Path(args.out_dir))), "bannière(s)")


def run_website(args: argparse.Namespace) -> int:
    from ..core.communication import check_web_address
    from ..core.io.website import generate_website

    if args.url is not None:
        check_web_address(args.url)
    result = _run(args, lambda s, eid: generate_website(s, eid, Path(args.out_dir), args.url))
    for line in result.warnings:
        print(f"À vérifier : {line}", file=sys.stderr)
    for path in result.files:
        print(f"Écrit : {path}")
    print(f"Page web écrite : ouvrez {result.files[0]} dans un navigateur, ou copiez le dossier tel quel sur le site.")
    return 0
