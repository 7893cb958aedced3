"""Choosing the event dates with the shops: candidates, holiday flags, a reply form, answers, ranking, choice.

The case sheet's recommendations: « ANTICIPER » and « Définir la date de l'évènement en concertation
avec les acteurs ». An edition holds candidate sets of days; each active shop (and, optionally, each
partner) answers oui / si besoin / non for each; the candidates are ranked; the chosen one becomes the
edition's event days (re-anchoring its planning like any change of days).

Holidays come from maintained packages that ship their data (no network at run time): `holidays`
(French public holidays) and `vacances-scolaires-france` (the Ministry's school calendar by zone, MIT).
The zone of a département follows its académie, with the 2015 reform of the zones (see ZONES_*).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .editions import check_event_days, get_edition, set_event_days
from .errors import BonsJoursError, NotFoundError, ValidationError
from .formatting import date_abbr, date_long
from .models import WEEKDAYS, DateAnswer, DateCandidate, Edition, Organisation, Shop
from .validation import clean_text, fold
from .versions import ConcurrentEditError, RowSnapshot, editable

# --- Holidays ----------------------------------------------------------------------------------

# Académie of each département of metropolitan France (Code de l'éducation, art. D222-2; Caen and
# Rouen kept apart because they were in different zones before 2016; Corsica has its own calendar).
ACADEMIES = {
    "Besançon": "25 39 70 90", "Bordeaux": "24 33 40 47 64", "Clermont-Ferrand": "03 15 43 63",
    "Dijon": "21 58 71 89", "Grenoble": "07 26 38 73 74", "Limoges": "19 23 87", "Lyon": "01 42 69",
    "Poitiers": "16 17 79 86", "Aix-Marseille": "04 05 13 84", "Amiens": "02 60 80", "Lille": "59 62",
    "Nancy-Metz": "54 55 57 88", "Nantes": "44 49 53 72 85", "Nice": "06 83", "Caen": "14 50 61",
    "Rouen": "27 76", "Orléans-Tours": "18 28 36 37 41 45", "Reims": "08 10 51 52",
    "Rennes": "22 29 35 56", "Strasbourg": "67 68", "Créteil": "77 93 94",
    "Montpellier": "11 30 34 48 66", "Paris": "75", "Toulouse": "09 12 31 32 46 65 81 82",
    "Versailles": "78 91 92 95",
}
# Zones from the 2015–2016 school year on (arrêté du 16 juin 2014) …
ZONES_SINCE_2015 = {
    "A": "Besançon Bordeaux Clermont-Ferrand Dijon Grenoble Limoges Lyon Poitiers",
    "B": "Aix-Marseille Amiens Caen Lille Nancy-Metz Nantes Nice Orléans-Tours Reims Rennes Rouen Strasbourg",
    "C": "Créteil Montpellier Paris Toulouse Versailles",
}
# … and before it (the demo's 2013–2014 editions).
ZONES_BEFORE_2015 = {
    "A": "Caen Clermont-Ferrand Grenoble Lyon Montpellier Nancy-Metz Nantes Rennes Toulouse",
    "B": "Aix-Marseille Amiens Besançon Dijon Lille Limoges Nice Orléans-Tours Poitiers Reims Rouen Strasbourg",
    "C": "Bordeaux Créteil Paris Versailles",
}
ZONE_REFORM = dt.date(2015, 9, 1)


def academie_of(departement: str) -> Optional[str]:
    code = departement.strip().upper().zfill(2)
    for academie, codes in ACADEMIES.items():
        if code in codes.split():
            return academie
    return None


def school_zone(departement: str, day: dt.date) -> Optional[str]:
    """« A », « B » or « C » for a département of metropolitan France on that day; None elsewhere."""
    academie = academie_of(departement)
    if academie is None:
        return None
    zones = ZONES_SINCE_2015 if day >= ZONE_REFORM else ZONES_BEFORE_2015
    return next((zone for zone, names in zones.items() if academie in names.split()), None)


@lru_cache(maxsize=1)
def _school_calendar():
    from vacances_scolaires_france import SchoolHolidayDates

    return SchoolHolidayDates()


def _public_holidays(year: int) -> dict[dt.date, str]:
    from .working_days import public_holidays  # one holiday calendar for the dates and the planning

    return public_holidays(year)


def day_flags(day: dt.date, departement: str) -> list[str]:
    """What makes a day a poor event day: a public holiday, the school holidays of the zone."""
    flags = []
    holiday = _public_holidays(day.year).get(day)
    if holiday:
        flags.append(f"jour férié ({holiday})")
    zone = school_zone(departement, day)
    if zone is not None:
        try:
            calendar = _school_calendar()
            if calendar.is_holiday_for_zone(day, zone):
                name = calendar.holidays_for_year(day.year)[day]["nom_vacances"] or "vacances scolaires"
                flags.append(f"{name[:1].lower()}{name[1:]} (zone {zone})")
        except Exception as exc:  # noqa: BLE001 - years outside the package's calendar
            if type(exc).__name__ != "UnsupportedYearException":
                raise
            flags.append(f"calendrier scolaire {day.year} inconnu (zone {zone})")
    return flags


def departement_of(session: Session) -> str:
    """The coordinator's département (Fichier → Réglages…, `bonsjours departement`), 49 by default."""
    from .geo import coordinator_departement

    return coordinator_departement(session)


