"""Command line of Bons Jours: argument parsing only; calls the core, or starts the GUI."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import importlib
import logging
import os
import re
import sys
from typing import Optional, Sequence

from . import __version__
from .core.errors import BonsJoursError

log = logging.getLogger(__name__)

# Modules of bonsjours_desktop.commands, each with register(subparsers, groups).
COMMAND_MODULES = (
    "base",
    "selftest",
    "review",
    "budget",
    "documents",
    "shops",
    "planning",
    "partners",
    "editions",
    "dates",
    "geography",
    "communication",
)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3

_ARGPARSE_FR = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"argument \1 : choix invalide \2 (possibles : \3)"),
    (r"argument (\S+): expected one argument", r"l'argument \1 attend une valeur"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argument \1 : valeur invalide \3"),
    (r"argument (\S+): (.*)", r"argument \1 : \2"),
]


class FrenchHelpFormatter(argparse.HelpFormatter):
    """« utilisation : » instead of argparse's "usage: "."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        # prefix "" (argparse working out a sub-command's name) stays as it is.
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse in French: help (titles, -h, usage line) and one-line errors (exit 2)."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        parents = kwargs.pop("parents", [])
        super().__init__(*args, add_help=False, **kwargs)
        # argparse writes "title:"; the trailing space gives the French « titre : ». Set before the
        # parents' options are added, so that they join this group instead of a second « options ».
        self._positionals.title = "arguments "
        self._optionals.title = "options "
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")
        for parent in parents:
            self._add_container_actions(parent)
            defaults = getattr(parent, "_defaults", {})
            self._defaults.update(defaults)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, replacement in _ARGPARSE_FR:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.exit(EXIT_USAGE, f"bonsjours : {message} (voir « {self.prog} --help »)\n")


def parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"date « {text} » invalide (format attendu : 2013-11-01 ou 01/11/2013)")


def build_parser() -> FrenchArgumentParser:
    common = FrenchArgumentParser(add_help=False)
    # SUPPRESS: an option given before the sub-command is not reset by the sub-command's parser.
    common.add_argument("--db", default=argparse.SUPPRESS, help="fichier SQLite ou adresse SQLAlchemy (défaut : BONSJOURS_DB ou le fichier du dossier de données)")
    common.add_argument("--today", type=parse_date, default=argparse.SUPPRESS, help="date du jour forcée (AAAA-MM-JJ), pour les essais et captures")

    parser = FrenchArgumentParser(
        prog="bonsjours",
        description="Bons Jours : préparer « Les bons jours de l'occasion ». Sans commande, ouvre la fenêtre.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"Bons Jours {__version__}",
                        help="afficher la version et quitter")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    groups: dict[str, argparse._SubParsersAction] = {}
    for name, help_text in (
        ("import", "importer des données (boutiques…)"),
        ("export", "exporter des données (boutiques, planning, partenaires, budget…)"),
        ("generate", "produire des documents Word (dossiers de presse, annuaire, bilan…)"),
        ("template", "vérifier un modèle de document"),
    ):
        group_parser = sub.add_parser(name, help=help_text, parents=[common])
        groups[name] = group_parser.add_subparsers(dest="what", metavar="QUOI", parser_class=FrenchArgumentParser)
        groups[name].required = True
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(f"{__package__}.commands.{module_name}")
        module.register(sub, groups, common)
    # Groups nobody filled stay hidden rather than offering empty commands.
    for name, group in groups.items():
        if not group.choices:
            sub._choices_actions = [a for a in sub._choices_actions if a.dest != name]
            sub.choices.pop(name, None)
    return parser


_FREEZE_AT_EXIT = []  # [True] once gc.freeze is registered to run at exit


def freeze_at_exit() -> None:
    """Let the process end without Python's last cyclic collections walking every object still alive
    (modules, the communes of France, caches): gc.freeze at exit puts them out of the collector's reach.
    That walk was 0.5 s of processor time at the end of an 80 000-row import or dry run, and 0.3 s after
    exporting the demo's shops. Nothing left then needs a finaliser: each command closes its base and files itself (the
    objects are still freed by reference counting). Registered once per process, so a test calling main()
    many times only makes its own exit quicker."""
    if not _FREEZE_AT_EXIT:
        atexit.register(gc.freeze)  # after the command; atexit runs it before older handlers (logging's)
        _FREEZE_AT_EXIT.append(True)


def _refuse_empty_outputs(args: argparse.Namespace) -> None:
    """« --out "" » (an unset shell variable) is a mistake: said as such, not taken for « . » (the current
    folder) nor, for backup, for « no --out » — the same rule as « --db "" »."""
    for name, option in (("out", "--out"), ("out_dir", "--out-dir")):
        value = getattr(args, name, None)
        if isinstance(value, str) and not value.strip():
            raise BonsJoursError(f"{option} est vide : indiquez le fichier ou le dossier à écrire.")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    args.today = getattr(args, "today", None)
    from .core import clock
    from .core.logs import setup_logging

    if args.today:
        clock.set_today(args.today)
    try:
        log_path = setup_logging()
    except OSError:
        log_path = None
    handler = getattr(args, "handler", None)
    try:
        _refuse_empty_outputs(args)
        if handler is None:
            from .commands.base import run_gui

            return run_gui(args)  # Qt's own teardown at exit is left as it is
        freeze_at_exit()
        code = int(handler(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is reported like any other problem
        return code
    except BonsJoursError as exc:
        print(f"bonsjours : {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("bonsjours : interrompu.", file=sys.stderr)
        return EXIT_PROBLEM
    except BrokenPipeError:
        # Output piped into a program that stopped reading it (« | head »): not a bug. Later writes to
        # stdout (at exit) go nowhere instead of raising again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        print("bonsjours : sortie interrompue (le programme qui lisait la sortie s'est arrêté).", file=sys.stderr)
        return EXIT_PROBLEM
    except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for the user
        log.exception("Erreur inattendue")
        where = f" (détails dans {log_path})" if log_path else ""
        print(f"bonsjours : erreur inattendue : {exc}{where}", file=sys.stderr)
        return EXIT_UNEXPECTED
