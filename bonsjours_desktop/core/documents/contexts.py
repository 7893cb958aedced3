"""Template contexts, one module per kind of document; this module gathers them under one name.

Where things live:
- catalogue.py — the kinds, their labels and default templates, and the documented variables (VARIABLES);
- common.py — what every context shares (edition, common variables, people, shops as template dicts, hours);
- partners.py — the edition's partners and what press kits and role sheets share (press_kit_shared);
- directory.py, bilan.py, delivery.py — the directory, the review report and the delivery sheets;
- press.py, role_sheets.py — the press kits and the role sheets.
"""

from __future__ import annotations

from .bilan import ZERO, _answered, _results, bilan_context, budget_summary
from .catalogue import (
    DEFAULT_TEMPLATES,
    DIRECTORY_A4_TEMPLATE,
    DIRECTORY_MAP_WIDTH_MM,
    DIRECTORY_SUBTITLE,
    DIRECTORY_TITLE,
    KIND_LABELS,
    KINDS,
    NO_TERRITORY,
    OPERATION_AIMS,
    OPERATION_PRESENTATION,
    OPERATION_TITLE,
    PAGE_FORMATS,
    VARIABLES,
    Variable,
    variable_names,
)
from .common import (
    _animation_dict,
    _change,
    _common,
    _day_text,
    _edition,
    _edition_dict,
    _join_fr,
    _participations,
    _percent,
    _person,
    _previous_summary,
    _ranges_text,
    _setting,
    _shop_dict,
    _shop_sort_key,
    _shops,
    _time,
    days_short,
    hours_text,
)
from .delivery import GAMES, RoundKey, _lower_first, _stop_hours, _things_text, delivery_rounds, delivery_sheet_context
from .directory import MapPoint, directory_context, map_points
from .partners import (
    _animator_orgs,
    _partner_roles_text,
    _roles_of,
    edition_partners,
    find_organisations,
    press_kit_shared,
)

__all__ = [
    "KINDS", "KIND_LABELS", "DEFAULT_TEMPLATES", "DIRECTORY_A4_TEMPLATE", "DIRECTORY_MAP_WIDTH_MM", "PAGE_FORMATS",
    "DIRECTORY_TITLE", "DIRECTORY_SUBTITLE", "NO_TERRITORY", "OPERATION_TITLE", "OPERATION_PRESENTATION",
    "OPERATION_AIMS", "VARIABLES", "Variable", "variable_names", "RoundKey", "GAMES", "ZERO",
    "directory_context", "bilan_context", "budget_summary", "delivery_rounds", "delivery_sheet_context",
    "edition_partners", "find_organisations", "press_kit_shared", "hours_text", "days_short", "map_points", "MapPoint",
    # helpers shared by the press kits and role sheets, and tested on their own
    "_animation_dict", "_change", "_common", "_day_text", "_edition", "_edition_dict", "_join_fr", "_participations",
    "_percent", "_person", "_previous_summary", "_ranges_text", "_setting", "_shop_dict", "_shop_sort_key", "_shops",
    "_time", "_answered", "_results", "_lower_first", "_stop_hours", "_things_text", "_animator_orgs",
    "_partner_roles_text", "_roles_of",
]
