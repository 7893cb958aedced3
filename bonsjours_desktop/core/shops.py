"""Shops (boutiques solidaires): queries and validated operations."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from . import hours as hours_module
from . import validation
from .errors import ValidationError, get_or_raise
from .models import (
    PRODUCT_CATEGORIES,
    WEEKDAYS,
    ConsumableDelivery,
    Edition,
    Loan,
    Participation,
    Shop,
    Territory,
)
from .versions import RowSnapshot, editable

# --- Opening hours ---------------------------------------------------------------------------
# Stored as {"mercredi": [["09:00", "12:00"], ["14:00", "18:00"]], "samedi": [], ...}: a day with an
# empty list is open with hours not given, an absent day is closed (see core/hours.py). The readable
# text form, used by forms, CSV/XLSX import and export and GeoJSON, is
#     "mercredi 09:00-12:00 14:00-18:00; samedi 09:30-12:30"


def parse_day_ranges(text: Optional[str], day: str, field_name: Optional[str] = None) -> list[list[str]]:
    """'9h-12h, 14:00-18:00' → [['09:00', '12:00'], ['14:00', '18:00']]; checks order and overlaps.
    « ouvert » and a closed (empty) day both give [] here: use hours.parse_day to tell them apart."""
    try:
        return hours_module.parse_day(text, day) or []
    except ValidationError as exc:
        if field_name is None:
            raise
        raise ValidationError({field_name: next(iter(exc.errors.values()))}) from None


def format_day_ranges(ranges: list[list[str]] | list[tuple[str, str]]) -> str:
    return " ".join(f"{start}-{end}" for start, end in ranges)


def format_opening_hours(hours: Optional[dict]) -> str:
    """{'samedi': [...], 'mercredi': [...]} → 'mercredi 09:00-12:00 14:00-18:00; samedi 09:30-12:30'."""
    return hours_module.format_hours(hours)


def parse_opening_hours_text(text: Optional[str], field_name: str = "opening_hours") -> dict[str, str]:
    """'mercredi 09:00-12:00 14:00-18:00; samedi 9h30-12h30' → {'mercredi': '09:00-12:00 ...', ...}:
    day → the form's text for that day (« ouvert » when hours are not given), in week order.
    A remark (« sauf jours fériés ») is dropped here: hours.parse_opening_hours returns it."""
    try:
        parsed = hours_module.parse_opening_hours(text)
    except ValidationError as exc:
        raise ValidationError({field_name: next(iter(exc.errors.values()))}) from None
    return {day: hours_module.day_text(ranges) for day, ranges in parsed.hours.items()}


def opening_hours_from_text(text: Optional[str], field_name: str = "opening_hours") -> dict[str, list[list[str]]]:
    """Readable text → stored dict, with every range checked (messages name the field given)."""
    try:
        return hours_module.parse_opening_hours(text).hours
    except ValidationError as exc:
        raise ValidationError({field_name: next(iter(exc.errors.values()))}) from None


# --- Products --------------------------------------------------------------------------------

_PRODUCT_KEYS = {validation.fold(p): p for p in PRODUCT_CATEGORIES}


def normalise_products(values: list[str] | tuple[str, ...]) -> list[str]:
    """Known categories get their canonical spelling; free ones are kept as written; no duplicates."""
    result: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = validation.clean_text(value).strip()
        if not text:
            continue
        key = validation.fold(text)
        canonical = _PRODUCT_KEYS.get(key, text)
        if key not in seen:
            seen.add(key)
            result.append(canonical)
    return result


def split_products(text: Optional[str]) -> list[str]:
    """'meubles, vêtements; vélos' → ['meubles', 'vêtements', 'vélos'] (commas or semicolons)."""
    return normalise_products(re.split(r"[,;\n]+", text or ""))


def format_products(products: list[str] | tuple[str, ...]) -> str:
    return ", ".join(products)


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopRow:
    """What a table of shops shows: plain values, no ORM object behind."""

    id: int
    name: str
    network: str
    legal_form: str
    may_promote: bool
    address: str
    postal_code: str
    commune: str
    territory: str
    phone: str
    email: str
    products: tuple[str, ...]
    open_days: tuple[str, ...]
    active: bool
    participates: bool
    has_coordinates: bool
    is_example: bool
    website: str = ""
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    opening_hours_text: str = ""
    coordinates_approximate: bool = False
    # The row as loaded: delete_shop takes it back and refuses a newer version. list_shop_rows gives
    # what it is made from (the columns' names, the row read, its decoded hours and products) and the
    # snapshot is made when first asked for: a table of 10 000 shops asks for one or two.
    seen_from: Any = field(default=None, compare=False, repr=False)

    @property
    def seen(self) -> Optional[RowSnapshot]:
        source = self.seen_from
        if source is None or isinstance(source, RowSnapshot):
            return source
        names, raw, opening, products = source
        values = dict(zip(names, raw))
        values["opening_hours"], values["products"] = opening, products
        snapshot = RowSnapshot(Shop.__tablename__, {"id": values["id"]}, values)
        self.__dict__["seen_from"] = snapshot  # frozen: the same snapshot at every later call
        return snapshot

    @property
    def approximate(self) -> bool:
        """render.geo_map.MapShop's name for it: the map draws these rows as they are."""
        return self.coordinates_approximate


