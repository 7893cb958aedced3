"""Partenaires tab: filters, forms with inline validation, deletion with impact, roles, matrix, mailing, undo."""

import datetime as dt

import pytest
import vobject
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from bonsjours_desktop.core import partners as p
from bonsjours_desktop.ui.tabs.partners import select_ids, selected_rows
from bonsjours_desktop.ui.widgets import kit
from tests.conftest import give_focus


@pytest.fixture
def tab(main_window):
    return main_window.show_tab("Partenaires")


def choose_edition(main_window, name):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText(name, Qt.MatchStartsWith))


def select_organisation(page, name):
    select_ids(page.view, {next(r.id for r in page.model.rows() if r.name == name)})


def test_organisations_search_and_filters(tab):
    page = tab.organisations_page
    assert page.model.rowCount() == 25
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("CCAS"))
    assert page.proxy.rowCount() == 2
    assert page.count_label.text() == "2 organisation(s) sur 25"
    page.kind_filter.setCurrentIndex(0)
    page.territory_filter.setCurrentIndex(page.territory_filter.findText("Communauté d'agglomération du Choletais"))
    names = {page.model.row_at(page.proxy.mapToSource(page.proxy.index(i, 0)).row()).name for i in range(page.proxy.rowCount())}
    assert names == {"Communauté d'agglomération du Choletais", "CCAS de Cholet"}
    page.territory_filter.setCurrentIndex(0)
    page.search.setText("emmaus")
    assert page.proxy.rowCount() == 1


def test_selecting_organisations_shows_their_contacts(tab):
    page = tab.organisations_page
    select_organisation(page, "Envie Anjou")
    assert [r.name for r in page.contact_model.rows()] == ["Karim Benali"]
    assert page.contacts_title.text() == "Contacts de « Envie Anjou »"
    page.all_contacts.setChecked(True)
    assert page.contact_model.rowCount() >= 24


def test_organisation_form_shows_french_errors_inline_then_saves(tab, qtbot):
    page = tab.organisations_page
    dialog = page.new_organisation()
    dialog.fields["email"].setText("pas-une-adresse")
    dialog.fields["phone"].setText("12")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_text("name") == "Le nom de l'organisation est obligatoire."
    assert "« pas-une-adresse » n'est pas valide" in dialog.error_text("email")
    assert "numéro français à 10 chiffres" in dialog.error_text("phone")
    assert page.model.rowCount() == 25

    dialog.fields["name"].setText("Ressourcerie de l'Authion")
    dialog.fields["email"].setText("contact@authion.fr")
    dialog.fields["phone"].setText("0241000003")
    dialog.fields["kind"].setCurrentIndex(dialog.fields["kind"].findData("structure ESS"))
    dialog.accept()
    assert not dialog.isVisible()
    assert page.model.rowCount() == 26
    created = [r for r in page.model.rows() if r.name == "Ressourcerie de l'Authion"][0]
    assert (created.kind, created.phone) == ("structure ESS", "02 41 00 00 03")
    assert [r.name for r in selected_rows(page.view)] == ["Ressourcerie de l'Authion"]


def test_field_is_checked_when_left(tab, qtbot):
    dialog = tab.organisations_page.new_organisation()
    field = dialog.fields["email"]
    field.setText("nom@")
    field.editingFinished.emit()
    assert "n'est pas valide" in dialog.error_text("email")
    field.setText("nom@domaine.fr")
    field.editingFinished.emit()
    assert dialog.error_text("email") == ""
    dialog.reject()


def test_duplicate_name_message_in_the_form(tab):
    dialog = tab.organisations_page.new_organisation()
    dialog.fields["name"].setText("apivet")
    dialog.accept()
    assert dialog.error_text("name") == "Une organisation s'appelle déjà « APIVET »."


