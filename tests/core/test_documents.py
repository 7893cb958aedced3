"""Documents: each template on the demo, exact text, sandbox, checks, atomic writes, file names, rounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from sqlalchemy import select

from bonsjours_desktop.core.documents import contexts, engine, generate, press, role_sheets
from bonsjours_desktop.core.documents.checks import check_template, guess_kind
from bonsjours_desktop.core.documents.engine import DocumentError, PdfUnavailableError, document_text, safe_filename
from bonsjours_desktop.core.documents.typography import french_typography as T
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.models import (
    Consumable,
    ConsumableDelivery,
    Edition,
    Item,
    Loan,
    Organisation,
    Shop,
)

WEIRD = "Emmaüs & Cie <Saumur> « Le Grenier » d'Anjou 😀"


def edition_id(db, name="Avril 2014") -> int:
    with db.session() as session:
        return find_edition(session, name).id


def header_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for s in document.sections for p in s.header.paragraphs]
    parts += [c.text for s in document.sections for t in s.header.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def cell_texts(path: Path) -> list[str]:
    document = Document(str(path))
    texts = []

    def walk(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    texts.append(cell.text)
                    walk(cell.tables)

    walk(document.tables)
    return texts


def user_template(path: Path, *paragraphs: str, split: tuple[str, str] | None = None) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if split:
        paragraph = document.add_paragraph("Boutique : ")
        paragraph.add_run(split[0]).bold = True
        paragraph.add_run(split[1]).font.size = Pt(14)
    document.save(str(path))
    return path


# --- each template on the demo --------------------------------------------------------------------


def test_press_kits_one_per_scope_public_with_local_shops_and_contacts(demo_db, tmp_path):
    with demo_db.session() as session:
        result = generate.generate_press_kits(session, edition_id(demo_db), tmp_path)
    names = sorted(p.name for p in result.documents)
    # One kit per scope: the département, each territory and each network with a recipient.
    assert "Dossier de presse – Avril 2014 – Maine-et-Loire.docx" in names
    assert "Dossier de presse – Avril 2014 – réseau Emmaüs.docx" in names
    assert len(names) == len(set(names)) == 16
    angers = tmp_path / "Dossier de presse – Avril 2014 – Angers Loire Métropole.docx"
    text = document_text(angers)
    assert "APIVET – Boutique textile" in text and "Emmaüs Cholet" not in text  # only the territory's shops
    assert "Claire Moreau" in text  # the local prevention animator
    assert "h.durand@exemple-departement.fr" in text and "02 41 81 40 01" in text  # the edition's press contact
    assert "mercredi 2 avril 2014 et samedi 5 avril 2014" in text
    assert T("17 boutiques en Novembre 2013") in text
    assert "Dossier de presse — Angers Loire Métropole" in header_text(angers)
    assert T("valoriser l'achat de produits d'occasion") in text
    assert "préparé pour" not in text and "Direction informatique" not in text and "Équipe logistique" not in text
    # Partners sharing a scope share the file.
    shared = [name for name, path in result.recipients if path.name.endswith("Maine-et-Loire.docx")]
    assert {"Le Courrier de l'Ouest", "Ouest-France – correspondants locaux"} <= set(shared)
    assert {name for name, _ in result.recipients}.isdisjoint({"Département – Direction informatique",
                                                              "Département – Équipe logistique"})


def test_directory_lists_every_active_shop_by_territory_then_commune(demo_db, tmp_path):
    with demo_db.session() as session:
        session.add(Shop(name="Boutique fermée", commune="Angers", active=False))
        session.commit()
        result = generate.generate_directory(session, edition_id(demo_db), tmp_path / "annuaire")
    target = tmp_path / "annuaire.docx"
    assert result.documents == [target]
    text = document_text(target)
    with demo_db.session() as session:
        names = [s.name for s in session.scalars(select(Shop).where(Shop.active.is_(True)))]
    assert len(names) == 20 and all(T(name) in text for name in names)
    assert "Boutique fermée" not in text
    assert "Avril 2014" in header_text(target)
    assert T("mercredi : 9h30–12h, 14h–18h") in text or "mercredi et samedi" in text
    # Territory then commune order: Angers before Saint-Jean-de-Linières inside Angers Loire Métropole.
    assert text.index("Angers Loire Métropole\n") < text.index("Saint-Jean-de-Linières") < text.index("Trélazé (")


def test_bilan_has_budget_and_comparison(demo_db, tmp_path):
    with demo_db.session() as session:
        nov = generate.generate_bilan(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "nov.docx")
        apr = generate.generate_bilan(session, edition_id(demo_db), tmp_path / "avr.docx")
    nov_text = document_text(nov.documents[0])
    assert T("41 500,00 €") in nov_text  # the sheet's total, overheads excluded
    assert "Impressions" in nov_text and "Frais généraux" in nov_text
    apr_text = document_text(apr.documents[0])
    assert T("Comparaison avec l'édition Novembre 2013") in apr_text
    assert T("+3 (+17,6 %)") in apr_text  # 17 → 20 shops


def test_bilan_of_the_first_edition_says_so_and_counts_in_real_plurals(demo_db, tmp_path):
    with demo_db.session() as session:
        nov = contexts.bilan_context(session, edition_id(demo_db, "Novembre 2013"))
        apr = contexts.bilan_context(session, edition_id(demo_db))
        path = generate.generate_bilan(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "nov.docx").documents[0]
    # Comparison only with an earlier edition: Novembre 2013 is the first, Avril 2014 compares with it.
    assert not nov["has_previous"] and nov["comparison"] == []
    assert "Novembre 2013 est la première édition" in nov["first_edition_text"]
    assert apr["has_previous"] and apr["previous"]["name"] == "Novembre 2013" and apr["first_edition_text"] == ""
    text = document_text(path)
    assert "première édition" in text and "Comparaison avec l'édition" not in text
    assert nov["totals"]["visitors_known_text"] == "17\u00a0boutiques ont répondu"
    assert contexts._answered(1) == "1\u00a0boutique a répondu"
    assert contexts._answered(0) == "aucune boutique n'a répondu"
    assert "(s)" not in text and "boutiques ont répondu" in text


def test_bilan_template_headers_fit_their_columns():
    from docx.shared import Cm

    document = Document(str(generate.default_template("bilan")))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Boutique")
    header = {cell.text: cell.width for cell in table.rows[0].cells}
    # « Visiteurs » in bold 9.5 pt Arial is about 1.7 cm wide, plus 0.38 cm of cell margins.
    assert header["Visiteurs"] >= Cm(2.1) and header["Ventes"] >= Cm(2.1)
    assert sum(header.values()) <= Cm(17.05)


def test_bilan_inserts_chart_images(demo_db, tmp_path):
    import base64

    png = tmp_path / "chart.png"
    png.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="))
    with demo_db.session() as session:
        result = generate.generate_bilan(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "b.docx",
                                         chart_images=[(png, "Dépenses par catégorie")])
    document = Document(str(result.documents[0]))
    assert len(document.inline_shapes) == 1
    assert "Dépenses par catégorie" in document_text(result.documents[0])


@pytest.fixture
def loans_db(demo_db):
    """Loans and consumable deliveries of our own for Avril 2014, in place of the logistics demo's."""
    with demo_db.session() as session:
        april = find_edition(session, "Avril 2014")
        for obj in list(april.loans) + list(april.consumables):
            session.delete(obj)
        session.flush()
        items = {i.identifier: i for i in session.scalars(select(Item))}
        shops = {s.name: s for s in session.scalars(select(Shop))}
        epci = session.scalars(select(Organisation).filter_by(name="Angers Loire Métropole")).one()
        day, back = dt.date(2014, 3, 31), dt.date(2014, 4, 7)
        session.add_all([
            Loan(edition=april, item=items["ROUE-01"], shop=shops["Emmaüs Trélazé – Boutique des Ardoisières"],
                 delivery_date=day, pickup_date=back, carrier="Équipe logistique"),
            Loan(edition=april, item=items["ECHELLE-01"], shop=shops["APIVET – Boutique textile"],
                 delivery_date=day, pickup_date=back, notes="Fragile"),
            Loan(edition=april, item=items["SAISONS-01"], organisation=epci, delivery_date=day, pickup_date=back),
            Loan(edition=april, item=items["ROUE-02"], shop=shops["Emmaüs Cholet"], delivery_date=day,
                 pickup_date=back, status="perdu/abîmé"),
        ])
        posters = Consumable(edition=april, name="Affiches A3", quantity=200, unit="exemplaires")
        session.add(posters)
        session.add(ConsumableDelivery(consumable=posters, shop=shops["APIVET – Boutique textile"], quantity=10,
                                       date=day))
        session.commit()
    return demo_db