def list_shop_rows(session: Session, edition_id: Optional[int] = None,
                   ids: Optional[Iterable[int]] = None) -> list[ShopRow]:
    """Every shop (or those with these ids) with its participation in the edition, in no set order (the
    table sorts them with French collation; ORDER BY name cost a third of reading 10 000 shops).

    Plain column reads (no ORM shop, the territory joined): 10 000 shops took seconds as objects.
    Opening hours are read as stored text and formatted once per distinct text (shops share hours)."""
    table = Shop.__table__
    # Timestamps are left out (a conflict's message never shows them: versions.HIDDEN_IN_DIFF) and the
    # JSON columns are read as text, decoded once per distinct text and shared (read-only) by the
    # snapshots: 10 000 shops hold a few hundred distinct hours and product lists.
    names = [c.name for c in table.columns if c.name not in ("created_at", "updated_at")]
    columns = [cast(table.c[name], String).label(name) if name in ("opening_hours", "products") else table.c[name]
               for name in names]
    query = (select(*columns, Territory.name.label("territory_name"))
             .outerjoin(Territory, Territory.id == Shop.territory_id))
    participating: set[int] = set()
    if ids is not None:
        ids = list(ids)
        query = query.where(Shop.id.in_(ids))
    if edition_id is not None:
        wanted = select(Participation.shop_id).where(Participation.edition_id == edition_id)
        if ids is not None:
            wanted = wanted.where(Participation.shop_id.in_(ids))
        participating = set(session.scalars(wanted))
    hours_of: dict[Optional[str], tuple[tuple[str, ...], str, Any]] = {}
    products_of: dict[Optional[str], tuple[Any, tuple[str, ...]]] = {}
    rows = []
    width = len(names)
    new_row = _new_shop_row
    at = {name: i for i, name in enumerate(names)}
    (i_id, i_name, i_network, i_legal, i_promote, i_address, i_postal, i_commune, i_lat, i_lon, i_approx,
     i_phone, i_email, i_website, i_hours, i_products, i_active, i_example) = (
        at[name] for name in ("id", "name", "network", "legal_form", "may_promote", "address", "postal_code",
                              "commune", "latitude", "longitude", "coordinates_approximate", "phone", "email",
                              "website", "opening_hours", "products", "active", "is_example"))
    # Through the connection: the ORM's result layer added ~30 % to 10 000 plain rows and brings nothing here.
    for row in session.connection().execute(query):
        raw_hours = row[i_hours]
        hours = hours_of.get(raw_hours)
        if hours is None:
            opening = json.loads(raw_hours) if raw_hours is not None else None
            hours = hours_of[raw_hours] = (
                tuple(day for day in WEEKDAYS if hours_module.is_open_on_weekday(opening, day)),
                format_opening_hours(opening),
                opening,
            )
        raw_products = row[i_products]
        products = products_of.get(raw_products)
        if products is None:
            decoded = json.loads(raw_products) if raw_products is not None else None
            products = products_of[raw_products] = (decoded, tuple(decoded or ()))
        shop_id = row[i_id]
        latitude, longitude = row[i_lat], row[i_lon]
        rows.append(new_row({
            "id": shop_id,
            "name": row[i_name],
            "network": row[i_network],
            "legal_form": row[i_legal],
            "may_promote": row[i_promote],
            "address": row[i_address],
            "postal_code": row[i_postal],
            "commune": row[i_commune],
            "territory": row[width] or "",
            "phone": row[i_phone],
            "email": row[i_email],
            "products": products[1],
            "open_days": hours[0],
            "active": row[i_active],
            "participates": shop_id in participating,
            "has_coordinates": latitude is not None and longitude is not None,
            "is_example": row[i_example],
            "website": row[i_website],
            "latitude": latitude,
            "longitude": longitude,
            "opening_hours_text": hours[1],
            "coordinates_approximate": bool(row[i_approx]),
            "seen_from": (names, tuple(row), hours[2], products[0]),
        }))
    return rows


