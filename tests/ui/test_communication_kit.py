"""Documents tab, communication kit: the address remembered per edition, the kit written by the shared job."""

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
    tab.set_kind("communication-kit")
    options = tab.kit_options
    assert options.isVisibleTo(tab) and not tab.template_row.isVisibleTo(tab) and not tab.partners_box.isVisibleTo(tab)
    tab.out_edit.setText(str(tmp_path))
    options.address_edit.setText(URL)
    options.size_combo.setCurrentIndex(options.size_combo.findData("a4"))
    tab.start_generation()
    assert tab.worker is not None and not tab.generate_button.isEnabled()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=300000)
    folder = tmp_path / "Kit de communication – Avril 2014"
    assert (folder / "affiches" / "affiche-pays-segreen-a4.pdf").is_file()
    assert len(list((folder / "affiches").glob("*.pdf"))) == 10
    assert len(list((folder / "bannieres").glob("*.png"))) == 3
    assert (folder / "page-web" / "index.html").is_file()
    assert "16 fichier(s) produit(s)" in tab.status.text()
    assert tab.files_list.count() == 16 and tab.last_folder == folder and tab.open_folder_button.isEnabled()
    assert not tab.progress.isVisible()
    with demo_db.session() as session:
        assert web_address(session, tab.edition_id) == URL
    options.address_edit.setText("")
    tab.set_kind("banners")
    assert options.address_edit.text() == URL and not options.size_combo.isVisibleTo(tab)


def test_banners_alone(main_window, qtbot, tmp_path):
    tab = main_window.show_tab("Documents")
    tab.set_kind("banners")
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=120000)
    folder = tmp_path / "Kit de communication – Avril 2014"
    assert sorted(p.name for p in (folder / "bannieres").glob("*.png")) == [
        "banniere-1200x628.png", "banniere-300x250.png", "banniere-728x90.png"]
    assert not (folder / "affiches").exists()


def test_a_mistyped_address_is_refused_in_place_and_nothing_produced(main_window, tmp_path, shown_errors):
    tab = main_window.show_tab("Documents")
    tab.set_kind("communication-kit")
    tab.out_edit.setText(str(tmp_path / "sortie"))
    tab.kit_options.address_edit.setText("enanjou point fr")
    tab.start_generation()
    assert tab.worker is None
    assert not shown_errors
    assert "Adresse de la page web invalide" in tab.error_label.text()
    assert not (tmp_path / "sortie").exists()
