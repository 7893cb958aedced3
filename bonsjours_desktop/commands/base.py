"""Base commands: gui (default), init, demo, check, backup."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub, groups, common) -> None:
    gui = sub.add_parser("gui", help="ouvrir la fenêtre (par défaut)", parents=[common])
    gui.add_argument("--screenshot", metavar="FICHIER.png", help="enregistrer une capture de la fenêtre puis quitter")
    gui.add_argument("--tab", metavar="ONGLET", help="onglet à afficher, par son titre (ex. Planning)")
    gui.add_argument("--size", metavar="LxH", default="1366x768", help="taille de la fenêtre pour la capture")
    gui.set_defaults(handler=run_gui)

    init = sub.add_parser(
        "init", parents=[common], help="préparer une base vide (tables et données de référence)",
        description="Prépare une base vide : une base PostgreSQL que l'administrateur vient de créer (Bons Jours ne "
        "la remplit jamais sans qu'on le lui demande), ou un nouveau fichier SQLite. Une base déjà prête n'est pas "
        "modifiée.")
    init.set_defaults(handler=run_init)

    demo = sub.add_parser("demo", help="remplir la base avec l'exemple du Maine-et-Loire 2013–2014", parents=[common])
    demo.set_defaults(handler=run_demo)

    check = sub.add_parser("check", help="vérifier l'intégrité de la base", parents=[common])
    check.set_defaults(handler=run_check)

    backup = sub.add_parser("backup", help="sauvegarder la base dans un fichier", parents=[common])
    backup.add_argument("--out", metavar="FICHIER", help="fichier de sauvegarde (défaut : dossier des sauvegardes)")
    backup.add_argument("--list", action="store_true", help="lister les sauvegardes automatiques de la base")
    backup.set_defaults(handler=run_backup)

    restore = sub.add_parser("restore", help="remettre une sauvegarde à la place de la base (la base actuelle est d'abord sauvegardée)", parents=[common])
    restore.add_argument("file", metavar="FICHIER", help="fichier de sauvegarde à remettre")
    restore.set_defaults(handler=run_restore)


def run_gui(args: argparse.Namespace) -> int:
    from ..ui.app import run

    return run(
        db_target=getattr(args, "db", None),
        screenshot=getattr(args, "screenshot", None),
        tab=getattr(args, "tab", None),
        size=getattr(args, "size", None),
    )


def run_init(args: argparse.Namespace) -> int:
    from ..core.db import EmptyDatabaseError, open_database, resolve_url, sqlite_path

    path = sqlite_path(resolve_url(args.db))
    created = path is not None and (not path.exists() or path.stat().st_size == 0)
    try:
        db = open_database(args.db)
    except EmptyDatabaseError:
        db = open_database(args.db, initialise=True)
        created = True
    db.dispose()
    if created:
        print(f"Base {db.display_name} préparée : tables créées et données de référence ajoutées.")
    else:
        print(f"La base {db.display_name} était déjà initialisée : elle est prête.")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.demo import load_demo
    from ..core.operations import OperationRunner

    db = open_database(args.db)
    try:
        changes = OperationRunner(db).run("Charger l'exemple", lambda s: load_demo(s) and None, undoable=False)
    finally:
        db.dispose()
    if changes:
        print(f"Exemple du Maine-et-Loire chargé dans {db.display_name}.")
    else:
        print(f"L'exemple était déjà dans {db.display_name} : rien n'a été ajouté.")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ..core.db import integrity_problems, open_database

    db = open_database(args.db, migrate=False, create=False)
    try:
        problems = integrity_problems(db)
    finally:
        db.dispose()
    if problems:
        for problem in problems:
            print(f"bonsjours : {problem}")
        return 1
    print(f"Base {db.display_name} : intégrité vérifiée, aucun problème.")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from ..core.db import make_backup, open_database, save_copy
    from ..core.errors import DatabaseFileError

    if args.list:
        return list_backups_command(args)
    db = open_database(args.db, migrate=False, create=False)
    try:
        if db.path is None:
            raise DatabaseFileError("La sauvegarde par Bons Jours concerne les bases SQLite ; pour un serveur, utilisez ses outils (pg_dump).")
        if args.out is not None:  # « --out "" » is a mistake, not the default backup
            destination = save_copy(db, args.out)
        else:
            destination = make_backup(db.path)
    finally:
        db.dispose()
    print(f"Sauvegarde écrite : {destination}")
    return 0


def list_backups_command(args: argparse.Namespace) -> int:
    from ..core.db import list_backups, resolve_url, sqlite_path

    path = sqlite_path(resolve_url(args.db))
    backups = list_backups(path)
    if not backups:
        print("Aucune sauvegarde automatique pour cette base.")
        return 0
    for backup in backups:
        print(backup)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from ..core.db import resolve_url, restore_backup, sqlite_path
    from ..core.errors import DatabaseFileError
    from ..core.instance_lock import InstanceLock

    path = sqlite_path(resolve_url(args.db))
    if path is None:
        raise DatabaseFileError("La restauration par Bons Jours concerne les bases SQLite locales.")
    with InstanceLock(path):  # refuses while a Bons Jours window has the file open
        safety = restore_backup(Path(args.file), path)
    print(f"Sauvegarde « {Path(args.file).name} » remise en place dans {path}.")
    if safety is not None:
        print(f"L'ancienne base a d'abord été sauvegardée : {safety}")
    return 0