def _new_shop_row(values: dict[str, Any]) -> ShopRow:
    """ShopRow(**values) for a dict naming every field, without the frozen dataclass's __init__ (one
    object.__setattr__ per field: 44 ms of 10 000 rows, 6 ms this way). The test compares both."""
    row = object.__new__(ShopRow)
    row.__dict__.update(values)
    return row


def list_territory_names(session: Session) -> list[str]:
    return list(session.scalars(select(Territory.name).order_by(Territory.name)))


def list_networks(session: Session) -> list[str]:
    """Networks of the reference list, then those typed by the user, without duplicates."""
    return network_choices(session.scalars(select(Shop.network).distinct()))


def network_choices(used: Iterable[str]) -> list[str]:
    """list_networks from the networks the shops use (the Boutiques tab has every shop in hand)."""
    from .models import NETWORKS

    known = {validation.fold(n) for n in NETWORKS}
    return list(NETWORKS) + sorted((n for n in set(used) if n and validation.fold(n) not in known),
                                   key=lambda n: (validation.fold(n), n))


def list_product_names(session: Session) -> list[str]:
    """The reference categories, then the free categories already used by some shop."""
    # Each distinct list once, as stored text (shops share lists): decoding 10 000 lists cost more than
    # the tab's table. CAST, not the JSON type: the same text on SQLite and PostgreSQL.
    return product_choices(json.loads(text) if text else None
                           for text in session.scalars(select(cast(Shop.products, String)).distinct()))


def product_choices(used: Iterable[Optional[Iterable[str]]]) -> list[str]:
    """list_product_names from the shops' product lists (the Boutiques tab has them in hand)."""
    extra: dict[str, str] = {}
    # in a set order, so that of two spellings of one free category the same one is kept whoever asks
    for products in sorted({tuple(products) for products in used if products}):
        for product in products:
            key = validation.fold(product)
            if key not in _PRODUCT_KEYS:
                extra.setdefault(key, product)
    return list(PRODUCT_CATEGORIES) + sorted(extra.values(), key=validation.fold)


@dataclass
class ShopInput:
    """A shop as typed in a form or read from a file: text fields, before validation."""

    name: str = ""
    commune: str = ""
    network: str = ""
    legal_form: str = ""
    may_promote: bool = True
    address: str = ""
    postal_code: str = ""
    territory: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    latitude: str = ""
    longitude: str = ""
    # weekday → ranges text ("09:00-12:00 14:00-18:00")
    opening_hours: dict[str, str] = field(default_factory=dict)
    products: list[str] = field(default_factory=list)
    notes: str = ""
    active: bool = True