def test_delivery_rounds_group_by_day_and_territory_in_commune_order(loans_db, tmp_path):
    with loans_db.session() as session:
        rounds = contexts.delivery_rounds(session, edition_id(loans_db))
        keys = list(rounds)
        assert [(k.day.isoformat(), k.territory) for k in keys] == [
            ("2014-03-31", "Angers Loire Métropole"),
            ("2014-03-31", "Communauté d'agglomération du Choletais"),
            ("2014-04-07", "Angers Loire Métropole"),
        ]  # the lost game of Cholet is not picked up
        sheet = contexts.delivery_sheet_context(session, edition_id(loans_db), keys[0], rounds)
        # The logistics demo gives the EPCI an address in Angers, so it sorts with the Angers stops.
        assert [s["commune"] for s in sheet["stops"]] == ["Angers", "Angers", "Trélazé"]
        apivet = next(s for s in sheet["stops"] if s["name"].startswith("APIVET"))
        assert [(l["action"], l["what"], l["quantity_text"]) for l in apivet["lines"]] == [
            ("Déposer", "Affiches A3", "10 exemplaires"),
            ("Déposer", "ECHELLE-01 – Échelle de la réduction des déchets", "1"),
        ]
        result = generate.generate_delivery_sheets(session, edition_id(loans_db), tmp_path)
    assert [p.name for p in result.documents] == [
        "Tournée – 2014-03-31 – Angers Loire Métropole.docx",
        "Tournée – 2014-03-31 – Communauté d'agglomération du Choletais.docx",
        "Tournée – 2014-04-07 – Angers Loire Métropole.docx",
    ]
    text = document_text(result.documents[0])
    assert "lundi 31 mars 2014" in text and "ROUE-01 – Roue de la prévention des déchets" in text
    assert T("10 exemplaires") in text and "Signature" in text and "34 rue Saint-Lazare" in text
    assert "Reprendre" in document_text(result.documents[2])


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _keeps_with_next(paragraph) -> bool:
    element = paragraph.find(f"{W}pPr/{W}keepNext")
    return element is not None and element.get(f"{W}val") in (None, "1", "true", "on")