# --- Candidates --------------------------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}")


def _parse_date(text: str, where: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BonsJoursError(f"{where} : « {text} » n'est pas une date (attendu AAAA-MM-JJ, ex. 2014-11-12).")


def parse_candidates(text: str) -> list[list[dt.date]]:
    """« 2014-11-12/2014-11-15,2014-11-19/2014-11-22 » → [[12 nov., 15 nov.], [19 nov., 22 nov.]]."""
    candidates = []
    for number, part in enumerate((p for p in text.split(",") if p.strip()), start=1):
        # « / » separates the days of a candidate, and also appears inside 19/11/2014: take the dates out.
        leftover = _DATE.sub("", part).replace("/", "").strip()
        if leftover or not _DATE.search(part):
            raise BonsJoursError(f"Candidat {number} : « {part.strip()} » n'est pas une liste de dates "
                                 "(attendu AAAA-MM-JJ/AAAA-MM-JJ, ex. 2014-11-12/2014-11-15).")
        candidates.append([_parse_date(day, f"Candidat {number}") for day in _DATE.findall(part)])
    if not candidates:
        raise BonsJoursError("--candidates est vide : ex. « 2014-11-12/2014-11-15,2014-11-19/2014-11-22 ».")
    return candidates


def wednesday_saturday(wednesday: dt.date) -> list[dt.date]:
    """The usual pair: a Wednesday and the Saturday after it."""
    return [wednesday, wednesday + dt.timedelta(days=3)]


def candidate_label(days: Iterable[dt.date]) -> str:
    """« mer. 12 nov. + sam. 15 nov. 2014 » (the year once, at the end, when all days share it)."""
    days = sorted(days)
    if days and all(day.year == days[-1].year for day in days):
        return " + ".join(date_abbr(day).rsplit(" ", 1)[0] for day in days) + f" {days[-1].year}"
    return " + ".join(date_abbr(day) for day in days)


@dataclass(frozen=True)
class Candidate:
    id: int
    position: int
    days: tuple[dt.date, ...]
    chosen: bool
    flags: tuple[str, ...]  # « mer. 11 nov. : jour férié (Armistice) »

    @property
    def label(self) -> str:
        return f"Choix {self.position} : {candidate_label(self.days)}"


def _days_of(candidate: DateCandidate) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(day) for day in candidate.days)


def _candidate_rows(session: Session, edition_id: int) -> list[DateCandidate]:
    return list(session.scalars(
        select(DateCandidate).where(DateCandidate.edition_id == edition_id).order_by(DateCandidate.position)
    ))


def list_candidates(session: Session, edition_id: int) -> list[Candidate]:
    get_edition(session, edition_id)
    departement = departement_of(session)
    result = []
    for row in _candidate_rows(session, edition_id):
        days = _days_of(row)
        flags = tuple(f"{date_abbr(day).rsplit(' ', 1)[0]} : {flag}" for day in days for flag in day_flags(day, departement))
        result.append(Candidate(row.id, row.position, days, row.chosen, flags))
    return result


