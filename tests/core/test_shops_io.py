"""Shops import (CSV as French Excel writes it, XLSX) and export (CSV, XLSX, GeoJSON), round trip."""

import json
import math
import shutil

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.errors import BonsJoursError, ValidationError
from bonsjours_desktop.core.processes import run_program
from bonsjours_desktop.core.io.shops_io import export_shops, import_shops, plan_import, read_table
from bonsjours_desktop.core.models import Shop, Territory
from bonsjours_desktop.core.shops import ShopInput, create_shop

# What French Excel writes with "CSV (séparateur : point-virgule)": Windows-1252, ';', CRLF,
# decimal commas, quotes only where needed, a leading zero lost on a postal code.
EXCEL_ROWS = [
    "Nom;Réseau;Adresse;Code postal;Commune;Téléphone;E-mail;Site web;Latitude;Longitude;"
    "Jours d'ouverture;Produits;Territoire;Responsable",
    "Emmaüs Angers;Emmaüs;La Baillerie, route de Saint-Léger;49070;Saint-Jean-de-Linières;02 41 39 72 30;"
    "angers@emmaus.fr;www.emmaus-angers.fr;47,4594;-0,6628;"
    "\"mercredi 09:30-12:00 14:00-18:00; samedi 09:30-12:30\";meubles, vêtements, vaisselle;Angers Loire Métropole;M. Dupont",
    "L'Atelier « Tout & Rien » <2>;Indépendant;2 rue de l'Église;1000;Bourg-en-Bresse;0474000000;;;"
    "46,2052;5,2255;Mer. 9h-12h / 14h-18h;Livres/Disques, objets d'art;;",
    "\"Boutique \"\"Le Grenier\"\"\";Secours Catholique;;49400;Saumur;;;;;;samedi 10h-12h;jouets;Saumur Loire Développement;",
]


@pytest.fixture
def excel_csv(tmp_path):
    path = tmp_path / "boutiques.csv"
    path.write_bytes("\r\n".join(EXCEL_ROWS + [""]).encode("cp1252"))
    return path


def shops_by_name(ops):
    def query(session):
        return {
            s.name: s for s in session.scalars(select(Shop))
        }
    return ops.read(lambda s: {
        name: {
            "network": shop.network, "address": shop.address, "postal_code": shop.postal_code,
            "commune": shop.commune, "phone": shop.phone, "email": shop.email, "website": shop.website,
            "latitude": shop.latitude, "longitude": shop.longitude, "opening_hours": shop.opening_hours,
            "products": shop.products, "territory": shop.territory.name if shop.territory else "",
            "may_promote": shop.may_promote, "legal_form": shop.legal_form, "notes": shop.notes,
        }
        for name, shop in query(s).items()
    })


def test_semicolon_windows_1252_csv_from_french_excel_imports_every_row_correctly(ops, excel_csv):
    table = read_table(excel_csv)
    assert "Windows-1252" in table.description and "« ; »" in table.description
    plan = ops.read(lambda s: plan_import(s, table))
    assert plan.problems == () and plan.ignored_columns == ("Responsable",)
    result = ops.run("Importer", lambda s: import_shops(s, table)).value
    assert (result.created, result.updated) == (3, 0)
    shops = shops_by_name(ops)
    emmaus = shops["Emmaüs Angers"]
    assert emmaus == {
        "network": "Emmaüs", "address": "La Baillerie, route de Saint-Léger", "postal_code": "49070",
        "commune": "Saint-Jean-de-Linières", "phone": "02 41 39 72 30", "email": "angers@emmaus.fr",
        "website": "www.emmaus-angers.fr", "latitude": 47.4594, "longitude": -0.6628,
        "opening_hours": {"mercredi": [["09:30", "12:00"], ["14:00", "18:00"]], "samedi": [["09:30", "12:30"]]},
        "products": ["meubles", "vêtements", "vaisselle"], "territory": "Angers Loire Métropole",
        "may_promote": True, "legal_form": "", "notes": "",
    }
    atelier = shops["L'Atelier « Tout & Rien » <2>"]
    assert atelier["postal_code"] == "01000" and atelier["phone"] == "04 74 00 00 00"
    assert atelier["opening_hours"] == {"mercredi": [["09:00", "12:00"], ["14:00", "18:00"]]}
    assert atelier["products"] == ["livres/disques", "objets d'art"]
    assert (atelier["latitude"], atelier["longitude"]) == (46.2052, 5.2255)
    grenier = shops['Boutique "Le Grenier"']
    # no coordinates in the file: the centre of Saumur (approximate), from the reference geography
    assert (grenier["latitude"], grenier["longitude"]) == (47.2603, -0.0758)
    assert grenier["opening_hours"] == {"samedi": [["10:00", "12:00"]]}
    # the two territories of the file, and the EPCI of Bourg-en-Bresse for the shop that named none
    territories = ops.read(lambda s: set(s.scalars(select(Territory.name))))
    assert len(territories) == 3 and "Angers Loire Métropole" in territories