def test_a_delivery_stop_is_never_split_across_pages(demo_db, tmp_path):
    """At XML level: a stop's heading, address, hours and every row of its table keep with the next
    paragraph, no row can split, and the chain ends at the signature's writing space."""
    with demo_db.session() as session:
        result = generate.generate_delivery_sheets(session, edition_id(demo_db), tmp_path)
    path = next(p for p in result.documents if "2014-03-25 – Angers" in p.name)
    body = Document(str(path)).element.body
    children = list(body)
    headings = [i for i, child in enumerate(children) if child.tag == f"{W}p"
                and (child.find(f"{W}pPr/{W}pStyle") is not None)
                and child.find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("Heading2")
                and "".join(t.text or "" for t in child.iter(f"{W}t"))[:1].isdigit()]
    assert len(headings) == 7  # the seven stops of the Angers round
    for start in headings:
        heading, address, hours, lines, sign = children[start:start + 5]
        for paragraph in (heading, address, hours):
            assert paragraph.tag == f"{W}p" and _keeps_with_next(paragraph)
        assert lines.tag == f"{W}tbl" and sign.tag == f"{W}tbl"
        rows = lines.findall(f"{W}tr")
        assert len(rows) >= 2  # header and at least one thing to drop off or pick up
        for row in rows:
            assert row.find(f"{W}trPr/{W}cantSplit") is not None
            assert all(_keeps_with_next(p) for p in row.iter(f"{W}p"))
        (sign_row,) = sign.findall(f"{W}tr")
        assert sign_row.find(f"{W}trPr/{W}cantSplit") is not None
        for cell in sign_row.findall(f"{W}tc"):
            label, space = cell.findall(f"{W}p")
            assert _keeps_with_next(label) and not _keeps_with_next(space)
    text = document_text(path)
    assert "Signature" in text and "Nom de la personne présente" in text


