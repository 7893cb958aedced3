"""Reference geography, offline: communes, postal codes, EPCI, contours and the Lambert-93 projection.

The data is built by tools/build_geo.py from INSEE/IGN/La Poste open data (see resources/geo/README)
and shipped compressed in resources/geo/: a summary (départements, EPCI, each département's most
populated communes: what a map and the lookups by département or EPCI need, ~4 ms), one France-wide index
of the communes without contours (loaded once, on the first lookup of a commune or postal code, ~50 ms)
and one file of contours per département (loaded when its map is drawn)."""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional, Sequence

from .resources import resource_path

DEFAULT_DEPARTEMENT = "49"
SETTING_KEY = "departement_code"

Ring = list[tuple[float, float]]  # (longitude, latitude) in degrees


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    chef_lieu: str  # INSEE code of its prefecture


@dataclass(frozen=True)
class Epci:
    """An intercommunality (EPCI à fiscalité propre) known by its SIREN code."""

    code: str
    name: str
    kind: str  # ME, CU, CA, CC


class Commune(NamedTuple):
    """A commune, or a former commune now délégée/associée (then ``parent`` is the official one)."""

    insee: str
    name: str
    departement: str
    postal_codes: tuple[str, ...]
    population: int
    epci: str
    longitude: float
    latitude: float
    parent: str = ""

    @property
    def official(self) -> bool:
        return not self.parent


@dataclass(frozen=True)
class Contours:
    """Simplified contours of one département: its outline, its EPCI (clipped to it), its communes."""

    departement: str
    outline: list[Ring]
    epci: dict[str, list[Ring]]
    communes: dict[str, list[Ring]]


# --- Loading ---------------------------------------------------------------------------------


def _load_gz(*parts: str) -> dict:
    with gzip.open(resource_path("geo", *parts), "rt", encoding="utf-8") as fh:
        return json.load(fh)


class _Index:
    """France's 37 000 communes (départements and EPCI: _Summary); their tables are built on the first
    lookup that needs them (0.2 s)."""

    def __init__(self, data: dict):
        self.scale = data["scale"]
        self._raw: list = data["communes"]
        self._communes: Optional[list[Commune]] = None
        self._by_insee: dict[str, Commune] = {}
        self._by_postal: dict[str, list[Commune]] = {}
        self._by_key: Optional[dict[str, list[Commune]]] = None

    def _commune(self, raw: list) -> Commune:
        insee, name, dep, cps, pop, epci, lon, lat, parent = raw
        scale = self.scale
        return Commune(insee, name, dep, tuple(cps.split()), pop, epci, lon / scale, lat / scale, parent)

    def _build(self) -> None:
        communes: list[Commune] = []
        by_insee: dict[str, Commune] = {}
        by_postal: dict[str, list[Commune]] = {}
        for raw in self._raw:
            commune = self._commune(raw)
            communes.append(commune)
            if not commune.parent:
                by_insee[commune.insee] = commune
            for cp in commune.postal_codes:
                by_postal.setdefault(cp, []).append(commune)
        self._by_insee, self._by_postal, self._communes = by_insee, by_postal, communes

    @property
    def communes(self) -> list[Commune]:
        if self._communes is None:
            self._build()
        return self._communes  # type: ignore[return-value]

    @property
    def by_insee(self) -> dict[str, Commune]:
        if self._communes is None:
            self._build()
        return self._by_insee

    @property
    def by_postal(self) -> dict[str, list[Commune]]:
        if self._communes is None:
            self._build()
        return self._by_postal

    def official_communes_of(self, departement_code: str) -> list[Commune]:
        """The official communes of one département, without building the whole country's tables."""
        if self._communes is not None:
            return [c for c in self._by_insee.values() if c.departement == departement_code]
        found: dict[str, Commune] = {}
        for raw in self._raw:
            if raw[2] == departement_code and not raw[8]:
                found[raw[0]] = self._commune(raw)
        return list(found.values())

    @property
    def by_key(self) -> dict[str, list[Commune]]:
        """Communes by name key, built on the first search by name (0.3 s for all of France)."""
        if self._by_key is None:
            by_key: dict[str, list[Commune]] = {}
            for commune in self.communes:
                by_key.setdefault(name_key(commune.name), []).append(commune)
            self._by_key = by_key
        return self._by_key


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index(_load_gz("france.json.gz"))