def shop_record(shop: Shop) -> dict[str, Any]:
    """The one shop → values mapping, read by the form (shop_input), the exports and the documents.

    Values as stored: territory by name, coordinates as floats or None, opening hours as
    {weekday: [[start, end], …]}, products as a list; text exactly as typed."""
    return {
        "name": shop.name,
        "network": shop.network,
        "legal_form": shop.legal_form,
        "may_promote": shop.may_promote,
        "address": shop.address,
        "postal_code": shop.postal_code,
        "commune": shop.commune,
        "territory": shop.territory.name if shop.territory else "",
        "phone": shop.phone,
        "email": shop.email,
        "website": shop.website,
        "latitude": shop.latitude,
        "longitude": shop.longitude,
        "opening_hours": {day: (None if ranges is None else [list(r) for r in ranges])
                          for day, ranges in (shop.opening_hours or {}).items()},
        "products": list(shop.products or ()),
        "notes": shop.notes,
        "active": shop.active,
    }


def shop_input(session: Session, shop_id: int) -> ShopInput:
    """The stored shop as form text, ready to edit."""
    return shop_input_of(get_shop(session, shop_id))


def shop_input_of(shop: Shop) -> ShopInput:
    """A loaded shop as form text (an import loads the shops it updates at once, then calls this)."""
    record = shop_record(shop)
    return ShopInput(**{
        **record,
        "latitude": _coordinate_text(record["latitude"]),
        "longitude": _coordinate_text(record["longitude"]),
        # An open day with hours not given is an empty list: kept (hours_module.day_text shows it).
        "opening_hours": {day: hours_module.day_text(r) for day, r in record["opening_hours"].items()
                          if day in WEEKDAYS and r is not None},
    })


def _coordinate_text(value: Optional[float]) -> str:
    return "" if value is None else repr(float(value))


def get_shop(session: Session, shop_id: int) -> Shop:
    shop = get_or_raise(session, Shop, shop_id)
    return shop


# --- Validation ------------------------------------------------------------------------------


@dataclass(slots=True)
class CleanShop:
    """Validated, normalised values ready to be written on a Shop. Treated as read-only; not frozen
    because an import builds one per row and a frozen dataclass's __init__ sets each of its 17 fields
    through object.__setattr__ (2.1 µs a row instead of 0.5: 0.13 s for 80 000 rows)."""

    name: str
    commune: str
    network: str
    legal_form: str
    may_promote: bool
    address: str
    postal_code: str
    territory: str
    phone: str
    email: str
    website: str
    latitude: Optional[float]
    longitude: Optional[float]
    opening_hours: dict
    products: list
    notes: str
    active: bool


def _real_postal_code(data: ShopInput) -> str:
    """Five digits that La Poste knows (or a Cedex code), else an error naming what was typed."""
    code = validation.postal_code(data.postal_code)
    from . import geo  # loaded when a shop is saved, not at start-up

    problem = geo.check_postal_code(code, data.commune, typed=data.postal_code)
    if problem:
        raise ValidationError({"postal_code": problem})
    typed = (data.postal_code or "").strip()
    if code and code[0] == "0" and not re.sub(r"[\s\u00a0]", "", typed).startswith("0") and data.commune.strip():
        # The zero Excel drops came back (« 1000 » → « 01000 »): only right if that code serves the commune.
        # « 4900 » for Angers is a typo of 49000, not « 04900 » (a real code, in Hautes-Alpes).
        served = {geo.official(c).insee for c in geo.communes_by_postal_code(code)}
        named = None if geo.is_cedex(data.commune) else geo.match_commune(data.commune)
        if named is not None and geo.official(named).insee not in served:
            raise ValidationError({"postal_code": (
                f"Code postal « {typed} » : 5 chiffres attendus (exemple : 49000) ; « {code} » ne dessert pas "
                f"la commune « {data.commune.strip()} ».")})
    return code