def test_comma_utf8_bom_csv_and_headers_in_any_case_or_accents(ops, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text('NOM,reseau,COMMUNE,Courriel,CODE POSTAL,latitude\n"Envie, Anjou",Envie,Angers,a@b.fr,49000,"47.47, -0.55"\n',
                    encoding="utf-8-sig")
    table = read_table(path)
    assert "« , »" in table.description and "BOM" in table.description
    ops.run("Importer", lambda s: import_shops(s, table))
    shop = shops_by_name(ops)["Envie, Anjou"]
    assert (shop["network"], shop["email"], shop["latitude"], shop["longitude"]) == ("Envie", "a@b.fr", 47.47, -0.55)


def test_headers_with_a_remark_in_brackets_or_a_required_mark(ops, tmp_path):
    # Templates sent to the shops mark what to fill in: the remark is not part of the column's name.
    path = tmp_path / "modele.csv"
    path.write_text("Nom*;Commune (obligatoire);Code postal (5 chiffres);Tél. (fixe);Latitude [WGS84];"
                    "Longitude [WGS84];Horaires (ex. : mardi 10h-12h)\n"
                    "Atelier Vélo;Angers;49000;0241000000;47,47;-0,55;mardi 10h-12h\n", encoding="utf-8")
    plan = ops.read(lambda s: plan_import(s, read_table(path)))
    assert plan.ignored_columns == () and plan.problems == ()
    ops.run("Importer", lambda s: import_shops(s, read_table(path)))
    shop = shops_by_name(ops)["Atelier Vélo"]
    assert (shop["commune"], shop["postal_code"], shop["phone"], shop["latitude"], shop["opening_hours"]) == (
        "Angers", "49000", "02 41 00 00 00", 47.47, {"mardi": [["10:00", "12:00"]]})


def test_bad_rows_reported_with_line_column_and_reason_nothing_written(ops, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "Nom;Commune;Code postal;Téléphone;Courriel;Latitude;Longitude;Jours d'ouverture\n"
        "Bonne;Angers;49000;;;;;\n"
        "Mauvaise;Cholet;4900a;12;x@;95;0;mercredi 12h-9h\n"
        "\n"
        ";Segré;;;;;;\n"
        "Bonne;angers;;;;;;\n",
        encoding="utf-8",
    )
    table = read_table(path)
    plan = ops.read(lambda s: plan_import(s, table))
    where = {(p.line, p.column) for p in plan.problems}
    assert where == {(3, "Code postal"), (3, "Téléphone"), (3, "Courriel"), (3, "Latitude"),
                     (5, "Nom"), (6, "Nom")}
    # The reversed hours are a warning, not a reason to refuse the row.
    assert [(w.line, w.column, w.value) for w in plan.warnings] == [(3, "Jours d'ouverture", "mercredi 12h-9h")]
    messages = {(p.line, p.column): p.message for p in plan.problems}
    assert "5 chiffres" in messages[(3, "Code postal")]
    assert "figure déjà ligne 2" in messages[(6, "Nom")]
    assert plan.problems[0].sentence().startswith("ligne 3, colonne « Code postal » : ")
    with pytest.raises(ValidationError, match="3 ligne\\(s\\) invalide\\(s\\), rien n'a été importé"):
        ops.run("Importer", lambda s: import_shops(s, table))
    assert ops.read(lambda s: s.scalar(select(func.count()).select_from(Shop))) == 0
    result = ops.run("Importer", lambda s: import_shops(s, table, skip_invalid=True)).value
    assert (result.created, result.skipped_lines) == (1, (3, 5, 6))


def test_missing_required_column_is_a_clear_error(tmp_path, ops):
    path = tmp_path / "b.csv"
    path.write_text("Boutique;Ville_x\nA;B\n", encoding="utf-8")
    with pytest.raises(BonsJoursError, match="Colonne\\(s\\) obligatoire\\(s\\) absente\\(s\\) : « Commune »"):
        ops.read(lambda s: plan_import(s, read_table(path)))


def test_existing_shop_is_updated_not_duplicated_and_absent_columns_kept(ops, tmp_path):
    ops.run("Créer", lambda s: create_shop(s, ShopInput(name="Emmaüs Cholet", commune="Cholet", phone="0241621148",
                                                          network="Emmaüs")))
    path = tmp_path / "b.csv"
    path.write_text("Nom;Commune;Courriel\nEMMAUS cholet;cholet;cholet@emmaus.fr\n", encoding="utf-8")
    table = read_table(path)
    result = ops.run("Importer", lambda s: import_shops(s, table)).value
    assert (result.created, result.updated) == (0, 1)
    shops = shops_by_name(ops)
    assert list(shops) == ["EMMAUS cholet"]  # the file's spelling wins, but one shop only
    assert shops["EMMAUS cholet"]["email"] == "cholet@emmaus.fr"
    assert shops["EMMAUS cholet"]["phone"] == "02 41 62 11 48"  # no Téléphone column: unchanged


def test_a_commune_written_another_way_still_updates_its_shop(ops, tmp_path):
    """« St-Barthélemy-d'Anjou », « LES PONTS DE CE », « Angers Cedex 01 »: the same communes as the shops'
    « Saint-Barthélemy-d'Anjou », « Les Ponts-de-Cé », « Angers » — updated, never a second shop; the form's
    duplicate warning sees them too."""
    from bonsjours_desktop.core.shops import duplicate_warning

    for name, commune in (("Recyclerie de l'Est", "Saint-Barthélemy-d'Anjou"), ("Le Grenier", "Les Ponts-de-Cé"),
                          ("Atelier Vélo", "Angers")):
        ops.run("Créer", lambda s, n=name, c=commune: create_shop(s, ShopInput(name=n, commune=c)))
    path = tmp_path / "b.csv"
    path.write_text("Nom;Commune;Téléphone\n"
                    "Recyclerie de l'Est;St-Barthélemy-d'Anjou;0241000001\n"
                    "LE GRENIER;LES PONTS DE CE;0241000002\n"
                    "Atelier Vélo;ANGERS CEDEX 01;0241000003\n"
                    "Atelier Vélo;Avrillé;0241000004\n", encoding="utf-8")  # another commune: another shop
    table = read_table(path)
    plan = ops.read(lambda s: plan_import(s, table))
    assert (plan.created, plan.updated, plan.problems) == (1, 3, ())
    result = ops.run("Importer", lambda s: import_shops(s, table)).value
    assert (result.created, result.updated) == (1, 3)
    assert ops.read(lambda s: s.scalar(select(func.count()).select_from(Shop))) == 4
    warning = ops.read(lambda s: duplicate_warning(s, "recyclerie de l'est", "ST BARTHELEMY D'ANJOU"))
    assert "Doublon probable" in warning


def test_whole_import_is_one_undoable_operation(ops, excel_csv):
    table = read_table(excel_csv)
    ops.run("Importer des boutiques", lambda s: import_shops(s, table))
    assert len(shops_by_name(ops)) == 3
    ops.undo()
    assert shops_by_name(ops) == {}
    assert ops.read(lambda s: s.scalar(select(func.count()).select_from(Territory))) == 0


def test_xlsx_import(ops, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Commune", "Code postal", "Téléphone", "Latitude", "Longitude", "Peut communiquer"])
    sheet.append(["Envie Anjou – Angers", "Angers", 49000, 241734070, 47.4784, -0.5632, "non"])
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    table = read_table(path)
    ops.run("Importer", lambda s: import_shops(s, table))
    shop = shops_by_name(ops)["Envie Anjou – Angers"]
    assert (shop["postal_code"], shop["phone"], shop["latitude"], shop["may_promote"]) == (
        "49000", "02 41 73 40 70", 47.4784, False)


# --- export --------------------------------------------------------------------------------


def test_csv_export_is_for_french_excel_and_reimports_to_the_same_data(demo_ops, tmp_path, ops):
    # A shop with every tricky character, and one without coordinates.
    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name="L'Atelier « Tout & Rien » <b>\"2\"</b>; test", commune="Lieu-dit inconnu", address="1 rue\nbâtiment B",
        products=["vélos", "objets d'art & déco"], notes="Note ; avec point-virgule",
        opening_hours={"mercredi": "09:00-12:00 14:00-18:00", "samedi": "09:30-12:30"}, may_promote=False,
        legal_form="Entreprise d'insertion", website="https://exemple.fr/a?b=1")))
    path = tmp_path / "boutiques.csv"
    report = demo_ops.read(lambda s: export_shops(s, path, "csv"))
    assert report.count == 21 and len(report.without_coordinates) == 1
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNom;R\xc3\xa9seau;")
    assert b";47,4594;-0,6628;" in raw  # decimal commas
    before = shops_by_name(demo_ops)
    # Into an empty database: the same shops, field for field
    table = read_table(path)
    assert ops.read(lambda s: plan_import(s, table)).problems == ()
    ops.run("Importer", lambda s: import_shops(s, table))
    assert shops_by_name(ops) == before
    # Into the database it came from: every row is an update, nothing changes
    result = demo_ops.run("Réimporter", lambda s: import_shops(s, table)).value
    assert (result.created, result.updated) == (0, 21)
    assert shops_by_name(demo_ops) == before


