"""Field checks shared by every form and import: French messages, normalised values."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from .errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]{2,}$")
URL_RE = re.compile(r"^(https?://)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:hH]([0-5]\d)?$")
# Characters that break Word files or terminals: C0 controls except tab, newline, carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    return CONTROL_RE.sub("", text)


_STRIP_CONTROLS = CONTROL_RE.sub


def clean_text(value: Optional[str]) -> str:
    """Text exactly as typed, minus control characters pasted from other software."""
    return _STRIP_CONTROLS("", value) if value else ""  # strip_controls, one call less (an import: millions)


def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(no_marks.casefold().replace("’", "'").split())


_FOLDED_WORDS: dict[str, str] = {}


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Émmaüs  Angers' → 'emmaus angers'.

    Word by word, each word folded once per run: decomposing, case folding and dropping marks never
    cross a space, and an import folds the same few thousand words tens of thousands of times."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    words = _FOLDED_WORDS
    parts = []
    for word in text.split():
        folded = words.get(word)
        if folded is None:
            # An ASCII word has no marks to drop and no compatibility form: its lower case is its key.
            folded = word.lower() if word.isascii() else _fold_word(word)
            if len(words) < 200_000:
                words[word] = folded
        if folded:
            parts.append(folded)
    return " ".join(parts)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SEPARATOR = "\x00"


def fold_many(texts: list[str]) -> list[str]:
    """[fold(text) for text in texts], the same keys, in a few passes over the texts joined: a table's
    10 000 search texts took ~45 ms folded one by one, ~15 ms this way.

    Decomposing, dropping combining marks and case folding never cross a space (fold works word by word
    for that reason), nor the NUL separating the texts here; a text holding a NUL itself is folded alone."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return [fold(text) for text in texts]
    if joined.isascii():
        lines = joined.lower().split(_SEPARATOR)
    else:
        decomposed = unicodedata.normalize("NFKD", joined)
        marks = sorted(c for c in set(_NON_ASCII.findall(decomposed)) if unicodedata.combining(c))
        if marks:
            decomposed = re.sub("[" + "".join(re.escape(c) for c in marks) + "]", "", decomposed)
        lines = decomposed.casefold().replace("’", "'").split(_SEPARATOR)
    return [" ".join(line.split()) for line in lines] if texts else []


def required(value: Optional[str], field: str, label: str) -> str:
    text = clean_text(value)
    if not text.strip():
        raise ValidationError({field: f"{label} est obligatoire."})
    return text