class ValidationCache:
    """Answers of the checks whose input repeats from row to row of an import (postal code with its
    commune, the week's hours, the product list): each distinct input is checked once per import.
    Every check is a pure function of its input, so a cached answer is the answer (ValidationError
    included); what a row gets is its own copy."""

    __slots__ = ("postal_codes", "hours", "products", "copies")

    def __init__(self, copies: bool = True) -> None:
        self.postal_codes: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
        self.hours: dict[tuple, tuple[dict[str, list], dict[str, str]]] = {}
        self.products: dict[tuple, list[str]] = {}
        # False: rows share the cached hours and product lists (a dry run's plan, never written or changed)
        self.copies = copies


def _checked_postal_code(data: ShopInput, cache: Optional[ValidationCache]) -> tuple[str, dict[str, str]]:
    """(code, {}) or ('', errors)."""
    key = (data.postal_code, data.commune)
    found = cache.postal_codes.get(key) if cache is not None else None
    if found is None:
        try:
            found = (_real_postal_code(data), {})
        except ValidationError as exc:
            found = ("", dict(exc.errors))
        if cache is not None:
            cache.postal_codes[key] = found
    return found


def _checked_hours(opening_hours: dict, cache: Optional[ValidationCache]) -> tuple[dict[str, list], dict[str, str]]:
    """({day: ranges} of the open days in week order, errors by hours_<day>), a fresh copy of the ranges."""
    key = None
    if cache is not None:
        try:
            key = tuple(opening_hours.items())
            found = cache.hours.get(key)
        except TypeError:  # unhashable values: not cached
            key = found = None
        if found is not None:
            return _copy_hours(found) if cache.copies else found
    hours: dict[str, list] = {}
    errors: dict[str, str] = {}
    for day in WEEKDAYS:
        try:
            ranges = hours_module.parse_day(opening_hours.get(day, ""), day)
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        if ranges is not None:
            hours[day] = ranges
    if key is None:
        return hours, errors
    cache.hours[key] = (hours, errors)
    return _copy_hours((hours, errors)) if cache.copies else (hours, errors)


def _copy_hours(found: tuple[dict[str, list], dict[str, str]]) -> tuple[dict[str, list], dict[str, str]]:
    """A row's own copy of cached hours (its ranges may be changed after the import)."""
    hours, errors = found
    return {day: [list(r) for r in ranges] for day, ranges in hours.items()}, errors


def _normalised_products(products, cache: Optional[ValidationCache]) -> list[str]:
    if cache is None:
        return normalise_products(products)
    key = tuple(products)
    found = cache.products.get(key)
    if found is None:
        found = cache.products[key] = normalise_products(products)
    return list(found) if cache.copies else found


def _collect(errors: dict[str, str], default, check, *args):
    """check(*args), or default with its French messages added to errors."""
    try:
        return check(*args)
    except ValidationError as exc:
        errors.update(exc.errors)
        return default


def _column_length(table, column: str) -> int:
    return table.c[column].type.length


# (field, label, longest text its column holds); the territory's name goes to Territory.name
_TEXT_LIMITS = tuple(
    (key, label, _column_length(Territory.__table__ if key == "territory" else Shop.__table__,
                                "name" if key == "territory" else key))
    for key, label in (("name", "Le nom de la boutique"), ("commune", "La commune"), ("network", "Le réseau"),
                       ("legal_form", "La forme juridique"), ("address", "L'adresse"), ("territory", "Le territoire"),
                       ("phone", "Le téléphone"), ("email", "L'adresse électronique"),
                       ("website", "L'adresse du site"))
)