def test_delivery_sheet_counts_what_to_load_like_a_driver_and_gives_phone_and_hours(loans_db, tmp_path):
    with loans_db.session() as session:
        eid = edition_id(loans_db)
        rounds = contexts.delivery_rounds(session, eid)
        keys = list(rounds)
        monday = contexts.delivery_sheet_context(session, eid, keys[0], rounds)
        pickup = contexts.delivery_sheet_context(session, eid, keys[2], rounds)
        result = generate.generate_delivery_sheets(session, eid, tmp_path)
    nb = "\u00a0"
    assert monday["round"]["drop_text"] == f"3{nb}jeux, 10{nb}affiches A3"
    assert monday["round"]["pick_text"] == "rien"
    assert monday["round"]["summary_text"] == f"3{nb}arrêts ; à déposer : 3{nb}jeux, 10{nb}affiches A3"
    assert pickup["round"]["pick_text"] == f"3{nb}jeux" and pickup["round"]["drop_text"] == "rien"
    apivet = next(s for s in monday["stops"] if s["name"].startswith("APIVET"))
    assert apivet["phone"] == "02 41 88 35 19"
    assert apivet["hours_text"].startswith(("ouvert ce lundi : ", "fermé d'habitude le lundi"))
    epci = next(s for s in monday["stops"] if s["name"] == "Angers Loire Métropole")
    assert epci["contact"] and epci["hours_text"] == ""
    text = document_text(result.documents[0])
    assert f"3{nb}jeux, 10{nb}affiches A3" in text and "ligne(s)" not in text and "Chauffeurs prévus" in text
    assert "Tél. 02 41 88 35 19" in text


def test_stop_hours_of_the_round_day():
    hours = {"mercredi": [["09:30", "12:00"], ["14:00", "18:00"]], "samedi": []}
    assert contexts._stop_hours(hours, dt.date(2014, 4, 2)) == "ouvert ce mercredi : 9h30–12h, 14h–18h"
    assert contexts._stop_hours(hours, dt.date(2014, 3, 31)) == "fermé d'habitude le lundi : appeler avant de passer"
    assert contexts._stop_hours(hours, None).startswith("horaires : mercredi : 9h30–12h, 14h–18h")


def test_things_are_counted_in_their_own_words():
    def line(count, unit=""):
        return {"count": count, "unit": unit}

    nb = "\u00a0"
    assert contexts._things_text([line((contexts.GAMES, 1))]) == f"1{nb}jeu"
    assert contexts._things_text([line(("Affiches", 1), "exemplaires")]) == f"1{nb}affiche"
    assert contexts._things_text([line(("Kits de signalétique", 2), "kits"),
                                  line(("Kits de signalétique", 3), "kits")]) == f"5{nb}kits de signalétique"
    assert contexts._things_text([line(("Papier recyclé", 4), "ramettes")]) == "4 ramettes – Papier recyclé"
    assert contexts._things_text([]) == ""


def test_delivery_sheets_are_the_logistics_tab_rounds(demo_db):
    """One builder: the sheets list the rounds, stops (driver's order) and lines of the Logistique tab."""
    from bonsjours_desktop.core import logistics

    with demo_db.session() as session:
        april = find_edition(session, "Avril 2014").id
        sheets = contexts.delivery_rounds(session, april)
        tab = logistics.delivery_rounds(session, april)
    assert len(tab) > 3
    assert [(k.day, k.territory) for k in sheets] == [(r.day, r.territory) for r in tab]
    for key, delivery_round in zip(sheets, tab):
        stops = list(sheets[key]["stops"].values())
        assert [s["name"] for s in stops] == [s.name for s in delivery_round.stops]
        assert [[(l["action"].lower(), l["what"]) for l in s["lines"]] for s in stops] == [
            [(l.action, l.label) for l in s.drop_offs + s.pickups] for s in delivery_round.stops]
        assert sheets[key]["carriers"] == list(delivery_round.carriers)


def test_delivery_sheets_without_any_delivery_say_so(demo_db, tmp_path):
    with demo_db.session() as session, pytest.raises(Exception, match="Aucune livraison ni reprise"):
        november = find_edition(session, "Novembre 2013").id  # the demo lends nothing for 2013
        generate.generate_delivery_sheets(session, november, tmp_path)


# --- exactness and safety -------------------------------------------------------------------------


