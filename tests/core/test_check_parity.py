"""« Vérifier le modèle » and generation give one verdict: an error for the one is a failure of the other."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from bonsjours_desktop.core.documents import generate
from bonsjours_desktop.core.documents.checks import check_template
from bonsjours_desktop.core.documents.engine import DocumentError
from bonsjours_desktop.core.editions import find_edition


def _template(path: Path, paragraphs: list, header: str = "") -> Path:
    document = Document()
    for item in paragraphs:
        if isinstance(item, tuple):  # runs of differing formatting, as Word splits a tag
            paragraph = document.add_paragraph(item[0])
            paragraph.add_run(item[1]).font.size = Pt(14)
        else:
            document.add_paragraph(item)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.save(str(path))
    return path


CASES = {
    # name: (paragraphs, header, the check finds an error)
    "tag across two paragraphs": (["Bonjour {{ edition.", "name }} et bienvenue"], "", True),
    "unknown variable": (["{{ edition.nom }}"], "", True),
    "unknown variable in the header": (["Corps"], "{{ partner.name }}", True),
    "unknown filter": (["{{ edition.name|majuscule }}"], "", True),
    "unclosed loop": (["{% for t in territories %} sans fin"], "", True),
    "unclosed tag": (["Le {{ edition.name }"], "", True),
    "python internals": (["{{ cycler.__init__.__globals__ }}"], "", True),
    "fails only when filled": (["{{ counts.shops + ' boutiques' }}"], "", True),
    "tag split by Word formatting (warning)": ([("Édition ", "{{ edition.name }}")], "", False),
    "paragraph tag sharing its paragraph (warning)": (["Liste : {%p for t in territories %}", "{{ t.name }}",
                                                       "{%p endfor %}"], "", False),
    "a correct template": (["{{ title }} — {{ edition.name }}", "{% for t in territories %}{{ t.name }} "
                            "({{ t.shops_count|pluriel('boutique') }}){% endfor %}"], "{{ departement_name }}",
                           False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_generation_agree(case, demo_db, tmp_path):
    paragraphs, header, erroneous = CASES[case]
    template = _template(tmp_path / "modele.docx", paragraphs, header)
    errors = [p for p in check_template(template, "directory") if p.severity == "erreur"]
    assert bool(errors) is erroneous, errors
    target = tmp_path / "sortie" / "annuaire.docx"
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        if erroneous:
            with pytest.raises(DocumentError) as info:
                generate.generate_directory(session, edition_id, target, template=template)
            # The same words as the check, and nothing written.
            assert errors[0].message in str(info.value)
            assert "rien n'a été produit" in str(info.value)
            assert not target.exists()
        else:
            result = generate.generate_directory(session, edition_id, target, template=template)
            assert result.documents == [target] and target.is_file()


def test_every_batch_kind_runs_the_check(demo_db, tmp_path):
    template = _template(tmp_path / "modele.docx", ["{{ edition.nom }}"])
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        for run in (lambda: generate.generate_press_kits(session, edition_id, tmp_path / "a", template=template),
                    lambda: generate.generate_bilan(session, edition_id, tmp_path / "b.docx", template=template)):
            with pytest.raises(DocumentError, match="variable inconnue « edition.nom »"):
                run()
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())