def propose_candidates(session: Session, edition_id: int, candidates: list[list[dt.date]]) -> list[int]:
    """Add candidate sets of days (each checked like event days); a set already proposed is refused."""
    get_edition(session, edition_id)
    existing = _candidate_rows(session, edition_id)
    known = {tuple(c.days) for c in existing}
    position = max((c.position for c in existing), default=0)
    ids = []
    for number, days in enumerate(candidates, start=1):
        try:
            days = check_event_days(days)
        except ValidationError as exc:
            raise ValidationError({"candidates": f"Candidat {number} : {exc.errors.get('days', exc)}"}) from None
        key = tuple(day.isoformat() for day in days)
        if key in known:
            raise ValidationError({"candidates": f"Les dates {candidate_label(days)} sont déjà proposées."})
        known.add(key)
        position += 1
        row = DateCandidate(edition_id=edition_id, position=position, days=list(key))
        session.add(row)
        session.flush()
        ids.append(row.id)
    return ids


def get_candidate(session: Session, edition_id: int, position: int) -> DateCandidate:
    row = session.scalar(select(DateCandidate).where(
        DateCandidate.edition_id == edition_id, DateCandidate.position == position))
    if row is None:
        positions = ", ".join(str(c.position) for c in _candidate_rows(session, edition_id)) or "aucun"
        raise NotFoundError(f"Pas de candidat n° {position} pour cette édition (candidats : {positions}).")
    return row


def remove_candidate(session: Session, edition_id: int, position: int) -> None:
    """Remove a candidate and its answers; the others keep their numbers (printed forms stay valid)."""
    session.delete(get_candidate(session, edition_id, position))
    session.flush()


# --- Who answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """A shop (« B12 ») or a partner (« P3 ») asked for its answers."""

    key: str
    name: str
    commune: str
    territory: str
    usual_days: str  # « mar., mer., sam. » from the weekly hours

    @property
    def is_shop(self) -> bool:
        return self.key.startswith("B")


_ABBR = {"lundi": "lun.", "mardi": "mar.", "mercredi": "mer.", "jeudi": "jeu.", "vendredi": "ven.",
         "samedi": "sam.", "dimanche": "dim."}


def usual_days(opening_hours: dict) -> str:
    days = [day for day in WEEKDAYS if day in (opening_hours or {})]
    return ", ".join(_ABBR[day] for day in days) if days else "non renseignés"


def respondents(session: Session, *, partners: bool = False, edition_id: Optional[int] = None) -> list[Respondent]:
    """The active shops (and those already answering), then the partners when asked, by name."""
    answered_shops: set[int] = set()
    answered_orgs: set[int] = set()
    if edition_id is not None:
        for shop_id, org_id in session.execute(
            select(DateAnswer.shop_id, DateAnswer.organisation_id).join(DateCandidate)
            .where(DateCandidate.edition_id == edition_id)
        ):
            if shop_id:
                answered_shops.add(shop_id)
            if org_id:
                answered_orgs.add(org_id)
    people = []
    for shop in session.scalars(select(Shop).options(selectinload(Shop.territory))):
        if shop.active or shop.id in answered_shops:
            people.append(Respondent(f"B{shop.id}", shop.name, shop.commune,
                                     shop.territory.name if shop.territory else "", usual_days(shop.opening_hours)))
    people.sort(key=lambda r: (fold(r.name), fold(r.commune)))
    if partners or answered_orgs:
        orgs = [o for o in session.scalars(select(Organisation)) if partners or o.id in answered_orgs]
        people += sorted((Respondent(f"P{o.id}", o.name, "", "", "") for o in orgs), key=lambda r: fold(r.name))
    return people


# --- Answers -----------------------------------------------------------------------------------

_YES = {"oui", "o", "x", "yes", "y", "ok", "1", "v", "✓", "✔", "✅", "disponible", "present", "d'accord", "dac"}
_NO = {"non", "n", "no", "0", "-", "indisponible", "absent", "absente", "ferme", "fermee", "impossible", "✗", "✘"}
_MAYBE = {"si besoin", "si necessaire", "peut-etre", "peut etre", "possible", "eventuellement", "?", "a voir",
          "p-e", "pe", "si besoin seulement", "sb", "bof"}


def normalise_answer(text: str) -> Optional[str]:
    """« Oui », « x », « peut-être »… → « oui » / « si besoin » / « non »; empty → None; else ValueError."""
    key = fold(text).strip(" .!")
    if not key:
        return None
    if key in _YES:
        return "oui"
    if key in _NO:
        return "non"
    if key in _MAYBE or key.startswith("si besoin") or key.startswith("peut"):
        return "si besoin"
    raise ValueError(text)


def _respondent_filter(key: str):
    kind, number = key[0], int(key[1:])
    return (DateAnswer.shop_id == number) if kind == "B" else (DateAnswer.organisation_id == number)


