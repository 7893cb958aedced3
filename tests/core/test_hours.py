"""Opening hours as coordinators write them: every wording of issue #17, the « open, hours not given »
day, remarks kept, warnings (never a lost shop) at import, XLSX time cells, OpenStreetMap export."""

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import select

from bonsjours_desktop.core.documents.contexts import hours_text
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.hours import format_hours, osm_opening_hours, parse_day, parse_opening_hours
from bonsjours_desktop.core.io.shops_io import geojson_collection, export_shops_data, import_shops, plan_import, read_table
from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.core.shops import ShopInput, create_shop, list_shop_rows, shop_input

TU_SA = ["mardi", "mercredi", "jeudi", "vendredi", "samedi"]


def same(days, ranges):
    return {day: [list(r) for r in ranges] for day in days}


WORDINGS = [
    ("Jours d'ouverture: mardi au samedi", same(TU_SA, []), ""),
    ("Jours d’ouverture : Mardi au Samedi", same(TU_SA, []), ""),
    ("du mardi au samedi de 10h à 19h", same(TU_SA, [("10:00", "19:00")]), ""),
    ("mercredi de 14h à 18h", same(["mercredi"], [("14:00", "18:00")]), ""),
    ("mercredi 14h-18h et samedi 10h-18h",
     {"mercredi": [["14:00", "18:00"]], "samedi": [["10:00", "18:00"]]}, ""),
    ("Mercredi : 14h-18h, Samedi : 10h-18h",
     {"mercredi": [["14:00", "18:00"]], "samedi": [["10:00", "18:00"]]}, ""),
    ("samedi 9 h - 12 h", same(["samedi"], [("09:00", "12:00")]), ""),
    ("du samedi au mardi", same(["lundi", "mardi", "samedi", "dimanche"], []), ""),
    ("du mardi au samedi 10h-19h sauf jours fériés", same(TU_SA, [("10:00", "19:00")]), "sauf jours fériés"),
    ("mardi au samedi, 10h-19h (sauf jours fériés)", same(TU_SA, [("10:00", "19:00")]), "sauf jours fériés"),
    ("mercredi 9h-midi", same(["mercredi"], [("09:00", "12:00")]), ""),
    ("samedi de 9h à midi et de 14h à 18h", same(["samedi"], [("09:00", "12:00"), ("14:00", "18:00")]), ""),
    ("tous les jours 10h-18h, fermé le lundi",
     same(["mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], [("10:00", "18:00")]), ""),
    ("tous les jours sauf le lundi", same(["mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], []), ""),
    ("fermé le lundi", {}, "fermé le lundi"),
    ("tous les jours", same(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], []), ""),
    ("Mer. 9h-12h / 14h-18h", same(["mercredi"], [("09:00", "12:00"), ("14:00", "18:00")]), ""),
    ("mercredi/samedi 9H30-12H", same(["mercredi", "samedi"], [("09:30", "12:00")]), ""),
    ("mercredi 9:30-12:00 14:00-18:00", same(["mercredi"], [("09:30", "12:00"), ("14:00", "18:00")]), ""),
    ("lundi-vendredi 9h-17h", same(["lundi", "mardi", "mercredi", "jeudi", "vendredi"], [("09:00", "17:00")]), ""),
    ("de 9h à 12h le samedi", same(["samedi"], [("09:00", "12:00")]), ""),
    ("les samedis 10h-12h", same(["samedi"], [("10:00", "12:00")]), ""),
    ("mercredi 14h-18h sur rendez-vous", same(["mercredi"], [("14:00", "18:00")]), "sur rendez-vous"),
    ("mercredi et samedi 14h-18h; dimanche fermé", same(["mercredi", "samedi"], [("14:00", "18:00")]), ""),
    ("du mardi au samedi : ouvert (horaires non précisés)", same(TU_SA, []), ""),
    ("Du mardi au vendredi : 10h-12h / 14h-18h - Samedi : 10h-18h",
     {**same(["mardi", "mercredi", "jeudi", "vendredi"], [("10:00", "12:00"), ("14:00", "18:00")]),
      "samedi": [["10:00", "18:00"]]}, ""),
    ("Lundi : fermé, Mardi : 10h-19h", same(["mardi"], [("10:00", "19:00")]), ""),
    ("tous les jours, fermé le lundi", same(["mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], []), ""),
    ("Du Mardi au Samedi de 10 h à 12 h 30 et de 14 h à 19 h", same(TU_SA, [("10:00", "12:30"), ("14:00", "19:00")]), ""),
    ("10h00 - 12h00 et 14h00 - 18h00 du mardi au samedi", same(TU_SA, [("10:00", "12:00"), ("14:00", "18:00")]), ""),
    ("mercredi : 14h/18h", same(["mercredi"], [("14:00", "18:00")]), ""),
    ("le mercredi de 14 à 18 heures", same(["mercredi"], [("14:00", "18:00")]), ""),
    ("samedi 10h-18h, dimanche matin 9h-12h", {"samedi": [["10:00", "18:00"]], "dimanche": [["09:00", "12:00"]]}, ""),
    ("mercredi après-midi", same(["mercredi"], []), "après-midi"),
    # « fermé » followed by a period is a remark: the days before it stay open (they were all lost)
    ("du mardi au samedi, fermé en août", same(TU_SA, []), "fermé en août"),
    ("mardi au samedi (fermé en août)", same(TU_SA, []), "fermé en août"),
    ("mardi-samedi, fermé pendant les vacances scolaires", same(TU_SA, []), "fermé pendant les vacances scolaires"),
    ("samedi fermé les jours fériés", same(["samedi"], []), "fermé les jours fériés"),
    ("mercredi, fermeture annuelle en août", same(["mercredi"], []), "fermeture annuelle en août"),
    # « fermé le lundi » after open days closes Monday, not the days before it (which became « lundi » alone)
    ("du mardi au samedi, fermé le lundi", same(TU_SA, []), ""),
    ("lundi fermé; mardi 10h-19h", same(["mardi"], [("10:00", "19:00")]), ""),
    ("tous les samedis", same(["samedi"], []), ""),
    ("tous les mercredis et samedis 14h-18h", same(["mercredi", "samedi"], [("14:00", "18:00")]), ""),
    ("chaque samedi 9h-12h", same(["samedi"], [("09:00", "12:00")]), ""),
    ("samedi journée continue 10h-18h", same(["samedi"], [("10:00", "18:00")]), ""),
    ("samedi 10h-18h non-stop", same(["samedi"], [("10:00", "18:00")]), ""),
    ("samedi toute la journée", same(["samedi"], []), ""),
    ("Horaires : 7j/7 de 9h à 19h", same(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
                                         [("09:00", "19:00")]), ""),
]


@pytest.mark.parametrize("text, hours, remark", WORDINGS, ids=[w[0] for w in WORDINGS])
def test_every_wording_is_read(text, hours, remark):
    parsed = parse_opening_hours(text)
    assert parsed.hours == hours
    assert parsed.remark == remark
    # What the app writes is read back the same (CSV/XLSX round trip).
    assert parse_opening_hours(format_hours(parsed.hours)).hours == hours


@pytest.mark.parametrize("text, expected", [
    ("jour 9h-12h", "Jour « jour » inconnu"),
    ("9h-12h", "indiquez les jours"),
    ("mercredi 9h", "n'est pas suivie d'une heure de fin"),
    ("mercredi 12h-9h", "finit avant de commencer"),
    ("mercredi 25h-26h", "heure invalide"),
    ("mercredi 9h-12h 11h-13h", "se chevauchent"),
    ("Mercredi Après-Midi et samedi 10h-12h", "« Après-Midi » sans horaires"),  # as typed, not folded
])
def test_unreadable_hours_say_why_in_french(text, expected):
    with pytest.raises(ValidationError, match=expected):
        parse_opening_hours(text)


def test_one_day_field_of_the_form():
    assert parse_day("", "mercredi") is None
    assert parse_day("fermé", "mercredi") is None
    assert parse_day("ouvert", "mercredi") == []
    assert parse_day("9 h - 12 h", "mercredi") == [["09:00", "12:00"]]
    with pytest.raises(ValidationError, match="illisibles"):
        parse_day("samedi 9h-12h", "mercredi")


@pytest.mark.parametrize("text", [w[0] for w in WORDINGS if w[1]])
def test_openstreetmap_form_means_the_same_hours(text):
    """The OSM string is checked by OpenStreetMap's own grammar (opening-hours-py), hour by hour."""
    import opening_hours
    hours = parse_opening_hours(text).hours
    osm = opening_hours.OpeningHours(osm_opening_hours(hours))
    monday = dt.datetime(2026, 11, 30)
    for index, day in enumerate(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]):
        for minute in range(0, 24 * 60, 30):
            moment = monday + dt.timedelta(days=index, minutes=minute)
            clock = moment.strftime("%H:%M")
            if day not in hours:
                expected = "CLOSED"
            elif not hours[day]:
                expected = "UNKNOWN"
            else:
                expected = "OPEN" if any(start <= clock < end for start, end in hours[day]) else "CLOSED"
            assert osm.state(moment)[0] == getattr(opening_hours.State, expected), (text, day, clock)


def test_readable_french_and_openstreetmap_forms():
    hours = {"mardi": [], "mercredi": [["14:00", "18:00"]], "jeudi": [], "vendredi": [], "samedi": [["10:00", "18:00"]]}
    assert format_hours(hours) == ("mardi : ouvert (horaires non précisés); mercredi 14:00-18:00; "
                                   "jeudi et vendredi : ouvert (horaires non précisés); samedi 10:00-18:00")
    assert osm_opening_hours(hours) == 'Tu,Th,Fr unknown "horaires non précisés"; We 14:00-18:00; Sa 10:00-18:00'
    assert osm_opening_hours(same(TU_SA, [("10:00", "12:00"), ("14:00", "19:00")])) == "Tu-Sa 10:00-12:00,14:00-19:00"
    # Documents: grouped days, the unknown hours said in words.
    assert hours_text(same(TU_SA, [])) == "du mardi au samedi : ouvert (horaires non précisés)"
    assert hours_text(same(["samedi", "dimanche", "lundi"], [("10:00", "12:00")])) == "du samedi au lundi : 10h–12h"


def test_open_day_without_hours_through_form_list_and_export(ops):
    shop_id = ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name="Recyclerie", commune="Baugé", latitude="47,54", longitude="-0,1",
        opening_hours={"mardi": "ouvert", "samedi": "10h-12h"}))).value.shop_id
    stored = ops.read(lambda s: s.get(Shop, shop_id).opening_hours)
    assert stored == {"mardi": [], "samedi": [["10:00", "12:00"]]}
    assert ops.read(lambda s: shop_input(s, shop_id)).opening_hours == {"mardi": "ouvert", "samedi": "10:00-12:00"}
    row = ops.read(list_shop_rows)[0]
    assert row.open_days == ("mardi", "samedi")
    props = geojson_collection(ops.read(export_shops_data))["features"][0]["properties"]
    assert props["opening_hours"] == "mardi : ouvert (horaires non précisés); samedi 10:00-12:00"
    assert props["opening_hours_osm"] == 'Tu unknown "horaires non précisés"; Sa 10:00-12:00'


def _csv(tmp_path, body):
    path = tmp_path / "boutiques.csv"
    path.write_text("Nom;Commune;Jours d'ouverture;Notes\n" + body, encoding="utf-8")
    return read_table(path)


def test_unreadable_hours_are_a_warning_the_shop_comes_in_with_the_text_in_its_notes(ops, tmp_path):
    table = _csv(tmp_path, "Ressourcerie;Angers;le matin surtout, 9h;Une note\n"
                           "Emmaüs;Cholet;du mardi au samedi 10h-19h sauf jours fériés;\n"
                           "Envie;Saumur;Jours d'ouverture: mardi au samedi;\n")
    plan = ops.read(lambda s: plan_import(s, table))
    assert plan.problems == ()
    assert [(w.line, w.column, w.value, w.level) for w in plan.warnings] == [
        (2, "Jours d'ouverture", "le matin surtout, 9h", "avertissement"),
        (3, "Jours d'ouverture", "du mardi au samedi 10h-19h sauf jours fériés", "avertissement"),
    ]
    assert "recopiée dans les notes" in plan.warnings[1].message
    assert plan.warnings_sentence().startswith("2 avertissement(s) sur 2 ligne(s), dont 2 sans erreur : importée(s)")
    # Even with --skip-invalid (or without), no shop is lost.
    for skip in (False, True):
        result = ops.run("Importer", lambda s: import_shops(s, table, skip_invalid=skip)).value
        assert result.created + result.updated == 3 and result.skipped_lines == ()
    shops = ops.read(lambda s: {x.name: (x.opening_hours, x.notes) for x in s.scalars(select(Shop))})
    assert shops["Ressourcerie"] == ({}, "Une note\nHoraires (non reconnus à l'import) : le matin surtout, 9h")
    assert shops["Emmaüs"] == (same(TU_SA, [("10:00", "19:00")]), "Horaires : sauf jours fériés")
    assert shops["Envie"] == (same(TU_SA, []), "")


def test_a_days_column_and_an_hours_column_are_read_together(ops, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Nom;Commune;Jours d'ouverture;Horaires\nA;Angers;mardi au samedi;10h-19h\n", encoding="utf-8")
    plan = ops.read(lambda s: plan_import(s, read_table(path)))
    assert plan.ignored_columns == () and plan.warnings == ()
    assert plan.rows[0].clean.opening_hours == same(TU_SA, [("10:00", "19:00")])


def test_xlsx_time_cells_are_times_never_1900_dates(ops, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Commune", "Jours d'ouverture", "Heure d'ouverture", "Heure de fermeture"])
    sheet.append(["Recyclerie", "Angers", "mardi au samedi", dt.time(10, 0), dt.datetime(1900, 1, 1, 19, 30)])
    sheet["D2"].number_format = "hh:mm"
    sheet["E2"].number_format = "hh:mm"
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert "01/01/1900" not in " ".join(table.rows[0].cells)
    plan = ops.read(lambda s: plan_import(s, table))
    assert plan.problems == () and plan.warnings == ()
    assert plan.rows[0].clean.opening_hours == same(TU_SA, [("10:00", "19:30")])


def test_import_reads_excel_numbers_and_warns_about_swapped_coordinates(ops, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Nom;Commune;Code postal;Téléphone;Latitude;Longitude\n"
                    "Inversée;Angers;49000.0;+33 (0)2 41 00 00 00;-0,5518;47,4711\n"
                    "Faute;Angers;4925;;47,4711;-0,5518\n", encoding="utf-8")
    plan = ops.read(lambda s: plan_import(s, read_table(path)))
    assert [(p.line, p.column, p.value, p.message) for p in plan.problems] == [
        (3, "Code postal", "4925", "Code postal « 4925 » : 5 chiffres attendus (exemple : 49000).")]
    [warning] = plan.warnings
    assert plan.warnings_sentence().startswith("1 avertissement(s) sur 1 ligne(s), dont 1 sans erreur")
    assert (warning.line, warning.column, warning.value) == (2, "Latitude", "-0,5518 ; 47,4711")
    assert warning.message.startswith("Latitude et longitude semblent inversées")
    clean = plan.rows[0].clean
    assert (clean.postal_code, clean.phone) == ("49000", "02 41 00 00 00")


_RANGES = st.lists(st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(1, 120)), max_size=3)


@st.composite
def stored_hours(draw):
    """Hours as stored: some days closed (absent), some open without hours ([]), others with ranges."""
    hours = {}
    for day in ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]:
        kind = draw(st.sampled_from(["closed", "unknown", "ranges"]))
        if kind == "unknown":
            hours[day] = []
        elif kind == "ranges":
            ranges, cursor = [], 0
            for hour, minute, length in draw(_RANGES):
                start = max(cursor, hour * 60 + minute)
                end = start + length
                if end >= 24 * 60:
                    break
                ranges.append([f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"])
                cursor = end + 1
            if ranges:
                hours[day] = ranges
    return hours


@settings(max_examples=150, deadline=None)
@given(stored_hours())
def test_what_the_app_writes_is_read_back_identically(hours):
    assert parse_opening_hours(format_hours(hours)).hours == hours


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("lundimarsecjvbfé0123456789hH:-–/;,. ()'àauxetdufermsauftous")), max_size=40))
def test_any_text_is_read_or_refused_in_french_never_a_crash(text):
    try:
        parsed = parse_opening_hours(text)
    except ValidationError as exc:
        assert set(exc.errors) == {"opening_hours"}
        return
    for ranges in parsed.hours.values():
        assert all(start < end for start, end in ranges)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_open_days_without_hours_survive_export_and_reimport(demo_ops, tmp_path, fmt):
    from bonsjours_desktop.core.io.shops_io import export_shops

    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name="Recyclerie", commune="Baugé", notes="Horaires : sauf jours fériés",
        opening_hours={"mardi": "ouvert", "mercredi": "14h-18h", "jeudi": "ouvert", "vendredi": "ouvert",
                       "samedi": "ouvert", "dimanche": "ouvert"})))

    def snapshot(session):
        return {(x.name, x.commune): (x.opening_hours, x.notes) for x in session.scalars(select(Shop))}

    before = demo_ops.read(snapshot)
    path = tmp_path / f"boutiques.{fmt}"
    demo_ops.read(lambda s: export_shops(s, path, fmt))
    table = read_table(path)
    plan = demo_ops.read(lambda s: plan_import(s, table))
    assert plan.problems == () and plan.warnings == ()
    demo_ops.run("Réimporter", lambda s: import_shops(s, table))
    assert demo_ops.read(snapshot) == before
    assert before[("Recyclerie", "Baugé")][0]["samedi"] == []