class _Summary:
    """summary.json.gz (tools/build_geo.py, derived from france.json.gz): the départements with their
    chef-lieu's position, the EPCI, and each département's most populated official communes."""

    def __init__(self, data: dict):
        self.scale = float(data["scale"])
        self.source = data["source"]
        self.built = data["built"]
        self.departements = {code: Departement(code, name, chef) for code, name, chef, *_ in data["departements"]}
        self.centres = {code: (lon / self.scale, lat / self.scale)
                        for code, _name, _chef, lon, lat in data["departements"] if lon is not None}
        self.epcis = {code: Epci(code, name, kind) for code, name, kind in data["epci"]}
        self._labels: dict[str, list] = data["labels"]

    def labels(self, departement_code: str) -> list[tuple[str, float, float]]:
        return [(name, lon / self.scale, lat / self.scale) for name, lon, lat in self._labels.get(departement_code, ())]


@lru_cache(maxsize=1)
def _summary() -> _Summary:
    return _Summary(_load_gz("summary.json.gz"))


@lru_cache(maxsize=4)
def contours(departement: str) -> Contours:
    """The département's simplified contours; raises ValueError for an unknown code."""
    if departement not in _summary().departements:
        raise ValueError(f"Département inconnu : « {departement} ».")
    data = _load_gz("departements", f"{departement}.json.gz")
    scale = float(data["scale"])

    def rings(flat_rings: list[list[int]]) -> list[Ring]:
        return [[(flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat), 2)] for flat in flat_rings]

    return Contours(
        departement,
        rings(data["outline"]),
        {code: rings(r) for code, r in data["epci"].items()},
        {code: rings(r) for code, r in data["communes"].items()},
    )


def source_text() -> str:
    summary = _summary()
    return f"{summary.source} (extrait le {summary.built})"


# --- Lookups ---------------------------------------------------------------------------------


def departements() -> list[Departement]:
    return sorted(_summary().departements.values(), key=lambda d: (len(d.code) > 2, d.code))


def departement(code: str) -> Optional[Departement]:
    return _summary().departements.get((code or "").strip().upper())


def epci(code: str) -> Optional[Epci]:
    return _summary().epcis.get(code)


def commune(insee: str) -> Optional[Commune]:
    return _index().by_insee.get(insee)


def official(found: Commune) -> Commune:
    """The commune itself, or the commune nouvelle a commune déléguée belongs to."""
    return _index().by_insee.get(found.parent, found) if found.parent else found


def communes_of(departement_code: str) -> list[Commune]:
    """Official communes of a département, most populated first."""
    return sorted(
        _index().official_communes_of(departement_code),
        key=lambda c: (-c.population, c.name),
    )


def most_populated(departement_code: str) -> list[tuple[str, float, float]]:
    """(name, longitude, latitude) of the département's most populated official communes, most populated
    first (communes_of's order, its first 40) — a map's label candidates, without the country's index."""
    return _summary().labels(departement_code)


def epcis_of(departement_code: str) -> list[Epci]:
    codes = {c.epci for c in communes_of(departement_code) if c.epci}
    return sorted((_summary().epcis[c] for c in codes), key=lambda e: e.name)


def is_postal_code(code: str) -> bool:
    return code in _index().by_postal


def communes_by_postal_code(code: str) -> list[Commune]:
    """Communes (and former communes) served by this postal code, official ones first."""
    return sorted(_index().by_postal.get((code or "").strip(), []), key=lambda c: (bool(c.parent), c.name))