def _respondent_name(session: Session, respondent_key: str) -> str:
    model = Shop if respondent_key[0] == "B" else Organisation
    name = session.scalar(select(model.name).where(model.id == int(respondent_key[1:])))
    return name or respondent_key


def set_answer(session: Session, candidate_id: int, respondent_key: str, answer: Optional[str],
               comment: Optional[str] = None, *, expected: Optional[str]) -> None:
    """Record (or clear, with None) one answer. ``expected`` is the answer the user saw in that cell
    (None: no answer yet): a cell a colleague changed since is refused (team mode), with what changed.
    The candidate row is locked first (PostgreSQL), so two first answers to one cell cannot both go in."""
    if answer is not None and answer not in ("oui", "si besoin", "non"):
        raise ValidationError({"answer": f"Réponse « {answer} » inconnue : oui, si besoin ou non."})
    candidate = session.get(DateCandidate, candidate_id, with_for_update=True)
    if candidate is None:
        raise ConcurrentEditError(
            "Enregistrement refusé : ce choix de dates a été retiré entre-temps par un autre utilisateur. "
            "Rechargez pour voir les candidats actuels.", [], deleted=True)
    row = session.scalar(select(DateAnswer).where(DateAnswer.candidate_id == candidate_id,
                                                  _respondent_filter(respondent_key)))
    current = row.answer if row is not None else None
    if current != expected:
        change = ("Réponse", expected, current)
        raise ConcurrentEditError(
            f"Enregistrement refusé : quelqu'un d'autre a modifié la réponse de « "
            f"{_respondent_name(session, respondent_key)} » pour le choix {candidate.position} depuis que vous "
            f"l'avez affichée (Réponse : « {expected or '—'} » → « {current or '—'} »). Rechargez pour voir "
            "les réponses actuelles, puis refaites votre modification.", [change])
    if answer is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return
    if row is None:
        number = int(respondent_key[1:])
        row = DateAnswer(candidate_id=candidate_id, answer=answer,
                         shop_id=number if respondent_key[0] == "B" else None,
                         organisation_id=number if respondent_key[0] == "P" else None)
        session.add(row)
    row.answer = answer
    if comment is not None:
        row.comment = clean_text(comment)
    session.flush()


def answers_grid(session: Session, edition_id: int) -> dict[tuple[str, int], str]:
    """{(respondent key, candidate position): answer} for the edition."""
    grid = {}
    for answer, position in session.execute(
        select(DateAnswer, DateCandidate.position).join(DateCandidate).where(DateCandidate.edition_id == edition_id)
    ):
        key = f"B{answer.shop_id}" if answer.shop_id else f"P{answer.organisation_id}"
        grid[(key, position)] = answer.answer
    return grid


# --- Ranking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    yes: int
    maybe: int
    no: int
    territories: int
    cannot: tuple[str, ...]  # who answered « non »
    missing: int  # shops that have not answered

    def sentence(self) -> str:
        parts = [f"{self.yes} oui", f"{self.maybe} si besoin", f"{self.no} non",
                 f"{self.territories} territoire{'s' if self.territories > 1 else ''} couvert{'s' if self.territories > 1 else ''}"]
        if self.missing:
            parts.append(f"{self.missing} sans réponse")
        return ", ".join(parts)


def ranking(session: Session, edition_id: int) -> list[Ranked]:
    """Best first: most « oui », then most « si besoin », then most territories with a « oui »."""
    candidates = list_candidates(session, edition_id)
    people = {r.key: r for r in respondents(session, edition_id=edition_id)}
    grid = answers_grid(session, edition_id)
    shops_territory = {f"B{shop_id}": territory_id for shop_id, territory_id in
                       session.execute(select(Shop.id, Shop.territory_id))}
    shop_keys = [key for key in people if key.startswith("B")]
    result = []
    for candidate in candidates:
        answers = {key: value for (key, position), value in grid.items() if position == candidate.position}
        yes = [key for key, value in answers.items() if value == "oui"]
        territories = {shops_territory.get(key) for key in yes if shops_territory.get(key) is not None}
        cannot = tuple(sorted((people[key].name if key in people else key for key, v in answers.items() if v == "non"),
                              key=fold))
        result.append(Ranked(candidate, len(yes), sum(v == "si besoin" for v in answers.values()),
                             len(cannot), len(territories), cannot,
                             sum(1 for key in shop_keys if key not in answers)))
    result.sort(key=lambda r: (-r.yes, -r.maybe, -r.territories, r.no, r.candidate.position))
    return result


