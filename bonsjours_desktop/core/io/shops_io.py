"""Shops import (CSV or XLSX as coordinators really write them) and export (CSV, XLSX, GeoJSON)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import validation
from ..errors import BonsJoursError, ValidationError
from ..formatting import count as grouped, date_abbr
from .. import geo
from ..geo import Placement, placement
from ..hours import day_text, osm_opening_hours, parse_opening_hours
from ..models import Animation, Edition, Participation, Shop
from . import reading
from .reading import RawRow, RawTable, read_csv_text
from .safe_write import atomic_write, check_output_target
from .spreadsheet import escape_apostrophes, french_csv_writer
from ..shops import (
    CleanShop,
    ShopInput,
    ValidationCache,
    format_opening_hours,
    format_products,
    shop_input_of,
    shop_record,
    split_products,
    validate_shop,
)

# --- Columns ---------------------------------------------------------------------------------

# field key → the header written on export (also recognised on import)
HEADERS: dict[str, str] = {
    "name": "Nom",
    "network": "Réseau",
    "legal_form": "Forme juridique",
    "may_promote": "Peut communiquer",
    "address": "Adresse",
    "postal_code": "Code postal",
    "commune": "Commune",
    "territory": "Territoire",
    "phone": "Téléphone",
    "email": "Courriel",
    "website": "Site web",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "opening_hours": "Jours d'ouverture",
    "products": "Produits",
    "notes": "Notes",
}

# Other spellings met in spreadsheets, compared after _header_key (no case, accents, spaces, signs).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nom", "nomdelaboutique", "boutique", "nomboutique", "raisonsociale"),
    "network": ("reseau", "structure", "enseigne"),
    "legal_form": ("formejuridique", "statut", "statutjuridique"),
    "may_promote": ("peutcommuniquer", "communication", "peutfairesapromotion"),
    "address": ("adresse", "adressepostale", "rue"),
    "postal_code": ("codepostal", "cp", "codepost"),
    "commune": ("commune", "ville", "localite"),
    "territory": ("territoire", "epci", "intercommunalite", "collectivite"),
    "phone": ("telephone", "tel", "telfixe", "numerodetelephone"),
    "email": ("courriel", "email", "mail", "adresseelectronique", "mel"),
    "website": ("siteweb", "siteinternet", "site", "web", "url"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "opening_hours": ("joursdouverture", "horaires", "horairesdouverture", "ouverture", "jours", "joursethoraires",
                      "joursethorairesdouverture"),
    # Two time cells (10:00 and 19:00 in a workbook) joined to the days: « mardi au samedi 10:00-19:00 ».
    "opening_start": ("heuredouverture", "ouverturea", "ouvrea", "heuredebut", "debut"),
    "opening_end": ("heuredefermeture", "fermeturea", "fermea", "heuredefin", "fin", "fermeture"),
    "products": ("produits", "produitsvendus", "categories", "categoriesdeproduits"),
    "notes": ("notes", "remarques", "commentaires", "observations"),
}
_ALIAS_TO_FIELD = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
REQUIRED_COLUMNS = ("name", "commune")

YES = {"oui", "o", "vrai", "true", "1", "x", "yes", "y"}
NO = {"non", "n", "faux", "false", "0", "no"}


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", validation.fold(text))


_HEADER_REMARK_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def field_of_header(header: str) -> Optional[str]:
    """The field a header names; a remark in brackets is not part of the name (« Commune (obligatoire) »,
    « Code postal (5 chiffres) », « Latitude [WGS84] »)."""
    found = _ALIAS_TO_FIELD.get(_header_key(header))
    if found is None and ("(" in header or "[" in header):
        found = _ALIAS_TO_FIELD.get(_header_key(_HEADER_REMARK_RE.sub("", header)))
    return found


# --- Reading files ---------------------------------------------------------------------------
# The file-reading layer (encodings, quotes, workbooks, header row) is core/io/reading.py.


def looks_like_header(cells: Sequence[str]) -> bool:
    """A header row names at least two known columns (title rows above it do not)."""
    return len({field_of_header(cell) for cell in cells if cell} - {None}) >= 2


@contextlib.contextmanager
def paused_gc():
    """No cyclic garbage collection meanwhile: a large file makes hundreds of thousands of small objects
    and no cycle, and each full collection walks them all (half the time of checking 10 000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_table(path: str | Path) -> RawTable:
    """Read a shops file (CSV in any encoding, XLSX, XLS or ODS), finding its header row."""
    with paused_gc():
        return reading.read_table(path, looks_like_header)


# --- Planning an import ----------------------------------------------------------------------


ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one cell or row: line, column as written in the file, French reason, the
    cell as written, and its level: an **error** keeps the row out of the import, a **warning** lets
    it in (the cell kept in the shop's notes when it could not be read)."""

    line: int
    column: str
    message: str
    value: str = ""
    level: str = ERROR

    @property
    def is_warning(self) -> bool:
        return self.level == WARNING

    def sentence(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where}{' (avertissement)' if self.is_warning else ''} : {self.message}"


@dataclass(frozen=True)
class ReadInfo:
    """How the file was read, for the report: what the reader says (sheet, header row, encoding) when it
    says it; empty otherwise."""

    description: str
    sheet: str = ""
    header_line: int = 0
    encoding: str = ""

    @classmethod
    def of(cls, table: "RawTable") -> "ReadInfo":
        return cls(table.description, str(getattr(table, "sheet", "") or ""),
                   int(getattr(table, "header_line", 0) or 0), str(getattr(table, "encoding", "") or ""))

    def sentences(self) -> list[str]:
        lines = [f"Fichier lu : {self.description}."]
        details = []
        if self.sheet and self.sheet not in self.description:
            details.append(f"feuille « {self.sheet} »")
        if self.header_line and "en-tête" not in self.description:
            details.append(f"en-tête ligne {self.header_line}")
        if self.encoding and self.encoding not in self.description:
            details.append(f"encodage {self.encoding}")
        if details:
            lines.append("Lu avec : " + ", ".join(details) + ".")
        return lines


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A valid row and what importing it does."""

    line: int
    action: str  # "création" | "mise à jour"
    shop_id: Optional[int]
    clean: CleanShop  # the validated values, so importing does not check twice
    new_territory: str = ""
    version: Optional[int] = None  # of the stored shop an update starts from (refused if it changed since)
    placement: Optional[Placement] = None  # coordinates and EPCI the commune gives (geo.placement)


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: valid rows, problems per row, ignored columns."""

    description: str
    rows: tuple[PlannedRow, ...]
    problems: tuple[RowProblem, ...]  # errors: those rows are not imported
    ignored_columns: tuple[str, ...]
    total_rows: int
    warnings: tuple[RowProblem, ...] = ()  # those rows are imported; what to look at afterwards
    read_info: Optional[ReadInfo] = None
    max_shop_id: int = 0  # the newest stored shop when the plan was made (shops added since are checked)
    writable: bool = True  # False: a dry run's plan (plan_rows(writable=False)), which write_plan refuses

    def warnings_sentence(self) -> str:
        """« 3 avertissement(s) sur 2 ligne(s) : … » for the command line and the dialog; '' without any."""
        if not self.warnings:
            return ""
        lines = {w.line for w in self.warnings}
        imported = len(lines - set(self.invalid_lines))
        return (f"{grouped(len(self.warnings))} avertissement(s) sur {grouped(len(lines))} ligne(s), dont {grouped(imported)} sans erreur : "
                "importée(s) quand même, à vérifier ensuite (un texte non reconnu est recopié dans les notes de "
                "la boutique).")

    @property
    def issues(self) -> tuple[RowProblem, ...]:
        """Errors and warnings, in file order."""
        return tuple(sorted(self.problems + self.warnings, key=lambda p: (p.line, p.is_warning)))

    @property
    def invalid_lines(self) -> tuple[int, ...]:
        return tuple(sorted({p.line for p in self.problems}))

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "création")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "mise à jour")

    @property
    def new_territories(self) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for row in self.rows:
            if row.new_territory:
                seen.setdefault(validation.fold(row.new_territory), row.new_territory)
        return tuple(seen.values())


