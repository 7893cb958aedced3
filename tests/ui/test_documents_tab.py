"""Documents tab: a user's flow (document, edition, proposed recipients, generate, files written), background
generation with progress, cancel, template check, the « Modèles » help with the chosen edition's values."""

from __future__ import annotations

from docx import Document
from PySide6.QtCore import Qt

import pytest

from bonsjours_desktop.core.documents.engine import document_text


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch):
    """Error dialogs are recorded instead of shown, so none lingers into other tests."""
    messages: list[str] = []
    monkeypatch.setattr("bonsjours_desktop.ui.errors.show_error", lambda parent, exc, *a: messages.append(str(exc)))
    return messages


def open_tab(main_window):
    tab = main_window.show_tab("Documents")
    tab.open_folder_when_done = False
    return tab


def test_directory_is_generated_by_the_worker(main_window, qtbot, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("directory")
    tab.out_edit.setText(str(tmp_path / "sortie"))
    assert tab.map_check.isVisible() and not tab.partners_box.isVisible()
    tab.start_generation()
    assert tab.worker is not None and not tab.generate_button.isEnabled()
    assert tab.progress.isVisible() and tab.cancel_button.isVisible()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    target = tmp_path / "sortie" / "Annuaire des boutiques – Avril 2014.docx"
    assert tab.last_result.documents == [target]
    assert "Emmaüs Cholet" in document_text(target)
    assert len(Document(str(target)).inline_shapes) == 1  # the map drawn with Qt
    assert "1 document(s) Word produit(s)" in tab.status.text()
    assert tab.generate_button.isEnabled()
    # idle again: no leftover bar beside « Générer »; the file written is listed, its folder can be opened
    assert not tab.progress.isVisible() and tab.progress.value() == 0 and tab.progress.maximum() == 1
    assert not tab.cancel_button.isVisible()
    assert [tab.files_list.item(i).text() for i in range(tab.files_list.count())] == [target.name]
    assert tab.open_folder_button.isEnabled() and tab.last_folder == tmp_path / "sortie"


def test_press_kits_for_checked_partners_only_and_cancel(main_window, qtbot, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("press-kit")
    assert tab.partners_box.isVisible()
    tab._check_all(False)
    for i in range(tab.partners.count()):
        if tab.partners.item(i).text().split("  ")[0] in ("Angers Loire Métropole", "SICTOM Loir et Sarthe"):
            tab.partners.item(i).setCheckState(Qt.Checked)
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    assert sorted(p.name for p in tab.last_result.documents) == [
        "Dossier de presse – Avril 2014 – Angers Loire Métropole.docx",
        "Dossier de presse – Avril 2014 – Vallées du Loir et de la Sarthe.docx",
    ]
    # Cancel before the worker reaches the first document: nothing is written.
    tab._check_all(True)
    tab.out_edit.setText(str(tmp_path / "annule"))
    tab.start_generation()
    tab.cancel_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    assert tab.last_result.cancelled
    assert len(tab.last_result.documents) < tab.partners.count()
    assert "Annulé" in tab.status.text()


def test_press_kit_recipients_are_preselected_by_role_and_show_their_kit(main_window, qtbot, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("press-kit")
    items = {tab.partners.item(i).text().split("  ")[0]: tab.partners.item(i) for i in range(tab.partners.count())}
    assert items["Le Courrier de l'Ouest"].checkState() == Qt.Checked
    assert "dossier « Maine-et-Loire »" in items["Le Courrier de l'Ouest"].text()
    assert "dossier « Angers Loire Métropole »" in items["CCAS d'Angers"].text()
    assert items["Département – Équipe logistique"].checkState() == Qt.Unchecked
    assert tab.press_contact_combo.currentText().startswith("Hélène Durand")
    # Choosing another press contact is one undoable operation.
    tab.press_contact_combo.setCurrentIndex(tab.press_contact_combo.findText("Sandrine Roux", Qt.MatchStartsWith))
    tab.press_contact_combo.activated.emit(tab.press_contact_combo.currentIndex())
    assert main_window.action_undo.text() == "Annuler : Choisir le contact presse de l'édition"
    # Only the Angers recipients: one kit, its map drawn with Qt, a draft per recipient.
    items = {tab.partners.item(i).text().split("  ")[0]: tab.partners.item(i) for i in range(tab.partners.count())}
    tab._check_all(False)
    items["CCAS d'Angers"].setCheckState(Qt.Checked)
    items["Angers Loire Métropole"].setCheckState(Qt.Checked)
    tab.eml_check.setChecked(True)
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    kit = tmp_path / "Dossier de presse – Avril 2014 – Angers Loire Métropole.docx"
    assert tab.last_result.documents == [kit]
    assert len(Document(str(kit)).inline_shapes) == 1
    assert "Sandrine Roux" in document_text(kit)
    assert sorted(p.name for p in tab.last_result.drafts) == [
        "Courriel dossier de presse – Angers Loire Métropole.eml", "Courriel dossier de presse – CCAS d'Angers.eml"]
    assert "2 brouillon(s) de courriel" in tab.status.text()


def test_role_sheets_from_the_tab(main_window, qtbot, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("role-sheet")
    assert tab.partners_box.isVisible() and not tab.press_contact_row.isVisible()
    tab._check_all(False)
    for i in range(tab.partners.count()):
        if tab.partners.item(i).text().split("  ")[0] == "Département – Équipe logistique":
            tab.partners.item(i).setCheckState(Qt.Checked)
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    assert [p.name for p in tab.last_result.documents] == ["Fiche rôle – Avril 2014 – Département – Équipe logistique.docx"]


def test_no_partner_checked_is_refused_in_french_in_place(main_window, tmp_path, shown_errors):
    tab = open_tab(main_window)
    tab.set_kind("press-kit")
    tab._check_all(False)
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    assert tab.worker is None
    assert not shown_errors  # no dialog: the message sits in the tab
    assert tab.error_label.isVisibleTo(tab)
    assert tab.error_label.text() == "Cochez au moins un partenaire destinataire d'un dossier de presse."
    assert not list(tmp_path.glob("*.docx"))
    tab._check_all(True)
    tab.set_kind("role-sheet")  # another choice: the old message goes
    assert not tab.error_label.isVisibleTo(tab)


def test_generation_failure_is_shown_in_french_and_the_tab_recovers(main_window, qtbot, tmp_path, shown_errors):
    from docx import Document as NewDocument

    bad = tmp_path / "pirate.docx"
    document = NewDocument()
    document.add_paragraph("{{ cycler.__init__.__globals__ }}")
    document.save(str(bad))
    tab = open_tab(main_window)
    tab.set_kind("bilan")
    tab.custom_template.setChecked(True)
    tab.template_edit.setText(str(bad))
    tab.out_edit.setText(str(tmp_path / "sortie"))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    assert not shown_errors and "interdits" in tab.error_label.text() and tab.error_label.isVisibleTo(tab)
    assert not list((tmp_path / "sortie").glob("*.docx")) if (tmp_path / "sortie").exists() else True
    assert tab.generate_button.isEnabled() and not tab.progress.isVisible()


def test_template_check_button_lists_problems(main_window, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("directory")
    tab.check_current_template()
    assert "Aucun problème" in tab.check_results.item(0).text()
    document = Document()
    document.add_paragraph("Bonjour {{ shop.nom }}")
    path = tmp_path / "modele.docx"
    document.save(str(path))
    tab.custom_template.setChecked(True)
    tab.template_edit.setText(str(path))
    tab.check_current_template()
    texts = [tab.check_results.item(i).text() for i in range(tab.check_results.count())]
    assert any("variable inconnue « shop.nom »" in t and "Bonjour {{ shop.nom }}" in t for t in texts)


def test_variables_live_in_the_templates_help_and_follow_the_kind(main_window):
    from PySide6.QtWidgets import QTableView

    tab = open_tab(main_window)
    # the tab itself lists no template variable: they are in « Aide sur les modèles… »
    assert not tab.findChildren(QTableView)
    assert tab.template_help is None
    tab.set_kind("delivery-sheet")
    tab.help_button.click()
    help_dialog = tab.template_help
    assert help_dialog.isVisible() and not help_dialog.isModal()
    names = [r.name for r in help_dialog.variables_model.rows()]
    assert "stops[].lines[].what" in names and "partner.name" not in names
    assert any("{%p for shop in shops %}" in label.text() for label in help_dialog.findChildren(type(tab.status)))
    tab.set_kind("role-sheet")
    assert "partner.name" in [r.name for r in help_dialog.variables_model.rows()]
    help_dialog.close()


def test_template_examples_come_from_the_chosen_edition(main_window):
    tab = open_tab(main_window)
    tab.set_kind("press-kit")
    tab.open_template_help()

    def examples():
        return {v.name: v.example for v in tab.template_help.variables_model.rows()}

    tab.set_edition(tab.edition_combo.itemData(tab.edition_combo.findText("Novembre 2013")))
    assert examples()["edition.name"] == "Novembre 2013"
    assert examples()["edition.days_short"] == "les 13 et 16 novembre 2013"
    assert examples()["figures.shops_count"] == "17"
    assert "Novembre 2013" in tab.template_help.heading.text()
    tab.set_edition(tab.edition_combo.itemData(tab.edition_combo.findText("Avril 2014")))
    assert examples()["edition.name"] == "Avril 2014"
    assert examples()["figures.shops_count"] == "20"
    tab.template_help.close()


def test_recipients_are_proposed_by_role_and_internal_services_never_ticked(main_window):
    from bonsjours_desktop.core.partners import INTERNAL_KINDS, list_organisation_rows

    tab = open_tab(main_window)
    with main_window.context.db.session() as session:
        kinds = {row.name: row.kind for row in list_organisation_rows(session)}
    for kind in ("press-kit", "role-sheet"):
        tab.set_kind(kind)
        items = {tab.partners.item(i).text().split("  ")[0]: tab.partners.item(i) for i in range(tab.partners.count())}
        internal = [name for name in items if kinds[name] in INTERNAL_KINDS]
        assert internal, kind
        assert all(items[name].checkState() == Qt.Unchecked for name in internal), kind
        assert items["Le Courrier de l'Ouest"].checkState() == Qt.Checked, kind
        tab._check_all(True)
        tab.restore_proposed()
        assert all(items[name].checkState() == Qt.Unchecked for name in internal)
    tab.show_all_check.setChecked(True)
    names = [tab.partners.item(i).text() for i in range(tab.partners.count())]
    assert len(names) == len(kinds)
    outsiders = [tab.partners.item(i) for i in range(tab.partners.count())
                 if tab.partners.item(i).text().endswith("(sans rôle dans l'édition)")]
    assert all(item.checkState() == Qt.Unchecked for item in outsiders)


def test_pdf_checkbox_is_disabled_with_the_reason_without_libreoffice(qtbot, qapp_no_modal, demo_db, monkeypatch):
    from bonsjours_desktop.ui.app import create_main_window

    monkeypatch.setenv("BONSJOURS_SOFFICE", "")
    window = create_main_window(demo_db)
    qtbot.addWidget(window)
    tab = window.show_tab("Documents")
    assert not tab.pdf_check.isEnabled()
    assert "LibreOffice n'est pas installé" in tab.pdf_check.toolTip()


def test_bilan_from_the_tab_embeds_the_charts_and_cleans_up(main_window, qtbot, tmp_path):
    from docx import Document

    from pathlib import Path

    tab = open_tab(main_window)
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Novembre 2013", Qt.MatchStartsWith))
    tab.set_kind("bilan")
    tab.out_edit.setText(str(tmp_path))
    tab.start_generation()
    chart_dir = tab._chart_dir.name
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    produced = list(tmp_path.glob("*.docx"))
    # Novembre 2013 is the first edition: budget and cumulative charts, no comparison with a later edition.
    assert len(produced) == 1 and len(Document(str(produced[0])).inline_shapes) == 2
    assert tab._chart_dir is None and not Path(chart_dir).exists()


def test_directory_format_choice_and_booklet_option(main_window, qtbot, tmp_path):
    tab = open_tab(main_window)
    tab.set_kind("directory")
    assert tab.format_combo.isVisible() and tab.format_combo.currentData() == "a5"
    tab.pdf_check.setChecked(False)
    assert not tab.booklet_check.isEnabled()  # the booklet is a PDF: it needs the PDF option
    tab.format_combo.setCurrentIndex(tab.format_combo.findData("a4"))
    tab.out_edit.setText(str(tmp_path / "a4"))
    tab.start_generation()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=60000)
    section = Document(str(tab.last_result.documents[0])).sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    tab.set_kind("press-kit")
    assert not tab.format_combo.isVisible() and not tab.booklet_check.isVisible()
