"""Shop commands: `import shops FILE` and `export shops --format csv|xlsx|geojson --out FILE`."""

from __future__ import annotations

import argparse
import sys

from ..core.formatting import count


def register(sub, groups, common) -> None:
    importer = groups["import"].add_parser(
        "shops", parents=[common], help="importer des boutiques depuis un CSV ou un classeur (XLSX, XLS, ODS)",
        description="Importe des boutiques (CSV séparé par ; , ou tabulation, en UTF-8, Windows-1252 ou UTF-16 ; "
        "classeur XLSX, XLS ou ODS ; ligne d'en-tête cherchée sous les titres, cellules fusionnées comprises). "
        "Une boutique déjà connue (même nom et même commune) est mise à jour. Si une ligne est invalide, "
        "rien n'est importé, sauf avec --skip-invalid. Sur un terminal, la progression s'affiche sur une ligne ; "
        "Ctrl+C n'écrit rien.",
    )
    importer.add_argument("file", metavar="FICHIER", help="fichier .csv, .xlsx, .xls ou .ods")
    importer.add_argument("--dry-run", action="store_true", help="vérifier et montrer ce qui serait fait, sans rien écrire")
    importer.add_argument("--skip-invalid", action="store_true", help="importer les lignes valides et ignorer les autres")
    importer.set_defaults(handler=run_import)

    exporter = groups["export"].add_parser(
        "shops", parents=[common], help="exporter les boutiques en CSV, XLSX ou GeoJSON",
        description="Exporte les boutiques : CSV pour Excel (UTF-8 avec BOM, « ; »), XLSX, ou GeoJSON pour "
        "uMap et la carte du Département. Avec --edition, ajoute la participation et les animations.",
    )
    exporter.add_argument("--format", choices=["csv", "xlsx", "geojson"], help="format (défaut : d'après l'extension de --out)")
    exporter.add_argument("--out", required=True, metavar="FICHIER", help="fichier à écrire")
    exporter.add_argument("--edition", metavar="NOM", help="édition dont on ajoute la participation et les animations")
    exporter.set_defaults(handler=run_export)


class TerminalProgress:
    """One line on the terminal, rewritten in place: « Vérification des lignes : 12 000 / 80 000 (15 %) ».
    Silent when stderr is not a terminal (a pipe, a file, a test): nothing but the report then."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self._width = 0

    def _show(self, text: str) -> None:
        if not self.active:
            return
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def step(self, text: str) -> None:
        self._show(text + "…")

    def __call__(self, step: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        self._show(f"{step} : {count(done)} / {count(total)} ({percent}\u00a0%)")

    def clear(self) -> None:
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def run_import(args: argparse.Namespace) -> int:
    from ..core.io.shops_io import paused_gc

    # No cyclic garbage collection during the command: the rows, the plan and the write make millions of
    # small objects and no garbage cycle, and each collection walks them all (0.5 s and more for 80 000
    # rows). They are freed when _import returns, before collection resumes.
    with paused_gc():
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.io.shops_io import import_shops, load_import_context, plan_rows, read_table
    from ..core.operations import OperationRunner

    progress = TerminalProgress()
    try:
        progress.step(f"Lecture de {args.file}")
        table = read_table(args.file)
        progress.step("Ouverture de la base")
        db = open_database(args.db)
    except BaseException:
        progress.clear()
        raise
    try:
        ops = OperationRunner(db)
        # What the base holds is read in one short read; the rows are then checked with no transaction
        # open, so other users keep writing meanwhile. The write lock is taken for the final write only.
        context = ops.read(lambda s: load_import_context(s, table))
        # A dry run's plan skips what only the write needs (placements, per-row copies): same report.
        plan = plan_rows(context, table, progress, writable=not args.dry_run)
        progress.clear()
        print(f"Fichier lu : {table.description} ; {count(plan.total_rows)} ligne(s) de données.")
        for line in (plan.read_info.sentences()[1:] if plan.read_info else ()):
            print(line)
        if plan.ignored_columns:
            print("Colonnes ignorées : " + ", ".join(f"« {c} »" for c in plan.ignored_columns) + ".")
        for problem in plan.problems:
            print(f"  {problem.sentence()}")
        if plan.problems:
            print(f"{count(len(plan.invalid_lines))} ligne(s) invalide(s).")
        for warning in plan.warnings:
            print(f"  {warning.sentence()}")
        if plan.warnings:
            print(plan.warnings_sentence())
        if plan.new_territories:
            print("Territoire(s) nouveau(x), créé(s) à l'import : " + ", ".join(plan.new_territories) + ".")
        if plan.problems and not args.skip_invalid:
            print("Rien n'a été importé. Corrigez le fichier, ou relancez avec --skip-invalid pour importer les lignes valides.")
            return 1
        if args.dry_run:
            print(f"Essai (--dry-run), rien n'a été écrit : {count(plan.created)} boutique(s) seraient créées, "
                  f"{count(plan.updated)} mise(s) à jour.")
            return 0
        try:
            changes = ops.run(
                "Importer des boutiques",
                lambda s: import_shops(s, table, skip_invalid=args.skip_invalid, plan=plan, progress=progress),
            )
        finally:
            progress.clear()
        result = changes.value
        skipped = f" ; {count(len(result.skipped_lines))} ligne(s) ignorée(s)" if result.skipped_lines else ""
        print(f"Import terminé dans {db.display_name} : {result.counts_text()}{skipped}.")
        return 0
    finally:
        progress.clear()
        db.dispose()


def run_export(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.editions import find_edition
    from ..core.errors import BonsJoursError
    from ..core.io.shops_io import export_shops, format_from_path
    from ..core.operations import OperationRunner

    fmt = args.format or format_from_path(args.out)
    if fmt is None:
        raise BonsJoursError("Indiquez --format csv, xlsx ou geojson (l'extension de --out ne le dit pas).")
    db = open_database(args.db, create=False)
    try:
        ops = OperationRunner(db)

        def export(session):
            edition_id = find_edition(session, args.edition).id if args.edition else None
            return export_shops(session, args.out, fmt, edition_id)

        report = ops.read(export)
    finally:
        db.dispose()
    for line in report.sentences():
        print(line)
    return 0