def postal_code(value: Optional[str], field: str = "postal_code") -> str:
    """'49000', '49 000', '49000.0' (a number cell from Excel), '1000' → '01000' (a real code whose
    leading zero Excel dropped); anything else is an error naming the value."""
    text = (value or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return ""
    number = re.fullmatch(r"(\d{4,5})[.,]0+", text)
    if number:
        text = number.group(1)  # 49000.0: the cell was a number
    if len(text) == 4 and text.isdigit():
        # Excel turns « 01000 » into 1000: the zero comes back only when the padded code exists
        # (La Poste's list in resources/geo); « 4925 » is a typo of a 49xxx code, not « 04925 ».
        from . import geo

        if geo.is_postal_code("0" + text):
            text = "0" + text
    if not re.fullmatch(r"\d{5}", text):
        raise ValidationError({field: f"Code postal « {(value or '').strip()} » : 5 chiffres attendus (exemple : 49000)."})
    return text


def email(value: Optional[str], field: str = "email") -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not EMAIL_RE.match(text):
        raise ValidationError({field: f"L'adresse électronique « {value} » n'est pas valide (exemple : nom@domaine.fr)."})
    return text


def website(value: Optional[str], field: str = "website") -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if not URL_RE.match(text):
        raise ValidationError({field: f"L'adresse du site « {value} » n'est pas valide (exemple : www.exemple.fr)."})
    return text


_PHONE_WRITTEN_RE = re.compile(r"0[1-9](?: \d\d){4}")


def phone(value: Optional[str], field: str = "phone") -> str:
    """French numbers normalised to '02 41 00 00 00'; +33 / 0033 prefixes accepted."""
    text = (value or "").strip()
    if not text:
        return ""
    if _PHONE_WRITTEN_RE.fullmatch(text):
        return text  # already « 02 41 00 00 00 »: what the steps below would give back
    # « +33 (0)2 41 … »: the (0) is the trunk prefix written for French readers, dropped with +33.
    text = re.sub(r"^(\+|00)\s*33\s*\(\s*0\s*\)", "+33", text)
    digits = re.sub(r"[\s.\-/()\u00a0]", "", text)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if len(digits) == 11 and digits.startswith("00"):
        digits = digits[1:]  # « +33 0 2 41 … »
    if len(digits) == 9 and digits.isdigit() and digits[0] != "0":
        digits = "0" + digits  # Excel drops the leading zero
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValidationError(
            {field: f"Le numéro de téléphone « {value} » n'est pas un numéro français à 10 chiffres (exemple : 02 41 00 00 00)."}
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")  # no underscores, exponents or thousands separators
_DOT_PAIR_RE = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:[,;]|\s)\s*([+-]?\d+(?:\.\d+)?)")
_COMMA_PAIR_RE = re.compile(r"([+-]?\d+(?:,\d+)?)\s*(?:;|,\s|\s)\s*([+-]?\d+(?:,\d+)?)")


def _parse_float(text: str) -> float:
    """A decimal number as typed in France or elsewhere: '47,4711', '47.4711', '-0,55'. Python's float()
    would also take '4_7', '1e3', 'nan' or 'inf': none of them is a coordinate."""
    text = text.strip().replace("\u2212", "-")
    if not _NUMBER_RE.fullmatch(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


def split_pair(text: str) -> Optional[tuple[str, str]]:
    """A pasted 'latitude, longitude' pair, in either notation: '47.47, -0.55', '47.47 -0.55',
    '47,47 ; -0,55', '47,47 -0,55', '47,47, -0,55'. A lone '47,4711' is one French decimal, not a pair."""
    text = text.strip().replace("\u2212", "-")
    dot = _DOT_PAIR_RE.fullmatch(text)
    if dot and ("." in text or re.search(r"[;\s]", text)):
        return dot.group(1), dot.group(2)
    comma = _COMMA_PAIR_RE.fullmatch(text)
    if comma:
        return comma.group(1), comma.group(2)
    return None


def coordinates(
    latitude: Optional[str | float], longitude: Optional[str | float], field: str = "latitude"
) -> tuple[Optional[float], Optional[float]]:
    """Accepts two values, or a pasted '47.4711, -0.5518' pair in latitude; decimal commas too."""
    lat_text = "" if latitude is None else str(latitude).strip()
    lon_text = "" if longitude is None else str(longitude).strip()
    if lat_text and not lon_text:
        pair = split_pair(lat_text)
        if pair:
            lat_text, lon_text = pair
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        raise ValidationError({field: "Indiquez la latitude et la longitude, ou aucune des deux."})
    try:
        lat = _parse_float(lat_text)
    except ValueError:
        raise ValidationError({"latitude": f"La latitude « {lat_text} » n'est pas un nombre (exemple : 47,4711)."}) from None
    try:
        lon = _parse_float(lon_text)
    except ValueError:
        raise ValidationError({"longitude": f"La longitude « {lon_text} » n'est pas un nombre (exemple : -0,5518)."}) from None
    if not -90 <= lat <= 90:
        raise ValidationError({"latitude": f"La latitude {lat_text} doit être comprise entre -90 et 90."})
    if not -180 <= lon <= 180:
        raise ValidationError({"longitude": f"La longitude {lon_text} doit être comprise entre -180 et 180."})
    return lat, lon


def check_coordinates(latitude: Optional[float], longitude: Optional[float],
                      departement_code: Optional[str] = None) -> list[str]:
    """Warnings (never errors) about a valid point: latitude and longitude swapped, or outside the
    coordinator's département (its real contour, core/geo.py; 49 when no code is given). An empty list
    when the point is where a shop is expected, or when there is none. The one place every caller asks
    (shop form, saving, import)."""
    if latitude is None or longitude is None:
        return []
    from . import geo

    warning = geo.coordinates_warning(latitude, longitude, departement_code or geo.DEFAULT_DEPARTEMENT)
    return [warning] if warning else []


def time_of_day(value: Optional[str], field: str = "heure") -> str:
    """'9h', '9:00', '14h30' → '09:00', '14:30'."""
    text = (value or "").strip()
    if not text:
        return ""
    match = TIME_RE.match(text)
    if not match:
        raise ValidationError({field: f"L'heure « {value} » n'est pas valide (exemple : 14:30)."})
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def collect(*checks) -> None:
    """Run several zero-argument checks and raise one ValidationError holding every message."""
    errors: dict[str, str] = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
