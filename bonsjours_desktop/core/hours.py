"""Opening hours as people write them, and their readable and OpenStreetMap forms.

Stored (Shop.opening_hours) as {weekday: ranges}: ``{"mercredi": [["14:00", "18:00"]], "samedi": []}``.
A weekday absent from the dict is closed (or not known to be open); a weekday with an empty list is
**open, hours not given** (« Jours d'ouverture : mardi au samedi »).

The parser reads what coordinators' spreadsheets hold; no maintained library reads French wordings
(the Python opening-hours packages read OpenStreetMap's syntax or English), so it is written here:

    « mardi au samedi », « du mardi au samedi de 10h à 19h », « mercredi 14h-18h et samedi 10h-18h »,
    « Mercredi : 14h-18h, Samedi : 10h-18h », « 9 h - 12 h », « du samedi au mardi » (wrapping),
    « 9h-midi », « tous les jours sauf le lundi », « fermé le lundi », « … sauf jours fériés »
    (kept as a remark), « mer./sam. 9h30-12h », « 9H30 », « 9:30 ».
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from .errors import ValidationError
from .models import WEEKDAYS

UNKNOWN_HOURS_TEXT = "ouvert (horaires non précisés)"

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


@dataclass(frozen=True)
class ParsedHours:
    """What a cell says: day → ranges ([] = open, hours not given), and a remark kept as written."""

    hours: dict[str, list[list[str]]] = field(default_factory=dict)
    remark: str = ""


# --- Folding with positions --------------------------------------------------------------------


_SPECIAL_FOLDS = {**{c: "'" for c in "’‘`´"}, **{c: "-" for c in "–—‑−"},
                  **{c: " " for c in "\u00a0\u202f\t"}, "\r": "\n"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Lower case, no accents, typographic apostrophes and dashes made plain; each folded character
    remembers its index in the original text (so a remark is returned exactly as typed)."""
    if text.isascii() and "\t" not in text and "\r" not in text and "`" not in text:
        folded = text.lower()
        return folded, list(range(len(folded)))
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        positions.extend([index] * len(folded))
    return "".join(out), positions


# --- Tokens ------------------------------------------------------------------------------------

_DAY_PREFIXES = {day: day for day in WEEKDAYS}
_DAY_ABBREVIATIONS = {day[:3]: day for day in WEEKDAYS} | {"merc": "mercredi", "mercr": "mercredi", "vend": "vendredi",
                                                               "sam": "samedi", "dim": "dimanche", "lu": "lundi",
                                                               "ma": "mardi", "me": "mercredi", "je": "jeudi",
                                                               "ve": "vendredi", "sa": "samedi", "di": "dimanche"}

# (kind, regex) in order; the first match at the current position wins.
_TOKEN_SPECS: list[tuple[str, str]] = [
    ("alldays", r"tous\s+les\s+jours|tlj|7\s*j(?:ours)?\s*(?:/|sur)\s*7|7\s*/\s*7|toute\s+la\s+semaine|chaque\s+jour"),
    ("weekdays", r"en\s+semaine|jours\s+de\s+semaine"),
    ("weekend", r"(?:le\s+)?week-?\s?ends?"),
    ("remark", r"(?:les\s+)?jours\s+f[e]ries|f[e]ries|sur\s+rendez-vous|sur\s+r\.?d\.?v\.?|rdv|uniquement|"
               r"vacances|hors\s+saison|en\s+saison|pendant|selon|variable"),
    ("unknown", r"horaires?\s+non\s+(?:precises?|communiques?|connus?|indiques?)|horaires?\s+inconnus?|\?"),
    ("label", r"jours?\s+(?:et\s+horaires\s+)?d'\s*ouverture|horaires?\s+d'\s*ouverture|horaires?|heures?\s+d'\s*ouverture|"
              r"ouvertures?|ouverte?s?|open"),
    ("closed", r"ferm(?:e|ee|es|ees|eture)\b"),
    ("except", r"sauf|hors|except[e]s?|a\s+l'exception\s+d[ue]s?"),
    ("time", r"(?:(\d{1,2})\s*(?:[h:.]\s*(\d{2})(?![\d:h.])|h(?:eures?\b)?)?(?![\d]))|midi|minuit"),
    ("to", r"jusqu'\s*a|-+|\ba\b|\bau\b|>"),
    ("partofday", r"apres[\s-]?midis?|\b(?:matins?|matinees?|soirs?|soirees?)\b"),
    # « tous les samedis », « chaque mercredi » (« tous les jours » is read above); « journée continue »,
    # « non-stop », « toute la journée » add nothing to the days and hours around them
    ("filler", r"\b(?:du|de|d'|le|les|l'|la|et|puis|y|compris|chaque)\b|\btous\s+les\b|journees?\s+continues?|"
               r"non[\s-]?stop|toute\s+la\s+journee|en\s+continu\b|[,;/+&:.()\[\]|]|\n"),
    ("word", r"[a-z]+"),
    ("other", r"."),
]
_TOKEN_RE = re.compile(r"[^\S\n]*(?:" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _TOKEN_SPECS) + ")")