def test_delete_organisation_confirms_with_impact_and_ctrl_z_restores(main_window, tab, qtbot, monkeypatch):
    page = tab.organisations_page
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return True

    monkeypatch.setattr(kit, "confirm", answer)
    select_organisation(page, "CCAS de Cholet")
    give_focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert "Supprimer « CCAS de Cholet » ? Cela entraîne aussi :" in asked[0]
    assert "1 contact supprimé" in asked[0]
    assert "2 remises d'annuaires supprimées" in asked[0]
    assert "CCAS de Cholet" not in [r.name for r in page.model.rows()]
    assert main_window.action_undo.text() == "Annuler : Supprimer l'organisation « CCAS de Cholet »"
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert "CCAS de Cholet" in [r.name for r in page.model.rows()]
    assert "CCAS de Cholet" in [r.organisation for r in tab.relays_page.model.rows()]


def test_refusing_the_confirmation_deletes_nothing(tab, monkeypatch):
    page = tab.organisations_page
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: False)
    select_organisation(page, "Emmaüs")
    page.delete_organisation()
    assert "Emmaüs" in [r.name for r in page.model.rows()]


def test_contact_form_and_copy_addresses(tab):
    page = tab.organisations_page
    select_organisation(page, "Arceau Anjou")
    dialog = page.new_contact()
    assert dialog.value("organisation_id") == page.current_organisation().id
    dialog.fields["name"].setText("Inès Dubois")
    dialog.fields["email"].setText("ines.dubois@exemple-arceau.fr")
    dialog.fields["phone"].setText("06.12.34.56.79")
    dialog.accept()
    assert not dialog.isVisible()
    assert [r.name for r in page.contact_model.rows()] == ["Inès Dubois", "Yann Le Goff"]
    assert page.contact_model.rows()[0].phone == "06 12 34 56 79"
    page.contact_view.selectAll()
    text = page.copy_addresses()
    assert text == "ines.dubois@exemple-arceau.fr; y.legoff@exemple-arceau.fr"
    assert QGuiApplication.clipboard().text() == text
    assert page.feedback.text() == "2 adresse(s) copiée(s) dans le presse-papiers."


def test_export_selected_contacts_as_vcard(tab, tmp_path, monkeypatch):
    page = tab.organisations_page
    page.all_contacts.setChecked(True)
    target = tmp_path / "carnet.vcf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert page.export_contacts() == target
    cards = list(vobject.readComponents(target.read_text(encoding="utf-8")))
    assert len(cards) == page.contact_model.rowCount()
    assert "Émilie Rousseau" in {c.fn.value for c in cards}


def test_editing_roles_of_the_edition(main_window, tab, qtbot):
    choose_edition(main_window, "Avril 2014")
    roles = tab.roles_page
    before = roles.model.rowCount()
    press = next(r for r in main_window.context.read(p.list_organisation_rows) if r.name == "Le Courrier de l'Ouest")
    dialog = roles.new_role(organisation_id=press.id)
    combo = dialog.fields["role_type_id"]
    combo.setCurrentIndex(combo.findText("communication"))
    dialog.fields["description"].setPlainText("Encart dans le supplément du week-end")
    dialog.accept()
    assert not dialog.isVisible()
    assert roles.model.rowCount() == before + 1
    added = next(r for r in roles.model.rows() if r.organisation == "Le Courrier de l'Ouest" and r.role_type == "communication")
    assert (added.status, added.contact) == ("invité", "Sandrine Roux")
    assert tab.matrix_page.matrix.status("Le Courrier de l'Ouest", "communication") == "invité"

    # Same role twice: the form says so and stays open.
    again = roles.new_role(organisation_id=press.id)
    again.fields["role_type_id"].setCurrentIndex(again.fields["role_type_id"].findText("communication"))
    again.accept()
    assert again.isVisible() and "tient déjà le rôle « communication »" in again.general_error.text()
    again.reject()

    select_ids(roles.view, {added.id})
    roles.set_status("confirmé")
    assert next(r for r in roles.model.rows() if r.id == added.id).status == "confirmé"
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert next(r for r in roles.model.rows() if r.id == added.id).status == "invité"
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert roles.model.rowCount() == before


