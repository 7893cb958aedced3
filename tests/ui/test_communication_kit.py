"""Documents tab, « Kit de communication »: the address remembered per edition, the kit written by a worker."""

from __future__ import annotations

import pytest

from bonsjours_desktop.core.communication import web_address

URL = "https://www.enanjoujereduismesdechets.fr/local-et-solidaire"


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch):
    messages: list[str] = []
    monkeypatch.setattr("bonsjours_desktop.ui.errors.show_error", lambda parent, exc, *a: messages.append(str(exc)))
    return messages


def test_the_kit_is_produced_and_the_address_remembered(main_window, qtbot, tmp_path, demo_db):
    tab = main_window.show_tab("Documents")
    box = tab.communication_box
    box.open_folder_when_done = False
    tab.out_edit.setText(str(tmp_path))
    box.address_edit.setText(URL)
    box.size_combo.setCurrentIndex(box.size_combo.findData("a4"))
    box.start()
    assert box.worker is not None and not box.button.isEnabled()
    qtbot.waitUntil(lambda: box.worker is None, timeout=300000)
    folder = tmp_path / "Kit de communication – Avril 2014"
    assert (folder / "affiches" / "affiche-pays-segreen-a4.pdf").is_file()
    assert len(list((folder / "affiches").glob("*.pdf"))) == 10
    assert len(list((folder / "bannieres").glob("*.png"))) == 3
    assert (folder / "page-web" / "index.html").is_file()
    assert "16 fichier(s) produit(s)" in box.status.text()
    with demo_db.session() as session:
        assert web_address(session, main_window.context.edition_id) == URL
    box.address_edit.setText("")
    box.load()
    assert box.address_edit.text() == URL


def test_a_mistyped_address_is_refused_and_nothing_produced(main_window, tmp_path, shown_errors):
    tab = main_window.show_tab("Documents")
    box = tab.communication_box
    tab.out_edit.setText(str(tmp_path / "sortie"))
    box.address_edit.setText("enanjou point fr")
    box.start()
    assert box.worker is None
    assert any("Adresse de la page web invalide" in m for m in shown_errors)
    assert not (tmp_path / "sortie").exists()