def test_weird_names_come_out_letter_for_letter_in_cells_and_headers(demo_db, tmp_path):
    with demo_db.session() as session:
        shop = session.scalars(select(Shop).filter_by(name="Emmaüs Saumur – Les Ponts")).one()
        shop.name = WEIRD
        shop.address = "5 rue du Pont\nBâtiment B"
        session.scalars(select(Edition).filter_by(name="Avril 2014")).one().name = WEIRD
        org = session.scalars(select(Organisation).filter_by(name="Saumur Loire Développement")).one()
        org.name = WEIRD
        session.commit()
        directory = generate.generate_directory(session, edition_id(demo_db, WEIRD), tmp_path / "a.docx").documents[0]
        kits = generate.generate_press_kits(session, edition_id(demo_db, WEIRD), tmp_path, partner=WEIRD).documents
        sheets = generate.generate_role_sheets(session, edition_id(demo_db, WEIRD), tmp_path, partner=WEIRD).documents
    # Letter for letter, with French typography: « Le Grenier » gets no-break spaces, d'Anjou an apostrophe.
    assert any(t.startswith(T(WEIRD)) for t in cell_texts(directory))
    assert T(WEIRD) in header_text(directory)
    assert f"Fiche rôle — {T(WEIRD)}" in header_text(sheets[0])
    assert any(T(WEIRD) in t for t in cell_texts(kits[0]))  # the shop, in the press kit's table
    assert "5 rue du Pont\nBâtiment B" in "\n".join(cell_texts(directory))  # a Word line break


def test_control_characters_are_removed_not_breaking_the_file(demo_db, tmp_path):
    with demo_db.session() as session:
        shop = session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one()
        shop.name = "Emmaüs\x0b Cholet\x07\x0c\x1b"
        session.commit()
        path = generate.generate_directory(session, edition_id(demo_db), tmp_path / "a.docx").documents[0]
    assert any(t.startswith("Emmaüs Cholet") for t in cell_texts(path))
    assert "\x0b" not in document_text(path) and "\x07" not in document_text(path)


def test_sandbox_refuses_python_internals_and_runs_nothing(demo_db, tmp_path):
    marker = tmp_path / "pirate"
    template = user_template(
        tmp_path / "mauvais.docx",
        "{{ cycler.__init__.__globals__ }}",
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}",
    )
    with demo_db.session() as session, pytest.raises(DocumentError, match="interdits") as info:
        generate.generate_directory(session, edition_id(demo_db), tmp_path / "out.docx", template=template)
    assert "rien n'a été produit" in str(info.value)
    assert not marker.exists()
    assert not (tmp_path / "out.docx").exists()


def test_french_filters_in_user_templates(demo_db, tmp_path):
    template = user_template(tmp_path / "f.docx", "{{ edition.first_day|date_long }} / {{ edition.first_day|date_short }}",
                             "{{ budget.total_ttc|money }}")
    with demo_db.session() as session:
        path = generate.generate_bilan(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "o.docx",
                                       template=template).documents[0]
    text = document_text(path)
    assert "mercredi 13 novembre 2013 / 13/11/2013" in text
    assert T("41 500,00 €") in text


def test_failure_mid_render_keeps_the_earlier_file_and_leaves_no_temp(demo_db, tmp_path, monkeypatch):
    from docxtpl import DocxTemplate

    target = tmp_path / "annuaire.docx"
    target.write_bytes(b"ancienne version")

    def broken_save(self, filename, *args, **kwargs):
        if hasattr(filename, "write"):
            filename.write(b"moitie")
        else:
            Path(filename).write_bytes(b"moitie")
        raise OSError("disque plein")

    monkeypatch.setattr(DocxTemplate, "save", broken_save)
    with demo_db.session() as session, pytest.raises(OSError):
        generate.generate_directory(session, edition_id(demo_db), target)
    assert target.read_bytes() == b"ancienne version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annuaire.docx", "donnees"] or \
        sorted(p.name for p in tmp_path.iterdir() if p.name != "base.sqlite") == ["annuaire.docx", "donnees"]


