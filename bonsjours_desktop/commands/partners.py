"""Partner commands: export partners (contacts as csv/xlsx/vcf), export role-matrix, partners logo."""

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

    partners_cmd = sub.add_parser(
        "partners", parents=[common], help="les partenaires : logo d'une organisation (pour les affiches)",
        description="Le logo d'une organisation, gardé dans la base : les affiches montrent ceux des partenaires "
        "de l'édition tournés vers le public.",
    )
    actions = partners_cmd.add_subparsers(dest="what", metavar="ACTION", parser_class=type(partners_cmd))
    actions.required = True
    logo = actions.add_parser("logo", parents=[common], help="donner, remplacer ou retirer le logo d'une organisation")
    logo.add_argument("--org", required=True, metavar="NOM", help="nom de l'organisation (ex. « Emmaüs Cholet »)")
    choice = logo.add_mutually_exclusive_group(required=True)
    choice.add_argument("--file", metavar="FICHIER", help="fichier du logo : PNG, JPEG ou SVG (2 Mo au plus)")
    choice.add_argument("--remove", action="store_true", help="retirer le logo")
    logo.set_defaults(handler=run_logo)


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


def run_logo(args: argparse.Namespace) -> int:
    from ..core.db import open_database
    from ..core.documents.contexts import find_organisations
    from ..core.errors import BonsJoursError
    from ..core.logos import organisation_logo, read_logo_file, set_organisation_logo
    from ..core.operations import OperationRunner

    fmt, data = read_logo_file(args.file) if args.file else (None, None)  # checked before opening the base
    db = open_database(args.db, create=False)
    try:
        with db.session() as session:
            found = find_organisations(session, args.org)
            if not found:
                raise BonsJoursError(f"Aucune organisation « {args.org} » (voir l'onglet Partenaires).")
            if len(found) > 1:
                names = ", ".join(f"« {o.name} »" for o in found[:6])
                raise BonsJoursError(f"« {args.org} » désigne plusieurs organisations : {names}. Précisez le nom.")
            organisation_id, name = found[0].id, found[0].name
            current = organisation_logo(session, organisation_id)
        seen = current.seen if current is not None else None
        if args.remove and current is None:
            print(f"« {name} » n'a pas de logo.")
            return 0
        file_name = Path(args.file).name if args.file else ""
        what = f"Retirer le logo de « {name} »" if args.remove else f"Logo de « {name} »"
        OperationRunner(db).run(what, lambda s: set_organisation_logo(s, organisation_id, data, file_name,
                                                                       expected=seen), undoable=False)
    finally:
        db.dispose()
    if args.remove:
        print(f"Logo de « {name} » retiré.")
    else:
        print(f"Logo {fmt.upper()} de « {name} » enregistré ({file_name}).")
    return 0