def validate_shop(data: ShopInput, cache: Optional[ValidationCache] = None) -> CleanShop:
    """Every field checked at once; raises one ValidationError mapping fields to French messages.

    Field keys: name, commune, postal_code, phone, email, website, latitude, longitude,
    hours_<weekday> (one per day of the week). cache: an import's ValidationCache (same answers,
    repeated inputs checked once)."""
    errors: dict[str, str] = {}
    # Outer spaces are never meant; everything else is kept exactly as typed.
    name = _collect(errors, "", validation.required, data.name, "name", "Le nom de la boutique").strip()
    commune = _collect(errors, "", validation.required, data.commune, "commune", "La commune").strip()
    postal_code, postal_errors = _checked_postal_code(data, cache)
    errors.update(postal_errors)
    phone = _collect(errors, "", validation.phone, data.phone)
    email = _collect(errors, "", validation.email, data.email)
    website = _collect(errors, "", validation.website, data.website)
    latitude, longitude = _collect(errors, (None, None), validation.coordinates, data.latitude, data.longitude)
    opening_hours, hours_errors = _checked_hours(data.opening_hours, cache)
    errors.update(hours_errors)
    network = validation.clean_text(data.network).strip()
    legal_form = validation.clean_text(data.legal_form).strip()
    address = validation.clean_text(data.address)
    territory = validation.clean_text(data.territory).strip()
    texts = {"name": name, "commune": commune, "network": network, "legal_form": legal_form, "address": address,
             "territory": territory, "phone": phone, "email": email, "website": website}
    for key, label, limit in _TEXT_LIMITS:
        # the columns' own lengths: PostgreSQL refuses a longer text (« value too long », the whole import
        # lost), SQLite would store it
        length = len(texts[key])
        if length > limit and key not in errors:
            errors[key] = f"{label} a {length:,} caractères : {limit} au plus.".replace(",", "\u202f")
    if errors:
        raise ValidationError(errors)
    return CleanShop(
        name=name,
        commune=commune,
        network=network,
        legal_form=legal_form,
        may_promote=bool(data.may_promote),
        address=address,
        postal_code=postal_code,
        territory=territory,
        phone=phone,
        email=email,
        website=website,
        latitude=latitude,
        longitude=longitude,
        opening_hours=opening_hours,
        products=_normalised_products(data.products, cache),
        notes=validation.clean_text(data.notes),
        active=bool(data.active),
    )


def probable_duplicates(session: Session, name: str, commune: str, exclude_id: Optional[int] = None) -> list[int]:
    """Shops with the same name and commune, ignoring case, accents and spacing (and, for the commune,
    hyphens and « St »/« Saint »: geo.name_key, as the import matches them)."""
    from .geo import name_key

    key = (validation.fold(name), name_key(commune))
    if not key[0]:
        return []
    found = []
    # Folding (accents) is done in Python: SQLite cannot compare without accents.
    for shop_id, shop_name, shop_commune in session.execute(select(Shop.id, Shop.name, Shop.commune)):
        if shop_id != exclude_id and (validation.fold(shop_name), name_key(shop_commune)) == key:
            found.append(shop_id)
    return found


def duplicate_warning(session: Session, name: str, commune: str, exclude_id: Optional[int] = None) -> str:
    """A French sentence when a probable duplicate exists, else ''."""
    ids = probable_duplicates(session, name, commune, exclude_id)
    if not ids:
        return ""
    other = session.get(Shop, ids[0])
    return (
        f"Doublon probable : la boutique « {other.name} » ({other.commune}) existe déjà "
        "(même nom et même commune, sans tenir compte des majuscules ni des accents)."
    )


def find_territory(session: Session, name: str) -> Optional[Territory]:
    key = validation.fold(name)
    if not key:
        return None
    for territory in session.scalars(select(Territory)):
        if validation.fold(territory.name) == key:
            return territory
    return None


def _resolve_territory(session: Session, name: str, create: bool) -> Optional[Territory]:
    if not name.strip():
        return None
    territory = find_territory(session, name)
    if territory is None:
        if not create:
            raise ValidationError({"territory": f"Le territoire « {name} » n'existe pas."})
        territory = Territory(name=name.strip(), kind="EPCI")
        session.add(territory)
        session.flush()
    return territory


# --- Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    """The saved shop's id and warnings worth showing (probable duplicate)."""

    shop_id: int
    created: bool
    warnings: tuple[str, ...] = ()