@dataclass(slots=True)
class _Token:
    kind: str
    text: str  # folded
    start: int  # index in the folded text
    value: object = None


def _day_of(word: str) -> Optional[str]:
    word = word.rstrip(".")
    if word in _DAY_PREFIXES:
        return _DAY_PREFIXES[word]
    if word.endswith("s") and word[:-1] in _DAY_PREFIXES:
        return _DAY_PREFIXES[word[:-1]]  # « les samedis »
    if word in _DAY_ABBREVIATIONS:
        return _DAY_ABBREVIATIONS[word]
    if len(word) >= 3:
        candidates = [d for d in WEEKDAYS if d.startswith(word)]
        if len(candidates) == 1:
            return candidates[0]
    return None


def _time_value(match: re.Match, token_text: str) -> Optional[str]:
    if token_text == "midi":
        return "12:00"
    if token_text == "minuit":
        return "24:00"
    hours = int(match.group(_TIME_HOUR))
    minutes = int(match.group(_TIME_MIN) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return f"{hours:02d}:{minutes:02d}"


_TIME_HOUR = _TOKEN_RE.groupindex["time"] + 1  # the hour group follows the "time" group
_TIME_MIN = _TIME_HOUR + 1


def _tokens(folded: str) -> list[_Token]:
    result = []
    for match in _TOKEN_RE.finditer(folded):
        kind = match.lastgroup
        if kind is None:
            continue  # trailing spaces
        text = match.group(kind)
        token = _Token(kind, text, match.start(kind))
        if kind == "time":
            token.value = _time_value(match, text)
        elif kind == "word":
            day = _day_of(text)
            if day is not None:
                token.kind, token.value = "day", day
        result.append(token)
    # « mer. » : the dot after an abbreviated day is no separator worth keeping
    return result


# --- Parsing -----------------------------------------------------------------------------------


def _day_span(first: str, last: str) -> list[str]:
    """Days from first to last, wrapping past Sunday (« du samedi au mardi »)."""
    start, end = WEEKDAYS.index(first), WEEKDAYS.index(last)
    if end >= start:
        return WEEKDAYS[start : end + 1]
    return WEEKDAYS[start:] + WEEKDAYS[: end + 1]


def _unreadable(raw: str, why: str) -> ValidationError:
    return ValidationError({"opening_hours": f"Horaires « {raw.strip()} » illisibles : {why}"})


def _check_ranges(day: str, ranges: list[list[str]], raw: str) -> list[list[str]]:
    ranges = sorted(ranges)
    for start, end in ranges:
        if start >= end:
            raise ValidationError(
                {"opening_hours": f"{day.capitalize()} : la plage {start}-{end} finit avant de commencer."})
    for previous, current in zip(ranges, ranges[1:]):
        if current[0] < previous[1]:
            raise ValidationError({"opening_hours": (
                f"{day.capitalize()} : les plages {previous[0]}-{previous[1]} et {current[0]}-{current[1]} "
                "se chevauchent.")})
    return ranges


def parse_opening_hours(text: Optional[str]) -> ParsedHours:
    """Read a whole cell (several days); raises ValidationError({'opening_hours': …}) when unreadable.

    A network's file repeats the same few cells: each distinct text is read once (cached)."""
    hours, remark, error = _parse_cached(text or "")
    if error is not None:
        raise ValidationError({"opening_hours": error})
    return ParsedHours({day: [list(r) for r in ranges] for day, ranges in hours}, remark)


@lru_cache(maxsize=2048)
def _parse_cached(text: str) -> tuple[tuple[tuple[str, tuple[tuple[str, str], ...]], ...], str, Optional[str]]:
    try:
        parsed = _parse(text)
    except ValidationError as exc:
        return (), "", next(iter(exc.errors.values()))
    return tuple((day, tuple((a, b) for a, b in ranges)) for day, ranges in parsed.hours.items()), parsed.remark, None


def _parse(text: str) -> ParsedHours:
    raw = text
    if not raw.strip():
        return ParsedHours()
    folded, positions = _fold_with_map(raw)
    tokens = _tokens(folded)

    hours: dict[str, list[list[str]]] = {}
    closed: set[str] = set()
    remark = ""
    # The group being read: its days, its ranges, and ranges written before any day (« de 9h à 12h le samedi »).
    days: list[str] = []
    ranges: list[list[str]] = []
    pending_ranges: list[list[str]] = []
    mode = "open"  # "closed" after « fermé » / « sauf »: the next days are closed days
    generic_days = False
    seen_any_day = False

    def flush() -> None:
        nonlocal days, ranges
        if days:
            for day in days:
                hours.setdefault(day, []).extend(ranges)
        elif ranges:
            pending_ranges.extend(ranges)
        days, ranges = [], []

    def remark_from(token: _Token) -> str:
        original = raw[positions[token.start]:] if token.start < len(positions) else ""
        original = original.strip().strip(",;/").strip()
        if original.endswith(")") and original.count(")") > original.count("("):
            original = original[:-1].rstrip()  # « (sauf jours fériés) »
        return original

    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.kind
        if kind in ("day", "alldays", "weekdays", "weekend"):
            if kind == "day":
                new_days = [token.value]
                # « mardi au samedi », « lundi-vendredi », « du samedi au mardi »
                if i + 2 < len(tokens) and tokens[i + 1].kind == "to" and tokens[i + 2].kind == "day":
                    new_days = _day_span(token.value, tokens[i + 2].value)
                    i += 2
            elif kind == "alldays":
                new_days = list(WEEKDAYS)
            elif kind == "weekdays":
                new_days = WEEKDAYS[:5]
            else:
                new_days = WEEKDAYS[5:]
            seen_any_day = True
            if mode == "closed":
                closed.update(new_days)
                i += 1
                continue
            if ranges:
                flush()
            days.extend(d for d in new_days if d not in days)
            generic_days = kind != "day"  # « tous les jours », « en semaine », « le week-end »
        elif kind == "time":
            # a range: TIME TO TIME (« 9h-12h », « de 10h à 19h », « 9 h - 12 h », « 9h-midi »)
            if not (i + 2 < len(tokens) and (tokens[i + 1].kind == "to" or tokens[i + 1].text == "/")
                    and tokens[i + 2].kind == "time"):  # « 14h/18h » too
                raise _unreadable(raw, f"l'heure « {raw[positions[token.start]:].split()[0]} » n'est pas suivie "
                                       "d'une heure de fin (exemple : 14h-18h).")
            start, end = token.value, tokens[i + 2].value
            if start is None or end is None:
                bad = token if start is None else tokens[i + 2]
                raise _unreadable(raw, f"« {bad.text} » : heure invalide (exemple : 14h30).")
            if start == "24:00":
                start = "00:00"
            if mode == "closed":
                mode = "open"
            ranges.append([start, end])
            i += 3
            continue
        elif kind == "closed":
            j = i + 1
            while j < len(tokens) and tokens[j].kind == "filler":
                j += 1
            following = tokens[j] if j < len(tokens) else None
            names_days = following is not None and following.kind in ("day", "alldays", "weekdays", "weekend")
            # « fermé le lundi » : an article says the days after « fermé » are the closed ones
            article = any(t.text in ("le", "les", "l'") for t in tokens[i + 1:j])
            if names_days and (article or not days or ranges or generic_days):
                mode = "closed"  # « fermé le lundi », « tous les jours, fermé le lundi », « mardi au samedi, fermé le lundi »
            elif days and not ranges and not generic_days and (following is None or names_days):
                closed.update(days)  # « dimanche fermé », « Lundi : fermé, Mardi : 10h-19h »
                days = []
            elif following is None and ranges:
                pass  # « 9h-12h, fermé » : nothing more to say
            else:
                # « fermé les jours fériés », « du mardi au samedi, fermé en août » : the days read so far stay
                # open, the rest is a remark
                remark = remark_from(token)
                break
        elif kind == "except":
            following = next((t for t in tokens[i + 1:] if t.kind != "filler"), None)
            if following is not None and following.kind in ("day", "weekdays", "weekend"):
                flush()
                mode = "closed"  # « tous les jours sauf le lundi »
            else:
                remark = remark_from(token)  # « sauf jours fériés »
                break
        elif kind == "remark":
            remark = remark_from(token)
            break
        elif kind == "partofday":
            # « dimanche matin 9h-12h » : the hours say it all; « mercredi après-midi » alone is kept as a remark
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following is None or following.kind != "time":
                if any(t.kind in ("day", "time", "alldays") for t in tokens[i + 1:]):
                    written = raw[positions[token.start]: positions[token.start + len(token.text) - 1] + 1]
                    raise _unreadable(raw, f"« {written} » sans horaires (exemple : samedi matin 9h-12h).")
                remark = remark_from(token)
                break
        elif kind in ("filler", "label", "unknown"):
            if token.text in (";", "\n"):
                flush()  # « mardi : ouvert; samedi 10h-12h » : a new group
                mode = "open"  # « fermé lundi et mardi ; mercredi 9h-12h »
            elif days and not ranges and (kind == "unknown" or token.text.startswith("ouvert")):
                flush()  # « vendredi ouvert (horaires non précisés), samedi 10h-12h »
        elif kind == "to":
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            after_range = i >= 1 and tokens[i - 1].kind == "time"
            if not (after_range and (following is None or following.kind in ("day", "alldays", "weekdays", "weekend"))):
                raise _unreadable(raw, f"« {token.text} » sans jour ni heure avant lui.")
            # « 10h-12h / 14h-18h - Samedi : 10h-18h » : a dash between two groups separates them
        else:  # an unknown word
            rest_has_more = any(t.kind in ("day", "time", "alldays") for t in tokens[i + 1:])
            if seen_any_day and not rest_has_more:
                remark = remark_from(token)  # « mercredi 14h-18h l'hiver »
                break
            word = raw[positions[token.start]: positions[token.start + len(token.text) - 1] + 1]
            raise ValidationError({"opening_hours": (
                f"Jour « {word} » inconnu dans « {raw.strip()} » (jours : lundi… dimanche ; "
                "exemple : du mardi au samedi 10h-19h).")})
        i += 1
    flush()

    if pending_ranges:
        # Ranges with no day after them: they belong to the days read just before (« mardi au samedi, 10h-19h »)
        # or, when no day was given at all, the cell cannot be understood.
        open_days = [d for d in WEEKDAYS if d in hours and not hours[d]]
        if not open_days and hours:
            raise _unreadable(raw, "des horaires sans jour (exemple : mercredi 14h-18h).")
        if not hours:
            raise _unreadable(raw, "indiquez les jours avant les horaires (exemple : mercredi 14h-18h).")
        for day in open_days:
            hours[day] = list(pending_ranges)
    for day in closed:
        hours.pop(day, None)
    if not hours and not remark and closed:
        # « fermé le lundi » alone: nothing known about the open days, the sentence is kept.
        remark = raw.strip()
    if not hours and not closed:  # a remark alone (« sur rendez-vous », « le matin ») says no day
        raise _unreadable(raw, "aucun jour reconnu (exemple : du mardi au samedi 10h-19h).")
    checked = {day: _check_ranges(day, hours[day], raw) for day in WEEKDAYS if day in hours}
    # one day named twice with the same range (« mercredi 9h-12h, mercredi 9h-12h ») is said once
    checked = {day: [list(r) for r in dict.fromkeys(tuple(r) for r in ranges_)] for day, ranges_ in checked.items()}
    return ParsedHours(checked, remark)


def parse_day(text: Optional[str], day: str) -> Optional[list[list[str]]]:
    """One day's field of the form: '' or « fermé » → None (closed); « ouvert », « ? » → [] (open, hours
    not given); '9h-12h 14h-18h' → ranges. Raises ValidationError({'hours_<day>': …})."""
    raw = (text or "").strip()
    if not raw:
        return None
    ranges, error = _parse_day_cached(raw, day)
    if error is not None:
        raise ValidationError({f"hours_{day}": error})
    return None if ranges is None else [list(r) for r in ranges]


@lru_cache(maxsize=2048)
def _parse_day_cached(raw: str, day: str) -> tuple[Optional[tuple[tuple[str, str], ...]], Optional[str]]:
    """(ranges or None, error message or None); an import checks every day of every row: each distinct
    (text, day) is read once."""
    folded, _positions = _fold_with_map(raw)
    if re.fullmatch(r"ferm(e|ee)?\.?", folded):
        return None, None
    unreadable = (f"{day.capitalize()} : horaires « {raw} » illisibles (exemple : 09:00-12:00 14:00-18:00, "
                  "ou « ouvert » si les horaires ne sont pas connus).")
    try:
        parsed = parse_opening_hours(f"{day} {raw}")
    except ValidationError as exc:
        message = exc.errors.get("opening_hours", "")
        if "heure invalide" in message:
            message = f"{day.capitalize()} : la plage « {raw} » contient une heure invalide (exemple : 09:00-12:00)."
        elif message.startswith(("Horaires", "Jour")):
            message = unreadable
        return None, message
    if parsed.remark or set(parsed.hours) - {day}:
        return None, unreadable
    return tuple((a, b) for a, b in parsed.hours.get(day, [])), None


# --- Writing -----------------------------------------------------------------------------------


def day_text(ranges: list) -> str:
    """One day as the form shows it: '09:00-12:00 14:00-18:00', or « ouvert » when hours are not given."""
    return " ".join(f"{start}-{end}" for start, end in ranges) if ranges else "ouvert"


def join_days(days: list[str]) -> str:
    """['mardi', …, 'samedi'] → 'du mardi au samedi' (three days or more in a row, also across Sunday:
    'du samedi au mardi'); otherwise 'mercredi et samedi', 'lundi, mercredi et vendredi'."""
    days = [d for d in WEEKDAYS if d in days]
    if 3 <= len(days) < 7:
        indexes = [WEEKDAYS.index(d) for d in days]
        # the run starts at the one day whose eve is not in the list
        starts = [i for i in indexes if (i - 1) % 7 not in indexes]
        if len(starts) == 1:
            first = starts[0]
            last = (first + len(days) - 1) % 7
            return f"du {WEEKDAYS[first]} au {WEEKDAYS[last]}"
    if len(days) == 7:
        return "tous les jours"
    if len(days) == 1:
        return days[0]
    return ", ".join(days[:-1]) + " et " + days[-1]


def format_hours(hours: Optional[dict]) -> str:
    """The readable text form (forms, CSV/XLSX, GeoJSON), which the parser reads back:
    'mercredi 09:00-12:00 14:00-18:00; samedi 09:30-12:30'. Three days or more in a row with the same
    hours are grouped ('du mardi au samedi 10:00-19:00'), and so are days open with hours not given
    ('du mardi au samedi : ouvert (horaires non précisés)')."""
    hours = hours or {}
    runs: list[tuple[Optional[list], list[str]]] = []
    for day in WEEKDAYS:
        value = hours.get(day) if day in hours else None
        if runs and runs[-1][0] == value and value is not None:
            runs[-1][1].append(day)
        else:
            runs.append((value, [day]))
    if len(runs) > 2 and runs[0][0] is not None and runs[0][0] == runs[-1][0]:
        # the week « turns »: Saturday to Tuesday is one run (« du samedi au mardi »)
        first = runs.pop(0)
        runs[-1] = (runs[-1][0], runs[-1][1] + first[1])
    parts: list[tuple[int, str]] = []  # (first weekday, text), in week order
    for value, days in runs:
        if value is None:
            continue
        first = min(WEEKDAYS.index(d) for d in days)
        if not value:
            parts.append((first, f"{join_days(days)} : {UNKNOWN_HOURS_TEXT}"))
        elif len(days) >= 3:
            parts.append((first, f"{join_days(days)} {day_text(value)}"))
        else:
            parts.extend((WEEKDAYS.index(day), f"{day} {day_text(value)}") for day in days)
    return "; ".join(text for _index, text in sorted(parts))


def osm_opening_hours(hours: Optional[dict]) -> str:
    """OpenStreetMap's opening_hours syntax: 'We 14:00-18:00; Sa 10:00-18:00', days with the same hours
    grouped ('Tu-Sa 10:00-19:00'); days open with hours not given: 'Tu-Sa unknown "horaires non précisés"'."""
    hours = hours or {}
    groups: list[tuple[str, list[int]]] = []  # rule text → day indexes
    for index, day in enumerate(WEEKDAYS):
        if day not in hours or hours[day] is None:
            continue
        ranges = hours[day]
        text = ",".join(f"{start}-{end}" for start, end in ranges) if ranges else 'unknown "horaires non précisés"'
        for rule, indexes in groups:
            if rule == text:
                indexes.append(index)
                break
        else:
            groups.append((text, [index]))
    rules = []
    for text, indexes in groups:
        runs: list[list[int]] = []
        for index in indexes:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        selector = ",".join(
            f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}" if len(run) > 2 else ",".join(OSM_DAYS[i] for i in run)
            for run in runs
        )
        rules.append(f"{selector} {text}")
    return "; ".join(rules)


def is_open_on_weekday(hours: Optional[dict], day: str) -> bool:
    """Open that weekday, with or without known hours."""
    return day in (hours or {}) and (hours or {})[day] is not None
