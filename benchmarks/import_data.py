"""Generated shop files for import benchmarks and profiling: what a network's export really looks like.

Names and addresses from a few hundred words, communes of the département with their real postal codes
and coordinates near their centre (some missing, some swapped, some outside), opening hours in the
wordings coordinators write (a few hundred distinct ones, some unreadable), some duplicated shops and
some rows with errors (unknown postal code, bad e-mail). About 250 bytes a row: 80 000 rows ≈ 20 Mo.

Run: PYTHONPATH=. python -m benchmarks.import_data 10000 /tmp/boutiques.csv
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from pathlib import Path

HEADERS = ["Nom", "Réseau", "Forme juridique", "Adresse", "Code postal", "Commune", "Téléphone", "Courriel",
           "Site web", "Latitude", "Longitude", "Jours d'ouverture", "Produits", "Notes"]

NETWORKS = ["Emmaüs", "Ressourcerie", "Recyclerie", "Secours populaire", "Croix-Rouge", "Envie", "Le Relais",
            "Secours catholique", "Régie de quartier", ""]
KINDS = ["Boutique", "Ressourcerie", "Recyclerie", "Vestiboutique", "Bric-à-brac", "Atelier", "Dépôt-vente",
         "Comptoir", "Bouquinerie", "Friperie"]
WORDS = ["du Lac", "de la Loire", "Solidaire", "des Possibles", "du Cœur", "Tri-Porteur", "d'Anjou", "Écolo",
         "de l'Authion", "des Mauges", "du Layon", "Saumuroise", "du Val", "de Quartier", "Bis", "Partage",
         "Seconde Vie", "Récup'", "La Trocante", "Le Grenier", "L'Étape", "Les Fourmis", "La Fabrique"]
STREETS = ["rue de la Gare", "avenue Jean Jaurès", "place du Marché", "rue Nationale", "boulevard Foch",
           "chemin des Vignes", "rue du Port", "impasse des Lilas", "route de Cholet", "rue Saint-Nicolas",
           "allée des Tilleuls", "quai de la Noë", "rue Pasteur", "zone artisanale des Landes"]
FORMS = ["Association", "SCIC", "Entreprise d'insertion", "Atelier chantier d'insertion", "SARL", ""]
PRODUCTS = ["meubles", "vêtements", "livres/disques", "vaisselle", "électroménager", "jouets", "vélos",
            "informatique", "bricolage", "linge de maison"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
REMARKS = ["", "", "", " sauf jours fériés", " (fermé en août)"]
UNREADABLE = ["le matin surtout", "voir affiche", "selon bénévoles", "?", "horaires d'été"]


def _hours(rng: random.Random) -> str:
    """One of the wordings people use (hours.py reads them all); 1 in 60 cannot be read."""
    if rng.random() < 1 / 60:
        return rng.choice(UNREADABLE)
    first = rng.randrange(0, 4)
    last = rng.randrange(first + 2, 7)
    start = rng.choice([9, 10, 14])
    end = start + rng.choice([3, 4, 5])
    wording = rng.randrange(8)
    remark = rng.choice(REMARKS)
    if wording == 0:
        return f"du {DAYS[first]} au {DAYS[last]} de {start}h à {end}h{remark}"
    if wording == 1:
        return f"{DAYS[first]} {start:02d}:00-{end:02d}:00; {DAYS[last]} 09:30-12:30"
    if wording == 2:
        return f"{DAYS[first].capitalize()} : {start}h-{end}h, {DAYS[last].capitalize()} : 10h-18h{remark}"
    if wording == 3:
        return f"Jours d'ouverture: {DAYS[first]} au {DAYS[last]}"
    if wording == 4:
        return f"{DAYS[first]} {start} h - 12 h et {DAYS[last]} 14h-{end}h"
    if wording == 5:
        return "tous les jours de 10h à 19h" + remark
    if wording == 6:
        return f"{DAYS[first]} et {DAYS[last]} de {start}h à {end}h"
    return f"{DAYS[last]} 9h-12h / 14h-18h"


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _communes(departement: str):
    from bonsjours_desktop.core import geo

    found = [c for c in geo.communes_of(departement) if c.postal_codes]
    # Bigger communes have more shops, as in life.
    weights = [max(1, c.population) ** 0.5 for c in found]
    return found, weights


def rows(count: int, seed: int = 20131113, departement: str = "49"):
    """count data rows (lists of cells, in HEADERS order)."""
    rng = random.Random(seed)
    communes, weights = _communes(departement)
    made: list[list[str]] = []
    for i in range(count):
        if made and rng.random() < 0.01:  # the same shop twice in the file
            made.append(list(rng.choice(made)))
            yield made[-1]
            continue
        commune = rng.choices(communes, weights)[0]
        name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} {i:05d}"
        postal = rng.choice(commune.postal_codes)
        latitude, longitude = "", ""
        placed = rng.random()
        if placed < 0.8:
            lat = commune.latitude + rng.uniform(-0.01, 0.01)
            lon = commune.longitude + rng.uniform(-0.01, 0.01)
            if placed < 0.005:
                lat, lon = lon, lat  # swapped: a warning
            latitude, longitude = f"{lat:.5f}".replace(".", ","), f"{lon:.5f}".replace(".", ",")
        email = f"contact{i}@{rng.choice(['exemple.fr', 'asso-anjou.org', 'orange.fr'])}"
        if rng.random() < 0.004:
            postal = "4925"  # an error: the row is refused
        if rng.random() < 0.004:
            email = "contact at exemple"  # an error too
        cells = [
            name, rng.choice(NETWORKS), rng.choice(FORMS), f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
            postal, commune.name if rng.random() < 0.9 else commune.name.upper(),
            f"02 41 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}", email,
            f"https://www.{_slug(name.split()[0])}-{i}.fr" if rng.random() < 0.3 else "",
            latitude, longitude, _hours(rng), ", ".join(rng.sample(PRODUCTS, rng.randrange(1, 4))),
            "Dépôts acceptés aux heures d'ouverture ; parking devant." if rng.random() < 0.5 else "",
        ]
        made.append(cells)
        yield cells


def write_csv(path: Path, count: int, seed: int = 20131113, departement: str = "49") -> Path:
    """The rows as French Excel saves them: Windows-1252, « ; », CRLF."""
    path = Path(path)
    with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        writer.writerows(rows(count, seed, departement))
    return path


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"boutiques-{count}.csv")
    write_csv(out, count)
    print(f"{count} lignes écrites dans {out} ({out.stat().st_size / 1e6:.1f} Mo)")
