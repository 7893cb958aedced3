"""Geography commands: show or choose the coordinator's département."""

from __future__ import annotations

import argparse


def register(sub, groups, common) -> None:
    departement = sub.add_parser(
        "departement", parents=[common],
        help="afficher ou choisir le département de la coordination (cartes, codes postaux, EPCI)")
    departement.add_argument("code", nargs="?", metavar="CODE", help="code du département à choisir (ex. 44, 2A, 974)")
    departement.set_defaults(handler=run_departement)


def run_departement(args: argparse.Namespace) -> int:
    from ..core import geo
    from ..core.db import open_database
    from ..core.operations import OperationRunner

    db = open_database(args.db, create=False)
    try:
        ops = OperationRunner(db)
        if args.code:
            found = ops.run("Choisir le département", lambda s: geo.set_coordinator_departement(s, args.code)).value
        else:
            found = geo.departement(ops.read(geo.coordinator_departement))
        epcis = geo.epcis_of(found.code)
        communes = geo.communes_of(found.code)
        print(f"Département : {found.code} – {found.name} ({len(communes)} communes, {len(epcis)} EPCI, "
              f"{len(geo.postal_codes_of(found.code))} codes postaux).")
    finally:
        db.dispose()
    return 0