def postal_codes_of(departement_code: str) -> list[str]:
    return sorted({cp for c in communes_of(departement_code) for cp in c.postal_codes})


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLE_SUFFIX = re.compile(r"^(.*)\s*\((le|la|les|l)\)$")
_CEDEX = re.compile(r"\bcedex\b.*$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """Matching key of a commune name: no case, accents, hyphens, "St"/"Saint", "Cedex", "(Les)".

    "ST-BARTHELEMY D'ANJOU cedex 2" and "Saint-Barthélemy-d'Anjou" give the same key."""
    folded = (text or "").casefold().replace("œ", "oe").replace("æ", "ae")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    if "cedex" in folded:
        folded = _CEDEX.sub("", folded).strip()
    if folded.endswith(")"):
        article = _ARTICLE_SUFFIX.match(folded)
        if article:  # "Ponts-de-Cé (Les)" → "les ponts de ce"
            folded = f"{article.group(2)} {article.group(1)}"
    words = _NON_ALNUM.sub(" ", folded).split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(words)


def is_cedex(text: str) -> bool:
    return bool(re.search(r"\bcedex\b", (text or "").casefold()))


@lru_cache(maxsize=8192)  # pure over the shipped data; an import asks for the same communes again and again
def match_commune(name: str, postal_code: str = "", departement_code: str = "") -> Optional[Commune]:
    """The commune meant by a name (as typed in a file) and an optional postal code.

    The postal code narrows the search (a Cedex code does to its département); then the
    coordinator's département; then the whole of France when the name is unique there."""
    key = name_key(name)
    if not key:
        return None
    postal_code = (postal_code or "").strip()
    if postal_code:
        # The communes the code serves, when one of them bears the name: the same answer as below, without
        # the name index of the whole country (0.2 s to build) that an import of known codes never needs.
        served = [c for c in _index().by_postal.get(postal_code, ()) if name_key(c.name) == key]
        if served:
            return _best(served)
    return _match_by_name_index(key, postal_code, departement_code)


def _match_by_name_index(key: str, postal_code: str, departement_code: str) -> Optional[Commune]:
    """match_commune through the country's name index (the search its postal-code shortcut must agree with)."""
    candidates = _index().by_key.get(key, [])
    if not candidates:
        return None
    if postal_code:
        served = [c for c in candidates if postal_code in c.postal_codes]
        if served:
            return _best(served)
        by_dep = [c for c in candidates if c.departement == _departement_of_postal_code(postal_code)]
        if by_dep:
            return _best(by_dep)
    if departement_code:
        local = [c for c in candidates if c.departement == departement_code]
        if local:
            return _best(local)
    officials = {official(c).insee for c in candidates}
    return _best(candidates) if len(officials) == 1 else None


def _best(candidates: Sequence[Commune]) -> Commune:
    # An official commune wins over a former one of the same name (Chemillé-en-Anjou vs Chemillé).
    return sorted(candidates, key=lambda c: (bool(c.parent), -c.population))[0]


def _departement_of_postal_code(code: str) -> str:
    if not re.fullmatch(r"\d{5}", code or ""):
        return ""
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):  # Corse: 200xx/201xx → 2A, 202xx/206xx → 2B
        return "2A" if code[:3] in ("200", "201") else "2B"
    return code[:2]


def complete_communes(prefix: str, departement_code: str = "", limit: int = 20) -> list[Commune]:
    """Communes whose name starts with what was typed, the coordinator's département first."""
    key = name_key(prefix)
    if not key:
        return []
    # a word of the name may start it: "ponts de" finds "Les Ponts-de-Cé"
    padded = f" {key}"
    found = [(not k.startswith(key), c) for k, cs in _index().by_key.items() if padded in f" {k}" for c in cs]
    found.sort(key=lambda m: (m[1].departement != departement_code, m[0], bool(m[1].parent), -m[1].population,
                              m[1].name))
    return [c for _, c in found[:limit]]


def check_postal_code(code: str, commune_text: str = "", typed: str = "") -> str:
    """'' when the code is a real one (or a Cedex code of a real département), else a French sentence
    naming the code as typed."""
    code = (code or "").strip()
    if not code or is_postal_code(code):
        return ""
    if is_cedex(commune_text) and departement(_departement_of_postal_code(code)):
        return ""
    return f"Le code postal « {(typed or code).strip()} » n'existe pas (liste officielle de La Poste)."


# --- Projection ------------------------------------------------------------------------------

# Lambert-93 (EPSG:2154), the legal projection of metropolitan France: conformal conic on GRS80.
_A = 6378137.0
_F = 1 / 298.257222101
_E = math.sqrt(_F * (2 - _F))
_LAT1, _LAT2, _LAT0, _LON0 = (math.radians(v) for v in (49.0, 44.0, 46.5, 3.0))
_X0, _Y0 = 700000.0, 6600000.0


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)


def _t(phi: float) -> float:
    es = _E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - es) / (1 + es)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_AF = _A * _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _AF * _t(_LAT0) ** _N