def _bool(text: str) -> bool:
    key = validation.fold(text).strip()
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValidationError({"may_promote": f"« {text} » : répondez par oui ou non."})


def _map_columns(headers: tuple[str, ...]) -> tuple[dict[str, int], tuple[str, ...]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = field_of_header(header)
        if key is None or key in columns:
            if header:
                ignored.append(header)
            continue
        columns[key] = index
    missing = [HEADERS[key] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        found = ", ".join(f"« {h} »" for h in headers if h) or "aucune"
        raise BonsJoursError(
            "Colonne(s) obligatoire(s) absente(s) : " + ", ".join(f"« {m} »" for m in missing)
            + f". Colonnes trouvées : {found}."
        )
    return columns, tuple(ignored)


def _cell_of(raw: RawRow, headers: tuple[str, ...], column: str) -> str:
    """The cell under a header, as written (for the report's « valeur » column)."""
    if column and column in headers:
        index = headers.index(column)
        return raw.cells[index].strip() if index < len(raw.cells) else ""
    return ""


def _error_column(key: str, headers: tuple[str, ...], columns: dict[str, int]) -> str:
    if key.startswith("hours_"):
        key = "opening_hours"
    if key == "coordinates":
        key = "latitude"
    index = columns.get(key)
    return headers[index] if index is not None else HEADERS.get(key, "")


Progress = Callable[[str, int, int], None]
"""progress(step, done, total): « Vérification des lignes », 12 000, 80 000. It may raise (ImportCancelled)
to stop the work: nothing has been written until the final write, which is one transaction."""

PROGRESS_EVERY = 1000  # rows between two progress calls (and two chances to cancel)
CHECKING = "Vérification des lignes"
WRITING = "Écriture dans la base"


class ImportCancelled(BonsJoursError):
    """The user stopped the import; nothing was written."""

    def __init__(self, message: str = "Import annulé : rien n'a été écrit dans la base."):
        super().__init__(message)


@dataclass(frozen=True)
class KnownShop:
    """A stored shop the file names (same name and commune): what its update starts from."""

    id: int
    version: int
    data: ShopInput
    coordinates: tuple  # (latitude, longitude, approximate) as stored


@dataclass(frozen=True)
class ImportContext:
    """What planning needs from the base, read in one short read transaction (the rows are then checked
    with no transaction open, so no lock is held while a large file is checked)."""

    departement: str
    shop_ids: dict[tuple[str, str], int]  # (folded name, folded commune) → id, every stored shop
    known: dict[int, KnownShop]  # the stored shops the file names
    territories: frozenset[str]  # folded names of the existing territories
    max_shop_id: int


def _key(name: str, commune: str) -> tuple[str, str]:
    """A shop's identity in an import: its folded name, and its commune's matching key (geo.name_key:
    « St-Barthélemy-d'Anjou », « SAINT BARTHELEMY D'ANJOU » and « Saint-Barthélemy-d'Anjou » are one
    commune, so a file's row updates its shop instead of creating a second one)."""
    return validation.fold(name), geo.name_key(commune)


@paused_gc()
def load_import_context(session: Session, table: RawTable) -> ImportContext:
    """Read from the base, once, what planning the import of table needs."""
    from ..geo import coordinator_departement
    from ..models import Territory

    columns, _ignored = _map_columns(table.headers)
    name_at, commune_at = columns["name"], columns["commune"]
    fold_cache: dict[str, str] = {}
    shop_ids: dict[tuple[str, str], int] = {}
    max_id = 0
    for shop_id, name, commune in session.execute(select(Shop.id, Shop.name, Shop.commune).order_by(Shop.id)):
        max_id = max(max_id, shop_id)
        folded = fold_cache.get(commune)
        if folded is None:
            folded = fold_cache[commune] = geo.name_key(commune)
        shop_ids.setdefault((validation.fold(name), folded), shop_id)
    # The file's (name, commune) keys that name a stored shop; a name is folded only when its commune
    # is one of the stored shops' (most rows of a large file are new shops elsewhere).
    stored_communes = {commune for _name, commune in shop_ids}
    cleaned: dict[str, tuple[str, str]] = {}  # commune cell → (cleaned, folded)
    matched_ids = set()
    for raw in table.rows:
        cells = raw.cells
        cell = cells[commune_at] if commune_at < len(cells) else ""
        found = cleaned.get(cell)
        if found is None:
            commune = validation.clean_text(cell).strip()
            found = cleaned[cell] = (commune, geo.name_key(commune))
        commune, folded = found
        if not commune or folded not in stored_communes:
            continue
        name = validation.clean_text(cells[name_at] if name_at < len(cells) else "").strip()
        if name:
            shop_id = shop_ids.get((validation.fold(name), folded))
            if shop_id is not None:
                matched_ids.add(shop_id)
    matched = sorted(matched_ids)
    known: dict[int, KnownShop] = {}
    for chunk in _chunks(matched, 500):
        for shop in session.scalars(select(Shop).where(Shop.id.in_(chunk)).options(selectinload(Shop.territory))):
            known[shop.id] = KnownShop(shop.id, shop.version, shop_input_of(shop),
                                       (shop.latitude, shop.longitude, bool(shop.coordinates_approximate)))
    territories = frozenset(validation.fold(n) for n in session.scalars(select(Territory.name)))
    return ImportContext(coordinator_departement(session), shop_ids, known, territories, max_id)


def _chunks(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plan_import(session: Session, table: RawTable, progress: Optional[Progress] = None) -> ImportPlan:
    """Check every row against the same rules as the shop form; nothing is written."""
    return plan_rows(load_import_context(session, table), table, progress)


class _Caches:
    """Per import: what many rows share is worked out once (communes, postal codes, hours wordings,
    product lists, networks)."""

    def __init__(self, departement: str, copies: bool = True):
        self.departement = departement
        self.copies = copies  # False: rows share the cached lists (a plan that is never written)
        self.hours: dict[str, Any] = {}
        self.products: dict[str, list[str]] = {}
        self.coordinates: dict[tuple[float, float], list[str]] = {}
        self.communes: dict[str, tuple[str, str]] = {}  # cell → (cleaned, folded)
        self.validation = ValidationCache(copies=copies)
        # the département whose outline check_coordinates tests (None: it warns of nothing)
        code = departement or geo.DEFAULT_DEPARTEMENT
        self.outline: Optional[str] = code if geo.departement(code) is not None else None

    def placement(self, clean: CleanShop, previous: Optional[tuple]) -> Placement:
        # geo.match_commune keeps its answers: the same communes come back on many rows
        return placement(clean.commune, clean.postal_code, self.departement, clean.latitude, clean.longitude,
                         previous)

    def coordinate_warnings(self, latitude: float, longitude: float) -> list[str]:
        key = (latitude, longitude)
        found = self.coordinates.get(key)
        if found is None:
            if self.outline is not None and geo.outline_contains(self.outline, longitude, latitude):
                found = []  # inside the département: what check_coordinates answers, without its three calls
            else:
                found = validation.check_coordinates(latitude, longitude, self.departement)
            self.coordinates[key] = found
        return found

    def split_products(self, text: str) -> list[str]:
        found = self.products.get(text)
        if found is None:
            found = self.products[text] = split_products(text)
        return list(found) if self.copies else found

    def commune(self, cell: str) -> tuple[str, str]:
        """The commune cell cleaned as validation.clean_text(cell).strip(), and its matching key (_key)."""
        found = self.communes.get(cell)
        if found is None:
            cleaned = validation.clean_text(cell).strip()
            found = self.communes[cell] = (cleaned, geo.name_key(cleaned))
        return found


_STRIP_CONTROLS = validation.CONTROL_RE.sub  # validation.clean_text on a str, without two calls per cell


@paused_gc()
def plan_rows(context: ImportContext, table: RawTable, progress: Optional[Progress] = None, *,
              writable: bool = True) -> ImportPlan:
    """Check every row against the same rules as the shop form, from what load_import_context read;
    no database access at all. progress(step, done, total) is called every PROGRESS_EVERY rows.

    writable False (a dry run): the same report (problems, warnings, counts, new territories), without
    what only the write uses: the coordinates and EPCI each row would be written with are not worked
    out, and rows share the cached hours and product lists instead of each getting its own copy. Such
    a plan cannot be written (write_plan refuses it)."""
    columns, ignored = _map_columns(table.headers)
    # Every hours column counts (« Jours d'ouverture » then « Horaires »), and two time columns
    # (opening and closing) complete the days: they are read together as one text.
    hours_indexes = [i for i, h in enumerate(table.headers) if field_of_header(h) == "opening_hours"]
    extra_hours = {table.headers[i] for i in hours_indexes[1:]}
    ignored = tuple(h for h in ignored if h not in extra_hours)
    caches = _Caches(context.departement, copies=writable)
    existing = context.shop_ids
    known_shops = context.known
    seen_in_file: dict[tuple[str, str], int] = {}
    planned: list[PlannedRow] = []
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    total = len(table.rows)
    name_header = table.headers[columns["name"]]
    name_at, commune_at = columns["name"], columns["commune"]
    # (field, column index, strip): text fields are kept exactly as written, outer spaces aside
    text_cells = [(k, columns[k], k not in ("address", "notes"))
                  for k in ("name", "commune", "network", "legal_form", "address", "postal_code", "territory",
                            "phone", "email", "website", "latitude", "longitude", "notes") if k in columns]
    may_promote_at = columns.get("may_promote")
    products_at = columns.get("products")
    latitude_alone = "latitude" in columns and "longitude" not in columns
    start_at, end_at = columns.get("opening_start"), columns.get("opening_end")
    single_hours = hours_indexes[0] if len(hours_indexes) == 1 and start_at is None and end_at is None else None
    width = len(table.headers)
    fold = validation.fold
    strip_controls = _STRIP_CONTROLS
    validation_cache = caches.validation

    for done, raw in enumerate(table.rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(CHECKING, done, total)
        cells = raw.cells
        count = len(cells)

        name = strip_controls("", cells[name_at] if name_at < count else "").strip()
        commune, folded_commune = caches.commune(cells[commune_at] if commune_at < count else "")
        key = (fold(name), folded_commune)
        shop_id = existing.get(key) if name and commune else None
        known = known_shops.get(shop_id) if shop_id is not None else None
        if known is None:
            shop_id = None  # deleted between the two reads: created again
        row_problems: list[RowProblem] = []
        if count > width:
            overflow = [c for c in cells[width:] if c.strip()]
            if overflow:
                row_problems.append(RowProblem(
                    raw.line, "",
                    f"la ligne a {len(overflow)} cellule(s) de plus que l'en-tête (« {overflow[0].strip()} »…) : "
                    "un séparateur dans une cellule non entourée de guillemets ?", overflow[0].strip(),
                ))
        if name and commune and key in seen_in_file:
            row_problems.append(RowProblem(
                raw.line, name_header,
                f"la boutique « {name} » ({commune}) figure déjà ligne {seen_in_file[key]}.", name,
            ))
        # An update starts from the stored shop: columns absent from the file leave fields as they are.
        texts = {text_key: ((cells[index].strip() if strip else cells[index]) if index < count else "")
                 for text_key, index, strip in text_cells}
        if known is not None:
            data = _copy_input(known.data)
            for text_key, value in texts.items():
                setattr(data, text_key, value)
        else:
            data = ShopInput(**texts)
        if may_promote_at is not None:
            value = cells[may_promote_at] if may_promote_at < count else ""
            try:
                data.may_promote = _bool(value) if value.strip() else True
            except ValidationError as exc:
                for message in exc.errors.values():
                    row_problems.append(RowProblem(raw.line, table.headers[may_promote_at], message, value))
        if single_hours is not None:
            hours_text = cells[single_hours].strip() if single_hours < count else ""
        else:
            hours_text = _hours_text(cells, hours_indexes, start_at, end_at)
        row_warnings = _read_hours(raw, table.headers, columns, hours_indexes, data, known is not None, caches.hours,
                                   hours_text)
        if products_at is not None:
            data.products = caches.split_products(cells[products_at] if products_at < count else "")
        # A latitude column holding a pasted "47.47, -0.55" pair with no longitude column.
        if latitude_alone:
            data.longitude = ""

        clean = None
        try:
            clean = validate_shop(data, validation_cache)
        except ValidationError as exc:
            for field_key, message in exc.errors.items():
                column = _error_column(field_key, table.headers, columns)
                row_problems.append(RowProblem(raw.line, column, message, _cell_of(raw, table.headers, column)))
        placed = None
        if clean is not None:
            if clean.latitude is not None and clean.longitude is not None:
                for message in caches.coordinate_warnings(clean.latitude, clean.longitude):
                    column = _error_column("latitude", table.headers, columns)
                    value = " ; ".join(v for v in (data.latitude, data.longitude) if v)
                    row_warnings.append(RowProblem(raw.line, column, message, value, WARNING))
            if writable:
                placed = caches.placement(clean, known.coordinates if known is not None else None)
        new_territory = ""
        if data.territory.strip() and fold(data.territory) not in context.territories:
            new_territory = data.territory.strip()
        if row_warnings:
            warnings.extend(row_warnings)  # shown even on a refused row: the file can be fixed at once
        if row_problems:
            # One message per (column, reason): a bad hours cell is not reported twice.
            unique = list(dict.fromkeys(row_problems))
            problems.extend(unique)
            continue
        if name and commune:
            seen_in_file[key] = raw.line
        planned.append(PlannedRow(raw.line, "mise à jour" if shop_id else "création", shop_id, clean, new_territory,
                                  known.version if known is not None else None, placed))
    if progress is not None:
        progress(CHECKING, total, total)

    return ImportPlan(table.description, tuple(planned), tuple(problems), ignored, total,
                      tuple(warnings), ReadInfo.of(table), context.max_shop_id, writable)


def _copy_input(data: ShopInput) -> ShopInput:
    return dataclasses.replace(data, opening_hours=dict(data.opening_hours), products=list(data.products))


def _add_note(data: ShopInput, note: str) -> None:
    """Append a line to the shop's notes, once (importing the same file again adds nothing)."""
    if note in data.notes:
        return
    data.notes = f"{data.notes.rstrip()}\n{note}" if data.notes.strip() else note


def _hours_text(cells: tuple[str, ...], hours_indexes: list[int], start_at: Optional[int],
                end_at: Optional[int]) -> str:
    """The row's hours as one text: its hours cell(s), then the opening and closing time cells."""

    def at(index: Optional[int]) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    parts = [at(i) for i in hours_indexes]
    start, end = at(start_at), at(end_at)
    if start and end:
        parts.append(f"{start}-{end}")
    elif start or end:
        parts.append(start or end)
    return " ".join(p for p in parts if p)


def _read_hours(raw: RawRow, headers: tuple[str, ...], columns: dict[str, int], hours_indexes: list[int],
                data: ShopInput, updating: bool, cache: Optional[dict] = None, text: Optional[str] = None
                ) -> list[RowProblem]:
    """The hours cell(s) of a row into data.opening_hours; never an error: a cell that cannot be read
    leaves the hours as they were (none for a new shop), is kept in the notes and flagged. text: the
    row's _hours_text when the caller has it."""
    if text is None:
        text = _hours_text(raw.cells, hours_indexes, columns.get("opening_start"), columns.get("opening_end"))
    if not text:
        if hours_indexes:
            data.opening_hours = {}  # an empty cell: no hours known (as in the form)
        return []
    column = headers[hours_indexes[0]] if hours_indexes else headers[columns.get("opening_start", columns.get("opening_end"))]
    # A file repeats a few hundred wordings: each is read once (the days as the form writes them and the
    # remark, or the error).
    parsed = cache.get(text) if cache is not None else None
    if parsed is None:
        try:
            read = parse_opening_hours(text)
            parsed = ({day: day_text(ranges) for day, ranges in read.hours.items()}, read.remark)
        except ValidationError as exc:
            # A copy that was never raised: the exception itself holds its traceback, whose frames hold
            # plan_rows' (the rows, the plan, this cache): a cycle that kept them all alive until a
            # garbage collection walked 1.2 million objects for 80 000 rows.
            parsed = ValidationError(exc.errors)
        if cache is not None:
            cache[text] = parsed
    if isinstance(parsed, ValidationError):
        exc = parsed
        reason = next(iter(exc.errors.values())).rstrip(".")
        kept = ("horaires déjà enregistrés gardés" if updating and data.opening_hours
                else "horaires non repris")
        _add_note(data, f"Horaires (non reconnus à l'import) : {text}")
        return [RowProblem(raw.line, column, f"{reason} ; {kept}, le texte est recopié dans les notes de la boutique.",
                           text, WARNING)]
    days, remark = parsed
    data.opening_hours = dict(days)
    if remark:
        _add_note(data, f"Horaires : {remark}")
        return [RowProblem(raw.line, column, f"remarque « {remark} » recopiée dans les notes de la boutique.",
                           text, WARNING)]
    return []


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    created: int
    updated: int
    skipped_lines: tuple[int, ...]
    new_territories: tuple[str, ...]
    shop_ids: tuple[int, ...] = field(default=())
    unchanged: int = 0  # of the updated ones: already identical in the base, not rewritten

    def counts_text(self) -> str:
        """« 0 boutique(s) créée(s), 20 mise(s) à jour (dont 20 déjà identique(s) : rien à changer) »."""
        text = f"{grouped(self.created)} boutique(s) créée(s), {grouped(self.updated)} mise(s) à jour"
        if self.unchanged:
            text += f" (dont {grouped(self.unchanged)} déjà identique(s) : rien à changer)"
        return text


def import_shops(session: Session, table: RawTable, *, skip_invalid: bool = False, plan: Optional[ImportPlan] = None,
                 progress: Optional[Progress] = None) -> ImportResult:
    """Import every valid row in the caller's transaction (one ops.run: all or nothing, undoable).

    plan: the plan made beforehand (plan_rows, with no transaction open: the write lock is then held only
    for the write itself); without it, the rows are checked here. With an invalid row and skip_invalid
    False, raise ValidationError listing the problems and write nothing."""
    if plan is None:
        plan = plan_import(session, table, progress)
    if plan.problems and not skip_invalid:
        lines = "\n".join(p.sentence() for p in plan.problems[:20])
        more = f"\n… et {grouped(len(plan.problems) - 20)} autre(s) problème(s)." if len(plan.problems) > 20 else ""
        raise ValidationError(
            {"": f"{grouped(len(plan.invalid_lines))} ligne(s) invalide(s), rien n'a été importé :\n{lines}{more}"}
        )
    return write_plan(session, plan, progress)


WRITE_CHUNK = 2000  # rows per executemany: progress and Cancel between two


@paused_gc()
def write_plan(session: Session, plan: ImportPlan, progress: Optional[Progress] = None) -> ImportResult:
    """Write a plan's rows: one bulk INSERT (executemany, ids returned in order) and one bulk UPDATE,
    checked against what the plan saw (a shop changed or created by someone else meanwhile: refused,
    nothing written). What is written is recorded for undo explicitly (operations.record_rows), row by
    row, as the ORM events would have: Annuler removes the new shops and puts the updated ones back."""
    from sqlalchemy import bindparam, insert

    from ..geo import territory_for_epci
    from ..models import Territory
    from ..operations import RowChange, record_rows
    from ..versions import ConcurrentEditError

    if not plan.writable:
        raise ValueError("write_plan: this plan was made for a dry run (plan_rows(writable=False))")
    shops = Shop.__table__
    rows = plan.rows
    total = len(rows)
    if progress is not None:
        progress(WRITING, 0, total)
    # Shops created since the plan that the file names too would come in twice: refuse, plan again
    # (>=: SQLite may give a new row the id of the newest one if that one was deleted meanwhile).
    created_keys = {_key(r.clean.name, r.clean.commune) for r in rows if r.shop_id is None}
    for name, commune in session.execute(select(Shop.name, Shop.commune).where(Shop.id >= plan.max_shop_id)):
        if _key(name, commune) in created_keys:
            raise ConcurrentEditError(
                f"La boutique « {name} » ({commune}) a été créée par quelqu'un d'autre pendant la vérification du "
                "fichier : rien n'a été importé. Relancez l'import (elle sera mise à jour, pas créée en double).", [])

    # Territories: the one named in the file (created when new), else the commune's EPCI. Few rows,
    # written through the ORM (its events record them for undo, before the shops).
    by_name: dict[str, Territory] = {}
    with session.no_autoflush:
        for territory in session.scalars(select(Territory)):
            by_name.setdefault(validation.fold(territory.name), territory)
    by_epci: dict[str, Optional[Territory]] = {}
    for row in rows:
        name = row.clean.territory
        if name:
            key = validation.fold(name)
            if key not in by_name:
                by_name[key] = Territory(name=name.strip(), kind="EPCI")
                session.add(by_name[key])
        elif row.placement is not None and row.placement.epci and row.placement.epci not in by_epci:
            by_epci[row.placement.epci] = territory_for_epci(session, row.placement.epci)
    session.flush()

    def values(row: PlannedRow) -> dict[str, Any]:
        clean, placed = row.clean, row.placement
        if clean.territory:
            territory = by_name[validation.fold(clean.territory)]
        else:
            territory = by_epci.get(placed.epci) if placed is not None and placed.epci else None
        return {
            "name": clean.name, "network": clean.network, "legal_form": clean.legal_form,
            "may_promote": clean.may_promote, "address": clean.address, "postal_code": clean.postal_code,
            "commune": clean.commune, "territory_id": territory.id if territory is not None else None,
            "latitude": placed.latitude, "longitude": placed.longitude,
            "coordinates_approximate": placed.approximate, "phone": clean.phone, "email": clean.email,
            "website": clean.website,
            # the validated containers as they are: nothing changes them afterwards
            "opening_hours": clean.opening_hours, "products": clean.products, "notes": clean.notes,
            "active": clean.active,
        }

    connection = session.connection()
    changes: list[RowChange] = []
    ids: dict[int, int] = {}  # line → shop id
    done = 0
    unchanged = 0

    # Updates: each stored shop as the plan saw it (its version), then only those that change.
    updates = [r for r in rows if r.shop_id is not None]
    for chunk in _chunks(updates, WRITE_CHUNK):
        before = {row["id"]: dict(row) for row in connection.execute(
            select(shops).where(shops.c.id.in_([r.shop_id for r in chunk]))).mappings()}
        params = []
        for row in chunk:
            stored = before.get(row.shop_id)
            if stored is None or stored["version"] != row.version:
                what = "supprimée" if stored is None else "modifiée"
                raise ConcurrentEditError(
                    f"La boutique « {row.clean.name} » ({row.clean.commune}) a été {what} par quelqu'un d'autre "
                    "pendant la vérification du fichier : rien n'a été importé. Relancez l'import.", [])
            ids[row.line] = row.shop_id
            after = {**stored, **values(row)}
            if after == stored:
                unchanged += 1
                continue  # nothing to write (an unchanged file imported again)
            after["version"] = stored["version"] + 1
            params.append({"b_id": row.shop_id, "b_version": stored["version"],
                           **{k: v for k, v in after.items() if k not in ("id", "created_at", "updated_at")}})
            changes.append(RowChange(shops.name, "update", {"id": row.shop_id}, stored, after))
        if params:
            result = connection.execute(
                shops.update().where(shops.c.id == bindparam("b_id"), shops.c.version == bindparam("b_version")),
                params)
            if result.rowcount not in (-1, len(params)):
                raise ConcurrentEditError(
                    "Des boutiques du fichier ont été modifiées par quelqu'un d'autre pendant l'import : rien n'a "
                    "été importé. Relancez l'import.", [])
        done += len(chunk)
        if progress is not None:
            progress(WRITING, done, total)

    # Inserts: one executemany per chunk, the new ids returned in the order of the rows.
    statement = insert(shops).returning(shops.c.id, sort_by_parameter_order=True)
    creations = [r for r in rows if r.shop_id is None]
    for chunk in _chunks(creations, WRITE_CHUNK):
        params = [{**values(row), "is_example": False, "version": 1} for row in chunk]
        new_ids = connection.execute(statement, params).scalars().all()
        for row, shop_id, after in zip(chunk, new_ids, params):
            ids[row.line] = shop_id
            after["id"] = shop_id  # created_at / updated_at left out: filled again by the base on redo
            changes.append(RowChange(shops.name, "insert", {"id": shop_id}, None, after))
        done += len(chunk)
        if progress is not None:
            progress(WRITING, done, total)
    record_rows(session, changes)
    return ImportResult(plan.created, plan.updated, plan.invalid_lines, plan.new_territories,
                        tuple(ids[r.line] for r in rows), unchanged)


# --- Export ----------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx", "geojson")


@dataclass(frozen=True)
class ExportAnimation:
    day: Optional[str]  # ISO date
    day_label: str
    category: str
    description: str
    start: str
    end: str

    def text(self) -> str:
        hours = f" {self.start}-{self.end}" if self.start and self.end else (f" {self.start}" if self.start else "")
        what = self.category + (f" : {self.description}" if self.description else "")
        return f"{self.day_label}{hours} – {what}" if self.day_label else f"{what}{hours}"


@dataclass(frozen=True)
class ExportShop:
    """A shop with everything an export writes."""

    id: int
    values: dict[str, Any]  # field key → value (lat/lon float or None, products list, hours text)
    participation: Optional[str] = None  # status in the edition, None when not taking part
    animations: tuple[ExportAnimation, ...] = ()


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote, and which shops have no coordinates."""

    path: Path
    format: str
    count: int
    without_coordinates: tuple[str, ...]
    edition: Optional[str] = None

    def sentences(self) -> list[str]:
        noun = "entité(s) géographique(s)" if self.format == "geojson" else "boutique(s)"
        lines = [f"{grouped(self.count)} {noun} exportée(s) dans {self.path}."]
        if self.without_coordinates:
            verb = "absentes de la carte" if self.format == "geojson" else "exportées sans latitude ni longitude"
            lines.append(
                f"{grouped(len(self.without_coordinates))} boutique(s) sans coordonnées ({verb}) : "
                + ", ".join(self.without_coordinates) + "."
            )
        return lines


def export_shops_data(session: Session, edition_id: Optional[int] = None) -> list[ExportShop]:
    shops = session.scalars(select(Shop).options(selectinload(Shop.territory)).order_by(Shop.name, Shop.commune))
    participations: dict[int, Participation] = {}
    if edition_id is not None:
        query = (
            select(Participation)
            .where(Participation.edition_id == edition_id)
            .options(selectinload(Participation.animations).selectinload(Animation.event_day))
        )
        participations = {p.shop_id: p for p in session.scalars(query)}
    result = []
    for shop in shops:
        values = shop_record(shop)
        del values["active"]
        values["opening_hours"] = format_opening_hours(shop.opening_hours)
        values["opening_hours_osm"] = osm_opening_hours(shop.opening_hours)
        participation = participations.get(shop.id)
        animations: tuple[ExportAnimation, ...] = ()
        if participation is not None:
            ordered = sorted(participation.animations, key=lambda a: (
                a.event_day.day if a.event_day else dt.date.max, a.start_time, a.id))
            animations = tuple(
                ExportAnimation(
                    day=a.event_day.day.isoformat() if a.event_day else None,
                    day_label=date_abbr(a.event_day.day) if a.event_day else "",
                    category=a.category,
                    description=a.description,
                    start=a.start_time,
                    end=a.end_time,
                )
                for a in ordered
            )
        result.append(ExportShop(shop.id, values, participation.status if participation else None, animations))
    return result


def _coordinate_fr(value: Optional[float]) -> str:
    return "" if value is None else repr(float(value)).replace(".", ",")


def _table_rows(shops: list[ExportShop], edition_name: Optional[str], *, french_numbers: bool) -> tuple[list[str], list[list[Any]]]:
    headers = list(HEADERS.values())
    if edition_name:
        headers += [f"Participation ({edition_name})", "Animations"]
    rows: list[list[Any]] = []
    for shop in shops:
        v = shop.values
        row: list[Any] = []
        for key in HEADERS:
            value = v[key]
            if key == "may_promote":
                value = "oui" if value else "non"
            elif key == "products":
                value = format_products(value)
            elif key in ("latitude", "longitude"):
                value = _coordinate_fr(value) if french_numbers else value
            row.append("" if value is None else value)
        if edition_name:
            row.append(shop.participation or "")
            row.append("\n".join(a.text() for a in shop.animations))
        rows.append(row)
    return headers, rows


def write_csv(path: Path, shops: list[ExportShop], edition_name: Optional[str] = None) -> None:
    """UTF-8 with BOM, ';' and decimal commas: what French Excel opens without an import wizard."""
    headers, rows = _table_rows(shops, edition_name, french_numbers=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = french_csv_writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def write_xlsx(path: Path, shops: list[ExportShop], edition_name: Optional[str] = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    headers, rows = _table_rows(shops, edition_name, french_numbers=False)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Boutiques"
    sheet.append(headers)
    for values in rows:
        sheet.append([escape_apostrophes(v) for v in values])
    # A text starting with '=' would become a formula: keep it as the text the user typed.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", start_color="2E7D32", end_color="2E7D32")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [
            max((len(part) for part in str(r[index - 1]).split("\n")), default=0) for r in rows
        ])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    for key in ("latitude", "longitude"):
        letter = get_column_letter(list(HEADERS).index(key) + 1)
        for cell in sheet[letter][1:]:
            cell.number_format = "0.0000"
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)


def geojson_collection(shops: list[ExportShop], edition_name: Optional[str] = None) -> dict[str, Any]:
    """A FeatureCollection with one Point per shop that has coordinates ([longitude, latitude])."""
    features = []
    for shop in shops:
        v = shop.values
        if v["latitude"] is None or v["longitude"] is None:
            continue
        properties: dict[str, Any] = {
            "name": v["name"],
            "network": v["network"],
            "address": v["address"],
            "postal_code": v["postal_code"],
            "commune": v["commune"],
            "territory": v["territory"],
            "phone": v["phone"],
            "email": v["email"],
            "website": v["website"],
            "opening_hours": v["opening_hours"],
            # OpenStreetMap's syntax (« Tu-Sa 10:00-19:00 »), for uMap and OSM contributors
            "opening_hours_osm": v.get("opening_hours_osm", ""),
            "products": format_products(v["products"]),
            "may_promote": bool(v["may_promote"]),
        }
        description = [f"{v['address']}, {v['postal_code']} {v['commune']}".strip(", ")]
        if v["opening_hours"]:
            description.append(f"Ouverture : {v['opening_hours']}")
        if v["products"]:
            description.append(f"Produits : {format_products(v['products'])}")
        if edition_name is not None:
            properties["edition"] = edition_name
            properties["participation"] = shop.participation or ""
            properties["animations"] = [
                {"day": a.day, "day_label": a.day_label, "category": a.category, "description": a.description,
                 "start": a.start, "end": a.end}
                for a in shop.animations
            ]
            properties["animations_text"] = " / ".join(a.text() for a in shop.animations)
            if shop.animations:
                description.append("Animations : " + " / ".join(a.text() for a in shop.animations))
        # uMap shows "description" in its pop-ups.
        properties["description"] = "\n".join(description)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(v["longitude"]), float(v["latitude"])]},
            "properties": properties,
        })
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if edition_name is not None:
        collection["name"] = f"Les bons jours de l'occasion – {edition_name}"
    return collection


def write_geojson(path: Path, shops: list[ExportShop], edition_name: Optional[str] = None) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(geojson_collection(shops, edition_name), handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def format_from_path(path: str | Path) -> Optional[str]:
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson", "json": "geojson"}.get(suffix)


def export_shops(session: Session, path: str | Path, fmt: str, edition_id: Optional[int] = None) -> ExportReport:
    """Write the shops (and their participation in an edition) as CSV, XLSX or GeoJSON."""
    if fmt not in EXPORT_FORMATS:
        raise BonsJoursError(f"Format « {fmt} » inconnu (formats : {', '.join(EXPORT_FORMATS)}).")
    path = Path(path)
    check_output_target(path, session)  # before the work, so a refusal costs nothing
    edition_name = None
    if edition_id is not None:
        edition = session.get(Edition, edition_id)
        edition_name = edition.name if edition else None
    shops = export_shops_data(session, edition_id)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "geojson": write_geojson}[fmt]
    atomic_write(path, lambda temporary: writer(temporary, shops, edition_name), db=session)
    missing = tuple(
        f"{s.values['name']} ({s.values['commune']})" for s in shops
        if s.values["latitude"] is None or s.values["longitude"] is None
    )
    count = len(shops) - len(missing) if fmt == "geojson" else len(shops)
    return ExportReport(path, fmt, count, missing, edition_name)


__all__ = [
    "HEADERS", "RawTable", "RawRow", "RowProblem", "PlannedRow", "ImportPlan", "ImportResult", "ExportReport",
    "read_table", "read_csv_text", "plan_import", "plan_rows", "load_import_context", "import_shops", "write_plan",
    "ImportCancelled", "ImportContext", "export_shops", "geojson_collection",
    "format_from_path",
]
