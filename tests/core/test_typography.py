"""French typography of generated documents, real plurals and the documents' file properties."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from docx import Document

from bonsjours_desktop.core.documents import generate, package
from bonsjours_desktop.core.documents.engine import document_text, find_soffice, make_environment, render_document
from bonsjours_desktop.core.documents.typography import NBSP, NNBSP, counted, french_typography, plural
from bonsjours_desktop.core.editions import find_edition

# --- the filter on plain text -----------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("Les bons jours de l'occasion", "Les bons jours de l’occasion"),
    ("aujourd'hui", "aujourd’hui"),
    ("Contact : Anne", f"Contact{NBSP}: Anne"),
    ("Vraiment ? Oui ! Bien ; voilà", f"Vraiment{NNBSP}? Oui{NNBSP}! Bien{NNBSP}; voilà"),
    ("« Le Grenier »", f"«{NBSP}Le Grenier{NBSP}»"),
    ("de 10 h à 14 h 30", f"de 10{NBSP}h à 14{NBSP}h{NBSP}30"),
    ("40 € et 5,5 % sur 12 km", f"40{NBSP}€ et 5,5{NBSP}% sur 12{NBSP}km"),
    ("1 200 visiteurs", f"1{NNBSP}200{NBSP}visiteurs"),
    ("voir p. 12 et n° 3", f"voir p.{NBSP}12 et n°{NBSP}3"),
])
def test_french_typography_rules(typed, expected):
    assert french_typography(typed) == expected


@pytest.mark.parametrize("untouched", [
    "https://www.maine-et-loire.fr/l'occasion?page=2",
    "www.emmaus49.fr/boutique's",
    "am.o'neil@maine-et-loire.fr",
    "Rendez-vous à 14:30",
    "Appeler le 02 41 81 49 49",
    "{{ x }}",
    "",
    "rien à changer",
])
def test_addresses_times_and_plain_text_are_left_alone(untouched):
    assert french_typography(untouched) == untouched


def test_the_filter_never_changes_the_length():
    text = "L'équipe : « 3 l'an » ! 10 h 30, 1 500 €… https://x.fr/a?b et a'b@c.fr ; fin ?"
    assert len(french_typography(text)) == len(text)
    assert french_typography(french_typography(text)) == french_typography(text)  # idempotent


# --- plurals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count, expected", [(0, "boutique"), (1, "boutique"), (2, "boutiques"), (17, "boutiques"),
                                             (None, "boutique")])
def test_plural_follows_the_french_rule(count, expected):
    assert plural(count, "boutique") == expected


def test_plural_with_an_irregular_form_and_the_jinja_filter():
    assert plural(3, "journal", "journaux") == "journaux"
    assert counted(1200, "visiteur") == f"1{NNBSP}200{NBSP}visiteurs"
    env = make_environment()
    assert env.from_string("{{ n|pluriel('boutique') }}").render(n=17) == f"17{NBSP}boutiques"
    assert env.from_string("{{ n|pluriel('boutique') }}").render(n=1) == f"1{NBSP}boutique"
    assert env.from_string("{{ n|pluriel('a répondu', 'ont répondu', nombre=False) }}").render(n=2) == "ont répondu"


def test_templates_say_no_s_in_parentheses():
    folder = Path(__file__).resolve().parents[2] / "resources" / "templates"
    for template in folder.glob("*.docx"):
        with zipfile.ZipFile(template) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        assert "(s)" not in xml, template.name


# --- in generated documents -------------------------------------------------------------------------


def _template(path: Path, *paragraphs: list[tuple[str, dict]]) -> Path:
    document = Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, fmt in runs:
            run = paragraph.add_run(text)
            run.bold = fmt.get("bold")
    document.sections[0].header.paragraphs[0].text = "En-tête : {{ name }}"
    document.save(str(path))
    return path


def test_typography_reaches_template_words_data_headers_and_split_runs(tmp_path):
    template = _template(
        tmp_path / "m.docx",
        [("Boutique : {{ name }}", {})],
        [("Site : {{ site }} ; mail {{ mail }} à 14:30", {})],
        [("Ouvert de 10 ", {}), ("h", {"bold": True}), (" à 18 h ", {}), (": venez", {"bold": True})],
    )
    out = render_document(template, {"name": "« Le Grenier » d'Anjou", "site": "https://a.fr/l'x?y=1",
                                      "mail": "o'neil@b.fr"}, tmp_path / "out.docx")
    text = document_text(out)
    assert f"Boutique{NBSP}: «{NBSP}Le Grenier{NBSP}» d’Anjou" in text
    assert f"Site{NBSP}: https://a.fr/l'x?y=1{NNBSP}; mail o'neil@b.fr à 14:30" in text
    assert f"Ouvert de 10{NBSP}h à 18{NBSP}h{NBSP}: venez" in text  # across runs of differing formatting
    document = Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == f"En-tête{NBSP}: «{NBSP}Le Grenier{NBSP}» d’Anjou"
    paragraph = document.paragraphs[2]
    assert [r.text for r in paragraph.runs] == ["Ouvert de 10" + NBSP, "h", " à 18" + NBSP + "h" + NBSP,
                                                ": venez"]
    assert paragraph.runs[1].bold and paragraph.runs[3].bold  # the formatting of each run is kept


def test_field_codes_are_not_touched(tmp_path):
    from docx.oxml import OxmlElement

    document = Document()
    paragraph = document.add_paragraph("Lien : ")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.text = ' HYPERLINK "https://x.fr/l\'a" \\o "l\'info : ici" '
    run._r.append(instr)
    document.save(str(tmp_path / "m.docx"))
    out = render_document(tmp_path / "m.docx", {}, tmp_path / "out.docx")
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert 'HYPERLINK "https://x.fr/l\'a" \\o "l\'info : ici"' in xml.replace("&quot;", '"').replace("&apos;", "'")
    assert f"Lien{NBSP}:" in xml


def test_a_text_box_is_its_own_paragraph():
    """The text around a text box is one paragraph (« Prix : » then « 5 € » after the box), the box's own
    text another: neither one's words are joined with the other's."""
    from lxml import etree

    from bonsjours_desktop.core.documents.typography import W_NS, typeset_docx_xml

    w = f"{{{W_NS}}}"
    xml = (f'<w:document xmlns:w="{W_NS}"><w:body>'
           '<w:p><w:r><w:t xml:space="preserve">Prix </w:t></w:r>'
           '<w:r><w:pict><w:txbxContent><w:p><w:r><w:t xml:space="preserve">l\'encadré ; </w:t></w:r>'
           '<w:r><w:br/><w:t xml:space="preserve">? fin</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>'
           '<w:r><w:t xml:space="preserve">: 5 €</w:t></w:r></w:p>'
           '<w:p><w:r><w:t xml:space="preserve">Après : rien</w:t></w:r></w:p>'
           '</w:body></w:document>').encode()
    texts = [t.text for t in etree.fromstring(typeset_docx_xml(xml)).iter(f"{w}t")]
    # the outer paragraph reads « Prix : 5 € » across the box; the box's line break ends its first line
    assert texts == [f"Prix{NBSP}", f"l\u2019encadré{NNBSP}; ", "? fin", f": 5{NBSP}€", f"Après{NBSP}: rien"]


def test_the_directory_has_no_straight_apostrophe_and_no_plain_space_before_a_colon(demo_db, tmp_path):
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        path = generate.generate_directory(session, edition.id, tmp_path / "a.docx").documents[0]
    text = document_text(path)
    assert "'" not in text
    assert " :" not in text and " ;" not in text and "« " not in text and " »" not in text
    assert "l’occasion" in text


# --- file properties ----------------------------------------------------------------------------------


def test_generated_documents_carry_their_own_properties(demo_db, tmp_path):
    from bonsjours_desktop import __version__

    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        path = generate.generate_directory(session, edition.id, tmp_path / "annuaire.docx").documents[0]
        kits = generate.generate_press_kits(session, edition.id, tmp_path / "kits", partner="Emmaüs").documents
    props = package.read_properties(path)
    assert props["title"] == "Annuaire des boutiques – Avril 2014"
    assert props["subject"] == "Les bons jours de l’occasion – Avril 2014"
    assert props["creator"] == "Département de Maine-et-Loire"
    assert props["Application"] == f"Bons Jours {__version__}"
    assert "docxtpl" not in props["description"] and "Macintosh" not in str(props)
    created = dt.datetime.fromisoformat(props["created"].replace("Z", "+00:00"))
    assert created >= before and props["modified"] == props["created"]
    assert package.read_properties(kits[0])["title"] == f"Dossier de presse – Avril 2014 – {kits[0].stem.split(' – ')[-1]}"
    with zipfile.ZipFile(path) as archive:  # BONSJOURS_THUMBNAILS=0 in tests: the blank template one is gone
        assert not any("thumbnail" in name for name in archive.namelist())
        assert b"thumbnail" not in archive.read("_rels/.rels")


def test_the_author_follows_the_departement_setting(demo_db, tmp_path):
    from bonsjours_desktop.core.reference import set_setting

    with demo_db.session() as session:
        set_setting(session, "departement_name", "Loire-Atlantique")
        session.commit()
        edition = find_edition(session, "Avril 2014")
        path = generate.generate_directory(session, edition.id, tmp_path / "a.docx").documents[0]
    assert package.read_properties(path)["creator"] == "Département de Loire-Atlantique"


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice absent : pas de vignette")
def test_a_first_page_thumbnail_when_libreoffice_is_there(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("BONSJOURS_THUMBNAILS", "1")
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        path = generate.generate_directory(session, edition.id, tmp_path / "a.docx").documents[0]
    with zipfile.ZipFile(path) as archive:
        picture = archive.read("docProps/thumbnail.png")
        assert b"docProps/thumbnail.png" in archive.read("_rels/.rels")
        assert b'Extension="png"' in archive.read("[Content_Types].xml")
    assert picture.startswith(b"\x89PNG") and len(picture) > 5000  # a drawn page, not an empty picture
    Document(str(path))  # still a valid Word file


def test_no_thumbnail_without_libreoffice(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("BONSJOURS_THUMBNAILS", "1")
    monkeypatch.setenv("BONSJOURS_SOFFICE", "")
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        path = generate.generate_directory(session, edition.id, tmp_path / "a.docx").documents[0]
    with zipfile.ZipFile(path) as archive:
        assert not any("thumbnail" in name for name in archive.namelist())


# --- fonts ---------------------------------------------------------------------------------------------


def test_template_styles_name_their_font_without_theme_attributes():
    folder = Path(__file__).resolve().parents[2] / "resources" / "templates"
    for template in folder.glob("*.docx"):
        with zipfile.ZipFile(template) as archive:
            styles = archive.read("word/styles.xml").decode("utf-8")
            theme = archive.read("word/theme/theme1.xml").decode("utf-8")
        assert "Theme=" not in styles and "w:cstheme" not in styles, template.name
        heading = styles[styles.index('w:styleId="Heading1"'):]
        heading = heading[:heading.index("</w:style>")]
        assert 'w:ascii="Arial"' in heading and 'w:hAnsi="Arial"' in heading
        assert '<a:latin typeface="Arial"/>' in theme and "Calibri" not in theme.split("<a:fontScheme")[1][:300]


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice absent")
def test_pdf_embeds_every_font_and_headings_are_not_a_theme_font(demo_db, tmp_path):
    from pypdf import PdfReader

    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        result = generate.generate_directory(session, edition.id, tmp_path / "a.docx", pdf=True)
    reader = PdfReader(str(result.pdfs[0]))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    # Arial, or its metric-compatible stand-in where Arial is not installed; never the theme's Calibri.
    assert any("Arial" in name or "LiberationSans-Bold" in name for name in fonts), fonts
    assert not any("Calibri" in name or "Carlito" in name for name in fonts), fonts


def test_thumbnails_by_default_only_with_the_pdf(monkeypatch):
    monkeypatch.delenv("BONSJOURS_THUMBNAILS", raising=False)
    assert not package.thumbnails_enabled(pdf=False) and package.thumbnails_enabled(pdf=True)
    monkeypatch.setenv("BONSJOURS_THUMBNAILS", "1")
    assert package.thumbnails_enabled(pdf=False)
    monkeypatch.setenv("BONSJOURS_THUMBNAILS", "0")
    assert not package.thumbnails_enabled(pdf=True)


def test_a_very_long_title_is_clipped_to_words_limit(tmp_path):
    from docx.opc.coreprops import CoreProperties  # noqa: F401 - python-docx refuses more than 255 characters

    document = Document()
    document.add_paragraph("Texte")
    document.save(str(tmp_path / "m.docx"))
    title = "Dossier de presse – " + "très longue vallée " * 30
    out = render_document(tmp_path / "m.docx", {}, tmp_path / "o.docx", package.DocumentProperties(title=title))
    shown = package.read_properties(out)["title"]
    assert len(shown) == 255 and shown.endswith("…") and shown.startswith("Dossier de presse – très")


def test_counts_in_the_apps_sentences_are_grouped_the_french_way():
    from bonsjours_desktop.core.formatting import count

    assert [count(n) for n in (0, 999, 1000, 78563, 1234567)] == [
        "0", "999", f"1{NNBSP}000", f"78{NNBSP}563", f"1{NNBSP}234{NNBSP}567"]
