"""The organisation form's « Logo » row: checked at once, errors in place, saved with the form, undoable."""

from __future__ import annotations

from sqlalchemy import select

from bonsjours_desktop.core.logos import organisation_logo
from bonsjours_desktop.core.models import Organisation

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">'
       b'<rect width="300" height="100" fill="#c62828"/></svg>')


def test_logo_chosen_checked_saved_and_removed_with_the_form(main_window, qtbot, tmp_path):
    from bonsjours_desktop.ui.widgets.partner_forms import OrganisationDialog

    context = main_window.context
    org_id = context.read(lambda s: s.scalars(select(Organisation.id).filter_by(name="Emmaüs")).one())
    form = OrganisationDialog(context, org_id, main_window)
    qtbot.addWidget(form)
    field = form.logo_field
    assert field.caption.text() == "Aucun logo." and not field.remove_button.isEnabled()
    bad = tmp_path / "logo.png"
    bad.write_text("pas une image")
    assert not field.set_file(bad)
    assert field.error.isVisibleTo(form)
    assert field.error.text() == "Logo « logo.png » : format non reconnu (PNG, JPEG ou SVG attendu)."
    assert not field.changed
    good = tmp_path / "emmaus.svg"
    good.write_bytes(SVG)
    assert field.set_file(good) and not field.error.isVisibleTo(form)
    assert field.preview.pixmap() is not None and not field.preview.pixmap().isNull()
    form.accept()
    assert form.result() == OrganisationDialog.DialogCode.Accepted
    logo = context.read(lambda s: organisation_logo(s, org_id))
    assert logo.format == "svg" and logo.file_name == "emmaus.svg" and logo.data == SVG
    assert main_window.action_undo.text().startswith("Annuler : Modifier l'organisation « Emmaüs »")

    again = OrganisationDialog(context, org_id, main_window)
    qtbot.addWidget(again)
    assert again.logo_field.caption.text() == "emmaus.svg (SVG)"
    again.logo_field.remove()
    again.accept()
    assert context.read(lambda s: organisation_logo(s, org_id)) is None
    main_window.action_undo.trigger()  # the removal is undone with the form's save
    assert context.read(lambda s: organisation_logo(s, org_id)).data == SVG