def lambert93(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) in metres, Lambert-93, from WGS84/RGF93 degrees."""
    rho = _AF * _t(math.radians(latitude)) ** _N
    theta = _N * (math.radians(longitude) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


class Projection:
    """Degrees → metres: Lambert-93 in metropolitan France, a local equirectangular one overseas."""

    def __init__(self, departement_code: str):
        self.overseas = departement_code.startswith("97")
        self.origin = (0.0, 0.0)
        if self.overseas:
            self.origin = _summary().centres.get(departement_code, (0.0, 0.0))
            self.kx = math.cos(math.radians(self.origin[1])) * 111_320.0

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        if self.overseas:
            return ((longitude - self.origin[0]) * self.kx, (latitude - self.origin[1]) * 110_574.0)
        return lambert93(longitude, latitude)

    def ring(self, ring: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
        if self.overseas:
            return [self(lon, lat) for lon, lat in ring]
        # lambert93() inlined: a département's contours are ~15 000 points
        sin, cos, tan, log, exp, rad = math.sin, math.cos, math.tan, math.log, math.exp, math.radians
        half_e, e, n, af, rho0, quarter = _E / 2, _E, _N, _AF, _RHO0, math.pi / 4
        out = []
        for lon, lat in ring:
            phi = rad(lat)
            es = e * sin(phi)
            t = tan(quarter - phi / 2) / exp(half_e * log((1 - es) / (1 + es)))
            rho = af * exp(n * log(t))
            theta = n * (rad(lon) - _LON0)
            out.append((_X0 + rho * sin(theta), _Y0 + rho0 - rho * cos(theta)))
        return out


# --- Geometry helpers ------------------------------------------------------------------------


def point_in_rings(longitude: float, latitude: float, rings: Sequence[Ring]) -> bool:
    """Even-odd rule over the rings (a point in one outer ring of a multipolygon is inside)."""
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > latitude) != (yj > latitude):
                if longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi:
                    inside = not inside
            j = i
    return inside


_BANDS = 256
Edge = tuple[float, float, float, float]


@lru_cache(maxsize=8)
def _outline_bands(departement_code: str) -> tuple[float, float, list[list[Edge]]]:
    """The outline's edges sorted into horizontal bands, so that a point is tested against the edges of
    its band only: the same even-odd rule as point_in_rings on a few dozen edges instead of thousands
    (an import checks the coordinates of every row: 2 ms a point before)."""
    edges: list[Edge] = []
    for ring in contours(departement_code).outline:
        for i in range(len(ring)):
            (xi, yi), (xj, yj) = ring[i], ring[i - 1]
            edges.append((xi, yi, xj, yj))
    bottom = min((min(e[1], e[3]) for e in edges), default=0.0)
    top = max((max(e[1], e[3]) for e in edges), default=0.0)
    height = (top - bottom) / _BANDS or 1.0
    bands: list[list[Edge]] = [[] for _ in range(_BANDS)]
    for edge in edges:
        low = min(_BANDS - 1, int((min(edge[1], edge[3]) - bottom) / height))
        high = min(_BANDS - 1, int((max(edge[1], edge[3]) - bottom) / height))
        for band in range(low, high + 1):
            bands[band].append(edge)
    return bottom, height, bands


def outline_contains(departement_code: str, longitude: float, latitude: float) -> bool:
    """point_in_rings(longitude, latitude, contours(code).outline), answered from the band index."""
    bottom, height, bands = _outline_bands(departement_code)
    if latitude < bottom:
        return False
    band = int((latitude - bottom) / height)
    if band >= _BANDS:
        return False  # at or above the top: no edge is crossed, as in the full walk
    inside = False
    for xi, yi, xj, yj in bands[band]:
        if (yi > latitude) != (yj > latitude):
            if longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi:
                inside = not inside
    return inside


def coordinates_warning(latitude: float, longitude: float, departement_code: str) -> str:
    """'' when the point lies in the département, else a French sentence (swapped values named)."""
    dep = departement(departement_code)
    if dep is None:
        return ""
    if outline_contains(departement_code, longitude, latitude):
        return ""
    if outline_contains(departement_code, latitude, longitude):
        return (f"Latitude et longitude semblent inversées ({_decimal(latitude)} ; {_decimal(longitude)}) : "
                f"échangées, elles tombent dans le département {dep.name}.")
    return f"Les coordonnées ({_decimal(latitude)} ; {_decimal(longitude)}) sont hors du département {dep.name}."


def _decimal(value: float) -> str:
    """A coordinate in a French sentence: « -0,5518 »."""
    return f"{value:.4f}".replace(".", ",")


# --- The coordinator's département and shops ------------------------------------------------


def coordinator_departement(session) -> str:
    """The département the coordinator works in (setting « departement_code », 49 by default)."""
    from .reference import get_setting

    cached = session.info.get("geo_departement")
    if cached is not None:
        return cached
    # no autoflush: asked for every row of an import, it must not flush the rows pending so far
    with session.no_autoflush:
        code = get_setting(session, SETTING_KEY, DEFAULT_DEPARTEMENT)
    code = code if departement(code) else DEFAULT_DEPARTEMENT
    session.info["geo_departement"] = code
    return code


def set_coordinator_departement(session, code: str) -> Departement:
    """Choose the département (its maps, postal codes and EPCI follow); also sets its printed name."""
    from .errors import ValidationError
    from .reference import set_setting

    found = departement((code or "").strip().zfill(2) if (code or "").strip().isdigit() else code)
    if found is None:
        raise ValidationError({"departement": f"Le département « {code} » n'existe pas "
                                              "(exemples : 49, 44, 2A, 974)."})
    set_setting(session, SETTING_KEY, found.code)
    set_setting(session, "departement_name", found.name)
    session.info["geo_departement"] = found.code
    return found


def territory_for_epci(session, epci_code: str, create: bool = True):
    """The Territory standing for this EPCI: by its code, else by its official name, else a new one."""
    from sqlalchemy import select

    from .models import Territory
    from .validation import fold

    found_epci = epci(epci_code)
    if found_epci is None:
        return None
    # one look at the territories per operation (an import of 1 000 shops asks 1 000 times)
    known = session.info.get("geo_territories")
    if known is None:
        known = {}
        with session.no_autoflush:
            territories = list(session.scalars(select(Territory)))
        for territory in territories:
            known.setdefault(("name", fold(territory.name)), territory)
            if territory.epci_code:
                known.setdefault(("code", territory.epci_code), territory)
        session.info["geo_territories"] = known
    territory = known.get(("code", epci_code))
    if territory is not None and territory in session:
        return territory
    territory = known.get(("name", fold(found_epci.name)))
    if territory is not None and territory in session:
        if not territory.epci_code:
            territory.epci_code = epci_code
        known[("code", epci_code)] = territory
        return territory
    if not create:
        return None
    territory = Territory(name=found_epci.name, kind="EPCI", epci_code=epci_code, public_name="")
    session.add(territory)
    session.flush()
    known[("code", epci_code)] = known[("name", fold(territory.name))] = territory
    return territory


class Placement(NamedTuple):
    """Where a shop is drawn and which EPCI it belongs to, from what was typed (see place_shop)."""

    latitude: Optional[float]
    longitude: Optional[float]
    approximate: bool
    epci: str  # the commune's EPCI code, '' when the commune is not recognised or has none


def placement(commune_text: str, postal_code: str, departement_code: str, latitude: Optional[float],
              longitude: Optional[float], previous: Optional[tuple] = None) -> Placement:
    """The one rule behind place_shop, on plain values (an import computes it once per row, before
    any write): missing coordinates become the commune's centre, flagged approximate; approximate
    coordinates saved back unchanged stay approximate."""
    found = match_commune(commune_text, postal_code, departement_code)
    if latitude is None or longitude is None:
        if found is not None:
            return Placement(found.latitude, found.longitude, True, found.epci or "")
        return Placement(latitude, longitude, False, "")
    approximate = bool(previous is not None and previous[2] and (latitude, longitude) == tuple(previous[:2]))
    return Placement(latitude, longitude, approximate, (found.epci or "") if found is not None else "")


def place_shop(session, shop, previous: Optional[tuple] = None) -> None:
    """Fill what the commune tells about a shop being saved, when the user left it empty.

    The territory becomes the commune's EPCI; missing coordinates become the commune's centre,
    flagged approximate. previous: the (latitude, longitude, approximate) stored before this save,
    so that approximate coordinates saved back unchanged stay approximate."""
    placed = placement(shop.commune, shop.postal_code, coordinator_departement(session), shop.latitude,
                       shop.longitude, previous)
    shop.latitude, shop.longitude, shop.coordinates_approximate = placed.latitude, placed.longitude, placed.approximate
    if shop.territory is None and placed.epci:
        shop.territory = territory_for_epci(session, placed.epci)


def typed_coordinates_warning(session, latitude: str, longitude: str) -> str:
    """A French warning when typed coordinates fall outside the coordinator's département (or look
    swapped); '' when they are inside, empty or not numbers (validation says so elsewhere)."""
    from .errors import ValidationError
    from .validation import coordinates

    try:
        lat, lon = coordinates(latitude, longitude)
    except ValidationError:
        return ""
    if lat is None or lon is None:
        return ""
    return coordinates_warning(lat, lon, coordinator_departement(session))


def territory_names(session) -> list[tuple[int, str, str]]:
    """(id, official name, public name) of every territory, by official name."""
    from sqlalchemy import select

    from .models import Territory

    return [(t.id, t.name, t.public_name) for t in session.scalars(select(Territory).order_by(Territory.name))]


def set_territory_public_names(session, names: dict[int, str]) -> int:
    """Save the public names (printed in the directory, press kits, posters); returns how many changed."""
    from .errors import ValidationError, get_or_raise
    from .models import Territory
    from .validation import clean_text

    changed = 0
    for territory_id, name in names.items():
        territory = get_or_raise(session, Territory, territory_id)
        text = clean_text(name).strip()
        if len(text) > 200:
            raise ValidationError({"public_name": f"Le nom public de « {territory.name} » dépasse 200 caractères."})
        if territory.public_name != text:
            territory.public_name = text
            changed += 1
    return changed
