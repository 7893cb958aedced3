"""Team mode in the GUI: a form saved over someone else's change is refused, says what changed, reloads."""

from sqlalchemy import select

from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.core.operations import OperationRunner
from bonsjours_desktop.ui import context as context_module
from bonsjours_desktop.ui.widgets.shop_form import ShopDialog


def test_second_save_is_refused_and_the_form_reloads(main_window, demo_db, qtbot, monkeypatch):
    shop_id = main_window.context.read(lambda s: s.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one().id)
    form = ShopDialog(main_window.context, shop_id, main_window)
    qtbot.addWidget(form)
    # Another coordinator, on another machine, renames the shop meanwhile.
    OperationRunner(demo_db).run("Renommer", lambda s: setattr(s.get(Shop, shop_id), "name", "Emmaüs Cholet – Le Hangar"))
    told = []
    monkeypatch.setattr(context_module, "ask_reload", lambda parent, error: told.append(str(error)) or True)
    form.phone.setText("02 41 99 99 99")
    assert form.save() is False
    assert told and "« Emmaüs Cholet » → « Emmaüs Cholet – Le Hangar »" in told[0]
    assert form.name.text() == "Emmaüs Cholet – Le Hangar"  # reloaded
    name_now = main_window.context.read(lambda s: (s.get(Shop, shop_id).name, s.get(Shop, shop_id).phone))
    assert name_now[0] == "Emmaüs Cholet – Le Hangar" and name_now[1] != "02 41 99 99 99"
    form.phone.setText("02 41 99 99 99")
    assert form.save() is True
    assert main_window.context.read(lambda s: s.get(Shop, shop_id).phone) == "02 41 99 99 99"


def _colleague(demo_db, action) -> None:
    """Another coordinator, on another computer: their own engine on the same base."""
    from bonsjours_desktop.core.db import open_database

    other = open_database(demo_db.url)
    try:
        OperationRunner(other).run("Collègue", action)
    finally:
        other.dispose()


def _click_reload(monkeypatch) -> list[str]:
    """The « Modifié par quelqu'un d'autre » box answers itself with « Recharger »; returns its texts."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def exec_(box) -> int:
        shown.append(box.text())
        button = next(b for b in box.buttons() if b.text() == "Recharger")
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def test_organisation_form_refuses_a_stale_save_says_what_changed_and_reloads(main_window, demo_db, qtbot,
                                                                               monkeypatch):
    from bonsjours_desktop.core import partners as p
    from bonsjours_desktop.core.models import Organisation
    from bonsjours_desktop.ui.widgets.partner_forms import OrganisationDialog

    context = main_window.context
    org_id = context.read(lambda s: s.scalars(select(Organisation.id).filter_by(name="Emmaüs")).one())
    form = OrganisationDialog(context, org_id, main_window)
    qtbot.addWidget(form)

    def new_phone(s):
        d = p.organisation_details(s, org_id)
        data = {k: getattr(d, k) for k in form.fields}
        return p.update_organisation(s, org_id, {**data, "phone": "02 41 11 22 33"}, expected=d.seen)

    _colleague(demo_db, new_phone)
    shown = _click_reload(monkeypatch)
    form.fields["notes"].setPlainText("Rappeler en mars")
    form.accept()
    assert form.saved_id is None  # nothing saved, the form stays open
    assert len(shown) == 1 and "Téléphone" in shown[0] and "« 02 41 11 22 33 »" in shown[0]
    assert form.fields["phone"].text() == "02 41 11 22 33"  # reloaded with the colleague's phone
    assert context.read(lambda s: s.get(Organisation, org_id).notes) != "Rappeler en mars"
    form.fields["notes"].setPlainText("Rappeler en mars")
    form.accept()
    assert form.saved_id == org_id
    assert context.read(lambda s: (s.get(Organisation, org_id).phone, s.get(Organisation, org_id).notes)) == (
        "02 41 11 22 33", "Rappeler en mars")


def test_budget_line_form_refuses_a_stale_save_and_reloads(main_window, demo_db, qtbot, monkeypatch):
    import dataclasses
    from decimal import Decimal

    from bonsjours_desktop.core import budget as b
    from bonsjours_desktop.core.models import BudgetLine
    from bonsjours_desktop.ui.tabs.budget import BudgetLineDialog

    context = main_window.context
    edition_id = context.edition_id
    row = context.read(lambda s: b.list_line_rows(s, edition_id))[0]
    form = BudgetLineDialog(context, edition_id, row, main_window)
    qtbot.addWidget(form)

    def paid(s):
        current = b.get_line_row(s, row.id)
        data = dataclasses.replace(b.BudgetLineInput.from_row(current), amount="777,00", basis=b.BASIS_TTC,
                                   status="payé")
        return b.update_line(s, row.id, data, expected=current.seen)

    _colleague(demo_db, paid)
    shown = _click_reload(monkeypatch)
    form.notes.setPlainText("Devis signé")
    assert form.save() is None
    assert len(shown) == 1 and "Montant TTC" in shown[0] and "« 777,00 »" in shown[0]
    # Reloaded: the colleague's amount (shown in HT or TTC, with the others computed) and status.
    assert "TTC 777,00" in form.computed.text() and form.status.currentText() == "payé"
    def line():
        return context.read(lambda s: (lambda x: (x.amount_ttc, x.status, x.notes))(s.get(BudgetLine, row.id)))

    assert line()[0] == Decimal("777.00") and line()[2] != "Devis signé"
    form.notes.setPlainText("Devis signé")
    assert form.save() == row.id
    assert line() == (Decimal("777.00"), "payé", "Devis signé")


def test_budget_envelope_inline_editor_refuses_a_stale_save_and_reloads(main_window, demo_db, monkeypatch):
    from decimal import Decimal

    from bonsjours_desktop.core import budget as b
    from bonsjours_desktop.core.models import Edition
    from bonsjours_desktop.core.versions import snapshot

    tab = main_window.show_tab("Budget")
    edition_id = main_window.context.edition_id
    _colleague(demo_db, lambda s: b.set_envelope(s, edition_id, "45 000", expected=snapshot(s, Edition, edition_id)))
    shown = _click_reload(monkeypatch)
    tab.envelope.setText("38 000")
    assert tab.save_envelope() is False
    assert len(shown) == 1 and "Enveloppe" in shown[0] and "45\u202f000,00" in shown[0]
    assert tab.envelope.text().replace("\u202f", " ").replace("\u00a0", " ").startswith("45 000")  # reloaded
    envelope = lambda: main_window.context.read(lambda s: s.get(Edition, edition_id).budget_envelope)  # noqa: E731
    assert envelope() == Decimal("45000.00")
    tab.envelope.setText("38 000")
    assert tab.save_envelope() is True
    assert envelope() == Decimal("38000.00")
