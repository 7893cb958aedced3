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