def _write(session: Session, shop: Shop, clean: CleanShop, create_territory: bool) -> None:
    previous = (shop.latitude, shop.longitude, shop.coordinates_approximate)
    shop.name = clean.name
    shop.commune = clean.commune
    shop.network = clean.network
    shop.legal_form = clean.legal_form
    shop.may_promote = clean.may_promote
    shop.address = clean.address
    shop.postal_code = clean.postal_code
    shop.territory = _resolve_territory(session, clean.territory, create_territory)
    shop.phone = clean.phone
    shop.email = clean.email
    shop.website = clean.website
    shop.latitude = clean.latitude
    shop.longitude = clean.longitude
    # New containers, so the JSON columns are seen as changed.
    shop.opening_hours = {day: [list(r) for r in ranges] for day, ranges in clean.opening_hours.items()}
    shop.products = list(clean.products)
    shop.notes = clean.notes
    shop.active = clean.active
    from . import geo

    geo.place_shop(session, shop, previous)


def _coordinate_warnings(session: Session, clean: CleanShop) -> list[str]:
    from .geo import coordinator_departement

    if clean.latitude is None or clean.longitude is None:
        return []
    return validation.check_coordinates(clean.latitude, clean.longitude, coordinator_departement(session))


def create_shop(
    session: Session, data: ShopInput, *, create_territory: bool = False, check_duplicates: bool = True
) -> SaveResult:
    clean = validate_shop(data)
    warning = duplicate_warning(session, clean.name, clean.commune) if check_duplicates else ""
    shop = Shop(name=clean.name, commune=clean.commune)
    session.add(shop)
    _write(session, shop, clean, create_territory)
    session.flush()
    warnings = ((warning,) if warning else ()) + tuple(_coordinate_warnings(session, clean))
    return SaveResult(shop.id, True, warnings)


def update_shop(
    session: Session, shop_id: int, data: ShopInput, *, expected: RowSnapshot, create_territory: bool = False,
    check_duplicates: bool = True,
) -> SaveResult:
    """Save the shop form; expected is the row as the form loaded it (refused if someone saved since)."""
    shop = editable(session, Shop, shop_id, expected)
    clean = validate_shop(data)
    warning = duplicate_warning(session, clean.name, clean.commune, exclude_id=shop_id) if check_duplicates else ""
    _write(session, shop, clean, create_territory)
    session.flush()
    warnings = ((warning,) if warning else ()) + tuple(_coordinate_warnings(session, clean))
    return SaveResult(shop.id, False, warnings)


@dataclass(frozen=True)
class DeleteImpact:
    """What goes with a shop when it is deleted."""

    shop_name: str
    participations: tuple[str, ...]  # edition names
    loans: int
    deliveries: int

    def sentence(self) -> str:
        parts = []
        if self.participations:
            names = ", ".join(f"« {n} »" for n in self.participations)
            parts.append(f"{len(self.participations)} participation(s) à une édition ({names}) avec leurs animations")
        if self.loans:
            parts.append(f"{self.loans} prêt(s) de matériel")
        if self.deliveries:
            parts.append(f"{self.deliveries} livraison(s) de consommables")
        if not parts:
            return f"Supprimer la boutique « {self.shop_name} » ? Aucune autre donnée ne lui est liée."
        return f"Supprimer la boutique « {self.shop_name} » ? Seront aussi supprimés : " + " ; ".join(parts) + "."


def delete_impact(session: Session, shop_id: int) -> DeleteImpact:
    shop = get_shop(session, shop_id)
    editions = tuple(
        session.scalars(
            select(Edition.name).join(Participation, Participation.edition_id == Edition.id)
            .where(Participation.shop_id == shop_id).order_by(Edition.name)
        )
    )
    loans = session.scalar(select(func.count()).select_from(Loan).where(Loan.shop_id == shop_id)) or 0
    deliveries = session.scalar(
        select(func.count()).select_from(ConsumableDelivery).where(ConsumableDelivery.shop_id == shop_id)
    ) or 0
    return DeleteImpact(shop.name, editions, loans, deliveries)


def delete_shop(session: Session, shop_id: int, *, expected: RowSnapshot) -> int:
    """Delete the shop; participations, loans and deliveries go with it (undo brings them back)."""
    shop = editable(session, Shop, shop_id, expected)
    session.delete(shop)
    session.flush()
    return shop_id