def test_xlsx_export_reopens_with_openpyxl(demo_ops, tmp_path):
    from openpyxl import load_workbook

    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(name="=SOMME(A1)", commune="Angers")))
    path = tmp_path / "boutiques.xlsx"
    report = demo_ops.read(lambda s: export_shops(s, path, "xlsx", find_edition(s, "Avril 2014").id))
    workbook = load_workbook(path)
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Nom", "Réseau", "Forme juridique"] and headers[-2:] == ["Participation (Avril 2014)", "Animations"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"
    assert sheet.max_row == 22 and report.count == 21
    names = [sheet.cell(row=r, column=1).value for r in range(2, 23)]
    assert "=SOMME(A1)" in names  # text, not a formula
    assert sheet.cell(row=names.index("=SOMME(A1)") + 2, column=1).data_type == "s"
    latitude_column = headers.index("Latitude") + 1
    assert sheet.cell(row=names.index("Emmaüs Cholet") + 2, column=latitude_column).value == 47.0604
    assert sheet.column_dimensions["A"].width > 20
    # Reads back through the import too
    table = read_table(path)
    assert len(table.rows) == 21


def assert_valid_geojson(document):
    """A small GeoJSON (RFC 7946) check of what we write: FeatureCollection of Point features."""
    assert document["type"] == "FeatureCollection"
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        coordinates = geometry["coordinates"]
        assert isinstance(coordinates, list) and len(coordinates) == 2
        lon, lat = coordinates
        assert all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in coordinates)
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_export_with_edition(demo_ops, tmp_path):
    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(name="Sans carte", commune="Lieu-dit inconnu")))
    path = tmp_path / "boutiques.geojson"
    report = demo_ops.read(lambda s: export_shops(s, path, "geojson", find_edition(s, "Novembre 2013").id))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert_valid_geojson(document)
    assert len(document["features"]) == 20 == report.count
    assert report.without_coordinates == ("Sans carte (Lieu-dit inconnu)",)
    assert any("Sans carte" in line for line in report.sentences())
    by_name = {f["properties"]["name"]: f for f in document["features"]}
    emmaus = by_name["Emmaüs Cholet"]
    assert emmaus["geometry"]["coordinates"] == [-0.879, 47.0604]  # [longitude, latitude]
    props = emmaus["properties"]
    assert props["network"] == "Emmaüs" and props["commune"] == "Cholet" and props["address"] == "12 rue de la Casse"
    assert props["opening_hours"].startswith("mercredi 09:30-12:00 14:00-18:00")
    assert props["products"] == "meubles, électroménager, vêtements, bric-à-brac"
    assert props["participation"] == "confirmée" and props["edition"] == "Novembre 2013"
    assert props["animations"] and props["animations"][0]["day"].startswith("2013-11-")
    assert {"category", "description", "start", "end", "day_label"} <= set(props["animations"][0])
    # Joined only in April 2014: no participation in November 2013
    assert by_name["Recyclerie de Longué"]["properties"]["participation"] == ""
    # Without an edition: no participation keys
    demo_ops.read(lambda s: export_shops(s, path, "geojson"))
    plain = json.loads(path.read_text(encoding="utf-8"))
    assert_valid_geojson(plain)
    assert "participation" not in plain["features"][0]["properties"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_xlsx_export_opens_in_libreoffice(demo_ops, tmp_path):
    path = tmp_path / "boutiques.xlsx"
    demo_ops.read(lambda s: export_shops(s, path, "xlsx", find_edition(s, "Novembre 2013").id))
    result = run_program(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profil'}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir", str(tmp_path), str(path)],
        timeout=200,
    )
    converted = tmp_path / "boutiques.csv"
    assert converted.exists(), result.stdout + result.stderr
    lines = converted.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Nom;Réseau;Forme juridique;Peut communiquer;")
    assert any(line.startswith("Emmaüs Cholet;Emmaüs;") for line in lines)


def test_texts_longer_than_their_column_are_row_errors_on_every_engine(engine_db, tmp_path):
    # A workbook cell can hold 32 767 characters (and a generated one more): a 301-character name was stored
    # on SQLite and, on PostgreSQL, failed the whole import with « value too long for type character
    # varying(300) » (an « erreur inattendue »). Now a French error on the row, the same on both engines.
    from bonsjours_desktop.core.operations import OperationRunner

    ops = OperationRunner(engine_db)
    path = tmp_path / "longs.csv"
    path.write_text(
        "Nom;Commune;Réseau;Adresse;Courriel\n"
        f"{'N' * 301};Angers;;;\n"
        f"Bonne;Angers;{'R' * 121};{'A' * 300};\n"
        f"Juste;Angers;{'R' * 120};{'A' * 300};\n", encoding="utf-8")
    table = read_table(path)
    plan = ops.read(lambda s: plan_import(s, table))
    assert [(p.line, p.column, p.message) for p in plan.problems] == [
        (2, "Nom", "Le nom de la boutique a 301 caractères : 300 au plus."),
        (3, "Réseau", "Le réseau a 121 caractères : 120 au plus."),
    ]
    result = ops.run("Importer", lambda s: import_shops(s, table, skip_invalid=True)).value
    assert result.created == 1 and result.skipped_lines == (2, 3)
    with pytest.raises(ValidationError, match="300 au plus"):
        ops.run("Créer", lambda s: create_shop(s, ShopInput(name="N" * 301, commune="Angers")))