# --- Choosing ----------------------------------------------------------------------------------


def choose_candidate(session: Session, edition_id: int, position: int, *, expected: RowSnapshot) -> int:
    """The candidate's days become the edition's event days (planning re-anchored); recorded as chosen.
    ``expected`` is the edition as the user saw it: if a colleague changed it since (other days chosen,
    renamed…), the choice is refused with what changed. Returns how many animations went with days
    removed (as set_event_days)."""
    editable(session, Edition, edition_id, expected)
    chosen = get_candidate(session, edition_id, position)
    for row in _candidate_rows(session, edition_id):
        row.chosen = row.id == chosen.id
    removed = set_event_days(session, edition_id, list(_days_of(chosen)))
    session.flush()
    return removed


# --- Reply form (XLSX) -------------------------------------------------------------------------

FORM_SHEET = "Réponses"
KEY_HEADER = "N°"
COMMENT_HEADER = "Commentaire"


def write_reply_form(session: Session, edition_id: int, path: Path, *, partners: bool = False) -> int:
    """One row per active shop (and partner), one column per candidate with a oui/si besoin/non list.
    Returns the number of rows. The file is written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .io.spreadsheet import guard_formula

    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise BonsJoursError(f"Le dossier « {path.parent} » n'existe pas : le formulaire n'a pas été écrit.")
    if path.suffix.lower() != ".xlsx":
        raise BonsJoursError(f"Le formulaire s'écrit en .xlsx (pour les listes déroulantes) : « {path.name} ».")
    edition = get_edition(session, edition_id)
    candidates = list_candidates(session, edition_id)
    if not candidates:
        raise BonsJoursError(f"L'édition « {edition.name} » n'a pas encore de dates candidates : "
                             "proposez-en d'abord (bonsjours dates propose).")
    people = respondents(session, partners=partners, edition_id=edition_id)
    grid = answers_grid(session, edition_id)
    book = Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET
    headers = [KEY_HEADER, "Nom", "Commune", "Territoire", "Jours d'ouverture habituels"]
    headers += [c.label for c in candidates] + [COMMENT_HEADER]
    sheet.append(headers)
    for person in people:
        sheet.append([person.key, guard_formula(person.name), guard_formula(person.commune),
                      guard_formula(person.territory), person.usual_days]
                     + [grid.get((person.key, c.position), "") for c in candidates] + [""])
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="2E6B30")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    first, last = 6, 5 + len(candidates)
    validation = DataValidation(type="list", formula1='"oui,si besoin,non"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Réponse",
                                error="Choisissez oui, si besoin ou non.")
    sheet.add_data_validation(validation)
    from openpyxl.utils import get_column_letter

    if people:
        validation.add(f"{get_column_letter(first)}2:{get_column_letter(last)}{len(people) + 1}")
    for index, width in enumerate([6, 42, 22, 26, 18] + [24] * len(candidates) + [40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("Mode d'emploi")
    lines = [f"Concertation sur les dates — {edition.name}", "",
             "Pour chaque boutique (ou partenaire), choisissez dans chaque colonne « Choix » : oui, si besoin ou non.",
             "Laissez la colonne N° telle quelle : elle sert à retrouver la boutique au retour.",
             "Puis : bonsjours dates import CE_FICHIER.xlsx --edition « " + edition.name + " », "
             "ou Fichier → Concertation sur les dates… → Importer les réponses.", "", "Dates candidates :"]
    for candidate in candidates:
        lines.append(f"  {candidate.label} ({', '.join(date_long(d) for d in candidate.days)})")
        lines += [f"      ⚠ {flag}" for flag in candidate.flags]
    for line in lines:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    from .io.safe_write import atomic_write

    atomic_write(path, lambda temporary: book.save(temporary))
    return len(people)


# --- Answers in --------------------------------------------------------------------------------


@dataclass
class AnswerImport:
    """What an answers file gives: answers per (respondent, candidate), and problems by line."""

    answers: list[tuple[str, int, str, str]] = field(default_factory=list)  # key, position, answer, comment
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    description: str = ""


_CHOICE = re.compile(r"^\s*choix\s*(?:n\s*[°o]?\s*)?(\d+)", re.IGNORECASE)


def read_answers(session: Session, edition_id: int, path: str | Path) -> AnswerImport:
    """Read a filled reply form (or any sheet with a name column and « Choix N » columns)."""
    from .io.shops_io import read_table

    table = read_table(path)
    candidates = {c.position: c for c in list_candidates(session, edition_id)}
    result = AnswerImport(description=table.description)
    folded = [fold(h) for h in table.headers]
    key_col = next((i for i, h in enumerate(folded) if h in ("n°", "no", "n", "numero", "id", "cle")), None)
    name_col = next((i for i, h in enumerate(folded) if h in ("nom", "boutique", "structure", "partenaire")), None)
    commune_col = next((i for i, h in enumerate(folded) if h in ("commune", "ville")), None)
    comment_col = next((i for i, h in enumerate(folded) if h.startswith("commentaire") or h == "remarques"), None)
    choice_cols: dict[int, int] = {}
    for index, header in enumerate(table.headers):
        match = _CHOICE.match(header)
        if match:
            position = int(match.group(1))
            if position not in candidates:
                result.problems.append(f"Colonne « {header} » : pas de candidat n° {position} pour cette édition.")
                continue
            choice_cols[index] = position
        else:
            for candidate in candidates.values():
                if fold(header) == fold(candidate_label(candidate.days)):
                    choice_cols[index] = candidate.position
    if key_col is None and name_col is None:
        raise BonsJoursError("Le fichier n'a ni colonne « N° » ni colonne « Nom » : impossible de savoir qui répond. "
                             f"Colonnes trouvées : {', '.join('« ' + h + ' »' for h in table.headers)}.")
    if not choice_cols:
        raise BonsJoursError("Le fichier n'a aucune colonne « Choix 1 », « Choix 2 »… : partez du formulaire "
                             "écrit par « bonsjours dates form ».")
    people = respondents(session, partners=True, edition_id=edition_id)
    by_key = {r.key: r for r in people}
    by_name: dict[str, list[Respondent]] = {}
    for person in people:
        by_name.setdefault(fold(person.name), []).append(person)
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = list(row.cells) + [""] * (len(table.headers) - len(row.cells))
        if not any(cells[i].strip() for i in choice_cols) and not (comment_col is not None and cells[comment_col].strip()):
            continue
        result.rows += 1
        person = None
        key = cells[key_col].strip().upper() if key_col is not None else ""
        if key and re.fullmatch(r"[BP]\d+", key):
            person = by_key.get(key)
        if person is None and name_col is not None and cells[name_col].strip():
            matches = by_name.get(fold(cells[name_col]), [])
            if len(matches) > 1 and commune_col is not None:
                matches = [m for m in matches if fold(m.commune) == fold(cells[commune_col])] or matches
            person = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                result.problems.append(f"Ligne {row.line} : « {cells[name_col].strip()} » désigne plusieurs "
                                       "boutiques ; gardez la colonne N° du formulaire.")
                continue
        if person is None:
            who = cells[name_col].strip() if name_col is not None and cells[name_col].strip() else key or "?"
            result.problems.append(f"Ligne {row.line} : « {who} » ne correspond à aucune boutique ni aucun partenaire.")
            continue
        if person.key in seen:
            result.problems.append(f"Ligne {row.line} : « {person.name} » est déjà à la ligne {seen[person.key]} ; "
                                   "la dernière ligne l'emporte.")
        seen[person.key] = row.line
        comment = cells[comment_col].strip() if comment_col is not None else ""
        for index, position in choice_cols.items():
            try:
                answer = normalise_answer(cells[index])
            except ValueError:
                result.problems.append(f"Ligne {row.line}, colonne « {table.headers[index]} » : réponse "
                                       f"« {cells[index].strip()} » incomprise (oui, si besoin ou non) ; ignorée.")
                continue
            if answer is not None:
                result.answers.append((person.key, position, answer, comment))
    return result


def apply_answers(session: Session, edition_id: int, imported: AnswerImport) -> int:
    """Record the answers read by read_answers; empty cells leave earlier answers alone. Returns the count."""
    ids = {row.position: row.id for row in _candidate_rows(session, edition_id)}
    current = answers_grid(session, edition_id)
    for key, position, answer, comment in imported.answers:
        # The shops' own replies win over what was in the grid: the import is checked against the grid
        # as it is now (the write is in this same transaction), not against an earlier view.
        set_answer(session, ids[position], key, answer, comment or None, expected=current.get((key, position)))
    return len(imported.answers)
