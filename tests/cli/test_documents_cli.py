"""CLI: generate press-kits / directory / bilan / delivery-sheets, template check / variables."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from sqlalchemy import select

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.documents.engine import document_text


@pytest.fixture
def demo_file(demo_file):
    """The demo as a SQLite file (never the path of a PostgreSQL test base), as a string for argv."""
    return str(demo_file)


def test_generate_press_kits_for_one_partner(demo_file, tmp_path, capsys):
    assert main(["generate", "press-kits", "--db", demo_file, "--edition", "Avril 2014", "--out-dir", str(tmp_path),
                 "--partner", "SICTOM"]) == 0
    target = tmp_path / "Dossier de presse – Avril 2014 – Vallées du Loir et de la Sarthe.docx"
    assert "L’Atelier du réemploi de Durtal" in document_text(target)
    assert "1 document(s) Word produit(s)" in capsys.readouterr().out


def test_generate_role_sheets_with_drafts(demo_file, tmp_path, capsys):
    assert main(["generate", "role-sheets", "--db", demo_file, "--edition", "Avril 2014", "--out-dir", str(tmp_path),
                 "--partner", "Envie Anjou", "--eml"]) == 0
    sheet = tmp_path / "Fiche rôle – Avril 2014 – Envie Anjou.docx"
    assert "Envie Anjou – Cholet" in document_text(sheet)
    draft = tmp_path / "Courriel fiche rôle – Envie Anjou.eml"
    import email
    from email import policy

    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "k.benali@exemple-envie.fr"
    assert [p.get_filename() for p in message.iter_attachments()] == [sheet.name]
    out = capsys.readouterr().out
    assert "Envie Anjou → Fiche rôle – Avril 2014 – Envie Anjou.docx" in out


def test_press_kits_strict_refuses_with_the_conflicts_and_exit_1(demo_file, tmp_path, capsys):
    assert main(["generate", "press-kits", "--db", demo_file, "--edition", "Novembre 2013",
                 "--out-dir", str(tmp_path / "kits"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "--strict" in err and "La Malle aux trésors" in err
    assert not (tmp_path / "kits").exists()


def test_generate_directory_and_bilan(demo_file, tmp_path):
    assert main(["generate", "directory", "--db", demo_file, "--edition", "avril 2014",
                 "--out", str(tmp_path / "annuaire.docx")]) == 0
    assert "Recyclerie de Longué" in document_text(tmp_path / "annuaire.docx")
    assert main(["generate", "bilan", "--db", demo_file, "--edition", "Novembre 2013",
                 "--out", str(tmp_path / "bilan")]) == 0
    assert "41\u202f500,00\u00a0€" in document_text(tmp_path / "bilan.docx")


def test_generate_delivery_sheets(demo_db, tmp_path):
    from bonsjours_desktop.core.editions import find_edition
    from bonsjours_desktop.core.models import Item, Loan, Shop

    with demo_db.session() as session:
        april = find_edition(session, "Avril 2014")
        for obj in list(april.loans) + list(april.consumables):  # replace the demo's rounds by ours
            session.delete(obj)
        session.flush()
        shop = session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one()
        item = session.scalars(select(Item).filter_by(identifier="SAISONS-02")).one()
        session.add(Loan(edition=april, item=item, shop=shop, delivery_date=dt.date(2014, 4, 1),
                         pickup_date=dt.date(2014, 4, 7)))
        session.commit()
    assert main(["generate", "delivery-sheets", "--db", str(demo_db.path), "--edition", "Avril 2014",
                 "--out-dir", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert names == ["Tournée – 2014-04-01 – Communauté d'agglomération du Choletais.docx",
                     "Tournée – 2014-04-07 – Communauté d'agglomération du Choletais.docx"]
    assert "SAISONS-02 – Plateau du jeu des saisons" in document_text(tmp_path / names[0])


def test_unknown_edition_is_one_french_line(demo_file, tmp_path, capsys):
    assert main(["generate", "directory", "--db", demo_file, "--edition", "Mai 2030", "--out",
                 str(tmp_path / "a.docx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bonsjours : Aucune édition ne s'appelle « Mai 2030 »") and "Traceback" not in err


def test_template_check_exit_codes(tmp_path, capsys):
    from bonsjours_desktop.core.documents.generate import default_template

    assert main(["template", "check", str(default_template("bilan"))]) == 0
    assert "Aucun problème" in capsys.readouterr().out
    document = Document()
    document.add_paragraph("{{ edition.nom }} {% if %}")
    bad = tmp_path / "mauvais.docx"
    document.save(str(bad))
    assert main(["template", "check", str(bad), "--kind", "directory"]) == 1
    out = capsys.readouterr().out
    assert "Erreur" in out and "{{ edition.nom }} {% if %}" in out


def test_template_sandbox_error_via_cli(demo_file, tmp_path, capsys):
    document = Document()
    document.add_paragraph("{{ cycler.__init__.__globals__ }}")
    bad = tmp_path / "pirate.docx"
    document.save(str(bad))
    assert main(["generate", "directory", "--db", demo_file, "--edition", "Avril 2014", "--out",
                 str(tmp_path / "a.docx"), "--template", str(bad)]) == 1
    assert "interdits" in capsys.readouterr().err
    assert not (tmp_path / "a.docx").exists()


def test_template_variables_lists_names_and_examples(capsys):
    assert main(["template", "variables", "directory"]) == 0
    out = capsys.readouterr().out
    assert "territories[].communes[].shops[].hours_text" in out and "date_long" in out


def test_pdf_option_without_libreoffice(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BONSJOURS_SOFFICE", "")
    assert main(["generate", "directory", "--db", demo_file, "--edition", "Avril 2014", "--out",
                 str(tmp_path / "a.docx"), "--pdf"]) == 1
    assert "LibreOffice n'est pas installé" in capsys.readouterr().err


def test_bilan_includes_the_budget_charts_by_default(demo_db, tmp_path, qapp):
    from docx import Document

    assert main(["generate", "bilan", "--db", str(demo_db.path), "--edition", "Novembre 2013",
                 "--out", str(tmp_path / "bilan.docx")]) == 0
    document = Document(str(tmp_path / "bilan.docx"))
    # The first edition: no comparison chart (nothing earlier to compare with, and never a later edition).
    assert len(document.inline_shapes) == 2
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Prévu et réel par catégorie" in text and "Comparaison des éditions" not in text
    assert main(["generate", "bilan", "--db", str(demo_db.path), "--edition", "Avril 2014",
                 "--out", str(tmp_path / "avril.docx")]) == 0
    document = Document(str(tmp_path / "avril.docx"))
    assert len(document.inline_shapes) == 3
    assert all(abs(shape.width.mm - 150) < 0.5 for shape in document.inline_shapes)