def test_role_types_dialog(tab):
    dialog = tab.roles_page.edit_role_types()
    dialog.name.setText("prêt de salle")
    dialog.add()
    assert "prêt de salle" in [t.name for t in tab.context.read(p.list_role_types)]
    dialog.name.setText("Prêt de salle")
    dialog.add()
    assert dialog.error.text() == "Le rôle « prêt de salle » existe déjà."
    dialog.list.setCurrentRow([t.name for t in tab.context.read(p.list_role_types)].index("logistique"))
    dialog.delete()
    assert "supprimez ou changez d'abord ces rôles" in dialog.error.text()
    # The press-kit flag: ticked for the public roles, unticked for the internal ones; a tick is undoable.
    names = [t.name for t in tab.context.read(p.list_role_types)]
    logistics = dialog.list.item(names.index("logistique"))
    assert logistics.checkState() == Qt.Unchecked
    assert dialog.list.item(names.index("relais presse locale")).checkState() == Qt.Checked
    logistics.setCheckState(Qt.Checked)
    assert {t.name: t.receives_press_kit for t in tab.context.read(p.list_role_types)}["logistique"]
    assert "reçoit le dossier de presse" in dialog.list.item(names.index("logistique")).text()
    tab.context.ops.undo()
    assert not {t.name: t.receives_press_kit for t in tab.context.read(p.list_role_types)}["logistique"]
    dialog.reject()


def test_matrix_view_of_april_2014(main_window, tab, tmp_path, monkeypatch):
    choose_edition(main_window, "Avril 2014")
    matrix = tab.show_page("Matrice des rôles")
    model = matrix.model
    assert model.rowCount() == 25
    for row in range(model.rowCount()):
        cells = [model.index(row, column).data() for column in range(2, model.columnCount())]
        assert any(cells), model.index(row, 0).data()
    headers = [model.headerData(c, Qt.Horizontal).replace("\n", " ") for c in range(model.columnCount())]
    assert headers[:3] == ["Organisation", "Type", "boutique participante"]
    emmaus = model.row_of(lambda r: r.organisation == "Emmaüs")
    assert model.index(emmaus, 2).data() == "✔ confirmé"
    assert model.index(emmaus, 2).data(Qt.BackgroundRole) is not None
    assert matrix.title.text() == "Qui fait quoi — Avril 2014"

    # Double-click on an empty cell opens a role prefilled for that organisation and role.
    logistics = headers.index("logistique")
    dialog = matrix.open_cell(matrix.proxy.mapFromSource(model.index(emmaus, logistics)))
    assert dialog.fields["organisation_id"].currentText() == "Emmaüs"
    assert dialog.fields["role_type_id"].currentText() == "logistique"
    dialog.fields["status"].setCurrentIndex(dialog.fields["status"].findData("confirmé"))
    dialog.accept()
    assert matrix.model.index(matrix.model.row_of(lambda r: r.organisation == "Emmaüs"), logistics).data() == "✔ confirmé"

    target = tmp_path / "matrice.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert matrix.export() == target
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "Rôles des partenaires — Avril 2014"
    assert sheet.max_row == 2 + 25


def test_matrix_can_show_organisations_without_role(main_window, tab):
    choose_edition(main_window, "Avril 2014")
    main_window.context.run(None, "Ajouter", lambda s: p.create_organisation(s, {"name": "Association Récup'"}))
    matrix = tab.matrix_page
    assert matrix.model.row_of(lambda r: r.organisation == "Association Récup'") == -1
    matrix.all_organisations.setChecked(True)
    assert matrix.model.row_of(lambda r: r.organisation == "Association Récup'") >= 0


def test_relay_form_validation_and_total(main_window, tab):
    choose_edition(main_window, "Avril 2014")
    relays = tab.relays_page
    assert relays.total.text() == "Total : 1\u202f200 annuaire(s) remis à 3 relais"
    dialog = relays.new_relay()
    dialog.fields["quantity"].setText("beaucoup")
    dialog.accept()
    assert dialog.error_text("quantity") == "Le nombre d'annuaires « beaucoup » doit être un nombre entier (exemple : 150)."
    dialog.fields["quantity"].setText("100")
    dialog.accept()
    assert not dialog.isVisible()
    assert relays.total.text().startswith("Total : 1\u202f300 annuaire(s)")


