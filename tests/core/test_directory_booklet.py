"""The directory as a booklet: A5/A4 pages, commune bookmarks and their index, cover map, logo, imposition."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.documents import generate
from bonsjours_desktop.core.documents.booklet import booklet_order, impose_booklet
from bonsjours_desktop.core.documents.engine import DocumentError, document_text, find_soffice
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.reference import set_setting

TWIPS_PER_CM = 1440 / 2.54


def _xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def _page_sizes_cm(path: Path) -> set[tuple[float, float]]:
    return {(round(int(w) / TWIPS_PER_CM, 1), round(int(h) / TWIPS_PER_CM, 1))
            for w, h in re.findall(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', _xml(path))}


def _directory(db, tmp_path, **options) -> Path:
    with db.session() as session:
        edition = find_edition(session, "Avril 2014")
        return generate.generate_directory(session, edition.id, tmp_path / "annuaire.docx", **options).documents[0]


def test_a5_by_default_and_a4_on_request(demo_db, tmp_path):
    assert _page_sizes_cm(_directory(demo_db, tmp_path / "a5")) == {(14.8, 21.0)}
    assert _page_sizes_cm(_directory(demo_db, tmp_path / "a4", page_format="a4")) == {(21.0, 29.7)}
    with pytest.raises(DocumentError, match="a5 ou a4"):
        _directory(demo_db, tmp_path, page_format="a3")


def test_every_commune_has_a_bookmark_and_an_index_entry_with_a_page_field(demo_db, tmp_path):
    path = _directory(demo_db, tmp_path)
    xml = _xml(path)
    bookmarks = dict(re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="(_Commune\d+)"/>', xml))
    assert len(bookmarks) == len(set(bookmarks.values())) >= 10  # unique ids and names
    ends = set(re.findall(r'<w:bookmarkEnd w:id="(\d+)"/>', xml))
    assert set(bookmarks) <= ends
    references = re.findall(r"PAGEREF (_Commune\d+) \\h", xml)
    assert sorted(references) == sorted(bookmarks.values())  # one index entry per commune section
    text = document_text(path)
    index = text[text.index("Index des communes"):]
    names = [line.split(" — ")[0] for line in index.splitlines()[1:] if " — " in line]
    assert names[:3] == ["Angers", "Beaupréau", "Chalonnes-sur-Loire"]  # alphabetical
    assert "updateFields" in _xml(path, "word/settings.xml")  # Word computes the page numbers on opening


def test_cover_back_cover_and_how_to_page(demo_db, tmp_path):
    path = _directory(demo_db, tmp_path)
    text = document_text(path)
    assert "Mode d’emploi" in text and "index à la fin" in text
    assert "Mercredi 2 avril 2014 et samedi 5 avril 2014" in text  # the edition's dates, cover and back
    assert "www.enanjoujereduismesdechets.fr" in text  # the web page setting, on the back cover
    from docx import Document

    assert Document(str(path)).paragraphs[-1].text.startswith("Ne pas jeter")
    xml = _xml(_directory(demo_db, tmp_path / "b"))
    assert xml.count("<w:sectPr") == 2 and "<w:titlePg/>" in xml  # the back cover: own section, no header


def test_optional_logo_from_the_settings(demo_db, tmp_path):
    pictures = [Path(__file__).resolve().parents[2] / "resources" / "icons" / "bonsjours.png"]
    with demo_db.session() as session:
        set_setting(session, "logo_path", str(pictures[0]))
        session.commit()
    with_logo = _directory(demo_db, tmp_path / "logo")
    with zipfile.ZipFile(with_logo) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
    with demo_db.session() as session:
        set_setting(session, "logo_path", str(tmp_path / "disparu.png"))
        session.commit()
    without = _directory(demo_db, tmp_path / "sans")  # a logo file gone missing: no logo, no failure
    with zipfile.ZipFile(without) as archive:
        assert not any(name.startswith("word/media/") for name in archive.namelist())


# --- imposition ------------------------------------------------------------------------------------------


def test_booklet_order_for_saddle_stitch():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # 6 pages: two blanks before the back cover, which stays on the outside.
    assert booklet_order(6) == [(5, 0), (1, None), (None, 2), (3, 4)]
    assert booklet_order(1) == [(0, None), (None, None)]  # a single page is its own back cover


def _pdf_with_pages(path: Path, count: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=419.53, height=595.28)  # A5
    writer.write(str(path))
    return path


def test_imposed_pdf_has_a4_landscape_sheets(tmp_path):
    from pypdf import PdfReader

    target = impose_booklet(_pdf_with_pages(tmp_path / "a.pdf", 10), tmp_path / "livret.pdf")
    reader = PdfReader(str(target))
    assert len(reader.pages) == 6  # 10 pages → 12 → 3 sheets, both sides
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_unreadable_pdf_is_one_french_error(tmp_path):
    bad = tmp_path / "a.pdf"
    bad.write_bytes(b"pas un pdf")
    with pytest.raises(DocumentError, match="ne peut pas être relu"):
        impose_booklet(bad, tmp_path / "livret.pdf")
    assert not (tmp_path / "livret.pdf").exists()


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice absent")
def test_booklet_from_the_directory_pdf(demo_db, tmp_path):
    from pypdf import PdfReader

    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        result = generate.generate_directory(session, edition.id, tmp_path / "annuaire.docx", pdf=True, booklet=True)
    pdf, imposed = result.pdfs
    assert imposed.name == "annuaire – livret.pdf"
    pages = PdfReader(str(pdf)).pages
    box = pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 pages
    sheets = PdfReader(str(imposed)).pages
    assert len(sheets) == (len(pages) + 3) // 4 * 2
    first = sheets[0].extract_text()
    assert "Ne pas jeter" in first and "Dénicher de bonnes affaires" in first  # back cover beside the cover
    index = next(p.extract_text() for p in pages if "Index des communes" in p.extract_text())
    angers = re.search(r"Angers — Angers Loire Métropole\.*\s*(\d+)", index)
    assert angers and "Angers Loire Métropole" in pages[int(angers.group(1)) - 1].extract_text()


def test_booklet_needs_the_pdf_and_a5(demo_db, tmp_path):
    with pytest.raises(DocumentError, match="--pdf"):
        _directory(demo_db, tmp_path, booklet=True)
    with pytest.raises(DocumentError, match="format a5"):
        _directory(demo_db, tmp_path, booklet=True, pdf=True, page_format="a4")
    assert not (tmp_path / "annuaire.docx").exists()


# --- command line ------------------------------------------------------------------------------------------


def test_command_line_directory_has_its_cover_map_and_index(demo_file, tmp_path):
    out = tmp_path / "annuaire.docx"
    assert main(["generate", "directory", "--db", str(demo_file), "--edition", "Avril 2014", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert [n for n in archive.namelist() if n.startswith("word/media/")]  # the map drawn on the cover
    assert "Index des communes" in document_text(out)
    assert _page_sizes_cm(out) == {(14.8, 21.0)}
    bare = tmp_path / "sans.docx"
    assert main(["generate", "directory", "--db", str(demo_file), "--edition", "Avril 2014", "--out", str(bare),
                 "--no-map", "--format", "a4"]) == 0
    with zipfile.ZipFile(bare) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    assert _page_sizes_cm(bare) == {(21.0, 29.7)}


def test_command_line_booklet_without_pdf_is_refused(demo_file, tmp_path, capsys):
    out = tmp_path / "annuaire.docx"
    assert main(["generate", "directory", "--db", str(demo_file), "--edition", "Avril 2014", "--out", str(out),
                 "--booklet"]) == 1
    assert "--pdf" in capsys.readouterr().err
    assert not out.exists()
