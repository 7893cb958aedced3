"""Partner commands: export partners (contacts as csv/xlsx/vcf) and export role-matrix."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub, groups, common) -> None:
    partners = groups["export"].add_parser(
        "partners", parents=[common], help="exporter les contacts des partenaires (csv, xlsx ou vCard)"
    )
    partners.add_argument("--format", choices=("csv", "xlsx", "vcf"), help="format (défaut : d'après l'extension de --out)")
    partners.add_argument("--out", required=True, metavar="FICHIER", help="fichier à écrire")
    partners.add_argument("--edition", metavar="NOM", help="ajouter les rôles des organisations dans cette édition")
    partners.add_argument("--only-involved", action="store_true",
                          help="seulement les contacts des organisations ayant un rôle dans l'édition")
    partners.set_defaults(handler=export_partners)

    matrix = groups["export"].add_parser(
        "role-matrix", parents=[common], help="exporter la matrice des rôles (organisations × rôles) d'une édition"
    )
    matrix.add_argument("--edition", required=True, metavar="NOM", help="nom de l'édition (ex. « Avril 2014 »)")
    matrix.add_argument("--format", choices=("csv", "xlsx"), help="format (défaut : d'après l'extension de --out)")
    matrix.add_argument("--out", required=True, metavar="FICHIER", help="fichier à écrire")
    matrix.add_argument("--all-organisations", action="store_true", help="inclure les organisations sans rôle")
    matrix.set_defaults(handler=export_role_matrix)


def export_partners(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.editions import find_edition
    from ..core.errors import BonsJoursError
    from ..core.io.partners_io import contacts_bytes, format_of, write_file
    from ..core.partners import contact_export_rows

    out = Path(args.out)
    fmt = format_of(out, args.format)
    if args.only_involved and not args.edition:
        raise BonsJoursError("--only-involved demande aussi --edition (l'édition dont on garde les partenaires).")
    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition = find_edition(session, args.edition) if args.edition else None
            rows = contact_export_rows(session, edition.id if edition else None, only_involved=args.only_involved)
            title = f"Contacts des partenaires — {edition.name}" if edition else "Contacts des partenaires"
    finally:
        db.dispose()
    write_file(out, contacts_bytes(rows, fmt, title))
    print(f"{len(rows)} contact(s) exporté(s) dans {out}.")
    return 0


def export_role_matrix(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.editions import find_edition
    from ..core.errors import BonsJoursError
    from ..core.io.partners_io import format_of, role_matrix_bytes, write_file
    from ..core.partners import role_matrix

    out = Path(args.out)
    fmt = format_of(out, args.format)
    if fmt == "vcf":
        raise BonsJoursError("La matrice des rôles s'exporte en csv ou xlsx.")
    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            edition = find_edition(session, args.edition)
            matrix = role_matrix(session, edition.id, all_organisations=args.all_organisations)
    finally:
        db.dispose()
    write_file(out, role_matrix_bytes(matrix, fmt))
    print(f"Matrice des rôles de « {matrix.edition_name} » ({len(matrix.rows)} organisation(s)) exportée dans {out}.")
    return 0