def test_meetings_of_november_2013_and_new_meeting(main_window, tab):
    choose_edition(main_window, "Novembre 2013")
    meetings = tab.show_page("Réunions")
    assert [r.subject for r in meetings.model.rows()] == [
        "Réunion des acteurs de l'ESS et des animateurs de prévention", "Réunion bilan"]
    assert "Présents (14)" in meetings.details.toPlainText()
    dialog = meetings.new_meeting()
    dialog.accept()
    assert dialog.error_text("subject") == "L'objet de la réunion est obligatoire."
    dialog.fields["subject"].setText("Point presse")
    dialog.fields["date"].setDate(dialog.fields["date"].date().fromString("2013-10-15", Qt.ISODate))
    emmaus = next(r.id for r in main_window.context.read(p.list_organisation_rows) if r.name == "Emmaüs")
    dialog.set_attendance(emmaus, True, True)
    dialog.accept()
    assert not dialog.isVisible()
    created = next(r for r in meetings.model.rows() if r.subject == "Point presse")
    assert created.date == dt.date(2013, 10, 15)
    assert [(a.organisation, a.attended) for a in created.attendees] == [("Emmaüs", True)]


def test_keyboard_ctrl_n_opens_the_organisation_form_and_enter_edits(tab, qtbot):
    from bonsjours_desktop.ui.widgets.partner_forms import OrganisationDialog

    page = tab.organisations_page
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_N, Qt.ControlModifier)
    dialogs = [d for d in page.findChildren(OrganisationDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].organisation_id is None
    dialogs[0].reject()
    select_organisation(page, "APIVET")
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_Return)
    dialogs = [d for d in page.findChildren(OrganisationDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].fields["name"].text() == "APIVET"
    dialogs[0].reject()


def test_export_without_extension_takes_the_chosen_filter(tab, tmp_path, monkeypatch):
    page = tab.organisations_page
    page.all_contacts.setChecked(True)
    target = tmp_path / "contacts"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "CSV pour Excel (*.csv)")))
    written = page.export_contacts()
    assert written == tmp_path / "contacts.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbfNom;")
    assert "exporté(s)" in page.feedback.text()


def test_selected_organisation_details_and_roles_of_the_edition(main_window, tab):
    choose_edition(main_window, "Avril 2014")
    page = tab.organisations_page
    select_organisation(page, "Conseil départemental de Maine-et-Loire")
    assert page.details.text() == ("Coordonnées de « Conseil départemental de Maine-et-Loire » : "
                                   "Place Michel Debré, CS 94104, 49941 Angers Cedex 9")
    emmaus = next(r for r in page.model.rows() if r.name == "Emmaüs")
    assert emmaus.role_count == 1


def test_matrix_model_passes_the_qt_model_tester(main_window, tab, qtmodeltester):
    choose_edition(main_window, "Avril 2014")
    qtmodeltester.check(tab.matrix_page.model)
    qtmodeltester.check(tab.organisations_page.model)


def test_roles_of_another_edition_can_be_taken_again(main_window, tab):
    from bonsjours_desktop.core.models import Edition

    def new_edition(session):
        session.add(Edition(name="Novembre 2014"))

    main_window.context.run(None, "Nouvelle édition", new_edition)
    choose_edition(main_window, "Novembre 2014")
    roles = tab.roles_page
    assert roles.model.rowCount() == 0
    dialog = roles.copy_roles()
    dialog.combo.setCurrentIndex(dialog.combo.findText("Avril 2014"))
    dialog.accept()
    april = len(main_window.context.read(lambda s: p.list_role_rows(s, dialog.combo.currentData())))
    assert roles.model.rowCount() == april > 30
    assert {r.status for r in roles.model.rows()} == {"invité"}
    assert roles.count_label.text() == f"{april} rôle(s) repris, à confirmer."
