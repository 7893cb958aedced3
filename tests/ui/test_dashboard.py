"""Dashboard tab: first tab, countdown with today forced, lines that open the tab where to fix them."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core.models import Edition, Participation, Task
from bonsjours_desktop.core.operations import OperationRunner

LATE = "Fourniture du dossier de presse aux partenaires"
SOON = "Déploiement de la campagne de communication et distribution du magazine"


@pytest.fixture
def dash_window(qtbot, qapp_no_modal, demo_db):
    """Main window on the demo, on 1 November 2013, with one late and one upcoming task re-opened."""
    from bonsjours_desktop.ui.app import create_main_window

    def reopen(session):
        for task in session.scalars(select(Task).where(Task.title.in_([LATE, SOON]))):
            task.status = "en cours"
        # APIVET's role in the 2013 edition is back to "invité": a partner without a confirmed role.
        from bonsjours_desktop.core.models import EditionRole, Organisation

        apivet = session.scalars(select(Organisation).filter_by(name="APIVET")).one()
        for role in session.scalars(select(EditionRole).filter_by(organisation_id=apivet.id)):
            role.status = "invité"

    OperationRunner(demo_db).run("Rouvrir", reopen, undoable=False)
    clock.set_today(dt.date(2013, 11, 1))
    window = create_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    return window


def line(tab, text_start):
    return next(item for item in tab.line_items() if item.text(0).startswith(text_start))


def test_dashboard_is_the_first_tab_and_shows_the_countdown(dash_window):
    assert dash_window.tab_titles()[0] == "Tableau de bord"
    tab = dash_window.tab("Tableau de bord")
    assert dash_window.tab_widget.currentWidget() is tab
    assert tab.countdown.text() == "J-12 : mercredi 13 novembre 2013"
    assert "41 500,00 € sur 42 000,00 € (99 %)" in tab.gauge_text.text()
    assert tab.gauge.value() == 4150000 and tab.gauge.maximum() == 4200000


def test_dashboard_lists_late_and_upcoming_tasks(dash_window):
    tab = dash_window.tab("Tableau de bord")
    sections = {tab.tree.topLevelItem(i).text(0): tab.tree.topLevelItem(i) for i in range(tab.tree.topLevelItemCount())}
    late = sections["Tâches en retard (1)"]
    assert late.child(0).text(0) == f"Tâche : {LATE}"
    assert "jours de retard" in late.child(0).text(1)
    soon = sections["Jalons et tâches des 15 prochains jours (1)"]
    assert soon.child(0).text(0) == f"Tâche : {SOON}"
    assert sections["Boutiques sans animation ou non confirmées"].child(0).text(0) == "Rien à signaler"


def test_double_click_on_a_late_task_opens_the_planning(dash_window, qtbot):
    tab = dash_window.tab("Tableau de bord")
    item = line(tab, "Tâche : Fourniture du dossier")
    tab.tree.scrollToItem(item)
    rect = tab.tree.visualItemRect(item)
    # A real double-click starts with a press: QTest's double-click event alone is not one for Qt views.
    qtbot.mousePress(tab.tree.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert dash_window.tab_widget.tabText(dash_window.tab_widget.currentIndex()) == "Planning"


def test_enter_on_a_shop_line_opens_the_shops_tab_and_lines_follow_changes(dash_window, qtbot):
    tab = dash_window.tab("Tableau de bord")

    def unconfirm(session):
        edition = session.scalars(select(Edition).filter_by(name="Novembre 2013")).one()
        participation = session.scalars(select(Participation).filter_by(edition_id=edition.id)).first()
        participation.status = "pressentie"
        return participation.shop.name

    name = dash_window.context.run(dash_window, "Pressentir", unconfirm).value
    item = line(tab, name)  # the dashboard refreshed from the change
    assert "pressentie" in item.text(1)
    tab.tree.setFocus()
    tab.tree.setCurrentItem(item)
    navigated = []
    dash_window.context.signals.navigate.connect(lambda title, payload: navigated.append((title, payload)))
    qtbot.keyClick(tab.tree, Qt.Key_Return)
    assert dash_window.tab_widget.tabText(dash_window.tab_widget.currentIndex()) == "Boutiques"
    assert navigated and navigated[0][0] == "Boutiques" and "shop_id" in navigated[0][1]


def test_partner_line_opens_partners_and_missing_tab_is_explained(dash_window, qapp_no_modal):
    tab = dash_window.tab("Tableau de bord")
    partner = line(tab, "APIVET")
    tab._on_activated(partner)
    assert dash_window.tab_widget.tabText(dash_window.tab_widget.currentIndex()) == "Partenaires"

    from bonsjours_desktop.core.dashboard import DashboardRow

    tab.open_row(DashboardRow("loans", "ROUE-01", "", "Onglet inexistant", {"loan_id": 1}))
    boxes = [w for w in qapp_no_modal.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "n'est pas disponible" in boxes[-1].text()
    for box in boxes:
        box.close()


def test_line_of_another_edition_selects_that_edition_first(dash_window):
    tab = dash_window.tab("Tableau de bord")
    combo = dash_window.edition_combo
    combo.setCurrentIndex(combo.findText("Avril 2014", Qt.MatchStartsWith))
    assert tab.countdown.text() == "J-12 : mercredi 13 novembre 2013"  # countdown spans editions
    item = line(tab, "Tâche : Fourniture du dossier")  # late tasks of every edition are listed
    tab._on_activated(item)
    assert combo.currentText().startswith("Novembre 2013")
    assert dash_window.tab_widget.tabText(dash_window.tab_widget.currentIndex()) == "Planning"


def test_dashboard_follows_a_new_day_when_shown_again(dash_window):
    tab = dash_window.tab("Tableau de bord")
    dash_window.show_tab("Planning")
    clock.set_today(dt.date(2013, 11, 12))
    dash_window.show_tab("Tableau de bord")
    assert tab.countdown.text() == "J-1 : mercredi 13 novembre 2013"