def test_target_open_in_word_is_reported_in_french(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "annuaire.docx"
    target.write_bytes(b"ancienne version")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(engine.os, "replace", locked)
    with demo_db.session() as session, pytest.raises(DocumentError, match="ouvert dans un autre programme"):
        generate.generate_directory(session, edition_id(demo_db), target)
    assert target.read_bytes() == b"ancienne version"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bonsjours-")]


@pytest.mark.parametrize("name, expected", [
    ('Dossier: "A/B" <C> | D? *', "Dossier- -A-B- -C- - D- -"),
    ("CON", "_CON.docx"),
    ("com1.rapport", "_com1.rapport.docx"),
    ("Tournée...  ", "Tournée.docx"),
    ("", "document.docx"),
    ("Emmaüs & Cie « Le Grenier » 😀", "Emmaüs & Cie « Le Grenier » 😀.docx"),
])
def test_safe_filenames_for_windows(name, expected):
    result = safe_filename(name, ".docx")
    assert not any(c in result for c in '<>:"/\\|?*')
    if expected.endswith(".docx"):
        assert result == expected
    assert not result[:-5].endswith((".", " "))


def test_duplicate_partner_file_names_get_a_number(tmp_path):
    taken: set[str] = set()
    first = engine.unique_path(tmp_path, "A.docx", taken)
    second = engine.unique_path(tmp_path, "a.docx", taken)
    assert (first.name, second.name) == ("A.docx", "a (2).docx")


def test_pdf_without_libreoffice_says_why(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("BONSJOURS_SOFFICE", "")
    assert "LibreOffice n'est pas installé" in engine.pdf_unavailable_reason()
    with demo_db.session() as session, pytest.raises(PdfUnavailableError, match="LibreOffice"):
        generate.generate_directory(session, edition_id(demo_db), tmp_path / "a.docx", pdf=True)
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.skipif(engine.find_soffice() is None, reason="LibreOffice absent")
def generate_docx_type() -> str:
    from bonsjours_desktop.core.documents.email_drafts import DOCX_TYPE

    return DOCX_TYPE


def test_pdf_through_libreoffice(demo_db, tmp_path):
    with demo_db.session() as session:
        result = generate.generate_press_kits(session, edition_id(demo_db), tmp_path, partner="SICTOM", pdf=True,
                                              eml=True)
    assert [p.suffix for p in result.pdfs] == [".pdf"]
    assert result.pdfs[0].read_bytes().startswith(b"%PDF")
    # The e-mail draft carries the Word file and its PDF.
    import email
    from email import policy

    message = email.message_from_bytes(result.drafts[0].read_bytes(), policy=policy.default)
    parts = {part.get_filename(): part.get_content_type() for part in message.iter_attachments()}
    assert parts == {result.documents[0].name: generate_docx_type(), result.pdfs[0].name: "application/pdf"}


def test_cancel_stops_a_batch_between_documents(demo_db, tmp_path):
    calls = []
    with demo_db.session() as session:
        result = generate.generate_press_kits(
            session, edition_id(demo_db), tmp_path, progress=lambda d, t, l: calls.append(d),
            should_cancel=lambda: len(calls) >= 2)
    assert result.cancelled and len(result.documents) == 2


# --- template checks ------------------------------------------------------------------------------


def test_default_templates_pass_the_check():
    for kind in contexts.KINDS:
        assert check_template(generate.default_template(kind), kind) == []
        assert guess_kind(generate.default_template(kind)) == kind


def test_check_reports_unknown_variable_with_its_paragraph(tmp_path):
    template = user_template(tmp_path / "t.docx", "Bonjour {{ partner.nmae }} !", "{% for s in shops %}{{ s.name }} {{ s.prix }}{% endfor %}")
    problems = check_template(template, "press-kit")
    messages = [(p.severity, p.message.split(" pour ")[0], p.paragraph) for p in problems]
    assert ("erreur", "variable inconnue « partner.nmae »", "Bonjour {{ partner.nmae }} !") in messages
    assert any("« shops.prix »" in m for _, m, _ in messages)
    assert not any("s.name" in m or "shops.name" in m for _, m, _ in messages)


def test_check_reports_syntax_error_with_the_paragraph(tmp_path):
    template = user_template(tmp_path / "t.docx", "Titre", "Les boutiques {% for shop in shops %} sans fin", "Fin")
    problems = check_template(template, "directory")
    assert len(problems) == 1
    assert "n'est pas fermée" in problems[0].message
    template = user_template(tmp_path / "u.docx", "Titre", "Le {{ edition.name }} du {{ edition.first_day|date_longue }}")
    problems = check_template(template, "directory")
    assert [p.message.split(" (")[0] for p in problems] == ["filtre inconnu « date_longue »"]
    assert problems[0].paragraph == "Le {{ edition.name }} du {{ edition.first_day|date_longue }}"
    template = user_template(tmp_path / "v.docx", "Titre", "Le {{ edition.name }", "Fin")
    problems = check_template(template, "directory")
    assert problems[0].severity == "erreur" and problems[0].paragraph == "Le {{ edition.name }"


@pytest.mark.parametrize("first, second", [("{{ edition.", "name }}"), ("{", "{ edition.name }}"),
                                           ("{{ edition.name }", "}")])
def test_check_reports_tags_split_by_word(tmp_path, first, second):
    template = user_template(tmp_path / "t.docx", split=(first, second))
    problems = check_template(template, "directory")
    assert [p.severity for p in problems] == ["avertissement"]
    assert "coupée en 2 morceaux" in problems[0].message
    assert problems[0].paragraph == "Boutique : {{ edition.name }}"


def test_check_warns_when_a_paragraph_tag_shares_its_paragraph(tmp_path):
    template = user_template(tmp_path / "t.docx", "Liste : {%p for shop in shops %}", "{{ shop.name }}", "{%p endfor %}")
    problems = check_template(template, "directory")
    assert [p.severity for p in problems] == ["avertissement"]
    assert "remplace tout son paragraphe" in problems[0].message


def test_variables_are_documented_with_examples_for_each_kind():
    for kind in contexts.KINDS:
        names = [v.name for v in contexts.VARIABLES[kind]]
        assert len(names) == len(set(names)), kind
        assert "edition.name" in names
    assert any(v.name == "shops[].event_hours_text" for v in contexts.VARIABLES["press-kit"])


def test_contexts_match_their_documented_variables(loans_db):
    """Every documented leaf variable exists in a real context (and the other way round for top-level)."""
    with loans_db.session() as session:
        eid = edition_id(loans_db)
        key = next(iter(contexts.delivery_rounds(session, eid)))
        org = contexts.edition_partners(session, eid)[0]
        data = press.press_data(session, eid)
        territory = next(r.scope for r in press.press_recipients(session, eid, data) if r.scope.kind == press.TERRITORY)
        built = {
            "press-kit": press.press_kit_context(session, eid, territory, data),
            "role-sheet": role_sheets.role_sheet_context(session, eid, org.id),
            "directory": contexts.directory_context(session, eid),
            "bilan": contexts.bilan_context(session, eid),
            "delivery-sheet": contexts.delivery_sheet_context(session, eid, key),
        }

    def resolve(value, parts):
        for part in parts:
            if value is None:
                return True  # optional object (no animator, no previous edition)
            is_list = part.endswith("[]")
            key_name = part[:-2] if is_list else part
            if not isinstance(value, dict) or key_name not in value:
                return False
            value = value[key_name]
            if is_list:
                if not value:
                    return True
                value = value[0]
        return True

    for kind, context in built.items():
        for variable in contexts.VARIABLES[kind]:
            assert resolve(context, variable.name.split(".")), (kind, variable.name)
        documented_top = {v.name.split(".")[0].removesuffix("[]") for v in contexts.VARIABLES[kind]}
        assert set(context) <= documented_top, (kind, set(context) - documented_top)


def test_hours_text_groups_identical_days():
    text = contexts.hours_text({"samedi": [["09:30", "12:00"]], "mercredi": [["09:30", "12:00"]],
                                "vendredi": [["14:00", "18:00"]]})
    assert text == "mercredi et samedi : 9h30–12h\nvendredi : 14h–18h"


def test_money_filter_is_exact():
    env = engine.make_environment()
    assert env.from_string("{{ v|money }}").render(v=Decimal("41500")) == "41\u202f500,00 €" or \
        env.from_string("{{ v|money }}").render(v=Decimal("41500")) == "41 500,00 €"


def test_readme_documents_every_variable():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Documents"):]
    for kind in contexts.KINDS:
        kind_part = section[section.index(f"(`{kind}`"):]
        for variable in contexts.VARIABLES[kind]:
            assert f"| `{variable.name}` |" in kind_part, (kind, variable.name)
